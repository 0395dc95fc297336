//! Git facts through edits, commits and index changes.

use std::path::Path;

use super::Live;
use super::generated::generated;

/// `git ARGS` in `dir` with a fixed author and date and no user configuration.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ana Lima")
        .env("GIT_AUTHOR_EMAIL", "ana@acme.example")
        .env("GIT_COMMITTER_NAME", "Ana Lima")
        .env("GIT_COMMITTER_EMAIL", "ana@acme.example")
        .env("GIT_AUTHOR_DATE", "2026-11-20T12:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-11-20T12:00:00+00:00")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn git_facts_follow_edits_commits_and_the_index() {
    let mut live = Live::new(
        |root| {
            generated(11)(root);
            git(root, &["init", "-q", "-b", "main"]);
            git(root, &["add", "-A"]);
            git(root, &["commit", "-q", "-m", "Start"]);
        },
        true,
    );
    live.same_as_build(&["start"]);
    // Modified locally.
    live.edit("roadmap/i3.md", "## Context", "## Context\n\nEdited.");
    live.rebuilt(&["roadmap/i3.md"]);
    // Committed: HEAD moves, no file changes.
    git(&live.root, &["commit", "-q", "-am", "Edit i3"]);
    live.rebuilt_after(&[], true);
    // Deleted from the index, kept in the work tree: modified locally for git.
    git(&live.root, &["rm", "-q", "--cached", "roadmap/i7.md"]);
    live.rebuilt_after(&[], true);
    // An edit elsewhere keeps that mark.
    live.edit("roadmap/i8.md", "## Context", "## Context\n\nEdited.");
    live.rebuilt(&["roadmap/i8.md"]);
    // Gone and back, as a new file of git's (deleted in the index).
    let i7 = live.read("roadmap/i7.md");
    std::fs::remove_file(live.root.join("roadmap/i7.md")).unwrap();
    live.rebuilt(&["roadmap/i7.md"]);
    live.write("roadmap/i7.md", &i7);
    live.rebuilt(&["roadmap/i7.md"]);
    // A committed file removed with `rm` and made again unchanged: not modified.
    let i9 = live.read("roadmap/i9.md");
    std::fs::remove_file(live.root.join("roadmap/i9.md")).unwrap();
    live.rebuilt(&["roadmap/i9.md"]);
    live.write("roadmap/i9.md", &i9);
    live.rebuilt(&["roadmap/i9.md"]);
    // Removed with `git rm` (index and work tree), then made again: deleted in the index,
    // so modified locally for git.
    git(&live.root, &["rm", "-q", "roadmap/i9.md"]);
    live.rebuilt_after(&["roadmap/i9.md"], true);
    live.write("roadmap/i9.md", &i9);
    live.rebuilt(&["roadmap/i9.md"]);
}
