//! What the history shows, over real repositories: files moved into the handbook root from
//! outside it, and commits dated at the edges of the calendar.

use std::process::Command;

use super::tests::{TestRepo, facts_at, git_in, item};
use super::tests_clones::{ANA, BO, CY, body, date};
use super::*;
use jiff::civil::Date;

/// `git log --follow` across the handbook root: the repository's whole tree is the rename
/// scope, the root only says which files are documents.
#[test]
fn a_file_moved_into_the_root_keeps_its_history() {
    let r = TestRepo::new();
    r.write("_pages/roadmap/x.md", &(item("later", "") + &body("X")));
    r.write("_pages/guide.md", &body("Guide"));
    r.write("src/main.rs", "fn main() {}\n");
    r.commit("2016-09-30", ANA);
    r.write("_pages/roadmap/x.md", &(item("next", "") + &body("X")));
    r.write("src/main.rs", "fn main() { }\n");
    r.commit("2018-01-01", BO);
    std::fs::create_dir_all(r.path().join("old")).unwrap();
    r.git(&["mv", "_pages/guide.md", "old/guide.md"]);
    r.commit("2019-01-01", CY);
    r.write("pages/opsbook.yml", "title: T\n");
    r.git(&["mv", "_pages/roadmap", "pages/roadmap"]);
    r.git(&["mv", "old/guide.md", "pages/guide.md"]);
    r.write("pages/guide.md", &body("Guide, moved with an edit"));
    r.commit("2022-11-30", ANA);
    r.write("pages/roadmap/x.md", &(item("now", "") + &body("X")));
    r.commit("2023-01-01", BO);

    let f = facts_at(&r.path().join("pages"));
    let x = &f.files["roadmap/x.md"];
    assert_eq!((x.created.date, x.commits), (date("2016-09-30"), 4));
    assert!(!x.approximate);
    let guide = &f.files["guide.md"];
    // What `git log --follow` says.
    let follow = r.git(&["log", "--follow", "--format=%as", "--", "pages/guide.md"]);
    assert_eq!(follow.lines().last(), Some("2016-09-30"));
    assert_eq!(guide.commits as usize, follow.lines().count());
    assert_eq!(guide.created.date, date("2016-09-30"));
    let h = f.history_of("roadmap/x.md");
    let seen: Vec<_> = h
        .iter()
        .map(|e| {
            (
                e.commit.date.to_string(),
                e.event,
                e.renamed_from.clone(),
                e.changes.get("status").cloned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "2016-09-30".into(),
                Event::Added,
                None,
                Some([None, Some("later".into())])
            ),
            (
                "2018-01-01".into(),
                Event::Modified,
                None,
                Some([Some("later".into()), Some("next".into())])
            ),
            (
                "2022-11-30".into(),
                Event::Renamed,
                Some("../_pages/roadmap/x.md".into()),
                None
            ),
            (
                "2023-01-01".into(),
                Event::Modified,
                None,
                Some([Some("next".into()), Some("now".into())])
            ),
        ]
    );
    // Only documents are files of the handbook.
    assert_eq!(
        f.files.keys().collect::<Vec<_>>(),
        vec!["guide.md", "opsbook.yml", "roadmap/x.md"]
    );
}

#[test]
fn extreme_dates_are_exact_or_clamped() {
    let day = |s: i64, off: i32| civil_date(s, off).to_string();
    // 9999-12-31 at noon UTC, beyond what a timestamp holds.
    assert_eq!(day(253_402_257_600, 0), "9999-12-31");
    assert_eq!(day(253_402_257_600, -600), "9999-12-31");
    // Past the last day: clamped to it, never wrapped to year -9999.
    assert_eq!(day(253_402_257_600, 14 * 60), "9999-12-31");
    assert_eq!(day(i64::MAX, 0), "9999-12-31");
    assert_eq!(day(i64::MIN, 0), Date::MIN.to_string());
    assert_eq!(day(0, -60), "1969-12-31");
    assert_eq!(day(-1, 0), "1969-12-31");
    assert!(clamp_time(i64::MAX) == jiff::Timestamp::MAX.as_second());

    let r = TestRepo::new();
    r.write("a.md", "# A\n");
    git_in(&r.path(), &["add", "-A"], "2026-01-01", ANA);
    let out = Command::new("git")
        .args(["commit", "-q", "-m", "far"])
        .current_dir(r.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", r.path())
        .env("GIT_AUTHOR_NAME", "Ana")
        .env("GIT_AUTHOR_EMAIL", "ana@example.com")
        .env("GIT_COMMITTER_NAME", "Ana")
        .env("GIT_COMMITTER_EMAIL", "ana@example.com")
        .env("GIT_AUTHOR_DATE", "@253402257600 +0000")
        .env("GIT_COMMITTER_DATE", "@253402257600 +0000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let f = facts_at(&r.path());
    assert_eq!(f.files["a.md"].last.date.to_string(), "9999-12-31");
}

#[test]
fn paths_outside_the_root_go_up_from_it() {
    use super::diff::{from_repo, to_repo};
    for (prefix, repo, rel) in [
        ("pages/", "_pages/a.md", "../_pages/a.md"),
        ("pages/", "pages/a.md", "a.md"),
        ("docs/handbook/", "docs/old/a.md", "../old/a.md"),
        (
            "docs/handbook/",
            "docs/handbook-2/a.md",
            "../handbook-2/a.md",
        ),
        ("docs/handbook/", "a.md", "../../a.md"),
        ("", "x/a.md", "x/a.md"),
    ] {
        assert_eq!(from_repo(prefix, repo), rel);
        assert_eq!(to_repo(prefix, rel), repo);
    }
}
