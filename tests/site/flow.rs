//! Flow from git: a real repository whose roadmap items move through their statuses on fixed
//! days gives exact times in each status, cycle times, percentiles and stuck items; a shallow
//! clone of it marks them approximate.

use std::path::{Path, PathBuf};

use super::support::{TODAY, commit, git, main_of, opsbook, page, text, write};

const ANA: &str = "Ana Lima <ana@acme.example>";

fn item(status: &str, extra: &str) -> String {
    format!("---\ntitle: Item\nstatus: {status}\nowner: ana\nteam: growth\n{extra}---\n")
}

/// a: later 03-01, now 04-01, shipped 05-01; b: now 04-10, shipped 06-09; c: now 07-01,
/// shipped 07-21; d: next 08-01, now 09-01; e: now 10-15 (all in 2026, team Growth).
fn repository(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], "2026-03-01", ANA);
    write(
        &repo,
        "org.yml",
        "people:\n  - {id: ana, name: Ana Lima}\nteams:\n  - {id: growth, name: Growth}\n",
    );
    let steps: &[(&str, &str, &str, &str)] = &[
        ("2026-03-01", "a", "later", ""),
        ("2026-04-01", "a", "now", ""),
        ("2026-04-10", "b", "now", ""),
        ("2026-05-01", "a", "shipped", "shipped: 2026-05-01\n"),
        ("2026-06-09", "b", "shipped", "shipped: 2026-06-09\n"),
        ("2026-07-01", "c", "now", ""),
        ("2026-07-21", "c", "shipped", "shipped: 2026-07-21\n"),
        ("2026-08-01", "d", "next", ""),
        ("2026-09-01", "d", "now", ""),
        ("2026-10-15", "e", "now", ""),
    ];
    for (day, id, status, extra) in steps {
        write(&repo, &format!("roadmap/{id}.md"), &item(status, extra));
        commit(&repo, day, ANA, &format!("{id} is {status}"));
    }
    repo
}

fn build(hb: &Path, out: &Path) -> String {
    let o = opsbook(hb)
        .args(["build", "--today", TODAY, "--out"])
        .arg(out)
        .output()
        .unwrap();
    let msg = text(&o, hb);
    assert_eq!(o.status.code(), Some(0), "{msg}");
    msg
}

#[test]
fn cycle_times_and_time_in_status_come_from_the_status_history() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path());
    let site = dir.path().join("site");
    build(&repo, &site);

    let flow = main_of(&page(&site, "flow.html"));
    // Q2: a 30 days, b 60 days → median 45, 85th percentile 55.5; Q3: c 20 days.
    assert!(
        flow.contains("<tr><th scope=\"row\">2026-Q2</th><td>2</td><td>45</td><td>55.5</td></tr>"),
        "{flow}"
    );
    assert!(
        flow.contains("<tr><th scope=\"row\">2026-Q3</th><td>1</td><td>20</td><td>20</td></tr>"),
        "{flow}"
    );
    assert!(flow.contains("<tr class=\"total\"><th scope=\"row\">All items</th><td>3</td><td>30</td><td>51</td></tr>"), "{flow}");
    assert!(flow.contains(r#"<tr><th scope="row"><a href="teams/growth.html">Growth</a></th><td>3</td><td>30</td><td>51</td></tr>"#), "{flow}");
    // d has been in Now since 09-01: 83 days, more than Growth's 51; e only 39.
    assert!(flow.contains(r#"<li><a href="roadmap/d.html">Item</a> <span class="muted">83 days in Now; 85th percentile of Growth: 51 days</span></li>"#), "{flow}");
    assert!(
        !flow.contains("roadmap/e.html\">Item</a> <span class=\"muted\">39"),
        "{flow}"
    );
    assert!(!flow.contains("approximate"), "{flow}");

    let a = main_of(&page(&site, "roadmap/a.html"));
    assert!(a.contains("<div><dt>Later</dt><dd>31 days</dd></div><div><dt>Now</dt><dd>30 days</dd></div><div><dt>Shipped</dt><dd>206 days</dd></div>"), "{a}");
    assert!(
        a.contains("Cycle time: 30 days, from Now on 2026-04-01 to Shipped on 2026-05-01."),
        "{a}"
    );

    // The export carries the same figures, and the CSV of roadmap items the cycle time.
    let out = opsbook(&repo)
        .args(["export", "roadmap-item", "--today", TODAY])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = json["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "a")
        .unwrap();
    assert_eq!(a["computed"]["cycle_time_days"], 30);
    assert_eq!(
        a["computed"]["time_in_status"],
        serde_json::json!({"later": 31, "now": 30, "shipped": 206})
    );
    assert_eq!(a["computed"]["flow_approximate"], false);
    let out = opsbook(&repo)
        .args([
            "export",
            "--format",
            "csv",
            "roadmap-item",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("b,Item,roadmap/b.md,shipped,") && l.ends_with(",,60")),
        "{csv}"
    );
}

#[test]
fn a_shallow_clone_marks_the_flow_approximate() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path());
    let url = format!("file://{}", repo.display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "2", &url, "clone"],
        TODAY,
        ANA,
    );
    let site = dir.path().join("site");
    build(&dir.path().join("clone"), &site);
    let flow = main_of(&page(&site, "flow.html"));
    assert!(
        flow.contains(
            r#"<span class="badge badge-warning">approximate</span> This clone's history is cut"#
        ),
        "{flow}"
    );
    // d was already in Now at the clone's first commit (09-01): its time there is a floor.
    let d = main_of(&page(&site, "roadmap/d.html"));
    assert!(
        d.contains("<div><dt>Now</dt><dd>about 83 days</dd></div>"),
        "{d}"
    );
    // e went to Now after the boundary: exact.
    let e = main_of(&page(&site, "roadmap/e.html"));
    assert!(e.contains("<div><dt>Now</dt><dd>39 days</dd></div>"), "{e}");
}
