//! What a clone lacks, over real repositories: missing objects (a blobless clone, a deleted
//! blob, a missing commit or tree), damaged objects, and where an early-stopping pass stops.

use std::path::Path;
use std::process::{Command, Stdio};

use super::tests::{TestRepo, cfg, clone, facts_at, git_in, item};
use super::*;
use jiff::civil::Date;

pub(super) const ANA: &str = "Ana <ana@example.com>";
pub(super) const BO: &str = "Bo <bo@example.com>";
pub(super) const CY: &str = "Cy <cy@example.com>";

pub(super) fn date(s: &str) -> Date {
    crate::values::parse_date(s).unwrap()
}

/// Enough text that a move with a small edit is still found by similarity.
pub(super) fn body(tag: &str) -> String {
    format!(
        "\n{tag}\n\n{}",
        "A paragraph that stays the same.\n".repeat(12)
    )
}

/// Items whose statuses move, and `roadmap/b.md` moved with edits to `roadmap/b2.md`.
fn moved_with_edits() -> TestRepo {
    let r = TestRepo::new();
    r.write("roadmap/a.md", &(item("later", "") + &body("A")));
    r.write("roadmap/b.md", &(item("later", "") + &body("B")));
    r.write("processes/p.md", "---\ntitle: P\nowner: ana\n---\n# P\n");
    r.commit("2026-01-05", ANA);
    r.write("roadmap/a.md", &(item("next", "") + &body("A")));
    r.commit("2026-02-10", BO);
    r.git(&["mv", "roadmap/b.md", "roadmap/b2.md"]);
    r.write("roadmap/b2.md", &(item("next", "") + &body("B, edited")));
    r.commit("2026-03-02", CY);
    r.write("roadmap/a.md", &(item("now", "") + &body("A")));
    r.commit("2026-04-01", ANA);
    r
}

fn blob_at(r: &TestRepo, rev_path: &str) -> String {
    r.git(&["rev-parse", rev_path]).trim().to_string()
}

/// Remove a loose object.
fn delete_loose(root: &Path, id: &str) {
    std::fs::remove_file(root.join(".git/objects").join(&id[..2]).join(&id[2..])).unwrap();
}

/// `git ARGS` in `dir`, with `input` on standard input.
fn git_with_input(dir: &Path, args: &[&str], input: &[u8]) {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    assert!(child.wait().unwrap().success(), "git {args:?}");
}

/// The packs of a repository.
fn packs(root: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(root.join(".git/objects/pack"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

/// Every object loose, except `id`, which is gone.
fn loose_without(root: &Path, id: &str) {
    let old = packs(root);
    let data: Vec<Vec<u8>> = old
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pack"))
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    for p in old {
        std::fs::remove_file(p).unwrap();
    }
    for pack in data {
        git_with_input(root, &["unpack-objects", "-q"], &pack);
    }
    delete_loose(root, id);
}

/// Every object in one pack, except `id`.
fn packed_without(root: &Path, id: &str) {
    let old = packs(root);
    let objects = git_in(root, &["rev-list", "--objects", "--all"], "2026-01-01", ANA);
    let keep: String = objects
        .lines()
        .filter_map(|l| l.split(' ').next())
        .filter(|o| *o != id)
        .map(|o| format!("{o}\n"))
        .collect();
    git_with_input(
        root,
        &["pack-objects", "-q", ".git/objects/pack/pack"],
        keep.as_bytes(),
    );
    for p in old {
        std::fs::remove_file(p).unwrap();
    }
}

/// Dates and authors of every file (last and created), and commit counts.
fn dates(f: &Facts) -> Vec<(String, String, String, String, u32)> {
    f.files
        .iter()
        .map(|(p, x)| {
            (
                p.clone(),
                x.last.id.clone(),
                x.last.author.clone(),
                x.created.id.clone(),
                x.commits,
            )
        })
        .collect()
}

#[test]
fn a_blobless_clone_gives_exact_dates_and_says_what_it_lacks() {
    let r = moved_with_edits();
    r.git(&["config", "uploadpack.allowFilter", "true"]);
    let full = facts_at(&r.path());
    assert_eq!(full.files["roadmap/b2.md"].created.date, date("2026-01-05"));
    let dir = clone(&r, &["--filter=blob:none", "--no-local"]);
    let root = dir.path().join("c");
    let f = facts_at(&root);
    // Commits and trees are there: every date and author is the full clone's, except the
    // creation of the file moved with edits, which needs the old content to be found.
    let unsure = |d: &Vec<(String, String, String, String, u32)>| -> Vec<_> {
        d.iter()
            .filter(|x| x.0 != "roadmap/b2.md")
            .cloned()
            .collect()
    };
    assert_eq!(unsure(&dates(&f)), unsure(&dates(&full)));
    assert!(!f.history_cut() && f.missing.cut.is_none());
    let b2 = &f.files["roadmap/b2.md"];
    assert_eq!(b2.last, full.files["roadmap/b2.md"].last);
    assert!(b2.approximate, "its creation may be older");
    assert!(!f.files["roadmap/a.md"].approximate);
    assert_eq!(
        f.missing.unsure.iter().collect::<Vec<_>>(),
        vec!["roadmap/b2.md"]
    );
    assert_eq!(f.missing.promisor.as_deref(), Some("origin"));
    // The values of old versions are unknown, and said so; the dates of the entries are not.
    let h = f.history_of("roadmap/a.md");
    assert!(h.iter().all(|e| e.unavailable && e.changes.is_empty()));
    let when: Vec<_> = h.iter().map(|e| e.commit.date.to_string()).collect();
    assert_eq!(when, ["2026-01-05", "2026-02-10", "2026-04-01"]);
    assert!(f.missing.versions >= 3);
    let old_a = blob_at(&r, "HEAD~3:roadmap/a.md");
    assert!(f.missing.objects.contains(&old_a));
    // Said once, with the fix.
    let notices = f.notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0].rule, crate::rules::Rule::MissingObjects);
    assert!(
        notices[0].message.contains("roadmap/b2.md")
            && notices[0].message.contains("(a partial clone)"),
        "{}",
        notices[0].message
    );
    assert!(
        notices[0]
            .help
            .contains("`git fetch --refetch --no-filter origin`"),
        "{}",
        notices[0].help
    );
    // The fix works: afterwards the clone gives the full clone's facts.
    git_in(
        &root,
        &["fetch", "-q", "--refetch", "--no-filter", "origin"],
        "2026-05-01",
        ANA,
    );
    let fetched = facts_at(&root);
    assert_eq!(fetched.files, full.files);
    assert_eq!(fetched.history, full.history);
    assert!(fetched.notices().is_empty());
}

/// A blob deleted from a full clone costs what a blobless clone's does, and is said to be
/// damage: loose or packed, the same facts.
#[test]
fn a_deleted_blob_costs_only_what_needs_it() {
    let origin = moved_with_edits();
    let full = facts_at(&origin.path());
    let gone = blob_at(&origin, "HEAD~3:roadmap/b.md");
    for packed in [false, true] {
        // A copy of its own (that never had a cache).
        let dir = clone(&origin, &["--no-local"]);
        let root = dir.path().join("c");
        if packed {
            packed_without(&root, &gone);
        } else {
            loose_without(&root, &gone);
        }
        let f = facts_at(&root);
        assert_eq!(f.files["roadmap/a.md"], full.files["roadmap/a.md"]);
        assert_eq!(f.history["roadmap/a.md"], full.history["roadmap/a.md"]);
        let b2 = &f.files["roadmap/b2.md"];
        assert_eq!(b2.last, full.files["roadmap/b2.md"].last);
        assert!(b2.approximate);
        assert_eq!(b2.created.date, date("2026-03-02"));
        assert_eq!(f.missing.objects.iter().collect::<Vec<_>>(), vec![&gone]);
        assert_eq!(f.missing.promisor, None);
        let notices = f.notices();
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(
            notices[0].help.contains("`git fsck`"),
            "{}",
            notices[0].help
        );
        assert!(notices[0].help.contains(&gone[..12]), "{}", notices[0].help);
        // No cache keeps what a damaged repository cannot show again: warm is cold.
        let again = facts_at(&root);
        assert_eq!(again.files, f.files, "packed: {packed}");
        assert_eq!(again.missing, f.missing);
    }
}

#[test]
fn a_missing_commit_cuts_the_history_there_only() {
    let r = moved_with_edits();
    let cut = r.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    let gone = r.git(&["rev-parse", "HEAD~2"]).trim().to_string();
    delete_loose(&r.path(), &gone);
    let f = facts_at(&r.path());
    let a = &f.files["roadmap/a.md"];
    assert_eq!(
        (a.last.date, a.last.author.as_str()),
        (date("2026-04-01"), "Ana")
    );
    assert!(!a.last.boundary && a.approximate);
    // The commit whose parent is missing is credited with everything there, approximately.
    let p = &f.files["processes/p.md"];
    assert_eq!(p.last.id, cut);
    assert!(p.last.boundary);
    assert!(f.history_cut());
    assert_eq!(
        f.missing.cut,
        Some(Cut {
            commit: Some(cut),
            object: Some(gone.clone()),
        })
    );
    let n = f.notices();
    assert_eq!(n.len(), 1);
    assert_eq!(n[0].rule, crate::rules::Rule::ShallowClone);
    assert!(n[0].message.contains(&gone) && n[0].help.contains("git fsck"));
}

/// `check` stops once the files it needs have their last commit. What it reports must not
/// depend on when it learnt which files those are: a missing tree beyond that point is never
/// reported, however far the walk went meanwhile.
#[test]
fn where_an_early_pass_stops_never_changes_the_facts() {
    let r = moved_with_edits();
    r.write("processes/p.md", "---\ntitle: P\nowner: bo\n---\n# P\n");
    r.commit("2026-05-01", BO);
    let old_tree = r.git(&["rev-parse", "HEAD~3^{tree}"]).trim().to_string();
    delete_loose(&r.path(), &old_tree);
    let repo = Repo::open(&r.path()).unwrap().unwrap();
    let wanted: BTreeSet<String> = ["processes/p.md".to_string()].into();
    let run = |early: bool| {
        let (send, recv) = std::sync::mpsc::channel();
        let opts = ReadOptions {
            skip_history: true,
            skip_status: true,
            stop_after: None,
            stop_after_sent: Some(recv),
        };
        let w = wanted.clone();
        if early {
            // Known before the pass starts: it stops at the first commit.
            send.send(w).unwrap();
            let f = repo.facts(&cfg(&r.path()), &opts).unwrap();
            return serde_json::to_string(&f).unwrap();
        }
        let late = std::thread::spawn(move || {
            // Long after a walk of five commits is over: the pass waits for the set.
            std::thread::sleep(std::time::Duration::from_millis(300));
            let _ = send.send(w);
        });
        let f = repo.facts(&cfg(&r.path()), &opts).unwrap();
        late.join().unwrap();
        serde_json::to_string(&f).unwrap()
    };
    let early = run(true);
    let late = run(false);
    assert_eq!(early, late);
    let by_set = ReadOptions {
        skip_history: true,
        skip_status: true,
        stop_after: Some(wanted.clone()),
        ..ReadOptions::default()
    };
    let f = repo.facts(&cfg(&r.path()), &by_set).unwrap();
    assert_eq!(serde_json::to_string(&f).unwrap(), early);
    assert!(f.partial && f.missing.cut.is_none() && !f.history_cut());
    assert_eq!(f.files["processes/p.md"].last.date, date("2026-05-01"));
    // The whole history does reach the missing tree.
    let whole = facts_at(&r.path());
    assert!(whole.history_cut());
    assert_eq!(whole.missing.cut.unwrap().object, Some(old_tree));
}

#[test]
fn a_damaged_object_is_named_with_the_way_to_check() {
    // A version of a file (read for the history), a tree and a commit.
    for rev in ["HEAD~1:roadmap/a.md", "HEAD~2^{tree}", "HEAD~2"] {
        let r = moved_with_edits();
        let id = blob_at(&r, rev);
        let path = r.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, b"not zlib at all").unwrap();
        match read(&cfg(&r.path())) {
            Err(crate::error::Error::Git { message, help, .. }) => {
                assert!(message.contains(&id), "{rev}: {message}");
                assert!(help.unwrap().contains("`git fsck`"));
            }
            other => panic!("{rev}: {other:?}"),
        }
    }
}
