//! The history of every kind with history fields, through the binary: a custom kind's status
//! (with a move), a person's status in `org.yml` and in a file of its own, a team's lead in
//! `org.yml`, in `changes`, `export` and on the site.

use super::{Repo, opsbook, stderr, stdout};

const CONFIG: &str = "title: Acme\nkinds:\n  experiment:\n    folder: experiments\n    \
                      review_every: 90d\n    fields:\n      \
                      status: {type: enum, values: [planned, running, done], history: true}\n      \
                      owner: {type: ref, to: [person]}\n";

/// The day `changes` and the site are judged on: the whole history is in the window.
const TODAY: &str = "2026-04-15";

fn experiment(status: &str) -> String {
    format!(
        "---\ntitle: Onboarding email\nstatus: {status}\nowner: ana\n---\n# Onboarding email\n\n{}",
        "We send a welcome email and watch activation.\n".repeat(8)
    )
}

fn org(ana: &str, bo: &str, lead: &str) -> String {
    format!(
        "people:\n  - id: ana\n    name: Ana\n    status: {ana}\n  - id: bo\n    name: Bo\n{bo}\
         teams:\n  - id: core\n    name: Core\n    lead: {lead}\n"
    )
}

fn person(status: &str) -> String {
    format!("---\nname: Cy\nstatus: {status}\n---\n")
}

/// An experiment planned → running → done and moved; Ana on leave; Bo's email (no tracked
/// field); Cy (in `people/cy.md`) left; Core's lead from Ana to Bo.
pub(super) fn tracked() -> Repo {
    let r = Repo::new();
    r.write("opsbook.yml", CONFIG);
    r.write("org.yml", &org("active", "", "ana"));
    r.write("people/cy.md", &person("active"));
    r.write("experiments/onboarding.md", &experiment("planned"));
    r.write(
        "roadmap/sso.md",
        "---\ntitle: Single sign-on\nstatus: later\n---\n",
    );
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("experiments/onboarding.md", &experiment("running"));
    r.write("org.yml", &org("leave", "", "ana"));
    r.commit("2026-02-10", "Bo <bo@example.com>");
    r.write(
        "org.yml",
        &org("leave", "    email: bo@example.com\n", "ana"),
    );
    r.write("people/cy.md", &person("left"));
    r.commit("2026-03-02", "Cy <cy@example.com>");
    r.git(&[
        "mv",
        "experiments/onboarding.md",
        "experiments/onboarding-email.md",
    ]);
    r.write("experiments/onboarding-email.md", &experiment("done"));
    r.write(
        "org.yml",
        &org("leave", "    email: bo@example.com\n", "bo"),
    );
    r.commit("2026-04-01", "Ana <ana@example.com>");
    r
}

#[test]
fn changes_list_the_history_fields_of_every_kind() {
    let r = tracked();
    let out = opsbook(&r.path(), &["changes", "--since", "1y", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = "\
11 changes in 4 commits since 2025-04-15

2026-04-01  SHA4  Ana
  experiments/onboarding-email.md (Onboarding email): moved from experiments/onboarding.md
  experiments/onboarding-email.md (Onboarding email): status running → done
  experiments/onboarding-email.md (Onboarding email): reviewed (dated by this commit)
  org.yml (Core): lead ana → bo

2026-03-02  SHA3  Cy
  people/cy.md (Cy): status active → left

2026-02-10  SHA2  Bo
  experiments/onboarding.md (Onboarding email): status planned → running
  experiments/onboarding.md (Onboarding email): reviewed (dated by this commit)
  org.yml (Ana): status active → leave

2026-01-05  SHA1  Ana
  experiments/onboarding.md (Onboarding email): new experiment (planned)
  people/cy.md (Cy): new person (active)
  roadmap/sso.md (Single sign-on): new item (later)
";
    let shas = r.git(&["log", "--format=%h", "--abbrev=7"]);
    let mut want = expected.to_string();
    for (i, sha) in shas.lines().enumerate() {
        want = want.replace(&format!("SHA{}", 4 - i), sha);
    }
    assert_eq!(stdout(&out), want);

    let out = opsbook(
        &r.path(),
        &["changes", "--since", "2026-04-01", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lead = &json["changes"][3];
    assert_eq!(
        (
            &lead["type"],
            &lead["kind"],
            &lead["path"],
            &lead["id"],
            &lead["field"]
        ),
        (
            &"field".into(),
            &"team".into(),
            &"org.yml".into(),
            &"core".into(),
            &"lead".into()
        ),
        "{lead}"
    );
    assert_eq!((&lead["from"], &lead["to"]), (&"ana".into(), &"bo".into()));
    // Only a change of another field names it.
    assert!(json["changes"][1].get("field").is_none(), "{json}");
}

#[test]
fn export_has_the_history_of_every_document_that_has_one() {
    let r = tracked();
    let out = opsbook(&r.path(), &["export", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let history = |kind: &str, id: &str| -> Vec<String> {
        let doc = json["docs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == kind && d["id"] == id)
            .unwrap_or_else(|| panic!("{kind}:{id} not exported"));
        doc["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                format!(
                    "{} {} {} {}",
                    h["date"], h["event"], h["path"], h["changes"]
                )
            })
            .collect()
    };
    assert_eq!(
        history("experiment", "onboarding-email"),
        [
            r#""2026-01-05" "added" "experiments/onboarding.md" {"status":[null,"planned"]}"#,
            r#""2026-02-10" "modified" "experiments/onboarding.md" {"status":["planned","running"]}"#,
            r#""2026-04-01" "renamed" "experiments/onboarding-email.md" {"status":["running","done"]}"#,
        ]
    );
    // Each entry of org.yml has the commits that changed it: Bo's email is his alone.
    assert_eq!(
        history("person", "ana"),
        [
            r#""2026-01-05" "added" "org.yml" {"status":[null,"active"]}"#,
            r#""2026-02-10" "modified" "org.yml" {"status":["active","leave"]}"#,
        ]
    );
    assert_eq!(
        history("person", "bo"),
        [
            r#""2026-01-05" "added" "org.yml" {}"#,
            r#""2026-03-02" "modified" "org.yml" {}"#,
        ]
    );
    assert_eq!(
        history("team", "core"),
        [
            r#""2026-01-05" "added" "org.yml" {"lead":[null,"ana"]}"#,
            r#""2026-04-01" "modified" "org.yml" {"lead":["ana","bo"]}"#,
        ]
    );
    assert_eq!(
        history("person", "cy"),
        [
            r#""2026-01-05" "added" "people/cy.md" {"status":[null,"active"]}"#,
            r#""2026-03-02" "modified" "people/cy.md" {"status":["active","left"]}"#,
        ]
    );
}

#[test]
fn the_site_shows_the_history_of_every_document_that_has_one() {
    let r = tracked();
    let out_dir = tempfile::tempdir().unwrap();
    let site = out_dir.path().join("site");
    let out = opsbook(
        &r.path(),
        &["build", "--today", TODAY, "--out", site.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = |rel: &str| std::fs::read_to_string(site.join(rel)).unwrap();
    let history_of = |rel: &str| -> String {
        let html = page(rel);
        let start = html
            .find(r#"<h2 id="history-heading">History</h2>"#)
            .unwrap_or_else(|| panic!("{rel} has no history:\n{html}"));
        let end = start + html[start..].find("</section>").unwrap();
        html[start..end].to_string()
    };
    let ana = history_of("people/ana.html");
    assert!(
        ana.contains(r#"Created: <span class="change">status active</span> on <time datetime="2026-01-05">2026-01-05</time> by Ana"#),
        "{ana}"
    );
    assert!(
        ana.contains(r#"<span class="change">status active → leave</span> on <time datetime="2026-02-10">2026-02-10</time> by Bo"#),
        "{ana}"
    );
    assert!(
        !ana.contains("2026-03-02"),
        "Bo's change is not Ana's: {ana}"
    );
    let core = history_of("teams/core.html");
    assert!(
        core.contains(
            r#"<span class="change">lead ana → bo</span> on <time datetime="2026-04-01">"#
        ),
        "{core}"
    );
    let cy = history_of("people/cy.html");
    assert!(
        cy.contains(r#"<span class="change">status active → left</span>"#),
        "{cy}"
    );
    let experiment = history_of("experiment/onboarding-email.html");
    assert!(
        experiment.contains(r#"Moved from <code>experiments/onboarding.md</code>; <span class="change">status running → done</span>"#),
        "{experiment}"
    );
    // A roadmap item keeps its own section; pages have none.
    let item = page("roadmap/sso.html");
    assert!(item.contains("Status history") && !item.contains(">History</h2>"));
    // What changed links each entry of org.yml to its own page.
    let changes = page("changes.html");
    assert!(
        changes.contains(r#"<a href="people/ana.html">Ana</a> <span class="summary">status active → leave</span>"#),
        "{changes}"
    );
    assert!(
        changes.contains(
            r#"<a href="teams/core.html">Core</a> <span class="summary">lead ana → bo</span>"#
        ),
        "{changes}"
    );
}
