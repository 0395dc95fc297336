//! What ships beside the binary and how CI sees it: shell completions, man pages, and
//! `--min-severity` (notes are no pull-request annotations unless asked for).

use crate::support::git::git;
use crate::support::opsbook;

const AUTHOR: &str = "Ana Lima <ana@example.com>";

/// A handbook in a real repository with one process dated by git (a `review-from-git` note)
/// and one roadmap item in Next without an owner (a warning).
fn handbook_with_a_note() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("opsbook.yml", "title: Notes\n");
    write("org.yml", "people:\n  - id: ana\n    name: Ana Lima\n");
    write(
        "processes/triage.md",
        "---\ntitle: Triage\nowner: ana\ncadence: weekly\n---\n\n# Triage\n\n## Steps\n\n1. Sort.\n",
    );
    write(
        "roadmap/search.md",
        "---\ntitle: Search\nstatus: next\n---\n\n# Search\n",
    );
    git(root, &["init", "-q", "-b", "main"], "2026-11-01", AUTHOR);
    git(root, &["add", "-A"], "2026-11-01", AUTHOR);
    git(root, &["commit", "-q", "-m", "start"], "2026-11-01", AUTHOR);
    tmp
}

fn check(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = opsbook(dir)
        .args(["check", "--today", "2026-11-23"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn github_format_leaves_notes_out_unless_asked() {
    let hb = handbook_with_a_note();
    let (code, text) = check(hb.path(), &["--format", "github"]);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("::notice"), "{text}");
    assert!(
        text.contains("::warning file=roadmap/search.md,line=3,col=9,title=next-without-owner::"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "0 errors, 1 warning in 3 files; not shown: 1 note (`--min-severity info` shows them)\n"
        ),
        "{text}"
    );

    let (code, text) = check(hb.path(), &["--format", "github", "--min-severity", "info"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("::notice file=processes/triage.md,line=1,col=1,title=review-from-git::"),
        "{text}"
    );
    assert!(
        text.ends_with("0 errors, 1 warning, 1 note in 3 files\n"),
        "{text}"
    );

    // The human format shows notes by default.
    let (_, text) = check(hb.path(), &[]);
    assert!(text.contains("info[review-from-git]"), "{text}");
}

#[test]
fn min_severity_hides_but_does_not_change_the_exit_code() {
    let hb = handbook_with_a_note();
    let (code, text) = check(hb.path(), &["--min-severity", "error", "--strict"]);
    assert_eq!(code, 1, "a hidden warning still fails --strict: {text}");
    assert_eq!(
        text,
        "0 errors, 0 warnings in 3 files; not shown: 1 warning, 1 note (`--min-severity info` shows them)\n"
    );
    let out = opsbook(hb.path())
        .args(["check", "--today", "2026-11-23", "--format", "json"])
        .args(["--min-severity", "warning"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["next-without-owner"]);
    opsbook(hb.path())
        .args(["check", "--min-severity", "notes"])
        .assert()
        .code(2);
}

#[test]
fn bash_accepts_the_completion_script() {
    let out = opsbook(std::path::Path::new("."))
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("opsbook.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    // Load it and ask bash what completes `opsbook ch`.
    let probe = format!(
        "source '{}'; COMP_WORDS=(opsbook ch); COMP_CWORD=1; COMP_LINE='opsbook ch'; \
         COMP_POINT=10; _opsbook opsbook ch opsbook; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let done = std::process::Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .unwrap();
    assert!(done.status.success(), "{done:?}");
    let words = String::from_utf8(done.stdout).unwrap();
    assert_eq!(
        words.lines().collect::<Vec<_>>(),
        ["check", "changes"],
        "{words}"
    );
    opsbook(std::path::Path::new("."))
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn man_writes_one_page_per_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = opsbook(dir.path())
        .args(["man", "--out", "man1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("wrote man1/opsbook.1\n"), "{text}");
    for page in ["opsbook.1", "opsbook-check.1", "opsbook-templates-eject.1"] {
        let roff = std::fs::read_to_string(dir.path().join("man1").join(page)).unwrap();
        assert!(roff.contains(".SH NAME"), "{page}");
    }
    let main = opsbook(dir.path()).arg("man").output().unwrap();
    let main = String::from_utf8(main.stdout).unwrap();
    assert!(main.contains(".TH opsbook 1"), "{main}");
    assert!(main.contains("opsbook\\-check(1)"), "{main}");
}
