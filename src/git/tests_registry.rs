//! Reading versions of `org.yml`: entries per list and id, cut out of the text when its layout
//! allows, parsed whole otherwise, with the same answer.

use std::path::PathBuf;

use super::*;
use crate::config::Config;
use crate::kind::Kind;

fn tracking() -> Tracking {
    Tracking::new(&Config::defaults(PathBuf::from("/hb")))
}

/// The entries of `text`, through the cut (with a memo that has seen `before`) and whole;
/// asserts both agree, and says whether the text could be cut.
fn read(t: &Tracking, text: &str) -> (Vec<Arc<Entry>>, bool) {
    let mut memo = Memo::default();
    let got = t.read_registry(text, &mut memo);
    let mut seen = HashSet::new();
    let whole: Vec<Arc<Entry>> = t
        .whole(text)
        .into_iter()
        .filter(|e| seen.insert((e.list, e.id.clone())))
        .collect();
    assert_eq!(got, whole, "{text}");
    (got, t.items(text).is_some())
}

#[test]
fn entries_are_read_per_list_and_id_with_a_digest_of_the_whole_entry() {
    let t = tracking();
    let org = "people:\n  - id: ana\n    name: Ana\n    status: leave\n  - id: bo\n    name: Bo\n  \
               - id: ana\n    name: Second Ana\n  - just text\nroles:\n  - id: pm\n    title: PM\n    \
               responsibilities: [Plans]\nteams:\n  - id: core\n    lead: ana\n";
    let (entries, cut) = read(&t, org);
    assert!(cut);
    let ids: Vec<(Option<Kind>, &str)> = entries
        .iter()
        .map(|e| (t.list(e.list), e.id.as_str()))
        .collect();
    // Roles have no history field; the first of two entries with one id counts.
    assert_eq!(
        ids,
        vec![
            (Some(Kind::PERSON), "ana"),
            (Some(Kind::PERSON), "bo"),
            (Some(Kind::TEAM), "core"),
        ]
    );
    let ana = t.view(Kind::PERSON, &entries[0].slots);
    assert_eq!(
        (ana.title.as_deref(), ana.get("status")),
        (Some("Ana"), Some("leave"))
    );
    assert_eq!(
        t.view(Kind::TEAM, &entries[2].slots).get("lead"),
        Some("ana")
    );
    // Layout and comments are no change; a value is, tracked or not.
    let (relaid, cut) = read(
        &t,
        "people:\n- {id: ana, name: Ana, status: leave}  # on leave\n- id: bo\n  name: Bo\n",
    );
    assert!(cut);
    assert_eq!(relaid[0].digest, entries[0].digest);
    assert_eq!(relaid[1].digest, entries[1].digest);
    let (emailed, _) = read(
        &t,
        "people:\n  - id: bo\n    name: Bo\n    email: bo@x.example\n",
    );
    assert_ne!(emailed[0].digest, entries[1].digest);
    assert!(read(&t, "people: [").0.is_empty());
    assert!(read(&t, "- a list\n").0.is_empty());
}

/// Every layout gives what parsing the whole file gives; the plain ones are cut.
#[test]
fn cut_or_whole_the_entries_are_the_same() {
    let t = tracking();
    let cut = [
        "",
        "# only a comment\n",
        "title: x\npeople:\n  - id: ana\n    status: leave\n",
        "people:\n- id: ana\n  status: leave\n# between\n- id: bo\n",
        "people: # the people\n  -\n    id: ana\n    status: leave\n",
        "people:\n  - id: ana\n    bio: |\n      # not a comment\n\n        indented\n    status: left\n",
        "people:\n  - id: ana\n    status: leave\n# a comment at the top\n  - id: bo\n",
        "people:\n  - id: ana\n    bio: |\n      a\n        \n      b\n    status: left\n",
        "people:\r\n  - id: ana\r\n    status: leave\r\n",
        "people:\n  - id: ana\n    roles:\n      - pm\n      - lead\n    status: active\n",
        "notes: |\n  people:\n    - id: fake\npeople:\n  - id: ana\n",
        "people:\n  - &a {id: ana, status: leave}\n  - id: bo\n",
        "people:\n  - id: ana\n    note: R&D * 2 !\n",
    ];
    for text in cut {
        assert!(read(&t, text).1, "cut: {text:?}");
    }
    let whole = [
        "---\npeople:\n  - id: ana\n",
        "{people: [{id: ana, status: leave}]}\n",
        "people: [{id: ana}]\n",
        "people:\n  ana:\n    status: leave\n",
        "people:\n  - id: ana\n people2: x\n",
        "people:\n  - id: ana\npeople:\n  - id: bo\n",
        "people:\n\t- id: ana\n",
        "\"people\":\n  - id: ana\n",
        "  people:\n  - id: ana\n",
        "people:\n  - id: ana\n  x: 1\n",
    ];
    for text in whole {
        assert!(!read(&t, text).1, "whole: {text:?}");
    }
    // Cut, an error outside the tracked lists costs nothing (parsed whole, it costs all).
    let broken = "people:\n  - id: ana\n    status: leave\nroles:\n  - id: pm\n    x: [\n";
    assert_eq!(t.read_registry(broken, &mut Memo::default()).len(), 1);
    assert!(t.whole(broken).is_empty());
    // An alias to an anchor in another entry: that entry is read from the whole text.
    let text = "people:\n  - &a {id: ana, status: leave}\n  - {id: bo, status: *a}\n";
    let (entries, _) = read(&t, text);
    assert_eq!(entries.len(), 2);
    let text = "defaults: &d leave\npeople:\n  - id: ana\n    status: *d\n";
    let (entries, _) = read(&t, text);
    assert_eq!(
        t.view(Kind::PERSON, &entries[0].slots).get("status"),
        Some("leave")
    );
}

/// An entry that did not change is parsed once, whatever the version.
#[test]
fn unchanged_entries_are_parsed_once() {
    let t = tracking();
    let mut memo = Memo::default();
    let v1 = "people:\n  - id: ana\n    status: active\n  - id: bo\n";
    let v2 = "people:\n  - id: ana\n    status: leave\n  - id: bo\n";
    let a = t.read_registry(v1, &mut memo);
    let b = t.read_registry(v2, &mut memo);
    assert!(Arc::ptr_eq(&a[1], &b[1]), "bo's entry is shared");
    assert!(!Arc::ptr_eq(&a[0], &b[0]));
    assert_eq!(memo.entries[&0].len(), 3);
}
