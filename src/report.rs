//! Printing diagnostics: human (rustc-like, with a source snippet), JSON.
//! GitHub annotations and SARIF live in their own files.

pub mod github;
pub mod sarif;

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Counts, Diagnostic, Severity, Span};
use crate::escape;

/// The outcome of a check: diagnostics plus what is needed to show them.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files checked (or reported on, when paths were given).
    pub files: usize,
    /// Text of each file by root-relative path, for snippets and end positions.
    pub sources: HashMap<String, String>,
    /// Findings left out by [`Report::at_least`], by severity (the summary says so).
    pub hidden: Counts,
    /// Findings a baseline held (left out), and baseline findings that are gone.
    pub baseline: crate::baseline::Applied,
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
            hidden: Counts::default(),
            baseline: crate::baseline::Applied::default(),
        }
    }

    /// Keep only findings of severity `min` or above (errors are always kept); the others are
    /// counted in `hidden`, for the summary line.
    pub fn at_least(&mut self, min: Severity) {
        let (kept, left): (Vec<_>, Vec<_>) = std::mem::take(&mut self.diagnostics)
            .into_iter()
            .partition(|d| d.severity <= min);
        let left = Counts::of(&left);
        self.hidden.errors += left.errors;
        self.hidden.warnings += left.warnings;
        self.hidden.infos += left.infos;
        self.diagnostics = kept;
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
    let h = report.hidden;
    let mut hidden = Vec::new();
    if h.warnings > 0 {
        hidden.push((plural(h.warnings, "warning"), "warning"));
    }
    if h.infos > 0 {
        hidden.push((plural(h.infos, "note"), "info"));
    }
    if let Some((_, lowest)) = hidden.last() {
        let what: Vec<&str> = hidden.iter().map(|(n, _)| n.as_str()).collect();
        s.push_str(&format!(
            "; not shown: {} (`--min-severity {lowest}` shows them)",
            what.join(", ")
        ));
    }
    let b = report.baseline;
    if b.known > 0 {
        s.push_str(&format!(
            "; {} in the baseline",
            plural(b.known, "known finding")
        ));
    }
    if b.fixed > 0 {
        s.push_str(&format!(
            "; {} of the baseline fixed (`--write-baseline` drops {})",
            plural(b.fixed, "finding"),
            if b.fixed == 1 { "it" } else { "them" }
        ));
    }
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
            "{}{pos}: {s}{}[{}]{r}: {}",
            // One piece: the line starts with it.
            escape::escape(&format!("{shown_from}{path}")),
            d.severity.as_str(),
            d.rule,
            escape::escape(&d.message)
        )?;
        if let Some(span) = d.span
            && let Some(line) = report.line(&path, span.line)
        {
            let end = report.end_of(d).map_or(span.col + 1, |e| e.col);
            let width = end.saturating_sub(span.col).max(1) as usize;
            let shown = excerpt(line, span.col, width);
            let num = span.line.to_string();
            let pad = " ".repeat(num.len());
            writeln!(out, "{pad} {b}|{e}")?;
            writeln!(out, "{b}{num} |{e} {}", shown.text)?;
            writeln!(
                out,
                "{pad} {b}|{e} {}{s}{}{r}",
                shown.lead,
                "^".repeat(shown.carets)
            )?;
        }
        if let Some(help) = &d.help {
            writeln!(out, "    {b}help{e}: {}", escape::escape(help))?;
        }
    }
    writeln!(out, "{}", summary(report))
}

/// The most characters of a source line a snippet shows (a minified or generated line can be
/// megabytes long).
pub const SNIPPET_WIDTH: usize = 200;
/// How many characters a cut snippet keeps before the flagged token.
const SNIPPET_BEFORE: usize = 60;

/// A source line as a snippet shows it.
#[derive(Debug, PartialEq, Eq)]
struct Excerpt {
    /// The line, or about [`SNIPPET_WIDTH`] characters around the token with `…` where it was
    /// cut; escaped for the terminal.
    text: String,
    /// Whitespace that puts the caret under the token (tabs where the line has tabs).
    lead: String,
    /// How many carets mark the token.
    carets: usize,
}

/// The part of `line` shown under a finding at 1-based `col` that marks `width` characters.
fn excerpt(line: &str, col: u32, width: usize) -> Excerpt {
    let count = line.chars().count();
    let start = (col.saturating_sub(1) as usize).min(count);
    let stop = start.saturating_add(width);
    let (from, to) = if count <= SNIPPET_WIDTH {
        (0, count)
    } else {
        let from = start
            .saturating_sub(SNIPPET_BEFORE)
            .min(count - SNIPPET_WIDTH);
        (from, from + SNIPPET_WIDTH)
    };
    let mut shown = Excerpt {
        text: String::new(),
        lead: String::new(),
        carets: 0,
    };
    if from > 0 {
        shown.text.push(escape::ELLIPSIS);
        shown.lead.push(' ');
    }
    for (i, c) in line.chars().enumerate().skip(from).take(to - from) {
        let printed = escape::escape_char(c);
        let cells = printed.chars().count();
        shown.text.push_str(&printed);
        if i < start {
            if c == '\t' {
                shown.lead.push('\t');
            } else {
                shown.lead.extend(std::iter::repeat_n(' ', cells));
            }
        } else if i < stop {
            shown.carets += cells;
        }
    }
    if to < count {
        shown.text.push(escape::ELLIPSIS);
    }
    shown.carets = shown.carets.max(1);
    shown
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

/// The JSON contract of `check --format json` (docs/json.md).
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
    escape::write_json(out, &json_value(report))
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

    #[test]
    fn document_text_cannot_drive_the_terminal_or_start_a_line() {
        let mut r = Report {
            files: 1,
            ..Report::default()
        };
        r.sources.insert(
            "a\nb.md".into(),
            "---\ntitle: \"x\u{1b}[2J\"\nstatus: \"x\\n::error file=a.md,line=1::PWNED\"\n---\n"
                .into(),
        );
        r.diagnostics.push(
            Diagnostic::new(Rule::FieldEnum, "a\nb.md", Some(Span::new(3, 9)))
                .message("status `x\n::error file=a.md,line=1::PWNED` is not one of now")
                .help("not `\u{1b}[2J`"),
        );
        let mut out = Vec::new();
        human_from(&r, "\u{1b}]8;;", false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(
            text.lines().all(|l| !l.trim_start().starts_with("::")),
            "{text}"
        );
        assert!(
            text.starts_with(
                "\\u{1b}]8;;a\\nb.md:3:9: error[field-enum]: status `x\\n::error file=a.md,line=1::PWNED` is not one of now\n"
            ),
            "{text}"
        );
        assert!(text.contains("    help: not `\\u{1b}[2J`\n"), "{text}");
    }

    #[test]
    fn snippets_of_long_lines_are_cut_around_the_token() {
        // A short line is shown whole.
        let e = excerpt("status: nwo", 9, 3);
        assert_eq!(
            (e.text.as_str(), e.lead.as_str(), e.carets),
            ("status: nwo", "        ", 3)
        );
        // A 10 MB line: about SNIPPET_WIDTH characters around the token, with `…` at both cuts.
        let line = format!("{}TOKEN{}", "a".repeat(5_000_000), "b".repeat(5_000_000));
        let e = excerpt(&line, 5_000_001, 5);
        assert_eq!(e.text.chars().count(), SNIPPET_WIDTH + 2);
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        assert_eq!(e.lead.len(), SNIPPET_BEFORE + 1);
        assert_eq!(e.carets, 5);
        let caret_at = e.lead.chars().count();
        assert_eq!(
            e.text.chars().skip(caret_at).take(5).collect::<String>(),
            "TOKEN"
        );
        // At the start of a long line there is no cut before; multi-byte characters are kept whole.
        let e = excerpt(&"é".repeat(1000), 1, 1);
        assert_eq!(e.text, format!("{}…", "é".repeat(SNIPPET_WIDTH)));
        assert_eq!((e.lead.as_str(), e.carets), ("", 1));
        // At the end of a long line the window ends at the line's end.
        let e = excerpt(&"é".repeat(1000), 1000, 1);
        assert_eq!(e.text, format!("…{}", "é".repeat(SNIPPET_WIDTH)));
        assert_eq!(e.lead.chars().count(), SNIPPET_WIDTH);
    }

    #[test]
    fn escaped_characters_in_a_snippet_keep_the_caret_under_the_token() {
        let e = excerpt("a: \"\u{1b}x\"\tb: nwo", 12, 3);
        assert_eq!(e.text, "a: \"\\u{1b}x\"\tb: nwo");
        assert_eq!(e.lead, format!("{}\t   ", " ".repeat(12)));
        assert_eq!(e.carets, 3);
    }
}
