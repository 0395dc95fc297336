//! `opsbook check` over fixtures: exit codes and the exact path:line:col and rule of every finding.

use std::collections::BTreeSet;

use predicates::prelude::*;

use crate::support::{check_json, copy_dir, expect, fixture, fixture_path, opsbook, stdout};

#[test]
fn parse_errors() {
    let hb = fixture("parse-errors");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("guides/list.md", 2, 1, "frontmatter-invalid"),
            ("processes/no-frontmatter.md", 1, 1, "frontmatter-missing"),
            ("roadmap/bom.md", 3, 9, "field-enum"),
            ("roadmap/crlf.md", 4, 8, "field-type"),
            ("roadmap/dup.md", 5, 1, "duplicate-key"),
            ("roadmap/empty.md", 1, 1, "frontmatter-missing"),
            ("roadmap/invalid-yaml.md", 3, 9, "frontmatter-invalid"),
            ("roadmap/latin1.md", 2, 11, "not-utf8"),
            ("roadmap/unknown-field.md", 4, 1, "unknown-field"),
            ("roadmap/unknown-field.md", 6, 57, "unknown-field"),
            ("roadmap/unterminated.md", 1, 1, "frontmatter-invalid"),
            ("x/kind.md", 2, 7, "unknown-kind"),
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn field_errors() {
    let hb = fixture("field-errors");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("charters/nomission.md", 1, 1, "field-required"),
            ("charters/nomission.md", 2, 5, "id-syntax"),
            ("charters/nomission.md", 8, 5, "field-type"),
            ("org.yml", 5, 13, "field-enum"),
            ("org.yml", 6, 12, "field-type"),
            ("org.yml", 10, 5, "field-required"),
            ("org.yml", 12, 9, "id-syntax"),
            ("processes/enum.md", 4, 9, "field-enum"),
            ("processes/enum.md", 5, 10, "field-enum"),
            ("roadmap/Bad_Name.md", 1, 1, "id-syntax"),
            ("roadmap/dates.md", 4, 10, "field-date"),
            ("roadmap/dates.md", 5, 8, "field-period"),
            ("roadmap/dates.md", 6, 9, "field-period"),
            ("roadmap/dates.md", 7, 16, "field-date"),
            ("roadmap/dates.md", 8, 15, "field-duration"),
            ("roadmap/missing.md", 1, 1, "field-required"),
            ("roadmap/missing.md", 1, 1, "field-required"),
            ("roadmap/missing.md", 3, 9, "field-required"),
            ("roadmap/ranges.md", 5, 8, "field-range"),
            ("roadmap/ranges.md", 9, 12, "field-range"),
            ("roadmap/ranges.md", 10, 13, "rice-impact-scale"),
            ("roadmap/ranges.md", 11, 17, "field-range"),
            ("roadmap/ranges.md", 12, 13, "field-range"),
            ("roadmap/types.md", 4, 8, "field-type"),
            ("roadmap/types.md", 6, 13, "field-type"),
            ("roadmap/types.md", 8, 5, "field-required"),
            ("roadmap/types.md", 9, 5, "field-type"),
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn document_rules() {
    let hb = fixture("document-rules");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("charters/raci.md", 4, 18, "charter-role-unused"),
            ("charters/raci.md", 9, 8, "raci-accountable"),
            ("charters/raci.md", 10, 5, "raci-accountable"),
            ("charters/raci.md", 13, 5, "raci-no-responsible"),
            ("charters/raci.md", 20, 9, "raci-two-letters"),
            ("charters/raci.md", 25, 17, "raci-party-not-in-roles"),
            ("processes/no-steps.md", 1, 1, "steps-missing"),
            ("processes/on-demand.md", 4, 10, "trigger-missing"),
            (
                "roadmap/dropped-no-reason.md",
                3,
                9,
                "dropped-without-reason"
            ),
            ("roadmap/late.md", 7, 9, "target-passed"),
            ("roadmap/later-target.md", 4, 9, "later-with-target"),
            ("roadmap/next-no-owner.md", 3, 9, "next-without-owner"),
            ("roadmap/now-no-owner.md", 3, 9, "now-without-owner"),
            ("roadmap/shipped-future.md", 5, 10, "shipped-date"),
            ("roadmap/shipped-no-date.md", 3, 9, "shipped-date"),
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn product_rules() {
    let hb = fixture("product-rules");
    let (code, found, json) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("launches/not-launched.md", 5, 9, "launch-not-launched"),
            ("launches/not-launched.md", 8, 40, "launch-task-overdue"),
            ("launches/not-launched.md", 8, 58, "field-type"),
            ("launches/ready.md", 4, 7, "launch-after-target"),
            ("launches/ready.md", 5, 7, "field-range"),
            ("launches/ready.md", 7, 9, "launch-ready-open-tasks"),
            ("launches/ready.md", 10, 39, "launch-task-overdue"),
            ("objectives/duplicates.md", 7, 10, "duplicate-key-result"),
            ("objectives/duplicates.md", 7, 68, "key-result-no-range"),
            ("objectives/duplicates.md", 12, 16, "field-range"),
            ("objectives/duplicates.md", 13, 17, "field-range"),
            ("objectives/ended.md", 4, 9, "objective-period-ended"),
            ("objectives/half.md", 4, 9, "objective-unsupported"),
            ("objectives/half.md", 8, 5, "key-result-not-measured"),
            ("objectives/half.md", 10, 13, "unresolved-ref"),
            ("roadmap/moves.md", 7, 5, "unresolved-ref"),
            ("roadmap/moves.md", 8, 5, "unresolved-ref"),
            ("roadmap/moves.md", 9, 5, "unresolved-ref"),
        ])
    );
    let helps: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"] == "roadmap/moves.md")
        .map(|d| d["help"].as_str().unwrap())
        .collect();
    // Did-you-mean on both parts of `objective#key-result`.
    assert_eq!(
        helps,
        [
            "did you mean `activation`?",
            "write `ended#KEY-RESULT`; its key results are nps",
            "did you mean `on-track`?"
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn cross_rules() {
    let hb = fixture("cross-rules");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("charters/team.md", 10, 8, "vacant-role"),
            ("org.yml", 5, 14, "registry-cycle"),
            ("org.yml", 17, 66, "registry-cycle"),
            ("org.yml", 23, 36, "registry-cycle"),
            ("processes/support.md", 3, 8, "owner-left"),
            ("processes/support.md", 5, 12, "unresolved-ref"),
            ("roadmap/audit-log.md", 4, 8, "ambiguous-ref"),
            ("roadmap/audit-log.md", 5, 14, "dependency-cycle"),
            ("roadmap/insights.md", 4, 8, "vacant-role"),
            ("roadmap/sso.md", 4, 8, "unresolved-ref"),
            ("roadmap/sso.md", 6, 14, "dependency-order"),
            ("roadmap/sso.md", 6, 25, "dependency-order"),
            ("roadmap/sso.md", 6, 34, "unresolved-ref"),
            ("teams/core.md", 1, 1, "duplicate-id"),
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn freshness() {
    let hb = fixture("freshness");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("processes/custom.md", 5, 16, "review-stale"),
            ("processes/future.md", 5, 16, "reviewed-in-future"),
            ("processes/overdue.md", 5, 16, "review-overdue"),
            ("processes/stale.md", 5, 16, "review-stale"),
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn links() {
    let hb = fixture("links");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        found,
        expect(&[
            ("guides/more.md", 4, 1, "unpublished-link"),
            ("guides/more.md", 4, 26, "unpublished-link"),
            ("guides/more.md", 4, 51, "unpublished-link"),
            ("guides/more.md", 5, 1, "broken-anchor"),
            ("guides/more.md", 6, 1, "broken-anchor"),
            ("guides/orphan.md", 1, 1, "orphan-page"),
            // The root's `index.md` is the home page: neither an orphan nor a collision.
            ("roadmap/audit.md", 1, 1, "url-collision"),
            ("roadmap/search.md", 10, 1, "broken-link"),
            ("roadmap/search.md", 10, 36, "broken-anchor"),
            ("roadmap/search.md", 11, 27, "broken-anchor"),
            ("roadmap/search.md", 11, 72, "unresolved-link-ref"),
            ("roadmap/search.md", 12, 46, "broken-link"),
            ("roadmap/search.md", 13, 1, "broken-link"),
        ])
    );
    assert_eq!(code, 1);
}

/// Rules that need git facts, a build or symbolic links (which a fixture copy does not keep) are
/// tested elsewhere (tests/git.rs, tests/site.rs, tests/cli/robustness.rs).
const GIT_RULES: &[&str] = &[
    "shallow-clone",
    "review-from-git",
    "missing-objects",
    "unknown-template",
    "symlink-outside",
    "symlink-skipped",
];

#[test]
fn every_rule_has_a_fixture() {
    let mut seen = BTreeSet::new();
    for case in [
        "parse-errors",
        "field-errors",
        "document-rules",
        "product-rules",
        "cross-rules",
        "freshness",
        "links",
    ] {
        let hb = fixture(case);
        let (_, found, _) = check_json(hb.path(), &[]);
        seen.extend(found.into_iter().map(|f| f.3));
    }
    let missing: Vec<&str> = opsbook::diagnostic::RULES
        .iter()
        .map(|r| r.name)
        .filter(|r| !seen.contains(*r) && !GIT_RULES.contains(r))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

#[test]
fn valid_handbook_exits_zero() {
    let hb = fixture("valid-minimal");
    let out = opsbook(hb.path())
        .args(["check", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "0 errors, 0 warnings in 6 files\n");
}

#[test]
fn human_output_is_clickable_with_snippet_and_help() {
    let hb = fixture("valid-minimal");
    hb.write(
        "roadmap/search.md",
        "---\ntitle: Search v2\nstatus: nwo\nowner: ana-silvo\n---\n[guide](../guides/intro.md)\n",
    );
    let out = opsbook(hb.path())
        .args(["check", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out), @r"
    roadmap/search.md:3:9: error[field-enum]: status `nwo` is not one of later, next, now, shipped, dropped
      |
    3 | status: nwo
      |         ^^^
        help: did you mean `now`?
    roadmap/search.md:4:8: error[unresolved-ref]: owner `ana-silvo` is not a person, role or team
      |
    4 | owner: ana-silvo
      |        ^^^^^^^^^
        help: did you mean `ana-silva`?
    2 errors, 0 warnings in 6 files
    ");
    assert!(
        !stdout(&out).contains('\x1b'),
        "no colour when not a terminal"
    );
}

#[test]
fn json_contract_has_every_key() {
    let hb = fixture("valid-minimal");
    hb.write(
        "roadmap/search.md",
        "---\ntitle: Search v2\nstatus: nwo\nowner: ana-silva\n---\n[guide](../guides/intro.md)\n",
    );
    let (code, _, json) = check_json(hb.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(json["errors"], 1);
    assert_eq!(json["warnings"], 0);
    assert_eq!(json["files"], 6);
    let d = &json["diagnostics"][0];
    assert_eq!(
        d,
        &serde_json::json!({
            "path": "roadmap/search.md", "line": 3, "column": 9, "end_line": 3, "end_column": 12,
            "severity": "error", "rule": "field-enum",
            "message": "status `nwo` is not one of later, next, now, shipped, dropped",
            "help": "did you mean `now`?"
        })
    );
}

#[test]
fn paths_limit_what_is_reported_but_not_what_is_loaded() {
    let hb = fixture("cross-rules");
    let (code, found, json) = check_json(hb.path(), &["roadmap/sso.md"]);
    assert_eq!(code, 1);
    assert!(found.iter().all(|f| f.0 == "roadmap/sso.md"), "{found:?}");
    assert_eq!(found.len(), 4);
    assert_eq!(json["files"], 1);
    // A folder selects everything under it.
    let (_, found, _) = check_json(hb.path(), &["roadmap"]);
    assert!(
        found.iter().all(|f| f.0.starts_with("roadmap/")) && found.len() == 7,
        "{found:?}"
    );
    // A clean file in a broken handbook passes.
    let (code, found, _) = check_json(hb.path(), &["roadmap/billing.md"]);
    assert_eq!((code, found.len()), (0, 0));
}

/// A pre-commit hook passes every changed file, also files outside the handbook: those select
/// nothing, even when no other path is given; a folder that holds the handbook selects it all.
#[test]
fn paths_outside_the_handbook_select_nothing() {
    let top = crate::support::empty();
    copy_dir(&fixture_path("cross-rules"), &top.path().join("hb"));
    top.write("elsewhere/notes.md", "# Notes\n");
    let root = top.path().join("hb");
    let (_, all, _) = check_json(&root, &[]);
    assert!(!all.is_empty());
    let (code, found, json) = check_json(&root, &["../elsewhere/notes.md"]);
    assert_eq!(
        (code, found.len(), &json["files"]),
        (0, 0, &serde_json::json!(0))
    );
    let (code, found, _) = check_json(&root, &["../elsewhere", "roadmap/billing.md"]);
    assert_eq!((code, found.len()), (0, 0));
    let (code, found, _) = check_json(&root, &["..", "../elsewhere"]);
    assert_eq!((code, &found), (1, &all));
    let (_, found, _) = check_json(&root, &["."]);
    assert_eq!(found, all);
}

/// A symbolic link given as a path is the link itself, as the whole run sees it: a link to a
/// document is a document of its own, and a dangling link or a loop is there, with the finding
/// that it is skipped (a pre-commit hook passes such files too).
#[cfg(unix)]
#[test]
fn a_symbolic_link_given_as_a_path_is_the_link_itself() {
    let hb = crate::support::empty();
    hb.write("guides/guide.md", "# Guide\n\nSee [nothing](nope.md).\n");
    std::os::unix::fs::symlink("guide.md", hb.path().join("guides/alias.md")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", hb.path().join("dangling.md")).unwrap();
    std::os::unix::fs::symlink("loop.md", hb.path().join("loop.md")).unwrap();
    let (_, all, _) = check_json(hb.path(), &[]);
    for path in ["guides/alias.md", "dangling.md", "loop.md"] {
        let (code, found, _) = check_json(hb.path(), &[path]);
        let expected: Vec<_> = all.iter().filter(|f| f.0 == path).cloned().collect();
        assert!(!expected.is_empty(), "{path}: {all:?}");
        assert_eq!(found, expected, "{path}");
        assert_eq!(code, i32::from(found.iter().any(|f| f.3 == "broken-link")));
    }
}

#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    let hb = fixture("valid-minimal");
    opsbook(hb.path())
        .args(["check", "roadmap/nope.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: roadmap/nope.md: no such file or folder",
        ));
}

#[test]
fn config_is_found_upward_and_root_flag_wins() {
    let hb = fixture("valid-minimal");
    let out = opsbook(&hb.path().join("roadmap"))
        .args(["check", "--today", "2026-11-23"])
        .output()
        .unwrap();
    assert_eq!(
        (out.status.code(), stdout(&out)),
        (Some(0), "0 errors, 0 warnings in 6 files\n".into())
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let out = opsbook(elsewhere.path())
        .args(["check", "--today", "2026-11-23", "--root"])
        .arg(hb.path())
        .output()
        .unwrap();
    assert_eq!(stdout(&out), "0 errors, 0 warnings in 6 files\n");
}

#[test]
fn a_handbook_without_config_uses_defaults() {
    let hb = crate::support::empty();
    hb.write(
        "roadmap/sso.md",
        "---\ntitle: SSO\nstatus: later\n---\n# SSO\n\nSee [notes](../notes.md).\n",
    );
    hb.write("notes.md", "# Notes\n\nBack to [SSO](roadmap/sso.md).\n");
    let (code, found, json) = check_json(hb.path(), &[]);
    assert_eq!((code, found.len(), json["files"].as_u64()), (0, 0, Some(2)));
    // The default folders decide the kind: this one needs a status.
    hb.write("roadmap/bad.md", "---\ntitle: Bad\n---\n");
    let (code, found, _) = check_json(hb.path(), &[]);
    assert_eq!(
        (code, found),
        (1, expect(&[("roadmap/bad.md", 1, 1, "field-required")]))
    );
}

#[test]
fn config_errors_exit_two_with_position_and_suggestion() {
    let hb = fixture("valid-minimal");
    hb.write("opsbook.yml", "title: X\nrules:\n  orphan-pgae: off\n");
    opsbook(hb.path())
        .arg("check")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "opsbook.yml:3:3: `orphan-pgae` is not a rule",
        ))
        .stderr(predicate::str::contains(
            "help: did you mean `orphan-page`?",
        ));
    hb.write("opsbook.yml", "titel: X\n");
    opsbook(hb.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "opsbook.yml:1:1: unknown key `titel`",
        ));
    hb.write("opsbook.yml", "title: [unclosed\n");
    opsbook(hb.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid YAML"));
}

#[test]
fn rule_severities_are_configurable_and_strict_fails_on_warnings() {
    let hb = fixture("freshness");
    let (code, found, _) = check_json(hb.path(), &["processes/overdue.md"]);
    assert_eq!((code, found.len()), (0, 1));
    let (code, _, json) = check_json(hb.path(), &["processes/overdue.md", "--strict"]);
    assert_eq!((code, json["errors"].as_u64()), (1, Some(1)));
    hb.write(
        "opsbook.yml",
        "rules: {review-overdue: off, review-stale: info}\n",
    );
    let (code, found, json) =
        check_json(hb.path(), &["processes/overdue.md", "processes/stale.md"]);
    assert_eq!(code, 0);
    assert_eq!(
        found,
        expect(&[("processes/stale.md", 5, 16, "review-stale")])
    );
    assert_eq!(json["diagnostics"][0]["severity"], "info");
}

#[test]
fn strict_fails_on_any_warning() {
    let hb = fixture("document-rules");
    let (code, _, _) = check_json(hb.path(), &["roadmap/later-target.md"]);
    assert_eq!(code, 0);
    let (code, _, _) = check_json(hb.path(), &["roadmap/later-target.md", "--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn today_comes_from_the_flag_or_source_date_epoch() {
    let hb = fixture("freshness");
    // 2026-08-01: nothing is overdue yet, and 2026-08-20's review is in the future.
    let out = opsbook(hb.path())
        .args(["check", "--format", "json", "processes/overdue.md"])
        .env("SOURCE_DATE_EPOCH", "1785542400")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["rule"], "reviewed-in-future");
    opsbook(hb.path())
        .args(["check", "--today", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--today: `2026-02-30` is not a real calendar day",
        ));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let hb = fixture("field-errors");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' check | head -1",
            env!("CARGO_BIN_EXE_opsbook")
        ))
        .current_dir(hb.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("charters/nomission.md:1:1: error[field-required]"));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "no panic, no error message"
    );
}

#[test]
fn help_explains_every_flag() {
    let out = opsbook(std::path::Path::new("."))
        .args(["check", "--help"])
        .output()
        .unwrap();
    let text = stdout(&out);
    for flag in ["--format", "--strict", "--today", "--root", "[PATH]..."] {
        assert!(text.contains(flag), "{flag} missing from:\n{text}");
    }
    opsbook(std::path::Path::new("."))
        .args(["check", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn symlinks_out_of_the_root_and_skipped_folders_are_not_read() {
    let hb = fixture("valid-minimal");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("bad.md"),
        "---\ntitle: X\nstatus: nwo\n---\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), hb.path().join("roadmap/linked")).unwrap();
    for skipped in [".hidden/x.md", "site/x.md", "templates/x.md", "static/x.md"] {
        hb.write(
            skipped,
            "---\nkind: roadmap-item\ntitle: X\nstatus: nwo\n---\n",
        );
    }
    let (code, found, json) = check_json(hb.path(), &[]);
    assert_eq!(
        (code, found, json["files"].as_u64()),
        (
            0,
            expect(&[("roadmap/linked", 0, 0, "symlink-outside")]),
            Some(6)
        ),
    );
    // A symlink that stays inside the root is followed.
    std::os::unix::fs::symlink(hb.path().join("guides"), hb.path().join("more")).unwrap();
    let (_, _, json) = check_json(hb.path(), &[]);
    assert_eq!(json["files"].as_u64(), Some(7));
}

#[test]
fn human_paths_are_relative_to_the_current_folder() {
    let outer = tempfile::tempdir().unwrap();
    crate::support::copy_dir(
        &crate::support::fixture_path("document-rules"),
        &outer.path().join("docs/handbook"),
    );
    let out = opsbook(outer.path())
        .args([
            "check",
            "--root",
            "docs/handbook",
            "--today",
            "2026-11-23",
            "docs/handbook/roadmap/now-no-owner.md",
        ])
        .output()
        .unwrap();
    assert!(
        stdout(&out)
            .starts_with("docs/handbook/roadmap/now-no-owner.md:3:9: error[now-without-owner]"),
        "{}",
        stdout(&out)
    );
    // JSON keeps paths relative to the handbook root (the contract).
    let (_, found, _) = check_json(
        outer.path(),
        &[
            "--root",
            "docs/handbook",
            "docs/handbook/roadmap/now-no-owner.md",
        ],
    );
    assert_eq!(found[0].0, "roadmap/now-no-owner.md");
}
