//! Git-native facts through the real binary: review dates from git, `check --changed-since`,
//! `--no-git`, the shallow-clone warning, `opsbook changes`, and folders that are not repos.
//! Repositories are built with the git command line and fixed author and committer dates.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/common.rs"]
mod common;
#[path = "support/git.rs"]
mod git_cli;
use git_cli::git;
#[path = "git/cache.rs"]
mod cache;
#[path = "git/determinism.rs"]
mod determinism;
#[path = "git/frontmatter_cache.rs"]
mod frontmatter_cache;
#[path = "git/gaps.rs"]
mod gaps;
#[path = "git/graph.rs"]
mod graph;
#[path = "git/history.rs"]
mod history;
#[path = "git/kinds.rs"]
mod kinds;
#[path = "git/okr.rs"]
mod okr;

/// A handbook in a temporary folder that is (or will be) a git repository.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let r = Repo::plain();
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    /// A folder that is not a repository.
    fn plain() -> Repo {
        Repo {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().canonicalize().unwrap()
    }

    fn git(&self, args: &[&str]) -> String {
        git(&self.path(), args, "2026-01-01", "Ana <ana@example.com>")
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn commit(&self, day: &str, author: &str) -> String {
        git(&self.path(), &["add", "-A"], day, author);
        git(&self.path(), &["commit", "-q", "-m", "change"], day, author);
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }
}

/// `opsbook ARGS` in `dir`, without colour.
fn opsbook(dir: &Path, args: &[&str]) -> Output {
    opsbook_with(dir, args, &[])
}

/// `opsbook ARGS` in `dir` with these environment variables (and no others of opsbook's).
fn opsbook_with(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("OPSBOOK_NO_GIT_CACHE")
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const TODAY: &str = "2026-11-23";

fn process(extra: &str) -> String {
    format!(
        "---\ntitle: Weekly sync\nowner: pm\n{extra}---\n# Weekly sync\n\n## Steps\n\n1. Meet.\n"
    )
}

const ORG: &str = "roles:\n  - id: pm\n    title: PM\n    last_reviewed: 2026-11-01\n    \
                   responsibilities: [Plans]\npeople:\n  - id: ana\n    name: Ana\n    roles: [pm]\n";

fn item(status: &str, extra: &str) -> String {
    format!("---\ntitle: Single sign-on\nstatus: {status}\n{extra}---\n# Single sign-on\n")
}

/// A handbook whose process has no `last_reviewed`, last committed on 2026-06-01.
fn handbook() -> Repo {
    let r = Repo::new();
    r.write("org.yml", ORG);
    r.write("processes/sync.md", &process(""));
    r.write("roadmap/sso.md", &item("later", ""));
    r.commit("2026-05-01", "Ana <ana@example.com>");
    r.write("processes/sync.md", &process("cadence: weekly\n"));
    r.commit("2026-06-01", "Bo <bo@example.com>");
    r
}

#[test]
fn check_dates_reviews_from_git_and_says_so() {
    let r = handbook();
    let out = opsbook(&r.path(), &["check", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "processes/sync.md:1:1: info[review-from-git]: review date taken from git: last commit 2026-06-01
  |
1 | ---
  | ^^^
    help: add `last_reviewed: YYYY-MM-DD` to record reviews explicitly (next due 2026-08-30)
processes/sync.md:1:1: warning[review-overdue]: review was due 2026-08-30 (last commit 2026-06-01 (from git), every 90d)
  |
1 | ---
  | ^^^
    help: review the document and update `last_reviewed`
0 errors, 1 warning, 1 note in 3 files
"
    );
    // --strict fails on the overdue review.
    let out = opsbook(&r.path(), &["check", "--today", TODAY, "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn no_git_turns_git_dates_off() {
    let r = handbook();
    let out = opsbook(&r.path(), &["check", "--today", TODAY, "--no-git"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "0 errors, 0 warnings in 3 files\n");
}

#[test]
fn a_folder_that_is_not_a_repository_is_checked_without_git() {
    let r = Repo::plain();
    r.write("org.yml", ORG);
    r.write("processes/sync.md", &process(""));
    let out = opsbook(&r.path(), &["check", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "0 errors, 0 warnings in 2 files\n");
    let out = opsbook(&r.path(), &["changes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not in a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn changed_since_reports_only_changed_files() {
    let r = handbook();
    let base = r.git(&["rev-parse", "HEAD"]);
    // Two broken items: one committed after base, one only in the work tree, one untouched.
    r.write("roadmap/a.md", &item("nwo", ""));
    r.commit("2026-07-01", "Ana <ana@example.com>");
    r.write("roadmap/b.md", &item("nxet", ""));
    r.write("roadmap/sso.md", &item("soon", ""));
    let out = opsbook(
        &r.path(),
        &["check", "--today", TODAY, "--changed-since", base.trim()],
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("roadmap/a.md:3:9: error[field-enum]"),
        "{text}"
    );
    assert!(
        text.contains("roadmap/b.md:3:9: error[field-enum]"),
        "{text}"
    );
    assert!(
        text.contains("roadmap/sso.md:3:9: error[field-enum]"),
        "{text}"
    );
    assert!(!text.contains("processes/sync.md"), "{text}");
    assert!(
        text.ends_with("3 errors, 0 warnings in 3 files\n"),
        "{text}"
    );

    let out = opsbook(
        &r.path(),
        &["check", "--today", TODAY, "--changed-since", "HEAD"],
    );
    let text = stdout(&out);
    assert!(!text.contains("roadmap/a.md"), "{text}");
    assert!(
        text.ends_with("2 errors, 0 warnings in 2 files\n"),
        "{text}"
    );
}

#[test]
fn changed_since_an_unknown_ref_exits_2() {
    let r = handbook();
    let out = opsbook(&r.path(), &["check", "--changed-since", "origin/nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "error: --changed-since origin/nope: no commit, branch or tag `origin/nope` in the repository at "
        ),
        "{err}"
    );
    assert!(err.contains("git fetch origin main"), "{err}");
    // And outside a repository.
    let plain = Repo::plain();
    let out = opsbook(&plain.path(), &["check", "--changed-since", "main"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not in a git repository"));
}

#[test]
fn a_shallow_clone_warns_once_and_marks_dates_approximate() {
    let r = handbook();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &url, "c"],
        TODAY,
        "A <a@x>",
    );
    let clone = dir.path().join("c");
    let out = opsbook(&clone, &["check", "--today", TODAY, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        vec![
            (".", "shallow-clone"),
            ("processes/sync.md", "review-from-git"),
            ("processes/sync.md", "review-overdue"),
        ]
    );
    let shallow = &json["diagnostics"][0];
    assert_eq!(shallow["severity"], "warning");
    assert!(
        shallow["help"].as_str().unwrap().contains("fetch-depth: 0")
            && shallow["help"].as_str().unwrap().contains("GIT_DEPTH: 0")
    );
    assert_eq!(
        json["diagnostics"][1]["message"],
        "review date taken from git: last commit 2026-06-01 (approximate: the history is cut, see shallow-clone)"
    );
    assert_eq!(json["warnings"], 2);
}

/// The history of the item: later → next → now → shipped, a target slip, an owner change, a
/// move, a new and a removed item, and process reviews.
fn eventful() -> Repo {
    let r = Repo::new();
    r.write("org.yml", ORG);
    r.write("roadmap/sso.md", &item("later", ""));
    r.write("roadmap/old.md", &item("next", "owner: ana\n"));
    r.write("processes/sync.md", &process("last_reviewed: 2026-01-05\n"));
    r.commit("2026-01-05", "Ana <ana@example.com>");
    r.write(
        "roadmap/sso.md",
        &item("next", "owner: ana\ntarget: 2026-Q3\n"),
    );
    r.commit("2026-02-10", "Bo <bo@example.com>");
    r.git(&["tag", "v1"]);
    r.write(
        "roadmap/sso.md",
        &item("now", "owner: pm\ntarget: 2026-Q4\n"),
    );
    std::fs::remove_file(r.path().join("roadmap/old.md")).unwrap();
    r.commit("2026-03-02", "Ana <ana@example.com>");
    r.write("processes/sync.md", &process("last_reviewed: 2026-04-01\n"));
    r.write("roadmap/search.md", &item("later", ""));
    r.commit("2026-04-01", "Cy <cy@example.com>");
    r.git(&["mv", "roadmap/sso.md", "roadmap/single-sign-on.md"]);
    r.commit("2026-05-01", "Bo <bo@example.com>");
    r.write(
        "roadmap/single-sign-on.md",
        &item(
            "shipped",
            "owner: pm\ntarget: 2026-Q4\nshipped: 2026-10-01\n",
        ),
    );
    r.commit("2026-10-01", "Cy <cy@example.com>");
    r
}

#[test]
fn changes_lists_moves_slips_and_reviews_by_commit() {
    let r = eventful();
    let out = opsbook(&r.path(), &["changes", "--since", "1y", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let expected = "\
14 changes in 6 commits since 2025-11-23

2026-10-01  SHA6  Cy
  roadmap/single-sign-on.md (Single sign-on): status now → shipped

2026-05-01  SHA5  Bo
  roadmap/single-sign-on.md (Single sign-on): moved from roadmap/sso.md

2026-04-01  SHA4  Cy
  processes/sync.md (Weekly sync): reviewed (last_reviewed 2026-01-05 → 2026-04-01)
  roadmap/search.md (Single sign-on): new item (later)

2026-03-02  SHA3  Ana
  roadmap/old.md (Single sign-on): item removed (was next)
  roadmap/sso.md (Single sign-on): status next → now
  roadmap/sso.md (Single sign-on): target slipped 2026-Q3 → 2026-Q4
  roadmap/sso.md (Single sign-on): owner ana → pm

2026-02-10  SHA2  Bo
  roadmap/sso.md (Single sign-on): status later → next
  roadmap/sso.md (Single sign-on): target none → 2026-Q3
  roadmap/sso.md (Single sign-on): owner none → ana

2026-01-05  SHA1  Ana
  processes/sync.md (Weekly sync): new process
  roadmap/old.md (Single sign-on): new item (next)
  roadmap/sso.md (Single sign-on): new item (later)
";
    let shas = r.git(&["log", "--format=%h", "--abbrev=7"]);
    let mut want = expected.to_string();
    for (i, sha) in shas.lines().enumerate() {
        want = want.replace(&format!("SHA{}", 6 - i), sha);
    }
    assert_eq!(text, want);
}

#[test]
fn changes_since_a_date_or_a_tag_as_json() {
    let r = eventful();
    let out = opsbook(
        &r.path(),
        &["changes", "--since", "2026-04-01", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let head = r.git(&["rev-parse", "HEAD"]);
    assert_eq!(json["since"], "2026-04-01");
    assert_eq!(json["since_ref"], serde_json::Value::Null);
    assert_eq!(json["head"], head.trim());
    assert_eq!(json["approximate"], false);
    assert_eq!(json["commits"], 3);
    assert_eq!(
        json["changes"][0],
        serde_json::json!({
            "type": "status", "kind": "roadmap-item", "path": "roadmap/single-sign-on.md",
            "id": "single-sign-on", "title": "Single sign-on", "from": "now", "to": "shipped",
            "commit": head.trim(), "date": "2026-10-01", "author": "Cy"
        })
    );
    let types: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, vec!["status", "renamed", "reviewed", "added"]);

    // After tag v1: the commits of 2026-03-02 onwards.
    let out = opsbook(&r.path(), &["changes", "--since", "v1", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["since_ref"], "v1");
    assert_eq!(json["commits"], 4);
    let out = opsbook(&r.path(), &["changes", "--since", "v9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--since v9: no commit, branch or tag `v9`"));
}

#[test]
fn a_repository_of_another_user_is_refused_with_the_safe_directory_fix() {
    let r = handbook();
    let owned = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(r.path())
        .status();
    if !owned.is_ok_and(|s| s.success()) {
        return; // not root: cannot give the folder away
    }
    let out = opsbook(&r.path(), &["check", "--today", TODAY]);
    if out.status.code() == Some(0) {
        return; // this machine's git config trusts every folder
    }
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("dubious ownership"), "{err}");
    assert!(
        err.contains(&format!(
            "git config --global --add safe.directory {}",
            r.path().display()
        )),
        "{err}"
    );
    let out = opsbook(&r.path(), &["check", "--today", TODAY, "--no-git"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn changes_in_a_shallow_clone_do_not_invent_new_items() {
    let r = eventful();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "2", &url, "c"],
        TODAY,
        "A <a@x>",
    );
    let clone = dir.path().join("c");
    let out = opsbook(&clone, &["changes", "--since", "1y", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // The boundary (2026-05-01) shows every file as added: only the last commit's change is real.
    let text = stdout(&out);
    assert!(
        text.starts_with("1 change in 1 commit since 2025-11-23\n"),
        "{text}"
    );
    assert!(text.contains("status now → shipped"), "{text}");
    assert!(stderr(&out).contains("fetch-depth: 0"), "{}", stderr(&out));
    let out = opsbook(&clone, &["changes", "--since", "1y", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["approximate"], true);
}

#[test]
fn export_fills_git_freshness_and_history() {
    let r = eventful();
    let out = opsbook(&r.path(), &["export", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let doc = |path: &str| {
        json["docs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"] == path)
            .unwrap_or_else(|| panic!("{path} not exported"))
            .clone()
    };
    let sso = doc("roadmap/single-sign-on.md");
    assert_eq!(
        sso["git"],
        serde_json::json!({"commit": sso["git"]["commit"], "updated": "2026-10-01", "author": "Cy",
            "created": "2026-01-05", "commits": 5, "approximate": false})
    );
    let moves: Vec<(String, String, serde_json::Value)> = sso["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["changes"]["status"].is_null())
        .map(|h| {
            (
                h["date"].as_str().unwrap().to_string(),
                h["author"].as_str().unwrap().to_string(),
                h["changes"]["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        vec![
            (
                "2026-01-05".into(),
                "Ana".into(),
                serde_json::json!([null, "later"])
            ),
            (
                "2026-02-10".into(),
                "Bo".into(),
                serde_json::json!(["later", "next"])
            ),
            (
                "2026-03-02".into(),
                "Ana".into(),
                serde_json::json!(["next", "now"])
            ),
            (
                "2026-10-01".into(),
                "Cy".into(),
                serde_json::json!(["now", "shipped"])
            ),
        ]
    );
    let sync = doc("processes/sync.md");
    assert_eq!(sync["freshness"]["source"], "frontmatter");
    assert_eq!(sync["freshness"]["reviewed"], "2026-04-01");
    assert_eq!(sync["freshness"]["state"], "stale");
    // Without git: the same documents, no git facts.
    let out = opsbook(&r.path(), &["export", "--today", TODAY, "--no-git"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(
        json["docs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["git"].is_null() && d["history"] == serde_json::json!([]))
    );
}

#[test]
fn export_takes_review_dates_from_git() {
    let r = handbook();
    let out = opsbook(&r.path(), &["export", "--today", TODAY]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let sync = json["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == "processes/sync.md")
        .unwrap();
    assert_eq!(
        sync["freshness"],
        serde_json::json!({"state": "overdue", "reviewed": "2026-06-01", "source": "git", "due": "2026-08-30", "approximate": false})
    );
}
