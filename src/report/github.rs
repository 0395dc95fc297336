//! `--format github`: one GitHub Actions workflow command per finding, so the finding shows as an
//! annotation on the pull request, then the summary line.
//!
//! GitHub shows at most 10 annotations of each type per step; the summary line in the log always
//! has the full counts.

use std::io::{self, Write};

use super::{Report, summary};
use crate::diagnostic::Severity;
use crate::escape;
use crate::worktree;

/// How many annotations of one type GitHub shows for a step.
pub const SHOWN_PER_TYPE: usize = 10;

/// Write every diagnostic as `::error file=…,line=…,col=…,title=RULE::message`; paths are
/// prefixed with `prefix`, the handbook root's path inside the repository.
pub fn write(report: &Report, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    for d in &report.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // A finding about the repository as a whole (path `.`, e.g. `shallow-clone`) is a
        // general annotation: no `file=`, which GitHub would try to place on a file.
        let rel = d.path.to_string_lossy();
        let mut props = Vec::new();
        if rel != "." {
            let file = worktree::join(prefix, &rel);
            props.push(format!("file={}", property(&escape::escape(&file))));
        }
        if let Some(s) = d.span {
            props.push(format!("line={}", s.line));
            props.push(format!("col={}", s.col));
        }
        props.push(format!("title={}", property(d.rule.name())));
        // Text from documents is escaped first, so that only opsbook's own line break (before
        // `help:`) becomes `%0A`, a line break inside the annotation.
        let mut message = escape::escape(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&escape::escape(help));
        }
        writeln!(out, "::{command} {}::{}", props.join(","), data(&message))?;
    }
    writeln!(out, "{}", summary(report))?;
    let c = report.counts();
    if [c.errors, c.warnings, c.infos]
        .iter()
        .any(|&n| n > SHOWN_PER_TYPE)
    {
        writeln!(
            out,
            "GitHub shows at most {SHOWN_PER_TYPE} annotations of each type per step; \
             the lines above list them all"
        )?;
    }
    Ok(())
}

/// Escape the message of a workflow command (GitHub's rules, as in `@actions/core`).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value of a workflow command: also `:` and `,`, which end a property.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Span};
    use crate::rules::Rule;

    #[test]
    fn annotations_are_escaped_and_prefixed() {
        let mut r = Report {
            files: 2,
            ..Report::default()
        };
        r.diagnostics.push(
            Diagnostic::new(Rule::FieldEnum, "roadmap/a,b.md", Some(Span::new(2, 9)))
                .message("status `nwo` is 100% wrong")
                .help("did you mean `now`?"),
        );
        r.diagnostics.push(
            Diagnostic::new(Rule::OrphanPage, "x.md", None).message("no document links to x.md"),
        );
        r.diagnostics
            .push(Diagnostic::new(Rule::ShallowClone, ".", None).message("shallow clone"));
        let mut out = Vec::new();
        write(&r, "docs", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=docs/roadmap/a%2Cb.md,line=2,col=9,title=field-enum::status `nwo` is 100%25 wrong%0Ahelp: did you mean `now`?\n\
             ::warning file=docs/x.md,title=orphan-page::no document links to x.md\n\
             ::warning title=shallow-clone::shallow clone\n\
             1 error, 2 warnings in 2 files\n"
        );
    }

    #[test]
    fn many_findings_get_a_note_about_the_limit() {
        let mut r = Report::default();
        for i in 0..11 {
            r.diagnostics
                .push(Diagnostic::new(Rule::BrokenLink, format!("{i}.md"), None).message("x"));
        }
        let mut out = Vec::new();
        write(&r, "", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("11 errors, 0 warnings in 0 files\nGitHub shows at most 10 annotations of each type per step; the lines above list them all\n"), "{text}");
    }

    #[test]
    fn document_text_cannot_start_a_workflow_command_or_drive_the_log() {
        let mut r = Report {
            files: 1,
            ..Report::default()
        };
        r.diagnostics.push(
            Diagnostic::new(
                Rule::FieldEnum,
                "a\n::error::x,y:z.md",
                Some(Span::new(3, 9)),
            )
            .message("status `x\n::error file=a.md,line=1::PWNED` is not one of now")
            .help("not `\u{1b}[2J` (100%)"),
        );
        let mut out = Vec::new();
        write(&r, "", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "::error file=a\\n%3A%3Aerror%3A%3Ax%2Cy%3Az.md,line=3,col=9,title=field-enum::\
             status `x\\n::error file=a.md,line=1::PWNED` is not one of now%0A\
             help: not `\\u{1b}[2J` (100%25)\n\
             1 error, 0 warnings in 1 file\n"
        );
    }
}
