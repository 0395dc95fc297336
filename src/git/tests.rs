//! The history pass over real repositories built with the git command line, with fixed dates.

use std::path::{Path, PathBuf};
use std::process::Command;

use git2::Repository;
use jiff::civil::Date;

use super::*;

/// A repository in a temporary folder, driven by the `git` command with a clean environment.
pub(super) struct TestRepo {
    dir: tempfile::TempDir,
}

impl TestRepo {
    pub(super) fn new() -> TestRepo {
        let t = TestRepo {
            dir: tempfile::tempdir().unwrap(),
        };
        t.git(&["init", "-q", "-b", "main"]);
        t
    }

    pub(super) fn path(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    pub(super) fn git(&self, args: &[&str]) -> String {
        git_in(&self.path(), args, "2026-01-01", "Ana <ana@example.com>")
    }

    pub(super) fn write(&self, rel: &str, text: &str) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Stage everything and commit on `day` (noon UTC) as `author`; the commit id.
    pub(super) fn commit(&self, day: &str, author: &str) -> String {
        git_in(&self.path(), &["add", "-A"], day, author);
        git_in(&self.path(), &["commit", "-q", "-m", day], day, author);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }

    fn facts(&self) -> Facts {
        facts_at(&self.path())
    }
}

pub(super) fn git_in(dir: &Path, args: &[&str], day: &str, author: &str) -> String {
    let (name, email) = author.split_once(" <").unwrap();
    let email = email.trim_end_matches('>');
    let date = format!("{day}T12:00:00+00:00");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub(super) fn cfg(root: &Path) -> Config {
    Config::defaults(root.to_path_buf())
}

pub(super) fn facts_at(root: &Path) -> Facts {
    read(&cfg(root)).expect("readable").expect("a repository")
}

pub(super) fn item(status: &str, extra: &str) -> String {
    format!("---\ntitle: SSO\nstatus: {status}\n{extra}---\n# SSO\n")
}

fn date(s: &str) -> Date {
    crate::values::parse_date(s).unwrap()
}

/// `(status before, status after, date, author)` of each history entry.
fn statuses(entries: &[HistoryEntry]) -> Vec<(Option<&str>, Option<&str>, String, &str)> {
    entries
        .iter()
        .map(|e| {
            let [a, b] = e.changes.get("status").cloned().unwrap_or([None, None]);
            let leak = |s: Option<String>| s.map(|s| &*s.leak());
            (
                leak(a),
                leak(b),
                e.commit.date.to_string(),
                e.commit.author.as_str(),
            )
        })
        .collect()
}

#[test]
fn last_and_first_commit_and_count_per_file() {
    let r = TestRepo::new();
    r.write("roadmap/sso.md", &item("later", ""));
    r.write("guide.md", "# Guide\n");
    let first = r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("roadmap/sso.md", &item("next", ""));
    r.commit("2026-02-10", "Bo <bo@example.com>");
    r.write("guide.md", "# Guide\n\nMore.\n");
    let last = r.commit("2026-03-15", "Cy <cy@example.com>");
    r.write("roadmap/sso.md", &item("now", ""));
    let top = r.commit("2026-04-20", "Bo <bo@example.com>");

    let f = r.facts();
    assert_eq!(f.head.as_deref(), Some(top.as_str()));
    assert!(!f.shallow && !f.partial && f.missing == MissingObjects::default());
    let sso = &f.files["roadmap/sso.md"];
    assert_eq!(sso.last.date, date("2026-04-20"));
    assert_eq!(sso.last.author, "Bo");
    assert_eq!(sso.last.id, top);
    assert_eq!(sso.created.date, date("2026-01-05"));
    assert_eq!(sso.created.author, "Ana");
    assert_eq!(sso.created.id, first);
    assert_eq!(sso.commits, 3);
    assert!(!sso.approximate && !sso.modified_locally);
    let guide = &f.files["guide.md"];
    assert_eq!(
        (guide.last.id.as_str(), guide.last.date, guide.commits),
        (last.as_str(), date("2026-03-15"), 2)
    );
    assert_eq!(f.files.len(), 2);
    assert_eq!(f.summary("roadmap/sso.md"), Some(sso.summary()));
    assert_eq!(f.history_of("roadmap/sso.md").len(), 3);
    assert!(f.history_of("guide.md").is_empty());
    assert_eq!(
        serde_json::to_value(sso.summary()).unwrap(),
        serde_json::json!({"commit": top, "updated": "2026-04-20", "author": "Bo",
            "created": "2026-01-05", "commits": 3, "approximate": false})
    );
}

#[test]
fn dates_are_the_authors_calendar_day() {
    let r = TestRepo::new();
    r.write("a.md", "# A\n");
    git_in(&r.path(), &["add", "-A"], "2026-01-01", "Ana <a@x>");
    let out = Command::new("git")
        .args(["commit", "-q", "-m", "late"])
        .current_dir(r.path())
        .env("HOME", r.path())
        .env("GIT_AUTHOR_NAME", "Ana")
        .env("GIT_AUTHOR_EMAIL", "a@x")
        .env("GIT_COMMITTER_NAME", "Ana")
        .env("GIT_COMMITTER_EMAIL", "a@x")
        .env("GIT_AUTHOR_DATE", "2026-05-31T23:30:00-07:00")
        .env("GIT_COMMITTER_DATE", "2026-06-01T09:00:00+00:00")
        .status()
        .unwrap();
    assert!(out.success());
    // 23:30 in UTC-7 is the next day in UTC: the author's own day counts.
    assert_eq!(r.facts().files["a.md"].last.date, date("2026-05-31"));
}

#[test]
fn ignored_revisions_are_not_credited() {
    let r = TestRepo::new();
    r.write("processes/sync.md", "---\ntitle: Sync\n---\n# Sync\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("processes/sync.md", "---\ntitle:   Sync\n---\n\n# Sync\n");
    let fmt = r.commit("2026-06-01", "Bot <bot@example.com>");
    r.write(
        ".git-blame-ignore-revs",
        &format!("# formatting only\n{fmt} # prettier\n"),
    );
    r.commit("2026-06-02", "Ana <ana@example.com>");
    let f = r.facts();
    let sync = &f.files["processes/sync.md"];
    assert_eq!(sync.last.date, date("2026-01-05"));
    assert_eq!(sync.commits, 1);
    assert_eq!(f.history["processes/sync.md"].len(), 1);
}

#[test]
fn ignore_revs_file_from_config() {
    let r = TestRepo::new();
    r.write("a.md", "# A\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("a.md", "# A\n\n");
    let fmt = r.commit("2026-02-05", "Ana <ana@example.com>");
    r.write("meta/skip.txt", &format!("{fmt}\n"));
    r.commit("2026-02-06", "Ana <ana@example.com>");
    r.git(&["config", "blame.ignoreRevsFile", "meta/skip.txt"]);
    assert_eq!(r.facts().files["a.md"].last.date, date("2026-01-05"));
}

#[test]
fn authors_go_through_the_mailmap() {
    let r = TestRepo::new();
    r.write(
        ".mailmap",
        "Ana Lopes <ana@example.com> <ana@old.example.com>\n",
    );
    r.write("a.md", "# A\n");
    r.commit("2026-01-05", "ana <ana@old.example.com>");
    let f = r.facts();
    assert_eq!(f.files["a.md"].last.author, "Ana Lopes");
}

#[test]
fn status_history_later_next_now_shipped() {
    let r = TestRepo::new();
    r.write("roadmap/sso.md", &item("later", ""));
    let c1 = r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write(
        "roadmap/sso.md",
        &item("next", "owner: ana\ntarget: 2026-Q3\n"),
    );
    r.commit("2026-02-10", "Bo <bo@example.com>");
    r.write(
        "roadmap/sso.md",
        &item("now", "owner: bo\ntarget: 2026-Q4\n"),
    );
    r.commit("2026-03-02", "Ana <ana@example.com>");
    r.write("README.md", "unrelated\n");
    r.commit("2026-03-03", "Ana <ana@example.com>");
    r.write(
        "roadmap/sso.md",
        &item(
            "shipped",
            "owner: bo\ntarget: 2026-Q4\nshipped: 2026-10-01\n",
        ),
    );
    r.commit("2026-10-01", "Cy <cy@example.com>");

    let f = r.facts();
    let h = &f.history["roadmap/sso.md"];
    assert_eq!(
        statuses(h),
        vec![
            (None, Some("later"), "2026-01-05".into(), "Ana"),
            (Some("later"), Some("next"), "2026-02-10".into(), "Bo"),
            (Some("next"), Some("now"), "2026-03-02".into(), "Ana"),
            (Some("now"), Some("shipped"), "2026-10-01".into(), "Cy"),
        ]
    );
    assert_eq!(h[0].event, Event::Added);
    assert_eq!(h[0].commit.id, c1);
    assert_eq!(
        h[2].changes.get("owner"),
        Some(&[Some("ana".into()), Some("bo".into())])
    );
    assert_eq!(
        h[2].changes.get("target"),
        Some(&[Some("2026-Q3".into()), Some("2026-Q4".into())])
    );
    assert!(!h.iter().any(|e| e.approximate));
    let json = serde_json::to_value(&h[1]).unwrap();
    assert_eq!(json["date"], "2026-02-10");
    assert_eq!(json["author"], "Bo");
    assert_eq!(json["event"], "modified");
    assert_eq!(
        json["changes"]["status"],
        serde_json::json!(["later", "next"])
    );
}

#[test]
fn a_renamed_item_keeps_its_history() {
    let r = TestRepo::new();
    let long_body = "Some text that stays.\n".repeat(20);
    r.write(
        "roadmap/sso.md",
        &format!("{}{long_body}", item("later", "")),
    );
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write(
        "roadmap/sso.md",
        &format!("{}{long_body}", item("next", "")),
    );
    r.commit("2026-02-10", "Ana <ana@example.com>");
    // Moved and edited in one commit: found by similarity, not by blob id.
    std::fs::remove_file(r.path().join("roadmap/sso.md")).unwrap();
    r.write(
        "roadmap/single-sign-on.md",
        &format!("{}{long_body}", item("now", "owner: ana\n")),
    );
    r.commit("2026-03-02", "Bo <bo@example.com>");
    // Moved again without an edit: the same blob.
    r.git(&["mv", "roadmap/single-sign-on.md", "roadmap/sso-v2.md"]);
    r.commit("2026-04-01", "Bo <bo@example.com>");

    let f = r.facts();
    assert_eq!(
        f.history.keys().collect::<Vec<_>>(),
        vec!["roadmap/sso-v2.md"]
    );
    let h = &f.history["roadmap/sso-v2.md"];
    let events: Vec<_> = h
        .iter()
        .map(|e| (e.event, e.path.as_str(), e.renamed_from.as_deref()))
        .collect();
    assert_eq!(
        events,
        vec![
            (Event::Added, "roadmap/sso.md", None),
            (Event::Modified, "roadmap/sso.md", None),
            (
                Event::Renamed,
                "roadmap/single-sign-on.md",
                Some("roadmap/sso.md")
            ),
            (
                Event::Renamed,
                "roadmap/sso-v2.md",
                Some("roadmap/single-sign-on.md")
            ),
        ]
    );
    assert_eq!(
        h[2].changes.get("status"),
        Some(&[Some("next".into()), Some("now".into())])
    );
    let file = &f.files["roadmap/sso-v2.md"];
    assert_eq!(file.created.date, date("2026-01-05"));
    assert_eq!(file.commits, 4);
    assert_eq!(f.files.len(), 1);
}

#[test]
fn removed_items_keep_their_history() {
    let r = TestRepo::new();
    r.write("roadmap/old.md", &item("now", ""));
    r.write("keep.md", "# Keep\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    std::fs::remove_file(r.path().join("roadmap/old.md")).unwrap();
    r.commit("2026-02-05", "Ana <ana@example.com>");
    let f = r.facts();
    assert!(!f.files.contains_key("roadmap/old.md"));
    let h = &f.history["roadmap/old.md"];
    assert_eq!(h[1].event, Event::Removed);
    assert_eq!(
        h[1].changes.get("status"),
        Some(&[Some("now".into()), None])
    );
}

#[test]
fn merge_commits_are_not_credited() {
    let r = TestRepo::new();
    r.write("a.md", "# A\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("a.md", "# A\n\nside\n");
    r.commit("2026-01-10", "Bo <bo@example.com>");
    r.git(&["checkout", "-q", "main"]);
    r.write("b.md", "# B\n");
    r.commit("2026-01-11", "Ana <ana@example.com>");
    git_in(
        &r.path(),
        &["merge", "-q", "--no-ff", "-m", "merge", "side"],
        "2026-01-20",
        "Cy <cy@example.com>",
    );
    let f = r.facts();
    assert_eq!(f.files["a.md"].last.author, "Bo");
    assert_eq!(f.files["a.md"].commits, 2);
    assert_eq!(f.files["b.md"].commits, 1);
}

fn three_commits() -> TestRepo {
    let r = TestRepo::new();
    r.write("roadmap/sso.md", &item("later", ""));
    r.write("processes/sync.md", "---\ntitle: Sync\n---\n# Sync\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("roadmap/sso.md", &item("next", ""));
    r.commit("2026-02-10", "Bo <bo@example.com>");
    r.write("roadmap/sso.md", &item("now", ""));
    r.commit("2026-03-02", "Cy <cy@example.com>");
    r
}

pub(super) fn clone(from: &TestRepo, args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", from.path().display());
    let mut full = vec!["clone", "-q"];
    full.extend_from_slice(args);
    full.extend_from_slice(&[url.as_str(), "c"]);
    git_in(dir.path(), &full, "2026-01-01", "Ana <a@x>");
    dir
}

#[test]
fn a_shallow_clone_marks_boundary_dates_approximate() {
    let r = three_commits();
    let dir = clone(&r, &["--depth", "2"]);
    let f = facts_at(&dir.path().join("c"));
    assert!(f.shallow);
    // The boundary (2026-02-10) shows every file as added there.
    let sso = &f.files["roadmap/sso.md"];
    assert_eq!(sso.last.date, date("2026-03-02"));
    assert!(!sso.last.boundary);
    assert_eq!(sso.created.date, date("2026-02-10"));
    assert!(sso.created.boundary && sso.approximate);
    let sync = &f.files["processes/sync.md"];
    assert_eq!(sync.last.date, date("2026-02-10"));
    assert!(sync.last.boundary && sync.approximate);
    let h = &f.history["roadmap/sso.md"];
    assert_eq!(h.len(), 2);
    assert!(h[0].approximate && h[0].event == Event::Added);
    assert!(!h[1].approximate);

    let dir = clone(&r, &["--depth", "1"]);
    let f = facts_at(&dir.path().join("c"));
    assert!(f.shallow);
    assert!(f.files.values().all(|x| x.approximate && x.commits == 1));
}

#[test]
fn a_partial_clone_tolerates_missing_blobs() {
    let r = three_commits();
    r.git(&["config", "uploadpack.allowFilter", "true"]);
    let dir = clone(&r, &["--filter=blob:none", "--no-local"]);
    let f = facts_at(&dir.path().join("c"));
    // Trees and commits are there: dates are exact.
    assert_eq!(f.files["roadmap/sso.md"].last.date, date("2026-03-02"));
    assert_eq!(f.files["roadmap/sso.md"].commits, 3);
    // Old versions were not fetched: their values are unknown, and said so.
    let h = &f.history["roadmap/sso.md"];
    assert_eq!(h.len(), 3);
    assert!(h[0].approximate);
}

#[test]
fn a_folder_outside_git_has_no_facts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n").unwrap();
    assert!(read(&cfg(dir.path())).unwrap().is_none());
}

#[test]
fn an_unrelated_outer_repository_is_not_used() {
    let r = TestRepo::new();
    r.write("src/main.rs", "fn main() {}\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("notes/handbook/a.md", "# A\n");
    assert!(
        read(&cfg(&r.path().join("notes/handbook")))
            .unwrap()
            .is_none()
    );
    // Ignored by the outer repository: not part of it either, even with tracked files.
    r.write(".gitignore", "notes/\n");
    r.git(&["add", "-f", "notes/handbook/a.md"]);
    r.commit("2026-01-06", "Ana <ana@example.com>");
    assert!(
        read(&cfg(&r.path().join("notes/handbook")))
            .unwrap()
            .is_none()
    );
}

#[test]
fn an_empty_repository_has_no_commits_yet() {
    let r = TestRepo::new();
    r.write("a.md", "# A\n");
    let f = r.facts();
    assert_eq!(f.head, None);
    assert!(f.files.is_empty() && f.history.is_empty());
    assert_eq!(f.new_files.iter().collect::<Vec<_>>(), vec!["a.md"]);
}

#[test]
fn a_handbook_in_a_subfolder_uses_handbook_paths() {
    let r = TestRepo::new();
    r.write("src/lib.rs", "\n");
    r.write("docs/handbook/roadmap/sso.md", &item("later", ""));
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write("src/lib.rs", "// changed\n");
    r.commit("2026-02-05", "Ana <ana@example.com>");
    r.write("docs/handbook/roadmap/sso.md", &item("now", ""));
    r.write("docs/handbook/new.md", "# New\n");
    r.commit("2026-03-05", "Bo <bo@example.com>");
    r.write("docs/handbook/draft.md", "# Draft\n");
    r.write("docs/handbook/roadmap/sso.md", &item("shipped", ""));
    r.write("src/lib.rs", "// changed again\n");

    let f = facts_at(&r.path().join("docs/handbook"));
    assert_eq!(f.prefix, "docs/handbook/");
    assert_eq!(
        f.files.keys().collect::<Vec<_>>(),
        vec!["new.md", "roadmap/sso.md"]
    );
    let sso = &f.files["roadmap/sso.md"];
    assert_eq!((sso.commits, sso.last.date), (2, date("2026-03-05")));
    assert!(sso.modified_locally);
    assert!(!f.files["new.md"].modified_locally);
    assert_eq!(f.new_files.iter().collect::<Vec<_>>(), vec!["draft.md"]);
    assert_eq!(statuses(&f.history["roadmap/sso.md"]).len(), 2);

    let repo = Repo::open(&r.path().join("docs/handbook"))
        .unwrap()
        .unwrap();
    let first = r.git(&["rev-list", "--max-parents=0", "HEAD"]);
    let changed = repo.changed_since(first.trim()).unwrap();
    assert_eq!(
        changed.iter().collect::<Vec<_>>(),
        vec!["draft.md", "new.md", "roadmap/sso.md"]
    );
    assert_eq!(
        repo.changed_since("HEAD")
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        vec!["draft.md", "roadmap/sso.md"]
    );
    assert_eq!(repo.commits_since("HEAD~1").unwrap().len(), 1);
    let err = repo
        .changed_since("no-such-branch")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no commit, branch or tag `no-such-branch`"),
        "{err}"
    );
}

#[test]
fn stop_after_ends_the_pass_early() {
    let r = three_commits();
    let repo = Repo::open(&r.path()).unwrap().unwrap();
    let opts = ReadOptions {
        skip_history: true,
        skip_status: true,
        stop_after: Some(["roadmap/sso.md".to_string()].into()),
        ..ReadOptions::default()
    };
    let f = repo.facts(&cfg(&r.path()), &opts).unwrap();
    assert!(f.partial);
    assert_eq!(f.files.keys().collect::<Vec<_>>(), vec!["roadmap/sso.md"]);
    assert_eq!(f.files["roadmap/sso.md"].last.date, date("2026-03-02"));
    assert!(f.history.is_empty());
    // A file that is not committed yet is never waited for: no walk at all.
    let opts = ReadOptions {
        stop_after: Some(["roadmap/new.md".to_string()].into()),
        ..ReadOptions::default()
    };
    let f = repo.facts(&cfg(&r.path()), &opts).unwrap();
    assert!(f.partial && f.files.is_empty());
}

#[test]
fn a_repository_owned_by_someone_else_is_refused_with_the_fix() {
    // Only root can hand a folder to another user.
    let r = TestRepo::new();
    r.write("a.md", "# A\n");
    r.commit("2026-01-05", "Ana <ana@example.com>");
    let chown = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(r.path())
        .status();
    if !chown.is_ok_and(|s| s.success()) {
        return;
    }
    let Err(err) = read(&cfg(&r.path())) else {
        // Running as that user, or git trusts every folder here: nothing to refuse.
        return;
    };
    let text = err.to_string();
    assert!(text.contains("dubious ownership"), "{text}");
    assert!(
        text.contains(&format!(
            "git config --global --add safe.directory {}",
            r.path().display()
        )),
        "{text}"
    );
}

/// Every object of a repacked repository, as the pack reader gives it and as libgit2 does.
fn pack_reader_agrees_with_libgit2(repack: &[&str]) {
    let r = TestRepo::new();
    let mut text = String::new();
    for v in 0..40 {
        text.push_str(&format!("Section {v}: some words that grow the file.\n"));
        r.write("roadmap/a.md", &item("later", &format!("# v{v}\n")));
        r.write("notes.md", &text);
        r.write(&format!("roadmap/item-{v}.md"), &item("next", ""));
        r.commit("2026-01-05", "Ana <ana@example.com>");
    }
    r.git(repack);
    let repo = Repository::open(r.path()).unwrap();
    let odb = repo.odb().unwrap();
    let mut packs = super::pack::Packs::open(&repo.path().join("objects"));
    let ids = r.git(&[
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objectname)",
    ]);
    let mut read = 0;
    for id in ids.lines() {
        let oid = Oid::from_str(id).unwrap();
        let (kind, data) = packs.read(oid).expect("in the pack");
        let want = odb.read(oid).unwrap();
        assert_eq!(&*data, want.data(), "{id}");
        let want_kind = match want.kind() {
            git2::ObjectType::Commit => 1,
            git2::ObjectType::Tree => 2,
            git2::ObjectType::Blob => 3,
            _ => 4,
        };
        assert_eq!(kind, want_kind, "{id}");
        read += 1;
    }
    assert!(read > 150, "{read}");
    assert!(
        packs
            .read(Oid::from_str(&"ab".repeat(20)).unwrap())
            .is_none()
    );
}

const REPACK: &[&str] = &[
    "repack",
    "-a",
    "-d",
    "-f",
    "-q",
    "--depth=50",
    "--window=50",
];

#[test]
fn the_pack_reader_resolves_offset_deltas() {
    pack_reader_agrees_with_libgit2(REPACK);
}

#[test]
fn the_pack_reader_resolves_reference_deltas() {
    let args = [&["-c", "repack.useDeltaBaseOffset=false"], REPACK].concat();
    pack_reader_agrees_with_libgit2(&args);
}

/// The pass with `threads` workers started for any amount of work (`None`: on this thread
/// only), and how many commits this thread diffed itself.
fn facts_with_workers(root: &Path, threads: Option<usize>) -> (String, usize) {
    workers::PARALLEL.set(Some(threads.map_or((1, usize::MAX), |t| (t, 1))));
    walk::DIFFED.set(0);
    let options = ReadOptions {
        skip_status: true,
        ..ReadOptions::default()
    };
    let repo = Repo::open(root).unwrap().unwrap();
    let f = repo.facts(&cfg(root), &options).unwrap();
    workers::PARALLEL.set(None);
    (serde_json::to_string(&f).unwrap(), walk::DIFFED.get())
}

/// Diffing and reading versions on worker threads gives exactly the one-thread facts, also
/// with renames, removals, merges, and missing objects.
#[test]
fn worker_threads_give_the_same_facts() {
    let r = TestRepo::new();
    for n in 0..24 {
        let status = ["later", "next", "now", "shipped"][n % 4];
        r.write(&format!("roadmap/item-{}.md", n % 7), &item(status, ""));
        if n % 5 == 0 {
            r.write(
                &format!("processes/p{n}.md"),
                "---\ntitle: P\nowner: ana\n---\n",
            );
        }
        if n == 9 {
            r.git(&["mv", "roadmap/item-2.md", "roadmap/renamed.md"]);
        }
        if n == 15 {
            std::fs::remove_file(r.path().join("roadmap/item-3.md")).unwrap();
        }
        r.commit(&format!("2026-01-{:02}", n + 2), "Ana <ana@example.com>");
    }
    r.git(&["checkout", "-q", "-b", "side", "HEAD~3"]);
    r.write("roadmap/side.md", &item("now", ""));
    r.commit("2026-02-01", "Bo <bo@example.com>");
    r.git(&["checkout", "-q", "main"]);
    git_in(
        &r.path(),
        &["merge", "-q", "--no-ff", "-m", "merge", "side"],
        "2026-02-02",
        "Ana <ana@example.com>",
    );
    let (one, diffed) = facts_with_workers(&r.path(), None);
    assert!(diffed > 20, "{diffed}");
    for threads in [2, 3, 5] {
        let (many, diffed) = facts_with_workers(&r.path(), Some(threads));
        assert_eq!(diffed, 0, "the workers diffed every commit");
        assert_eq!(many, one, "{threads} workers");
    }
    assert!(one.contains("roadmap/renamed.md") && one.contains("\"shipped\""));

    // A shallow clone and a partial clone (missing blobs): the same facts either way.
    let base = three_commits();
    base.git(&["config", "uploadpack.allowFilter", "true"]);
    for args in [&["--depth", "2"][..], &["--filter=blob:none", "--no-local"]] {
        let dir = clone(&base, args);
        let root = dir.path().join("c");
        let (one, _) = facts_with_workers(&root, None);
        let (many, _) = facts_with_workers(&root, Some(2));
        assert_eq!(many, one, "{args:?}");
    }
}
