//! What opsbook prints cannot be driven by documents: terminal control characters and line
//! breaks in values and file names are shown escaped in every format, nothing starts a GitHub
//! Actions workflow command, and a huge line or value is cut to a readable length.

use crate::support::{Handbook, empty, opsbook, stderr, stdout};

const TODAY: &str = "2026-11-23";

/// A file name with a line break, a workflow command and an escape sequence.
const HOSTILE_NAME: &str = "roadmap/x\n::error file=a.md,line=1::NAME\u{1b}[2J.md";

/// A handbook whose documents and file names carry injection attempts.
fn hostile() -> Handbook {
    let hb = empty();
    hb.write(
        "roadmap/y.md",
        "---\ntitle: \"x\\e]0;title\\a ##[error]LEGACY\"\nstatus: \"x\\n::error file=a.md,line=1::PWNED\"\n\
         owner: \"\\e[2J\\u009b31m\\u202e\"\n---\n",
    );
    hb.write(HOSTILE_NAME, "---\ntitle: T\nstatus: nope\n---\n");
    hb
}

fn run(hb: &Handbook, args: &[&str]) -> String {
    let out = opsbook(hb.path())
        .args(["check", "--no-git", "--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stdout(&out)
}

/// No raw control character (other than line breaks and tabs), no `##[`, and no line that the
/// runner would read as a workflow command unless `commands` allows it.
fn assert_inert(text: &str, commands: usize) {
    for c in text.chars() {
        assert!(
            !c.is_control() || c == '\n' || c == '\t',
            "raw {c:?} in:\n{text}"
        );
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}'),
            "raw {c:?} in:\n{text}"
        );
    }
    assert!(!text.contains("##["), "{text}");
    let command_lines = text
        .lines()
        .filter(|l| l.trim_start().starts_with("::"))
        .count();
    assert_eq!(command_lines, commands, "{text}");
}

#[test]
fn human_output_shows_document_text_escaped() {
    let text = run(&hostile(), &[]);
    assert_inert(&text, 0);
    assert!(
        text.contains(
            "roadmap/x\\n::error file=a.md,line=1::NAME\\u{1b}[2J.md:3:9: error[field-enum]: status `nope`"
        ),
        "{text}"
    );
    assert!(
        text.contains("status `x\\n::error file=a.md,line=1::PWNED` is not one of"),
        "{text}"
    );
    assert!(
        text.contains("owner `\\u{1b}[2J\\u{9b}31m\\u{202e}`"),
        "{text}"
    );
}

#[test]
fn github_annotations_carry_document_text_escaped() {
    let text = run(&hostile(), &["--format", "github"]);
    // One command per finding, and only those.
    let findings = text.lines().filter(|l| l.starts_with("::")).count();
    assert!(findings >= 3, "{text}");
    assert_inert(&text, findings);
    assert!(
        text.contains(
            "::error file=roadmap/x\\n%3A%3Aerror file=a.md%2Cline=1%3A%3ANAME\\u{1b}[2J.md,line=3,col=9,title=field-enum::"
        ),
        "{text}"
    );
    assert!(
        text.contains("status `x\\n::error file=a.md,line=1::PWNED` is not one of"),
        "{text}"
    );
}

#[test]
fn json_and_sarif_parse_to_the_document_text_and_hold_no_control_characters() {
    let hb = hostile();
    for format in ["json", "sarif"] {
        let text = run(&hb, &["--format", format]);
        assert_inert(&text, 0);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let all = json.to_string();
        // The values are kept exactly: only their spelling in the JSON text is escaped.
        assert!(
            all.contains("x\\n::error file=a.md,line=1::PWNED"),
            "{format}: {all}"
        );
        assert!(
            all.contains("\\u001b[2J\u{9b}31m\u{202e}"),
            "{format}: {all}"
        );
    }
}

#[test]
fn usage_errors_show_arguments_escaped() {
    let hb = empty();
    let out = opsbook(hb.path())
        .args(["new", "\u{1b}[2J\n::error::x", "a"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_inert(&err, 0);
    assert!(
        err.starts_with("error: `\\u{1b}[2J\\n::error::x` is not a kind\n    help: "),
        "{err}"
    );
}

#[test]
fn a_huge_line_is_cut_in_the_snippet_and_the_message() {
    let hb = empty();
    let value = "é".repeat(10_000_000);
    hb.write(
        "roadmap/big.md",
        &format!("---\ntitle: T\nstatus: {value}\n---\n"),
    );
    let text = run(&hb, &[]);
    assert!(text.len() < 4_000, "{} bytes", text.len());
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("roadmap/big.md:3:9: error[field-enum]: status `éééé"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("é…` is not one of"), "{}", lines[0]);
    // The snippet: the start of the line, cut after about 200 characters.
    assert!(lines[2].starts_with("3 | status: éééé"), "{}", lines[2]);
    assert!(lines[2].ends_with("é…"), "{}", lines[2]);
    assert!(lines[2].chars().count() < 220, "{}", lines[2]);
    let json = run(&hb, &["--format", "json"]);
    assert!(json.len() < 4_000, "{} bytes", json.len());
}

#[test]
fn changes_show_titles_and_authors_escaped() {
    let hb = empty();
    let dir = hb.path();
    let git = |args: &[&str], author: &str| {
        crate::support::git::git(dir, args, "2026-11-20", author);
    };
    git(&["init", "-q", "-b", "main"], "Ana <ana@example.com>");
    hb.write(
        "roadmap/a.md",
        "---\ntitle: \"T\\e[2J ##[error]x\"\nstatus: next\n---\n",
    );
    git(&["add", "-A"], "Ana <ana@example.com>");
    git(
        &["commit", "-q", "-m", "a"],
        "Eve\u{1b}]0;pwned\u{7}Ops <eve@example.com>",
    );
    let out = opsbook(dir)
        .args(["changes", "--since", "30d", "--today", TODAY])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_inert(&text, 0);
    assert!(text.contains("  Eve\\u{1b}]0;pwned\\u{7}Ops\n"), "{text}");
    assert!(
        text.contains("roadmap/a.md (T\\u{1b}[2J ##\\u{5b}error]x): new item (next)"),
        "{text}"
    );
}
