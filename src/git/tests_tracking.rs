//! What the history reads from versions, as the kind specs say.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use super::*;
use crate::git::state::ItemState;

fn builtin() -> (Config, Tracking) {
    let cfg = Config::defaults(PathBuf::from("/hb"));
    let t = Tracking::new(&cfg);
    (cfg, t)
}

fn custom(kinds: &str) -> (Config, Tracking) {
    let root = PathBuf::from("/hb");
    let cfg = Config::parse(root.clone(), &root.join("opsbook.yml"), kinds).unwrap();
    let t = Tracking::new(&cfg);
    (cfg, t)
}

/// The values of a Markdown file as a document of `kind`.
fn read(t: &Tracking, kind: Kind, text: &str) -> ItemState {
    t.view(kind, &t.read_doc(text, &mut Memo::default()))
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn a_roadmap_item_tracks_status_target_owner_score_and_review() {
    let (_, t) = builtin();
    let s = read(
        &t,
        Kind::ROADMAP_ITEM,
        "\u{feff}---\ntitle: SSO\nstatus: now\nowner: person:ana\ntarget: 2026-Q4\ntheme: x\n\
         score:\n  rice: {reach: 100, impact: 2, confidence: 80%, effort: 3}\n---\n# SSO\n",
    );
    assert_eq!(s.title.as_deref(), Some("SSO"));
    assert_eq!(
        s.values,
        values(&[
            ("status", "now"),
            ("owner", "person:ana"),
            ("target", "2026-Q4"),
            ("score", "53.33"),
        ])
    );
}

#[test]
fn toml_frontmatter_is_tracked_like_yaml() {
    let (_, t) = builtin();
    let s = read(
        &t,
        Kind::ROADMAP_ITEM,
        "+++\ntitle = \"SSO\"\nstatus = \"now\"\nowner = \"person:ana\"\ntarget = \"2026-Q4\"\n+++\n# SSO\n",
    );
    assert_eq!(s.title.as_deref(), Some("SSO"));
    assert_eq!(
        s.values,
        values(&[
            ("status", "now"),
            ("owner", "person:ana"),
            ("target", "2026-Q4")
        ])
    );
    // A block that cannot be read has no values, as a broken YAML one.
    let broken = read(&t, Kind::ROADMAP_ITEM, "+++\nstatus = now\n+++\n");
    assert!(broken.values.is_empty());
}

#[test]
fn each_kind_shows_its_own_history_fields() {
    let (_, t) = builtin();
    let text = "---\ntitle: Sync\nstatus: active\nowner: pm\ntarget: 2026-Q4\nteam: core\n\
                last_reviewed: 2026-01-05\n---\n";
    let slots = t.read_doc(text, &mut Memo::default());
    // A process tracks owner and status (not a roadmap item's target), and its review date.
    assert_eq!(
        t.view(Kind::PROCESS, &slots).values,
        values(&[
            ("owner", "pm"),
            ("status", "active"),
            ("last_reviewed", "2026-01-05")
        ])
    );
    assert_eq!(
        t.view(Kind::CHARTER, &slots).values,
        values(&[("team", "core"), ("last_reviewed", "2026-01-05")])
    );
    // A page has no history fields: only its review date and title.
    let page = t.view(Kind::PAGE, &slots);
    assert_eq!(page.values, values(&[("last_reviewed", "2026-01-05")]));
    assert_eq!(page.title.as_deref(), Some("Sync"));
    // A person's title falls back to `name`; a roadmap item's does not.
    let slots = t.read_doc("---\nname: Ana\nstatus: leave\n---\n", &mut Memo::default());
    let person = t.view(Kind::PERSON, &slots);
    assert_eq!(
        (person.title.as_deref(), person.get("status")),
        (Some("Ana"), Some("leave"))
    );
    assert_eq!(t.view(Kind::ROADMAP_ITEM, &slots).title, None);
}

#[test]
fn custom_kinds_and_extended_builtins_track_what_their_spec_marks() {
    let (cfg, t) = custom(
        "kinds:\n  experiment:\n    fields:\n      \
         status: {type: enum, values: [planned, running, done], history: true}\n      \
         prs: {type: list, of: url, history: true}\n      \
         score: {type: number, history: true}\n      hypothesis: text\n  \
         roadmap-item:\n    fields:\n      \
         risk: {type: enum, values: [low, high], history: true}\n    \
         aliases: {quarter: target}\n",
    );
    let experiment = cfg.kinds.parse("experiment").unwrap();
    let s = read(
        &t,
        experiment,
        "---\nstatus: running\nprs: [https://a.example/1, https://a.example/2]\nscore: 7\n\
         hypothesis: it works\n---\n",
    );
    assert_eq!(
        s.values,
        values(&[
            ("status", "running"),
            ("prs", "https://a.example/1, https://a.example/2"),
            ("score", "7"),
        ])
    );
    // The same key, another kind: a roadmap item's `score` is a computed RICE score.
    let s = read(
        &t,
        Kind::ROADMAP_ITEM,
        "---\nstatus: now\nquarter: 2026-Q3\nrisk: high\nscore: 7\n---\n",
    );
    assert_eq!(
        s.values,
        values(&[("status", "now"), ("target", "2026-Q3"), ("risk", "high")])
    );
    // The field's own key wins over its alias.
    let s = read(
        &t,
        Kind::ROADMAP_ITEM,
        "---\nquarter: 2026-Q3\ntarget: 2026-Q4\n---\n",
    );
    assert_eq!(s.get("target"), Some("2026-Q4"));
    assert_eq!(cfg.kind_of_path("experiment/a.md"), experiment);
    assert!(t.tracks(&cfg, "experiment/a.md"));
    assert!(t.tracks(&cfg, "org.yml"));
    assert!(t.tracks(&cfg, "people/ana.md"));
    assert!(!t.tracks(&cfg, "guide.md"), "pages have no history");
    assert!(!t.tracks(&cfg, "experiment/notes.txt"));
    assert!(!t.tracks(&cfg, "../experiment/a.md"), "outside the root");
    assert_ne!(t.fingerprint(), builtin().1.fingerprint());
}

#[test]
fn key_results_are_tracked_one_value_per_key_result() {
    let (_, t) = builtin();
    let text = "---\ntitle: Activate\nstatus: active\nkey_results:\n  \
                - {id: activation, title: A, baseline: 20, target: 50, current: 38.0}\n  \
                - id: nps\n    current: 41.5\n  \
                - {id: retention, current: soon}\n  \
                - {title: no id, current: 3}\n  \
                - {id: activation, current: 99}\n---\n";
    let s = read(&t, Kind::OBJECTIVE, text);
    // `38.0` is `38`; a value that is not a number, an entry without an id and a repeated id
    // (the first is kept) track nothing.
    assert_eq!(
        s.values,
        values(&[
            ("status", "active"),
            ("key_results#activation", "38"),
            ("key_results#nps", "41.5"),
        ])
    );
    // Not a list: nothing.
    let s = read(&t, Kind::OBJECTIVE, "---\nkey_results: 3\n---\n");
    assert_eq!(s.values, values(&[]));
    // A change to one key result is a change of that key result alone.
    let before = read(&t, Kind::OBJECTIVE, &text.replace("41.5", "40"));
    let d = ItemState::diff(Some(&before), Some(&read(&t, Kind::OBJECTIVE, text)));
    assert_eq!(
        d.into_iter().collect::<Vec<_>>(),
        vec![(
            "key_results#nps".to_string(),
            [Some("40".to_string()), Some("41.5".to_string())]
        )]
    );
}

#[test]
fn only_tracked_keys_are_parsed_when_that_is_safe() {
    let keys: HashSet<String> = ["title", "status", "score"]
        .iter()
        .map(|k| k.to_string())
        .collect();
    let yaml = "title: SSO\ntags:\n- a\n- b\nstatus: now # soon done\nlinks:\n  - {title: x, url: y}\n\
                score:\n  rice:\n    reach: 10\n";
    assert_eq!(
        tracked_lines(yaml, &keys).as_deref(),
        Some("title: SSO\nstatus: now # soon done\nscore:\n  rice:\n    reach: 10\n")
    );
    assert_eq!(tracked_lines("base: &b x\nstatus: *b\n", &keys), None);
    assert_eq!(tracked_lines("{status: now}\n", &keys), None);
    // An alias into a dropped key would fail the short parse: the whole block is read.
    let (_, t) = builtin();
    let s = read(
        &t,
        Kind::ROADMAP_ITEM,
        "---\nowner: ana\nstatus: 'now'\n---\n",
    );
    assert_eq!(s.get("status"), Some("now"));
}

#[test]
fn unreadable_frontmatter_has_no_values() {
    let (_, t) = builtin();
    for text in [
        "no frontmatter",
        "---\nstatus: [\n---\n",
        "---\nstatus: now\n",
    ] {
        assert_eq!(
            read(&t, Kind::ROADMAP_ITEM, text),
            ItemState::default(),
            "{text}"
        );
    }
}
