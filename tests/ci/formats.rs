//! `check --format human|json|github|sarif`, and exit codes.

use super::support::{self, TODAY, opsbook};

/// The fixture in a subfolder of a git work tree, checked from the work tree root.
fn nested() -> tempfile::TempDir {
    let tmp = support::fixture("ci-findings", "docs/handbook");
    support::mark_git_root(tmp.path());
    tmp
}

fn check(tmp: &tempfile::TempDir, format: &str) -> assert_cmd::assert::Assert {
    opsbook(tmp.path())
        .args([
            "check",
            "--root",
            "docs/handbook",
            "--today",
            TODAY,
            "--format",
            format,
        ])
        .assert()
}

#[test]
fn github_annotations_use_paths_from_the_repository_root() {
    let tmp = nested();
    let out = check(&tmp, "github").code(1);
    insta::assert_snapshot!(support::stdout(&out, tmp.path()));
}

#[test]
fn github_paths_are_handbook_relative_outside_git() {
    let tmp = support::fixture("ci-findings", "");
    let out = opsbook(tmp.path())
        .args(["check", "--today", TODAY, "--format", "github"])
        .assert()
        .code(1);
    let text = support::stdout(&out, tmp.path());
    assert!(
        text.contains("::error file=roadmap/search.md,line=3,col=9,title=field-enum::"),
        "{text}"
    );
    assert!(
        text.ends_with("3 errors, 2 warnings in 3 files\n"),
        "{text}"
    );
}

#[test]
fn sarif_results_are_exact_and_rules_are_the_catalogue() {
    let tmp = nested();
    let out = check(&tmp, "sarif").code(1);
    let log = support::json(&out);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "opsbook");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let catalogue: Vec<&str> = opsbook::diagnostic::RULES.iter().map(|r| r.name).collect();
    assert_eq!(ids, catalogue);
    let field_enum = &driver["rules"][ids.iter().position(|&i| i == "field-enum").unwrap()];
    assert_eq!(field_enum["defaultConfiguration"]["level"], "error");
    assert!(
        field_enum["help"]["text"]
            .as_str()
            .unwrap()
            .contains("rules: {field-enum:")
    );
    insta::assert_snapshot!(serde_json::to_string_pretty(&run["results"]).unwrap());
}

#[test]
fn json_is_the_stable_contract() {
    let tmp = nested();
    let out = check(&tmp, "json").code(1);
    insta::assert_snapshot!(support::stdout(&out, tmp.path()));
}

#[test]
fn human_output_is_clickable_lines_and_a_summary() {
    let tmp = nested();
    let out = check(&tmp, "human").code(1);
    insta::assert_snapshot!(support::stdout(&out, tmp.path()));
}

#[test]
fn warnings_alone_exit_0_and_1_with_strict() {
    let tmp = support::fixture("ci-findings", "");
    std::fs::write(
        tmp.path().join("roadmap/search.md"),
        "---\ntitle: Search\nstatus: now\nowner: tomas-berg\n---\n",
    )
    .unwrap();
    for format in ["human", "json", "github", "sarif"] {
        opsbook(tmp.path())
            .args(["check", "--today", TODAY, "--format", format])
            .assert()
            .code(0);
        opsbook(tmp.path())
            .args(["check", "--strict", "--today", TODAY, "--format", format])
            .assert()
            .code(1);
    }
}

#[test]
fn config_errors_exit_2_with_the_place_and_a_suggestion() {
    let tmp = support::fixture("ci-bad-config", "");
    for format in ["github", "sarif"] {
        let out = opsbook(tmp.path())
            .args(["check", "--format", format])
            .assert()
            .code(2);
        assert_eq!(support::stdout(&out, tmp.path()), "");
        assert_eq!(
            support::stderr(&out, tmp.path()),
            "error: [DIR]/opsbook.yml:2:1: unknown key `titel`\n    help: did you mean `title`?\n"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let tmp = support::fixture("ci-findings", "");
    let out = opsbook(tmp.path())
        .args(["check", "--format", "gitlab"])
        .assert()
        .code(2);
    assert!(support::stderr(&out, tmp.path()).contains("invalid value 'gitlab' for '--format"));
    let out = opsbook(tmp.path())
        .args(["check", "--format", "sarif", "nope.md"])
        .assert()
        .code(2);
    assert_eq!(
        support::stderr(&out, tmp.path()),
        "error: nope.md: no such file or folder\n"
    );
    opsbook(tmp.path())
        .args(["check", "--today", "2026-02-30"])
        .assert()
        .code(2);
}

#[test]
fn given_paths_limit_the_annotations() {
    let tmp = nested();
    let out = opsbook(tmp.path())
        .args([
            "check",
            "--root",
            "docs/handbook",
            "--today",
            TODAY,
            "--format",
            "github",
        ])
        .arg("docs/handbook/processes/triage.md")
        .assert()
        .code(0);
    let text = support::stdout(&out, tmp.path());
    assert_eq!(
        text.matches("::warning file=docs/handbook/processes/triage.md,")
            .count(),
        2
    );
    assert!(!text.contains("::error"), "{text}");
}
