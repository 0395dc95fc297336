//! The cache of the history pass: whatever happened to HEAD since the cache was written, a pass
//! through it gives exactly what a pass without it gives, and diffs only the commits it lacks.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::git::tests::{TestRepo, cfg, clone, facts_at, git_in, item};
use crate::git::walk::DIFFED;
use crate::git::*;

fn cache_dir(root: &Path) -> PathBuf {
    root.join(".git/opsbook")
}

/// The facts, and how many commits the pass diffed (did not find in the cache).
fn read_with(root: &Path, opts: &ReadOptions) -> (Facts, usize) {
    DIFFED.set(0);
    let repo = Repo::open(root).unwrap().expect("a repository");
    let facts = repo.facts(&cfg(root), opts).unwrap();
    (facts, DIFFED.get())
}

fn warm(root: &Path) -> (Facts, usize) {
    read_with(root, &ReadOptions::default())
}

/// The facts of a pass without a cache: the cache folder is set aside meanwhile.
fn cold(root: &Path) -> Facts {
    let (dir, aside) = (cache_dir(root), root.join(".git/opsbook-aside"));
    let had = dir.exists();
    if had {
        std::fs::rename(&dir, &aside).unwrap();
    }
    let (facts, _) = warm(root);
    let _ = std::fs::remove_dir_all(&dir);
    if had {
        std::fs::rename(&aside, &dir).unwrap();
    }
    facts
}

fn assert_same(got: &Facts, want: &Facts) {
    assert_eq!(got.files, want.files);
    assert_eq!(got.history, want.history);
    assert_eq!(got.registry, want.registry);
    assert_eq!(
        (&got.head, got.partial, &got.missing, got.shallow),
        (&want.head, want.partial, &want.missing, want.shallow)
    );
    assert_eq!(got.new_files, want.new_files);
}

/// The pass through the cache equals a pass without it; the number of commits diffed.
fn check_against_cold(r: &TestRepo) -> usize {
    let (got, diffed) = warm(&r.path());
    assert_same(&got, &cold(&r.path()));
    diffed
}

fn commits(r: &TestRepo) -> usize {
    r.git(&["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

fn remove(r: &TestRepo, rel: &str) {
    std::fs::remove_file(r.path().join(rel)).unwrap();
}

const ANA: &str = "Ana <ana@example.com>";
const BO: &str = "Bo <bo@example.com>";

/// A history with everything the tally cares about: a mailmap, a path removed and reused, a
/// merge, an ignored formatting commit and a rename with an edit.
fn eventful() -> TestRepo {
    let r = TestRepo::new();
    let body = "Some text that stays the same.\n".repeat(20);
    r.write(
        ".mailmap",
        "Ana Lopes <ana@example.com> <ana@old.example.com>\n",
    );
    r.write("roadmap/sso.md", &format!("{}{body}", item("later", "")));
    r.write("roadmap/old.md", &item("now", ""));
    r.write("processes/sync.md", "---\ntitle: Sync\n---\n# Sync\n");
    r.write("guide.md", "# Guide\n");
    r.commit("2026-01-05", ANA);
    r.write("roadmap/sso.md", &format!("{}{body}", item("next", "")));
    r.commit("2026-01-10", "ana <ana@old.example.com>");
    remove(&r, "roadmap/old.md");
    r.commit("2026-01-15", BO);
    r.write("roadmap/old.md", &item("later", "owner: bo\n"));
    r.commit("2026-01-20", BO);
    r.git(&["checkout", "-q", "-b", "side", "HEAD~2"]);
    r.write("guide.md", "# Guide\n\nFrom the side.\n");
    r.commit("2026-01-12", BO);
    r.git(&["checkout", "-q", "main"]);
    git_in(
        &r.path(),
        &["merge", "-q", "--no-ff", "-m", "merge", "side"],
        "2026-01-25",
        ANA,
    );
    r.write("processes/sync.md", "---\ntitle:  Sync\n---\n\n# Sync\n");
    let fmt = r.commit("2026-02-01", BO);
    r.write(".git-blame-ignore-revs", &format!("{fmt}\n"));
    remove(&r, "roadmap/sso.md");
    r.write(
        "roadmap/single-sign-on.md",
        &format!("{}{body}", item("now", "owner: ana\n")),
    );
    r.commit("2026-02-10", ANA);
    r
}

#[test]
fn a_warm_pass_diffs_nothing_and_equals_a_cold_one() {
    let r = eventful();
    let want = cold(&r.path());
    let (first, diffed) = warm(&r.path());
    assert_same(&first, &want);
    assert_eq!(diffed, commits(&r), "no cache yet: every commit is diffed");
    let names: BTreeSet<String> = std::fs::read_dir(cache_dir(&r.path()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy()[..9].to_string())
        .collect();
    assert_eq!(
        names,
        BTreeSet::from(["facts-v2-".into(), "states-v3".into()])
    );
    let (second, diffed) = warm(&r.path());
    assert_same(&second, &want);
    assert_eq!(diffed, 0);
    // Sanity: the facts are the interesting ones.
    let sso = &want.files["roadmap/single-sign-on.md"];
    assert_eq!(
        (sso.commits, sso.created.date.to_string()),
        (3, "2026-01-05".into())
    );
    assert!(!want.files.contains_key("roadmap/sso.md"));
    assert_eq!(want.files["roadmap/old.md"].commits, 3, "a reused path");
    assert_eq!(
        want.files["processes/sync.md"].commits, 1,
        "an ignored commit"
    );
    assert_eq!(
        want.files["guide.md"].last.author, "Bo",
        "merged, not the merge"
    );
    assert_eq!(sso.last.author, "Ana");
    assert_eq!(want.history["roadmap/single-sign-on.md"].len(), 3);
}

#[test]
fn new_commits_are_diffed_alone() {
    let r = eventful();
    warm(&r.path());
    r.write("guide.md", "# Guide\n\nOne more line.\n");
    r.commit("2026-03-01", ANA);
    assert_eq!(check_against_cold(&r), 1);

    // A rename with an edit, a deletion, a new file, an edit of the renamed file.
    let body = "Another text that stays the same.\n".repeat(20);
    r.write(
        "roadmap/old.md",
        &format!("{}{body}", item("later", "owner: bo\n")),
    );
    r.commit("2026-03-02", BO);
    remove(&r, "roadmap/old.md");
    r.write(
        "roadmap/renewed.md",
        &format!("{}{body}", item("next", "owner: bo\n")),
    );
    r.commit("2026-03-03", BO);
    remove(&r, "processes/sync.md");
    r.commit("2026-03-04", ANA);
    r.write("roadmap/new.md", &item("later", ""));
    r.write(
        "roadmap/renewed.md",
        &format!("{}{body}", item("now", "owner: bo\n")),
    );
    r.commit("2026-03-05", ANA);
    assert_eq!(check_against_cold(&r), 4);
    let (f, diffed) = warm(&r.path());
    assert_eq!(diffed, 0);
    let renewed = &f.files["roadmap/renewed.md"];
    // Created again on 2026-01-20: the file removed before is another one.
    assert_eq!(renewed.commits, 4);
    assert_eq!(renewed.created.date.to_string(), "2026-01-20");
    assert!(!f.files.contains_key("roadmap/old.md"));
    assert!(!f.files.contains_key("processes/sync.md"));
    assert_eq!(f.files["roadmap/new.md"].commits, 1);
    assert_eq!(
        f.history["processes/sync.md"].last().unwrap().event,
        Event::Removed
    );
}

#[test]
fn a_rename_from_a_reused_path_splits_like_a_cold_pass() {
    // `roadmap/old.md` held another file before it was created again: once renamed, only the
    // new file's commits move with it.
    let r = eventful();
    warm(&r.path());
    r.git(&["mv", "roadmap/old.md", "roadmap/moved.md"]);
    r.commit("2026-03-01", ANA);
    assert_eq!(check_against_cold(&r), 1);
    let f = cold(&r.path());
    assert_eq!(f.files["roadmap/moved.md"].commits, 2);
    assert_eq!(f.history["roadmap/old.md"].len(), 2);
    // And a file moved onto the path a removed file had.
    let r = eventful();
    remove(&r, "roadmap/old.md");
    r.commit("2026-03-01", ANA);
    warm(&r.path());
    r.git(&["mv", "guide.md", "roadmap/old.md"]);
    r.commit("2026-03-02", ANA);
    assert_eq!(check_against_cold(&r), 1);
}

#[test]
fn merged_commits_are_diffed_alone() {
    let r = eventful();
    warm(&r.path());
    r.git(&["checkout", "-q", "-b", "topic", "HEAD~3"]);
    r.write("roadmap/topic.md", &item("next", ""));
    r.commit("2026-01-30", BO);
    r.write("guide.md", "# Guide\n\nFrom the topic.\n");
    r.commit("2026-02-15", BO);
    r.git(&["checkout", "-q", "main"]);
    r.write("roadmap/single-sign-on.md", &item("shipped", ""));
    r.commit("2026-02-20", ANA);
    git_in(
        &r.path(),
        &[
            "merge", "-q", "--no-ff", "-X", "theirs", "-m", "merge", "topic",
        ],
        "2026-02-25",
        ANA,
    );
    // Two topic commits, one on main, the merge.
    assert_eq!(check_against_cold(&r), 4);
    assert_eq!(warm(&r.path()).1, 0);
}

#[test]
fn a_rewritten_history_is_diffed_where_it_changed() {
    let r = eventful();
    warm(&r.path());
    // Back in time: everything is known.
    r.git(&["reset", "-q", "--hard", "HEAD~2"]);
    assert_eq!(check_against_cold(&r), 0);
    // Rewritten on top of that: only the new commits.
    r.write("guide.md", "# Guide\n\nRewritten.\n");
    r.commit("2026-02-02", ANA);
    r.write("roadmap/later.md", &item("later", ""));
    r.commit("2026-02-03", ANA);
    assert_eq!(check_against_cold(&r), 2);
    // A branch of its own: all of it.
    r.git(&["checkout", "-q", "--orphan", "other"]);
    r.write("roadmap/other.md", &item("now", ""));
    r.commit("2026-04-01", BO);
    assert_eq!(check_against_cold(&r), 1);
    assert_eq!(
        cold(&r.path()).files.len(),
        r.git(&["ls-files"]).lines().count()
    );
}

fn facts_file(root: &Path) -> PathBuf {
    std::fs::read_dir(cache_dir(root))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("facts-")
        })
        .expect("a facts file")
}

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let r = eventful();
    let n = commits(&r);
    warm(&r.path());
    let file = facts_file(&r.path());
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    let mut longer = good.clone();
    longer.extend_from_slice(b"more");
    let damages: Vec<(&str, Vec<u8>)> = vec![
        ("empty", vec![]),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("header only", good[..40].to_vec()),
        ("a byte flipped", flipped),
        ("bytes appended", longer),
        ("garbage", b"not a cache at all\n".repeat(100)),
    ];
    for (what, bytes) in damages {
        std::fs::write(&file, &bytes).unwrap();
        assert_eq!(check_against_cold(&r), n, "{what}");
        assert_eq!(std::fs::read(&file).unwrap(), good, "{what}: rewritten");
    }
    // Values of file versions too.
    for e in std::fs::read_dir(cache_dir(&r.path())).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() - 1]).unwrap();
    }
    assert_eq!(check_against_cold(&r), n);
}

#[test]
fn a_cache_from_another_handbook_is_not_used() {
    let r = eventful();
    warm(&r.path());
    let file = facts_file(&r.path());
    // The same repository seen from a subfolder is another handbook, with another key.
    let sub = TestRepo::new();
    sub.write("docs/roadmap/a.md", &item("now", ""));
    sub.commit("2026-01-05", ANA);
    warm(&sub.path().join("docs"));
    let theirs = facts_file(&sub.path());
    std::fs::copy(&file, &theirs).unwrap();
    let (f, diffed) = warm(&sub.path().join("docs"));
    assert_eq!(diffed, 1);
    assert_eq!(f.files.keys().collect::<Vec<_>>(), vec!["roadmap/a.md"]);
}

#[test]
fn an_unwritable_git_folder_works_without_a_cache() {
    use std::os::unix::fs::PermissionsExt;
    let r = eventful();
    let n = commits(&r);
    let git_dir = r.path().join(".git");
    // A file where the cache folder would go (root may write anywhere), in a read-only folder.
    std::fs::write(cache_dir(&r.path()), "in the way").unwrap();
    let mode = |m| std::fs::set_permissions(&git_dir, std::fs::Permissions::from_mode(m));
    mode(0o555).unwrap();
    let results = [check_against_cold(&r), check_against_cold(&r)];
    mode(0o755).unwrap();
    assert_eq!(results, [n, n]);
    assert_eq!(
        std::fs::read_to_string(cache_dir(&r.path())).unwrap(),
        "in the way"
    );
}

#[test]
fn a_pass_stopped_early_keeps_its_records_only_when_it_diffed_enough() {
    let r = eventful();
    let n = commits(&r);
    let stop = |path: &str| ReadOptions {
        stop_after: Some(BTreeSet::from([path.to_string()])),
        ..ReadOptions::default()
    };
    // Changed by HEAD: one commit diffed, the walk not read past it, nothing kept.
    let sso = stop("roadmap/single-sign-on.md");
    let (partial, diffed) = read_with(&r.path(), &sso);
    assert!(partial.partial);
    assert_eq!(diffed, 1);
    let (again, diffed) = read_with(&r.path(), &sso);
    assert_eq!(diffed, 1, "nothing was kept");
    assert_same(&again, &partial);
    // Changed before the merge: the merge and the commit that changed it diffed (enough in
    // tests; the two newer commits left its entry as it was), the walk read to its end and
    // kept with their records.
    let old = stop("roadmap/old.md");
    let (partial, diffed) = read_with(&r.path(), &old);
    assert_eq!(diffed, 2);
    let (again, diffed) = read_with(&r.path(), &old);
    assert_eq!(diffed, 0);
    assert_same(&again, &partial);
    assert_eq!(check_against_cold(&r), n - 2);
    assert_eq!(warm(&r.path()).1, 0);
}

#[test]
fn mailmap_edits_start_over_and_ignore_revs_edits_do_not() {
    let r = eventful();
    let n = commits(&r);
    warm(&r.path());
    r.write(
        ".mailmap",
        "Ana L. <ana@example.com> <ana@old.example.com>\n",
    );
    assert_eq!(check_against_cold(&r), n);
    let f = warm(&r.path()).0;
    let h = &f.history["roadmap/single-sign-on.md"];
    assert_eq!(h[1].commit.author, "Ana L.");
    remove(&r, ".git-blame-ignore-revs");
    assert_eq!(check_against_cold(&r), 0);
    assert_eq!(warm(&r.path()).0.files["processes/sync.md"].commits, 2);
}

#[test]
fn shallow_clones_get_no_cache() {
    let r = eventful();
    let dir = clone(&r, &["--depth", "2"]);
    let root = dir.path().join("c");
    let f = facts_at(&root);
    assert!(f.shallow);
    assert!(!cache_dir(&root).exists());
}

#[test]
fn old_files_of_other_keys_and_killed_runs_are_removed() {
    let r = eventful();
    warm(&r.path());
    let dir = cache_dir(&r.path());
    let now = std::time::SystemTime::now();
    let old = now - std::time::Duration::from_secs(40 * 24 * 3600);
    let place = |name: &str, modified: std::time::SystemTime| {
        let p = dir.join(name);
        std::fs::write(&p, "x").unwrap();
        let f = std::fs::File::options().write(true).open(&p).unwrap();
        f.set_modified(modified).unwrap();
    };
    place("facts-v1-0000000000000000", old);
    place("states-v0-0000000000000000", old);
    place(".facts-v1-0000000000000000.1-2.tmp", old);
    place("facts-v1-1111111111111111", now);
    place("notes.txt", old);
    // A new commit makes the pass write the cache, and tidy up.
    r.write("guide.md", "# Guide\n\nNew.\n");
    r.commit("2026-03-01", ANA);
    assert_eq!(warm(&r.path()).1, 1);
    let exists = |name: &str| dir.join(name).exists();
    assert!(!exists("facts-v1-0000000000000000"));
    assert!(!exists("states-v0-0000000000000000"));
    assert!(!exists(".facts-v1-0000000000000000.1-2.tmp"));
    assert!(exists("facts-v1-1111111111111111"), "recent: may be in use");
    assert!(exists("notes.txt"), "not opsbook's");
    // With this handbook's facts and states.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 4);
}

/// Files moved into the handbook root are followed further back by side records, which the
/// cache keeps per commit and set of followed paths: a warm pass diffs nothing, and a new
/// commit that moves one more file in (changing what older commits must show) still gives
/// exactly the cold facts.
#[test]
fn side_records_of_files_moved_into_the_root_are_cached() {
    let r = TestRepo::new();
    let text = "Text that stays the same in every version.\n".repeat(8);
    r.write("_pages/roadmap/a.md", &(item("later", "") + &text));
    r.write("_pages/roadmap/b.md", &(item("later", "") + &text + "b\n"));
    r.commit("2020-01-01", ANA);
    r.write("_pages/roadmap/a.md", &(item("next", "") + &text));
    r.write("_pages/roadmap/b.md", &(item("next", "") + &text + "b\n"));
    r.commit("2021-01-01", BO);
    r.write("pages/opsbook.yml", "title: P\n");
    r.git(&["mv", "_pages/roadmap/a.md", "pages/a.md"]);
    r.commit("2022-01-01", ANA);
    let pages = r.path().join("pages");
    let opts = ReadOptions::default();
    let cold_at = |root: &Path| {
        let (dir, aside) = (r.path().join(".git/opsbook"), r.path().join(".git/aside"));
        let had = dir.exists();
        if had {
            std::fs::rename(&dir, &aside).unwrap();
        }
        let (f, _) = read_with(root, &opts);
        let _ = std::fs::remove_dir_all(&dir);
        if had {
            std::fs::rename(&aside, &dir).unwrap();
        }
        f
    };
    let want = cold_at(&pages);
    assert_eq!(want.files["a.md"].created.date.to_string(), "2020-01-01");
    let (first, diffed) = read_with(&pages, &opts);
    assert_same(&first, &want);
    assert!(diffed > 3, "commits and side records: {diffed}");
    let (second, diffed) = read_with(&pages, &opts);
    assert_same(&second, &want);
    assert_eq!(diffed, 0, "side records come from the cache");
    // One more file moved in: older commits now have two files to show.
    r.git(&["mv", "_pages/roadmap/b.md", "pages/b.md"]);
    r.commit("2023-01-01", BO);
    let want = cold_at(&pages);
    assert_eq!(want.files["b.md"].created.date.to_string(), "2020-01-01");
    let (got, _) = read_with(&pages, &opts);
    assert_same(&got, &want);
    let (got, diffed) = read_with(&pages, &opts);
    assert_same(&got, &want);
    assert_eq!(diffed, 0);
}
