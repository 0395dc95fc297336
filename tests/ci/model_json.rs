//! `opsbook schema` and `opsbook export --format json`.

use super::support::{self, TODAY, opsbook};

#[test]
fn schema_has_every_kind_under_defs() {
    let tmp = support::tempdir();
    let out = opsbook(tmp.path()).arg("schema").assert().code(0);
    let schema = support::json(&out);
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for kind in [
        "roadmap-item",
        "charter",
        "process",
        "person",
        "role",
        "team",
        "page",
        "org",
    ] {
        assert_eq!(schema["$defs"][kind]["type"], "object", "{kind}");
    }
    assert_eq!(
        schema["$defs"]["process"]["properties"]["status"]["enum"],
        serde_json::json!(["draft", "active", "deprecated"])
    );
}

#[test]
fn schema_of_one_kind_and_of_an_unknown_one() {
    let tmp = support::tempdir();
    let out = opsbook(tmp.path())
        .args(["schema", "roadmap-item"])
        .assert()
        .code(0);
    let schema = support::json(&out);
    assert_eq!(schema["title"], "opsbook roadmap-item");
    assert_eq!(schema["required"], serde_json::json!(["title", "status"]));
    let out = opsbook(tmp.path())
        .args(["schema", "roadmap"])
        .assert()
        .code(2);
    assert_eq!(
        support::stderr(&out, tmp.path()),
        "error: `roadmap` is not a kind\n    help: did you mean `roadmap-item`?\n"
    );
}

#[test]
fn export_is_the_stable_contract() {
    let tmp = support::fixture("ci-findings", "");
    let out = opsbook(tmp.path())
        .args(["export", "--format", "json", "--today", TODAY])
        .assert()
        .code(0);
    insta::assert_snapshot!(support::stdout(&out, tmp.path()));
}

#[test]
fn export_diagnostics_match_check_json() {
    let tmp = support::fixture("ci-findings", "");
    let export = support::json(
        &opsbook(tmp.path())
            .args(["export", "--today", TODAY])
            .assert()
            .code(0),
    );
    let check = support::json(
        &opsbook(tmp.path())
            .args(["check", "--format", "json", "--today", TODAY])
            .assert()
            .code(1),
    );
    assert_eq!(export["diagnostics"], check["diagnostics"]);
}

#[test]
fn export_of_a_broken_config_exits_2() {
    let tmp = support::fixture("ci-bad-config", "");
    opsbook(tmp.path()).arg("export").assert().code(2);
}
