//! Key results, delivery health and launches over time, through the binary: a repository whose
//! commits move a key result's `current`, a roadmap item's health and a launch's status gives
//! the exact sparkline points (site and `export`) and the changes (`changes`, what changed); a
//! shallow clone of it marks the sparklines approximate.

use std::path::Path;

use super::history::clone;
use super::{Repo, opsbook, stderr, stdout};

const TODAY: &str = "2026-11-23";
const ORG: &str = "people:\n  - id: ana\n    name: Ana\n";

fn objective(activation: &str, retention: &str) -> String {
    format!(
        "---\ntitle: Activate new teams\nperiod: 2026\nstatus: active\nowner: ana\nkey_results:\n  \
         - id: activation\n    title: Teams active in week one\n    baseline: 20\n    target: 50\n    \
         current: {activation}\n    unit: \"%\"\n  \
         - id: retention\n    title: Teams active after 90 days\n    baseline: 5\n    target: 20\n    \
         current: {retention}\n---\n# Activate new teams\n"
    )
}

fn item(health: &str) -> String {
    format!(
        "---\ntitle: Guided onboarding\nstatus: now\nowner: ana\ntarget: 2026-Q4\nhealth: {health}\n\
         key_results: [activation#activation]\n---\n"
    )
}

fn launch(title: &str, status: &str) -> String {
    format!("---\ntitle: {title}\nitem: onboarding\ndate: 2026-10-01\nstatus: {status}\n---\n")
}

/// activation: 30 (01-05), 34 (02-01), 38 (03-02), 38.0 (04-01, the same value), 41 (05-01);
/// retention: 10 (01-05), 12 (03-02); the item's health on-track → at-risk (02-15) → on-track
/// (04-01); the launch planned → ready (02-15); a second launch (05-01).
fn moving() -> Repo {
    let r = Repo::new();
    r.write("org.yml", ORG);
    r.write("objectives/activation.md", &objective("30", "10"));
    r.write("roadmap/onboarding.md", &item("on-track"));
    r.write(
        "launches/onboarding.md",
        &launch("Onboarding launch", "planned"),
    );
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("objectives/activation.md", &objective("34", "10"));
    r.commit("2026-02-01", "Bo <bo@example.com>");
    r.write("roadmap/onboarding.md", &item("at-risk"));
    r.write(
        "launches/onboarding.md",
        &launch("Onboarding launch", "ready"),
    );
    r.commit("2026-02-15", "Cy <cy@example.com>");
    r.write("objectives/activation.md", &objective("38", "12"));
    r.commit("2026-03-02", "Ana <ana@example.com>");
    r.write("objectives/activation.md", &objective("38.0", "12"));
    r.write("roadmap/onboarding.md", &item("on-track"));
    r.commit("2026-04-01", "Bo <bo@example.com>");
    r.write("objectives/activation.md", &objective("41", "12"));
    r.write("launches/beta.md", &launch("Beta launch", "planned"));
    r.commit("2026-05-01", "Cy <cy@example.com>");
    r
}

/// The site of the handbook at `dir`, built into `out`; the objective page.
fn objective_page(dir: &Path, out: &Path) -> String {
    let o = opsbook(
        dir,
        &["build", "--today", TODAY, "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read_to_string(out.join("objectives/activation.html")).unwrap()
}

/// The `computed.key_results` of the objective in `export`, as `id: [(date, value)…] approximate`.
fn exported(dir: &Path) -> Vec<String> {
    let out = opsbook(dir, &["export", "objective", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    json["docs"][0]["computed"]["key_results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let points: Vec<String> = k["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| format!("{} {}", p["date"].as_str().unwrap(), p["value"]))
                .collect();
            format!(
                "{}: {} {}",
                k["id"].as_str().unwrap(),
                points.join(", "),
                k["history_approximate"]
            )
        })
        .collect()
}

#[test]
fn each_key_result_gets_a_sparkline_of_its_current() {
    let r = moving();
    let dir = tempfile::tempdir().unwrap();
    let html = objective_page(&r.path(), &dir.path().join("site"));
    // 4 changes (38.0 is 38): evenly spaced, from the lowest (30, at the bottom) to 41.
    assert!(
        html.contains(
            r#"<svg class="sparkline" width="120" height="28" viewBox="0 0 120 28" role="img" aria-label="current from 30 to 41 over 4 changes, 2026-01-05 to 2026-05-01"><title>current from 30 to 41 over 4 changes, 2026-01-05 to 2026-05-01</title><polyline points="3,25 41,17 79,9 117,3" "#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"<circle cx="117" cy="3" r="2.5" fill="currentColor" /></svg> <span class="muted">4 changes since <time datetime="2026-01-05">2026-01-05</time></span>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"aria-label="current from 10 to 12 over 2 changes, 2026-01-05 to 2026-03-02"><title>current from 10 to 12 over 2 changes, 2026-01-05 to 2026-03-02</title><polyline points="3,25 117,3" "#),
        "{html}"
    );
    assert!(!html.contains("approximate"), "{html}");
    // The objective's history names each key result that moved.
    assert!(
        html.contains(r#"<span class="change">activation: current 34 → 38</span>, <span class="change">retention: current 10 → 12</span> on <time datetime="2026-03-02">"#),
        "{html}"
    );
    assert_eq!(
        exported(&r.path()),
        [
            "activation: 2026-01-05 30.0, 2026-02-01 34.0, 2026-03-02 38.0, 2026-05-01 41.0 false",
            "retention: 2026-01-05 10.0, 2026-03-02 12.0 false",
        ]
    );
    // Without git: no history to speak of.
    let out = opsbook(&r.path(), &["export", "objective", "--no-git"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let kr = &json["docs"][0]["computed"]["key_results"][0];
    assert!(
        kr["history"].is_null() && kr["history_approximate"].is_null(),
        "{kr}"
    );
}

#[test]
fn a_shallow_clone_marks_the_sparklines_approximate() {
    let r = moving();
    let dir = clone(&r.path(), &["--depth", "2"]);
    let clone = dir.path().join("c");
    let html = objective_page(&clone, &dir.path().join("site"));
    // The boundary (04-01) shows 38 as set then; it may be older.
    assert!(
        html.contains(r#"aria-label="current from 38 to 41 over 2 changes, 2026-04-01 to 2026-05-01 (approximate: the history is cut, the first value may be older)"><title>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"2 changes since <time datetime="2026-04-01" title="approximate: this clone's history is cut here (shallow clone)">about 2026-04-01</time>"#),
        "{html}"
    );
    // One value seen: no line to draw, but the export has it.
    assert!(!html.contains("current from 12"), "{html}");
    assert_eq!(
        exported(&clone),
        [
            "activation: 2026-04-01 38.0, 2026-05-01 41.0 true",
            "retention: 2026-04-01 12.0 true",
        ]
    );
}

#[test]
fn changes_report_key_result_moves_health_and_launches() {
    let r = moving();
    let out = opsbook(&r.path(), &["changes", "--since", "1y", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected = "\
11 changes in 6 commits since 2025-11-23

2026-05-01  SHA6  Cy
  launches/beta.md (Beta launch): new launch (planned)
  objectives/activation.md (Activate new teams): activation: current 38 → 41

2026-04-01  SHA5  Bo
  roadmap/onboarding.md (Guided onboarding): health at-risk → on-track

2026-03-02  SHA4  Ana
  objectives/activation.md (Activate new teams): activation: current 34 → 38
  objectives/activation.md (Activate new teams): retention: current 10 → 12

2026-02-15  SHA3  Cy
  launches/onboarding.md (Onboarding launch): status planned → ready
  roadmap/onboarding.md (Guided onboarding): health on-track → at-risk

2026-02-01  SHA2  Bo
  objectives/activation.md (Activate new teams): activation: current 30 → 34

2026-01-05  SHA1  Ana
  launches/onboarding.md (Onboarding launch): new launch (planned)
  objectives/activation.md (Activate new teams): new objective (active)
  roadmap/onboarding.md (Guided onboarding): new item (now)
";
    let shas = r.git(&["log", "--format=%h", "--abbrev=7"]);
    let mut want = expected.to_string();
    for (i, sha) in shas.lines().enumerate() {
        want = want.replace(&format!("SHA{}", 6 - i), sha);
    }
    assert_eq!(stdout(&out), want);

    let out = opsbook(
        &r.path(),
        &["changes", "--since", "2026-02-15", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |c: &serde_json::Value| {
        let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
        [
            s("date"),
            s("type"),
            s("kind"),
            s("id"),
            s("key_result"),
            s("field"),
            s("from"),
            s("to"),
        ]
        .join(" ")
    };
    let rows: Vec<String> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(row)
        .collect();
    assert_eq!(
        rows,
        [
            "2026-05-01 added launch beta - - - planned",
            "2026-05-01 key-result objective activation activation - 38 41",
            "2026-04-01 health roadmap-item onboarding - - at-risk on-track",
            "2026-03-02 key-result objective activation activation - 34 38",
            "2026-03-02 key-result objective activation retention - 10 12",
            "2026-02-15 status launch onboarding - - planned ready",
            "2026-02-15 health roadmap-item onboarding - - on-track at-risk",
        ]
    );
    // Only key-result changes name a key result.
    assert!(json["changes"][0].get("key_result").is_none(), "{json}");

    // The site's what-changed page says the same, one line per commit and document; the item's
    // status history shows its health.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let o = opsbook(
        &r.path(),
        &[
            "build",
            "--today",
            "2026-05-15",
            "--out",
            site.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = |rel: &str| std::fs::read_to_string(site.join(rel)).unwrap();
    let changes = page("changes.html");
    for line in [
        r#"<a href="objectives/activation.html">Activate new teams</a> <span class="summary">activation: current 34 → 38; retention: current 10 → 12</span>"#,
        r#"<a href="roadmap/onboarding.html">Guided onboarding</a> <span class="summary">health at-risk → on-track</span>"#,
        r#"<a href="launches/onboarding.html">Onboarding launch</a> <span class="summary">status planned → ready</span>"#,
        r#"<a href="launches/beta.html">Beta launch</a> <span class="summary">new launch (planned)</span>"#,
    ] {
        assert!(changes.contains(line), "{line}\n{changes}");
    }
    let item = page("roadmap/onboarding.html");
    assert!(
        item.contains(r#"<span class="change">health on-track → at-risk</span> on <time datetime="2026-02-15">"#),
        "{item}"
    );
}
