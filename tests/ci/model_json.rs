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

#[test]
fn export_computes_progress_readiness_and_lateness() {
    let tmp = support::fixture("site-product", "");
    let export = support::json(
        &opsbook(tmp.path())
            .args(["export", "--no-git", "--today", TODAY])
            .assert()
            .code(0),
    );
    let doc = |kind: &str, id: &str| {
        export["docs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == kind && d["id"] == id)
            .unwrap_or_else(|| panic!("{kind}:{id}"))
            .clone()
    };
    // (24 − 20) ÷ (30 − 20) = 0.4 and (41 − 40) ÷ (45 − 40) = 0.2: the objective is at 0.3.
    assert_eq!(
        doc("objective", "activation-q4")["computed"],
        serde_json::json!({"progress": 0.3, "key_results": [
            {"id": "activation", "progress": 0.4, "history": null, "history_approximate": null},
            {"id": "retention", "progress": 0.2, "history": null, "history_approximate": null}]})
    );
    // From 800 ms towards 400 ms, 380 ms is past the target.
    assert_eq!(
        doc("objective", "reliability-q3")["computed"]["progress"],
        1.0
    );
    assert_eq!(
        doc("launch", "onboarding")["computed"],
        serde_json::json!({"readiness": 0.3333, "tasks": 3, "done": 1})
    );
    // Target 2026-Q3 ended on 2026-09-30, 54 days before 2026-11-23.
    assert_eq!(
        doc("roadmap-item", "onboarding")["computed"]["late_days"],
        54
    );
    assert_eq!(
        doc("roadmap-item", "sso")["computed"]["late_days"],
        serde_json::Value::Null
    );
    assert_eq!(doc("person", "maria")["computed"], serde_json::Value::Null);
    // One kind only.
    let launches = support::json(
        &opsbook(tmp.path())
            .args(["export", "launch", "--no-git", "--today", TODAY])
            .assert()
            .code(0),
    );
    let kinds: Vec<&str> = launches["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["launch", "launch"]);
}

#[test]
fn export_csv_is_one_kind_for_spreadsheets() {
    let tmp = support::fixture("site-product", "");
    let out = opsbook(tmp.path())
        .args(["export", "--format", "csv", "launch", "--today", TODAY])
        .assert()
        .code(0);
    assert_eq!(
        support::stdout(&out, tmp.path()),
        "id,title,path,item,date,tier,owner,status,checklist,readiness,tasks,done\r\n\
         billing,Self-serve billing launch,launches/billing.md,billing,2026-10-02,2,maria,launched,2 of 2 tasks done,1.0,2,2\r\n\
         onboarding,Guided onboarding launch,launches/onboarding.md,onboarding,2026-12-10,1,role:product-manager,planned,1 of 3 tasks done,0.3333,3,1\r\n"
    );
    // A title a spreadsheet would run as a formula, a comma, a quote.
    support::write(
        tmp.path(),
        "metrics/evil.md",
        "---\ntitle: \"=HYPERLINK(\\\"https://evil.example\\\", \\\"x\\\")\"\ndefinition: a, \"b\"\n---\n",
    );
    let out = opsbook(tmp.path())
        .args(["export", "--format", "csv", "metric", "--today", TODAY])
        .assert()
        .code(0);
    let text = support::stdout(&out, tmp.path());
    assert!(
        text.contains("evil,\"'=HYPERLINK(\"\"https://evil.example\"\", \"\"x\"\")\",metrics/evil.md,,\"a, \"\"b\"\"\""),
        "{text}"
    );
    let out = opsbook(tmp.path())
        .args(["export", "--format", "csv"])
        .assert()
        .code(2);
    assert!(
        support::stderr(&out, tmp.path())
            .starts_with("error: --format csv writes one kind: name it"),
    );
    let out = opsbook(tmp.path())
        .args(["export", "--format", "csv", "launchs"])
        .assert()
        .code(2);
    assert_eq!(
        support::stderr(&out, tmp.path()),
        "error: `launchs` is not a kind\n    help: did you mean `launch`?\n"
    );
}
