//! Clones that lack something, through the real binary: a blobless clone (exact dates, values
//! marked unavailable, the fix in the warning, and the fix works), a handbook whose files were
//! moved into its root from outside it, a damaged object, and a commit dated 9999-12-31.

use super::{Repo, TODAY, eventful, git, item, opsbook, stderr, stdout};

fn json(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn doc<'a>(export: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    export["docs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["path"] == path)
        .unwrap_or_else(|| panic!("{path} not exported"))
}

fn rules(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap().to_string())
        .collect()
}

/// A blobless clone of `r` (served by `file://`, so the filter is honoured).
fn blobless(r: &Repo) -> tempfile::TempDir {
    r.git(&["config", "uploadpack.allowFilter", "true"]);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path().display());
    git(
        dir.path(),
        &["clone", "-q", "--filter=blob:none", &url, "c"],
        TODAY,
        "A <a@x>",
    );
    dir
}

#[test]
fn a_blobless_clone_has_exact_dates_and_says_how_to_fetch_the_rest() {
    let r = eventful();
    let full = json(&opsbook(&r.path(), &["export", "--today", TODAY]));
    let dir = blobless(&r);
    let clone = dir.path().join("c");

    // `check` needs last commits only: nothing is missing for it.
    let check = json(&opsbook(
        &clone,
        &["check", "--today", TODAY, "--format", "json"],
    ));
    let full_check = json(&opsbook(
        &r.path(),
        &["check", "--today", TODAY, "--format", "json"],
    ));
    assert_eq!(check, full_check);

    let export = json(&opsbook(&clone, &["export", "--today", TODAY]));
    for d in full["docs"].as_array().unwrap() {
        let path = d["path"].as_str().unwrap();
        assert_eq!(doc(&export, path)["git"], d["git"], "{path}");
    }
    let history = doc(&export, "roadmap/single-sign-on.md")["history"]
        .as_array()
        .unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["unavailable"] == true && h["changes"] == serde_json::json!({})),
        "{history:?}"
    );
    // One warning more than the full clone's, said once.
    let mut want = rules(&full);
    want.insert(0, "missing-objects".to_string());
    assert_eq!(rules(&export), want);
    let warning = &export["diagnostics"][0];
    assert_eq!(warning["severity"], "warning");
    assert!(
        warning["message"]
            .as_str()
            .unwrap()
            .contains("dates and authors are exact"),
        "{warning}"
    );
    let help = warning["help"].as_str().unwrap();
    assert!(
        help.contains("`git fetch --refetch --no-filter origin`"),
        "{help}"
    );
    // `changes` says what it cannot tell.
    let out = opsbook(&clone, &["changes", "--since", "1y", "--today", TODAY]);
    assert!(
        stderr(&out).contains("git fetch --refetch --no-filter origin"),
        "{}",
        stderr(&out)
    );

    // The fix works: the same export as the full clone, byte for byte.
    git(
        &clone,
        &["fetch", "-q", "--refetch", "--no-filter", "origin"],
        TODAY,
        "A <a@x>",
    );
    let fixed = opsbook(&clone, &["export", "--today", TODAY]);
    let original = opsbook(&r.path(), &["export", "--today", TODAY]);
    assert_eq!(stdout(&fixed), stdout(&original));
}

/// A handbook rooted at `pages/` whose files came from `_pages/` (and one from further away,
/// moved with an edit): dates as `git log --follow` gives them.
fn moved_into_the_root() -> Repo {
    let r = Repo::new();
    let text = "Text that stays the same.\n".repeat(10);
    r.write(
        "_pages/roadmap/x.md",
        &format!("{}\n{text}", item("later", "owner: ana\n")),
    );
    r.write("docs/old/guide.md", &format!("# Guide\n\n{text}"));
    r.write("src/main.rs", "fn main() {}\n");
    r.commit("2016-09-30", "Ana <ana@example.com>");
    r.write(
        "_pages/roadmap/x.md",
        &format!("{}\n{text}", item("next", "owner: ana\n")),
    );
    r.commit("2018-03-01", "Bo <bo@example.com>");
    r.write("pages/opsbook.yml", "title: Pages\n");
    r.write("pages/org.yml", super::ORG);
    r.git(&["mv", "_pages/roadmap", "pages/roadmap"]);
    r.git(&["mv", "docs/old/guide.md", "pages/guide.md"]);
    r.write(
        "pages/guide.md",
        &format!("# Guide\n\nSee [x](roadmap/x.md).\n\n{text}"),
    );
    r.commit("2022-11-30", "Cy <cy@example.com>");
    r
}

#[test]
fn files_moved_into_the_root_keep_their_history() {
    let r = moved_into_the_root();
    let pages = r.path().join("pages");
    let export = json(&opsbook(&pages, &["export", "--today", TODAY]));
    let follow = |p: &str| {
        let log = r.git(&["log", "--follow", "--format=%as", "--", p]);
        (log.lines().last().unwrap().to_string(), log.lines().count())
    };
    for (path, repo_path) in [
        ("roadmap/x.md", "pages/roadmap/x.md"),
        ("guide.md", "pages/guide.md"),
    ] {
        let g = &doc(&export, path)["git"];
        let (created, commits) = follow(repo_path);
        assert_eq!(g["created"], created.as_str(), "{path}");
        assert_eq!(g["commits"], commits, "{path}");
        assert_eq!(g["approximate"], false, "{path}");
    }
    assert_eq!(doc(&export, "roadmap/x.md")["git"]["created"], "2016-09-30");
    let moves: Vec<_> = doc(&export, "roadmap/x.md")["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["event"].clone(), h["renamed_from"].clone()))
        .collect();
    assert_eq!(
        moves,
        [
            (serde_json::json!("added"), serde_json::Value::Null),
            (serde_json::json!("modified"), serde_json::Value::Null),
            (
                serde_json::json!("renamed"),
                serde_json::json!("../_pages/roadmap/x.md")
            ),
        ]
    );
    let out = opsbook(&pages, &["changes", "--since", "20y", "--today", TODAY]);
    let text = stdout(&out);
    assert!(
        text.contains("roadmap/x.md (Single sign-on): moved from ../_pages/roadmap/x.md")
            && text.contains("status later → next"),
        "{text}"
    );
}

#[test]
fn a_damaged_object_is_named_and_git_fsck_suggested() {
    let r = eventful();
    let blob = r.git(&["rev-parse", "HEAD~2:roadmap/sso.md"]);
    let blob = blob.trim();
    let path = r
        .path()
        .join(".git/objects")
        .join(&blob[..2])
        .join(&blob[2..]);
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, b"not an object").unwrap();
    let out = opsbook(&r.path(), &["export", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(blob) && err.contains("`git fsck`"), "{err}");
}

#[test]
fn a_commit_dated_9999_12_31_shows_that_day() {
    let r = Repo::new();
    r.write("roadmap/far.md", &item("later", ""));
    git(&r.path(), &["add", "-A"], TODAY, "Ana <ana@example.com>");
    let out = std::process::Command::new("git")
        .args(["commit", "-q", "-m", "far"])
        .current_dir(r.path())
        .env("HOME", r.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .envs([
            ("GIT_AUTHOR_NAME", "Ana"),
            ("GIT_AUTHOR_EMAIL", "ana@example.com"),
            ("GIT_COMMITTER_NAME", "Ana"),
            ("GIT_COMMITTER_EMAIL", "ana@example.com"),
            ("GIT_AUTHOR_DATE", "@253402257600 +0000"),
            ("GIT_COMMITTER_DATE", "@253402257600 +0000"),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let export = json(&opsbook(&r.path(), &["export", "--today", TODAY]));
    assert_eq!(
        doc(&export, "roadmap/far.md")["git"]["updated"],
        "9999-12-31"
    );
    let site = tempfile::tempdir().unwrap();
    let out = opsbook(
        &r.path(),
        &[
            "build",
            "--today",
            TODAY,
            "--out",
            &site.path().join("s").to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(site.path().join("s/roadmap/far.html")).unwrap();
    assert!(
        page.contains("9999-12-31") && !page.contains("-009999"),
        "{page}"
    );
}
