//! Histories read from the kind specs, over real repositories: a custom kind's fields, the
//! entries of `org.yml`, people in their own files, a file moved across kinds, and what a
//! blobless clone cannot tell.

use std::path::Path;

use super::tests::{TestRepo, clone, item};
use super::tests_clones::{ANA, BO, CY, body};
use super::*;
use crate::kind::Kind;

const KINDS: &str = "kinds:\n  experiment:\n    folder: experiments\n    fields:\n      \
                     status: {type: enum, values: [planned, running, done], history: true}\n      \
                     owner: {type: ref, to: [person], history: true}\n      \
                     hypothesis: text\n";

fn facts_with(root: &Path, config: &str) -> Facts {
    let cfg = Config::parse(root.to_path_buf(), &root.join("opsbook.yml"), config).unwrap();
    let repo = Repo::open(root).unwrap().expect("a repository");
    repo.facts(&cfg, &ReadOptions::default()).unwrap()
}

fn experiment(status: &str, hypothesis: &str) -> String {
    format!(
        "---\ntitle: Onboarding email\nstatus: {status}\nowner: ana\nhypothesis: {hypothesis}\n---\n"
    )
}

/// `(date, event, changes as "field: before → after")` of each entry.
fn seen(h: &[HistoryEntry]) -> Vec<(String, Event, Vec<String>)> {
    let or = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    h.iter()
        .map(|e| {
            let changes = e
                .changes
                .iter()
                .map(|(f, [a, b])| format!("{f}: {} → {}", or(a), or(b)))
                .collect();
            (e.commit.date.to_string(), e.event, changes)
        })
        .collect()
}

fn s(x: &str) -> String {
    x.to_string()
}

#[test]
fn a_custom_kind_has_the_history_its_spec_marks() {
    let r = TestRepo::new();
    r.write("opsbook.yml", KINDS);
    r.write("experiments/onboarding.md", &experiment("planned", "a"));
    r.commit("2026-01-05", ANA);
    // The hypothesis is not tracked: a commit, no change.
    r.write("experiments/onboarding.md", &experiment("planned", "b"));
    r.commit("2026-02-10", BO);
    r.write("experiments/onboarding.md", &experiment("running", "b"));
    r.commit("2026-03-02", CY);
    let f = facts_with(&r.path(), KINDS);
    let h = f.history_of("experiments/onboarding.md");
    assert_eq!(
        seen(h),
        vec![
            (
                s("2026-01-05"),
                Event::Added,
                vec![s("owner: - → ana"), s("status: - → planned")]
            ),
            (s("2026-02-10"), Event::Modified, vec![]),
            (
                s("2026-03-02"),
                Event::Modified,
                vec![s("status: planned → running")]
            ),
        ]
    );
    let experiment = Kind::named("experiment");
    assert!(h.iter().all(|e| e.kind == experiment));
    assert_eq!(
        h[2].state.as_ref().and_then(|s| s.title.as_deref()),
        Some("Onboarding email")
    );
    // Without the kind, the folder holds pages: no history.
    assert!(facts_at_default(&r.path()).history.is_empty());
}

fn facts_at_default(root: &Path) -> Facts {
    facts_with(root, "")
}

/// A person's status, in `org.yml` and in a file of its own: an entry's history has only the
/// commits that changed that entry.
#[test]
fn registry_entries_have_their_own_history() {
    let r = TestRepo::new();
    let org = |ana: &str, bo: &str, lead: &str| {
        format!(
            "people:\n  - id: ana\n    name: Ana\n    status: {ana}\n  - id: bo\n    name: Bo\n{bo}\
             roles:\n  - id: pm\n    title: PM\n    responsibilities: [Plans]\n\
             teams:\n  - id: core\n    name: Core\n    lead: {lead}\n"
        )
    };
    r.write("org.yml", &org("active", "", "ana"));
    r.write("people/cy.md", "---\nname: Cy\nstatus: active\n---\n");
    r.commit("2026-01-05", ANA);
    r.write("org.yml", &org("leave", "", "ana"));
    r.commit("2026-02-10", BO);
    // Bo's email: a change of Bo's entry only. The role is not tracked.
    r.write(
        "org.yml",
        &org("leave", "    email: bo@example.com\n", "ana").replace("[Plans]", "[Plans, Ships]"),
    );
    r.write("people/cy.md", "---\nname: Cy\nstatus: left\n---\n");
    r.commit("2026-03-02", CY);
    r.write(
        "org.yml",
        "# The registry\npeople:\n- {id: ana, name: Ana, status: leave}\n\
         teams:\n- {id: core, name: Core, lead: bo}\n",
    );
    r.commit("2026-04-01", ANA);
    let f = facts_at_default(&r.path());
    assert_eq!(
        f.registry.keys().collect::<Vec<_>>(),
        ["person:ana", "person:bo", "team:core"]
    );
    assert!(f.history_of("org.yml").is_empty(), "not the file's history");
    assert_eq!(
        seen(&f.registry["person:ana"]),
        vec![
            (s("2026-01-05"), Event::Added, vec![s("status: - → active")]),
            (
                s("2026-02-10"),
                Event::Modified,
                vec![s("status: active → leave")]
            ),
        ],
        "laid out anew on 2026-04-01, the same values"
    );
    assert_eq!(
        seen(&f.registry["person:bo"]),
        vec![
            (s("2026-01-05"), Event::Added, vec![]),
            (s("2026-03-02"), Event::Modified, vec![]),
            (s("2026-04-01"), Event::Removed, vec![]),
        ]
    );
    assert_eq!(
        seen(&f.registry["team:core"]),
        vec![
            (s("2026-01-05"), Event::Added, vec![s("lead: - → ana")]),
            (s("2026-04-01"), Event::Modified, vec![s("lead: ana → bo")]),
        ]
    );
    let core = &f.registry["team:core"][1];
    assert_eq!((core.kind, core.path.as_str()), (Kind::TEAM, "org.yml"));
    assert_eq!(core.state.as_ref().unwrap().title.as_deref(), Some("Core"));
    assert_eq!(f.history_of_doc("org.yml", "team:core").len(), 2);
    assert_eq!(
        seen(f.history_of("people/cy.md")),
        vec![
            (s("2026-01-05"), Event::Added, vec![s("status: - → active")]),
            (
                s("2026-03-02"),
                Event::Modified,
                vec![s("status: active → left")]
            ),
        ]
    );
}

/// Each version shows the fields of the kind at its path: a page that becomes an experiment,
/// an experiment that becomes a roadmap item.
#[test]
fn a_file_moved_across_kinds_shows_each_version_as_its_kind() {
    let r = TestRepo::new();
    r.write("opsbook.yml", KINDS);
    let text = format!(
        "---\ntitle: Idea\nstatus: planned\nowner: ana\n---\n{}",
        body("Idea")
    );
    r.write("ideas/idea.md", &text);
    r.commit("2026-01-05", ANA);
    std::fs::create_dir_all(r.path().join("experiments")).unwrap();
    r.git(&["mv", "ideas/idea.md", "experiments/idea.md"]);
    r.commit("2026-02-10", BO);
    std::fs::create_dir_all(r.path().join("roadmap")).unwrap();
    r.git(&["mv", "experiments/idea.md", "roadmap/idea.md"]);
    r.write(
        "roadmap/idea.md",
        &text.replace("status: planned", "status: next\ntarget: 2026-Q3"),
    );
    r.commit("2026-03-02", CY);
    let f = facts_with(&r.path(), KINDS);
    let h = f.history_of("roadmap/idea.md");
    assert_eq!(
        seen(h),
        vec![
            (
                s("2026-02-10"),
                Event::Renamed,
                vec![s("owner: - → ana"), s("status: - → planned")]
            ),
            (
                s("2026-03-02"),
                Event::Renamed,
                vec![s("status: planned → next"), s("target: - → 2026-Q3")]
            ),
        ],
        "a page has no history: its creation is not tracked, its move out is"
    );
    assert_eq!(
        (h[0].kind, h[1].kind),
        (Kind::named("experiment"), Kind::ROADMAP_ITEM)
    );
}

/// In a blobless clone the old versions of `org.yml` are missing: the entries the checked-out
/// version has are shown at each change of the file, without values, and said so.
#[test]
fn a_blobless_clone_cannot_tell_which_entries_changed() {
    let r = TestRepo::new();
    r.git(&["config", "uploadpack.allowFilter", "true"]);
    r.write("org.yml", "people:\n  - id: ana\n    status: active\n");
    r.write("roadmap/a.md", &item("later", ""));
    r.commit("2026-01-05", ANA);
    r.write("org.yml", "people:\n  - id: ana\n    status: leave\n");
    r.commit("2026-02-10", BO);
    r.write("org.yml", "people:\n  - id: ana\n    status: left\n");
    r.commit("2026-03-02", CY);
    let full = facts_at_default(&r.path());
    assert_eq!(full.registry["person:ana"].len(), 3);
    let dir = clone(&r, &["--filter=blob:none", "--no-local"]);
    let f = facts_at_default(&dir.path().join("c"));
    let ana = &f.registry["person:ana"];
    let when: Vec<_> = ana
        .iter()
        .map(|e| (e.commit.date.to_string(), e.unavailable, e.changes.len()))
        .collect();
    // The first version is missing and so is the second: the change between them names no
    // entry; the last change is shown, without values.
    assert_eq!(when, [(s("2026-03-02"), true, 0)]);
    assert!(f.missing.versions >= 2, "{:?}", f.missing);
    assert_eq!(f.notices().len(), 1);
}

/// The cache keeps the values of versions per blob, for what the kind specs track: a warm pass
/// gives the cold answer, also after `kinds:` reads a field under another key (as many values
/// per version, other values).
#[test]
fn cached_values_follow_the_kinds_of_the_config() {
    let r = TestRepo::new();
    let kinds = KINDS.replace(
        "hypothesis: text",
        "hypothesis: {type: text, history: true}",
    );
    let doc = |status: &str, guess: &str| {
        format!("---\ntitle: Onboarding email\nstatus: {status}\nguess: {guess}\n---\n")
    };
    r.write("opsbook.yml", &kinds);
    r.write("experiments/onboarding.md", &doc("planned", "a"));
    r.write("org.yml", "people:\n  - id: ana\n    status: active\n");
    r.commit("2026-01-05", ANA);
    r.write("experiments/onboarding.md", &doc("running", "b"));
    r.write("org.yml", "people:\n  - id: ana\n    status: leave\n");
    r.commit("2026-02-10", BO);
    let cache = r.path().join(".git/opsbook");
    let cold = |config: &str| {
        let _ = std::fs::remove_dir_all(&cache);
        let f = facts_with(&r.path(), config);
        std::fs::remove_dir_all(&cache).unwrap();
        f
    };
    let same = |a: &Facts, b: &Facts| {
        assert_eq!(a.files, b.files);
        assert_eq!(a.history, b.history);
        assert_eq!(a.registry, b.registry);
    };
    let want = cold(&kinds);
    for _ in 0..2 {
        same(&facts_with(&r.path(), &kinds), &want);
    }
    assert!(cache.is_dir());
    let aliased = format!("{kinds}    aliases: {{guess: hypothesis}}\n");
    let want_aliased = cold(&aliased);
    facts_with(&r.path(), &kinds);
    for _ in 0..2 {
        same(&facts_with(&r.path(), &aliased), &want_aliased);
    }
    let changes = |f: &Facts| f.history_of("experiments/onboarding.md")[1].changes.clone();
    assert_eq!(
        changes(&want_aliased)["hypothesis"],
        [Some(s("a")), Some(s("b"))]
    );
    assert!(!changes(&want).contains_key("hypothesis"));
    assert_eq!(want.registry, want_aliased.registry);
}
