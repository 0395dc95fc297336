//! Printing diagnostics: human (rustc-like, with a source snippet), JSON.
//! GitHub annotations and SARIF live in their own files.

pub mod github;
pub mod sarif;

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Counts, Diagnostic, Severity, Span};

/// The outcome of a check: diagnostics plus what is needed to show them.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files checked (or reported on, when paths were given).
    pub files: usize,
    /// Text of each file by root-relative path, for snippets and end positions.
    pub sources: HashMap<String, String>,
}

impl Report {
    /// A report of `diagnostics` over the `files` that `selected` keeps, holding the text of
    /// every flagged file for snippets.
    pub fn new(
        diagnostics: Vec<Diagnostic>,
        files: Vec<crate::discover::SourceFile>,
        selected: impl Fn(&str) -> bool,
    ) -> Report {
        let flagged: std::collections::HashSet<String> = diagnostics
            .iter()
            .map(|d| d.path.to_string_lossy().into_owned())
            .collect();
        let count = files.iter().filter(|f| selected(&f.rel_path)).count();
        let sources = files
            .into_iter()
            .filter(|f| flagged.contains(&f.rel_path))
            .filter_map(|f| f.text.ok().map(|t| (f.rel_path, t.to_string())))
            .collect();
        Report {
            diagnostics,
            files: count,
            sources,
        }
    }

    pub fn counts(&self) -> Counts {
        Counts::of(&self.diagnostics)
    }

    /// The source line `line` (1-based) of `path`, without its line break.
    fn line(&self, path: &str, line: u32) -> Option<&str> {
        let text = self.sources.get(path)?;
        text.split('\n')
            .nth(line.checked_sub(1)? as usize)
            .map(|l| l.trim_end_matches('\r'))
    }

    /// Where the flagged token ends (exclusive column), from the source line.
    pub fn end_of(&self, d: &Diagnostic) -> Option<Span> {
        if let Some(end) = d.end {
            return Some(end);
        }
        let span = d.span?;
        let line = self.line(&d.path.to_string_lossy(), span.line)?;
        let width = token_width(line, span.col);
        Some(Span::new(span.line, span.col + width.max(1) as u32))
    }
}

/// The width in characters of the YAML or Markdown token starting at 1-based `col`.
fn token_width(line: &str, col: u32) -> usize {
    let rest: Vec<char> = line.chars().skip(col.saturating_sub(1) as usize).collect();
    let Some(&first) = rest.first() else { return 1 };
    if first == '"' || first == '\'' {
        let close = rest
            .iter()
            .skip(1)
            .position(|&c| c == first)
            .map_or(rest.len(), |p| p + 2);
        return close;
    }
    if first == '[' || first == '{' || first == '!' {
        // A Markdown link or a flow collection: up to the matching close on this line.
        let (open, close) = if first == '{' {
            ('{', '}')
        } else if first == '!' {
            ('[', ')')
        } else {
            ('[', ']')
        };
        let mut depth = 0i32;
        for (i, &c) in rest.iter().enumerate() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
                if depth <= 0 {
                    let mut end = i + 1;
                    // Markdown `[text](url)`: include the destination.
                    if first == '[' && rest.get(end) == Some(&'(') {
                        end += rest[end..]
                            .iter()
                            .position(|&c| c == ')')
                            .map_or(0, |p| p + 1);
                    }
                    return end;
                }
            }
        }
        return rest.len();
    }
    let stop = rest
        .iter()
        .enumerate()
        .position(|(i, &c)| {
            matches!(c, ',' | ']' | '}')
                || (c == ':' && rest.get(i + 1).is_none_or(|n| n.is_whitespace()))
                || (c == '#' && i > 0 && rest[i - 1].is_whitespace())
        })
        .unwrap_or(rest.len());
    rest[..stop]
        .iter()
        .collect::<String>()
        .trim_end()
        .chars()
        .count()
        .max(1)
}

/// Colours for a terminal; empty strings when colour is off.
struct Paint {
    on: bool,
}

impl Paint {
    fn sev(&self, s: Severity) -> (&'static str, &'static str) {
        if !self.on {
            return ("", "");
        }
        match s {
            Severity::Error => ("\x1b[1;31m", "\x1b[0m"),
            Severity::Warning => ("\x1b[1;33m", "\x1b[0m"),
            Severity::Info => ("\x1b[1;36m", "\x1b[0m"),
        }
    }
    fn dim(&self) -> (&'static str, &'static str) {
        if self.on {
            ("\x1b[1;34m", "\x1b[0m")
        } else {
            ("", "")
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The summary line: `2 errors, 1 warning in 37 files`.
pub fn summary(report: &Report) -> String {
    let c = report.counts();
    let mut s = format!(
        "{}, {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning")
    );
    if c.infos > 0 {
        s.push_str(&format!(", {}", plural(c.infos, "note")));
    }
    s.push_str(&format!(" in {}", plural(report.files, "file")));
    s
}

/// Human output: a clickable first line, a source snippet with a caret, help, then a summary.
pub fn human(report: &Report, color: bool, out: &mut dyn Write) -> io::Result<()> {
    human_from(report, "", color, out)
}

/// Human output with `shown_from` before each path, so that paths are relative to the current
/// folder (`docs/handbook/` when run from the repository root) and stay clickable.
pub fn human_from(
    report: &Report,
    shown_from: &str,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let paint = Paint { on: color };
    let (b, e) = paint.dim();
    for d in &report.diagnostics {
        let (s, r) = paint.sev(d.severity);
        let path = d.path.to_string_lossy();
        let pos = d
            .span
            .map(|p| format!(":{}:{}", p.line, p.col))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{path}{pos}: {s}{}[{}]{r}: {}",
            shown_from,
            d.severity.as_str(),
            d.rule,
            d.message
        )?;
        if let Some(span) = d.span
            && let Some(line) = report.line(&path, span.line)
        {
            let end = report.end_of(d).map_or(span.col + 1, |e| e.col);
            let width = end.saturating_sub(span.col).max(1) as usize;
            let num = span.line.to_string();
            let pad = " ".repeat(num.len());
            let lead: String = line
                .chars()
                .take(span.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, "{pad} {b}|{e}")?;
            writeln!(out, "{b}{num} |{e} {line}")?;
            writeln!(out, "{pad} {b}|{e} {lead}{s}{}{r}", "^".repeat(width))?;
        }
        if let Some(help) = &d.help {
            writeln!(out, "    {b}help{e}: {help}")?;
        }
    }
    writeln!(out, "{}", summary(report))
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: String,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    severity: Severity,
    rule: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: usize,
    warnings: usize,
    files: usize,
}

/// The JSON contract of DESIGN §5.
pub fn json_value(report: &Report) -> serde_json::Value {
    let c = report.counts();
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let end = report.end_of(d);
            JsonDiagnostic {
                path: d.path.to_string_lossy().replace('\\', "/"),
                line: d.span.map(|s| s.line),
                column: d.span.map(|s| s.col),
                end_line: end.map(|s| s.line),
                end_column: end.map(|s| s.col),
                severity: d.severity,
                rule: d.rule.name(),
                message: &d.message,
                help: d.help.as_deref(),
            }
        })
        .collect();
    serde_json::to_value(JsonReport {
        diagnostics,
        errors: c.errors,
        warnings: c.warnings,
        files: report.files,
    })
    .unwrap_or_default()
}

pub fn json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &json_value(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn token_widths() {
        assert_eq!(token_width("owner: tomas-berk", 8), 10);
        assert_eq!(token_width("A: [pm, eng]", 5), 2);
        assert_eq!(token_width("A: [pm, eng]", 4), 9);
        assert_eq!(token_width("title: \"a, b\" # c", 8), 6);
        assert_eq!(token_width("See [x](../a.md#b) now", 5), 14);
        assert_eq!(token_width("status: nwo  # typo", 9), 3);
    }

    #[test]
    fn human_output_has_snippet_and_summary() {
        let mut r = Report {
            files: 3,
            ..Report::default()
        };
        r.sources
            .insert("roadmap/a.md".into(), "---\nstatus: nwo\n---\n".into());
        r.diagnostics.push(
            Diagnostic::new(Rule::FieldEnum, "roadmap/a.md", Some(Span::new(2, 9)))
                .message("status `nwo` is not one of later, next, now")
                .help("did you mean `now`?"),
        );
        let mut out = Vec::new();
        human(&r, false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "roadmap/a.md:2:9: error[field-enum]: status `nwo` is not one of later, next, now\n  |\n2 | status: nwo\n  |         ^^^\n    help: did you mean `now`?\n1 error, 0 warnings in 3 files\n"
        );
    }
}
