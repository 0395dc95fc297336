//! Kinds as data through the real binary: a custom kind with every field type, an extended
//! built-in kind (a new field, an alias), and everything a kind gets from its spec: `check`
//! with exact positions and did-you-means, `schema`, `new --set`, `export` and the site.

use crate::support::{check_json, expect, fixture, opsbook, stderr, stdout};

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    opsbook(dir).args(args).output().unwrap()
}

#[test]
fn custom_kind_fields_are_checked_by_type_with_positions() {
    let hb = fixture("custom-kinds");
    let (code, found, json) = check_json(hb.path(), &["--no-git"]);
    assert_eq!(
        found,
        expect(&[
            ("experiments/broken.md", 1, 1, "field-required"),
            ("experiments/broken.md", 3, 9, "field-enum"),
            ("experiments/broken.md", 4, 8, "unresolved-ref"),
            ("experiments/broken.md", 5, 8, "field-date"),
            ("experiments/broken.md", 6, 14, "field-date"),
            ("experiments/broken.md", 7, 9, "field-period"),
            ("experiments/broken.md", 8, 11, "field-duration"),
            ("experiments/broken.md", 9, 9, "field-type"),
            ("experiments/broken.md", 10, 9, "field-type"),
            ("experiments/broken.md", 11, 9, "field-type"),
            ("experiments/broken.md", 12, 12, "field-type"),
            ("experiments/broken.md", 13, 10, "field-type"),
            ("experiments/broken.md", 14, 31, "field-type"),
            ("experiments/broken.md", 15, 11, "unresolved-ref"),
            ("experiments/broken.md", 16, 1, "unknown-field"),
            ("roadmap/billing.md", 5, 9, "field-enum"),
        ])
    );
    assert_eq!(code, 1);
    let help = |line: u64| {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == "experiments/broken.md" && d["line"] == line)
            .and_then(|d| d["help"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(help(3), "did you mean `running`?");
    assert_eq!(help(4), "did you mean `ana`?");
    assert!(help(1).contains("add `hypothesis:`"), "{}", help(1));
    let message = |line: u64| {
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == "experiments/broken.md" && d["line"] == line)
            .map(|d| d["message"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(message(1), "experiment has no `hypothesis`");
    assert_eq!(message(16), "`colour` is not a field of an experiment");
    assert!(message(15).contains("decision"), "{}", message(15));
}

#[test]
fn a_valid_custom_handbook_checks_clean_and_globs_and_aliases_apply() {
    let hb = fixture("custom-kinds");
    std::fs::remove_file(hb.path().join("experiments/broken.md")).unwrap();
    std::fs::remove_file(hb.path().join("roadmap/billing.md")).unwrap();
    let (code, found, _) = check_json(hb.path(), &["--no-git"]);
    assert_eq!((code, found), (0, vec![]));
    let out = run(hb.path(), &["export", "--no-git", "--today", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = |path: &str| {
        json["docs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == path)
            .cloned()
            .unwrap_or_else(|| panic!("{path} not exported"))
    };
    let e = doc("experiments/onboarding-email.md");
    assert_eq!(e["kind"], "experiment");
    assert_eq!(e["fields"]["sample"], 4000);
    assert_eq!(e["fields"]["prs"][1], "https://git.example.com/pr/2");
    assert_eq!(e["freshness"]["state"], "fresh");
    // Kind by glob, nested folders included.
    assert_eq!(doc("decisions/2026/use-flags.md")["kind"], "decision");
    // The alias is read as `target`: the item is not reported and has a target.
    assert_eq!(doc("roadmap/sso.md")["fields"]["quarter"], "2026-Q4");
}

#[test]
fn schema_describes_custom_and_extended_kinds() {
    let hb = fixture("custom-kinds");
    let out = run(hb.path(), &["schema", "experiment"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        s["properties"]["status"]["enum"],
        serde_json::json!(["planned", "running", "done"])
    );
    assert_eq!(
        s["required"],
        serde_json::json!(["status", "owner", "hypothesis"])
    );
    assert_eq!(s["properties"]["sample"]["type"], "integer");
    let out = run(hb.path(), &["schema", "roadmap-item"]);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(s["properties"]["health"]["enum"].is_array());
    assert_eq!(s["properties"]["quarter"], s["properties"]["target"]);
    let out = run(hb.path(), &["schema", "experimnt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `experiment`?"));
    let out = run(hb.path(), &["schema", "--format", "markdown"]);
    let text = stdout(&out);
    assert!(text.contains("## Experiment (`experiment`)"), "{text}");
    assert!(text.contains("| `prs` | list of url |"), "{text}");
    assert!(text.contains("- `quarter` is read as `target`"), "{text}");
}

#[test]
fn new_writes_any_kind_with_set_fields_checked() {
    let hb = fixture("custom-kinds");
    std::fs::remove_file(hb.path().join("experiments/broken.md")).unwrap();
    std::fs::remove_file(hb.path().join("roadmap/billing.md")).unwrap();
    let out = run(
        hb.path(),
        &[
            "new",
            "experiment",
            "pricing-page",
            "--set",
            "owner=growth",
            "--set",
            "hypothesis=A shorter page sells more",
            "--set",
            "prs=[https://git.example.com/pr/9]",
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("experiments/pricing-page.md"));
    let text = std::fs::read_to_string(hb.path().join("experiments/pricing-page.md")).unwrap();
    assert!(text.contains("status: planned"), "{text}");
    assert!(text.contains("owner: growth\n"), "{text}");
    assert!(text.contains("last_reviewed: 2026-11-23"), "{text}");
    let (code, found, _) = check_json(hb.path(), &["--no-git"]);
    assert_eq!((code, found), (0, vec![]));

    // A built-in kind starts valid with `--set` instead of a `TODO-owner`.
    let out = run(
        hb.path(),
        &[
            "new",
            "roadmap-item",
            "sso-okta",
            "--set",
            "owner=ana",
            "--set",
            "health=on-track",
            "--set",
            "quarter=2027-Q1",
            "--set",
            "status=next",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(hb.path().join("roadmap/sso-okta.md")).unwrap();
    assert!(
        text.contains("owner: ana\n") && !text.contains("TODO-owner"),
        "{text}"
    );
    assert!(text.contains("target: 2027-Q1"), "{text}");
    let (code, found, _) = check_json(hb.path(), &["--no-git"]);
    assert_eq!((code, found), (0, vec![]));

    // Wrong field, wrong value, unknown reference: usage errors, nothing written.
    for (set, said) in [
        ("helth=ok", "did you mean `health`?"),
        ("health=great", "not one of on-track, at-risk, off-track"),
        ("owner=anna", "did you mean `ana`?"),
        ("target=2027-Q9", "not a period"),
        ("owner", "write FIELD=VALUE"),
    ] {
        let out = run(hb.path(), &["new", "roadmap-item", "x-y", "--set", set]);
        assert_eq!(out.status.code(), Some(2), "{set}");
        assert!(stderr(&out).contains(said), "{set}: {}", stderr(&out));
        assert!(!hb.path().join("roadmap/x-y.md").exists());
    }
}

#[test]
fn new_registry_entries_go_to_org_yml_when_the_handbook_keeps_them_there() {
    let hb = fixture("custom-kinds");
    std::fs::remove_dir_all(hb.path().join("people")).unwrap();
    std::fs::remove_file(hb.path().join("experiments/broken.md")).unwrap();
    std::fs::remove_file(hb.path().join("roadmap/billing.md")).unwrap();
    hb.write(
        "org.yml",
        "# Who is who\npeople:\n  - id: ana\n    name: Ana Lima\n\nroles: []\n",
    );
    let out = run(
        hb.path(),
        &["new", "person", "bo-chen", "--set", "teams=[growth]"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("org.yml"), "{}", stdout(&out));
    let out = run(
        hb.path(),
        &[
            "new",
            "role",
            "pm",
            "--set",
            "responsibilities=[the roadmap]",
            "--today",
            "2026-11-23",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(hb.path().join("org.yml")).unwrap(),
        "# Who is who\npeople:\n  - id: ana\n    name: Ana Lima\n  - id: bo-chen\n    name: Bo Chen\n    teams: [growth]\n\nroles:\n  - id: pm\n    title: Pm\n    responsibilities: [the roadmap]\n    last_reviewed: 2026-11-23\n"
    );
    let (code, found, _) = check_json(hb.path(), &["--no-git"]);
    assert_eq!((code, found), (0, vec![]));
    let out = run(hb.path(), &["new", "person", "bo-chen"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"));
}

#[test]
fn the_site_has_pages_for_custom_kinds_and_reverse_links() {
    let hb = fixture("custom-kinds");
    std::fs::remove_file(hb.path().join("experiments/broken.md")).unwrap();
    std::fs::remove_file(hb.path().join("roadmap/billing.md")).unwrap();
    let out = run(hb.path(), &["build", "--no-git", "--today", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let site = hb.path().join("site");
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let index = read("experiment/index.html");
    assert!(
        index.contains(
            "<th scope=\"col\">Status</th><th scope=\"col\">Owner</th><th scope=\"col\">Start</th>"
        ),
        "{index}"
    );
    assert!(index.contains("onboarding-email.html"), "{index}");
    assert!(index.contains("2026-10-01"));
    let page = read("experiment/onboarding-email.html");
    for s in [
        "A welcome email lifts week-1 activation by 5%.",
        "href=\"https://metrics.example.com/onboarding\"",
        "href=\"../decision/use-flags.html\"",
        "href=\"../people/ana.html\"",
        "2026-10-01T09:30:00Z",
    ] {
        assert!(page.contains(s), "{s}: {page}");
    }
    // The person page lists what custom fields point at them; the decision page too.
    let person = read("people/ana.html");
    assert!(person.contains("Experiments (owner)"), "{person}");
    assert!(person.contains("../experiment/onboarding-email.html"));
    assert!(read("decision/use-flags.html").contains("Experiments (decision)"));
    // An added field shows on a built-in kind's page (and a built-in one declared again keeps
    // working); nav and home know the new kinds.
    let sso = read("roadmap/sso.html");
    assert!(
        sso.contains("enterprise") && sso.contains("At risk"),
        "{sso}"
    );
    let home = read("index.html");
    assert!(home.contains("experiment/index.html") && home.contains("decision/index.html"));
}

/// A generated handbook of 2,000 documents, 200 of them of a custom kind: `check` is clean and
/// `build` writes a page for every one of them, with the custom kind's index listing all 200.
#[test]
fn a_large_generated_handbook_with_a_custom_kind() {
    let hb = crate::support::empty();
    hb.write(
        "opsbook.yml",
        "title: Generated\nrules: {orphan-page: off}\nkinds:\n  experiment:\n    folder: experiments\n    fields:\n      status: {type: enum, values: [planned, running, done], required: true}\n      owner: {type: ref, to: [person], required: true}\n      metric: {type: string}\n    columns: [status, owner]\n",
    );
    for p in 0..20 {
        hb.write(
            &format!("people/p{p}.md"),
            &format!("---\nname: Person {p}\n---\n"),
        );
    }
    for e in 0..200 {
        hb.write(
            &format!("experiments/e{e}.md"),
            &format!(
                "---\ntitle: Experiment {e}\nstatus: {}\nowner: p{}\nmetric: m{e}\n---\n\nSee [the guide](../guides/g{e}.md).\n",
                ["planned", "running", "done"][e % 3],
                e % 20
            ),
        );
    }
    for g in 0..1780 {
        hb.write(
            &format!("guides/g{g}.md"),
            &format!("# Guide {g}\n\nBy [someone](person:p{}).\n", g % 20),
        );
    }
    let (code, found, json) = check_json(hb.path(), &["--no-git"]);
    assert_eq!((code, found), (0, vec![]));
    assert_eq!(json["files"].as_u64(), Some(2000));
    let out = run(hb.path(), &["build", "--no-git", "--today", "2026-11-23"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let site = hb.path().join("site");
    let index = std::fs::read_to_string(site.join("experiment/index.html")).unwrap();
    assert_eq!(index.matches("<tr><th scope=\"row\">").count(), 200);
    for e in [0, 99, 199] {
        assert!(site.join(format!("experiment/e{e}.html")).is_file());
    }
    let person = std::fs::read_to_string(site.join("people/p7.html")).unwrap();
    assert_eq!(person.matches("../experiment/e").count(), 10, "{person}");
}

/// A mistake in `kinds:` stops every command with exit 2 at its place in `opsbook.yml`, with a
/// did-you-mean, before any document is read.
#[test]
fn a_bad_kind_declaration_stops_the_run_with_its_position() {
    let hb = crate::support::empty();
    hb.write(
        "opsbook.yml",
        "title: X\nkinds:\n  experiment:\n    fields:\n      owner: {type: ref, to: [persn]}\n",
    );
    for args in [
        &["check"][..],
        &["build"],
        &["schema"],
        &["new", "page", "a"],
    ] {
        let out = run(hb.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("opsbook.yml:5:31") && err.contains("`persn` is not a kind"),
            "{args:?}: {err}"
        );
        assert!(err.contains("did you mean `person`?"), "{err}");
    }
}
