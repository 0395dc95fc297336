//! git's commit-graph with changed-path filters (`git commit-graph write --reachable
//! --changed-paths`) lets `check` skip diffing commits that changed none of the documents it
//! still dates, and changes no output: `check` (whole and of one file) and `export` are
//! byte-identical with and without the graph, for both versions of the filters, with a graph
//! older than HEAD (a rename, an edit and a merge after it) and with a damaged graph.
//!
//! The history is `history.rs`'s: the handbook in `pages/` (moved there from `_pages/`),
//! renames with edits, a merge, code outside the handbook, and a process untouched since the
//! move, so that `check` walks far back for its date.

use std::path::{Path, PathBuf};

use super::common::first_difference;
use super::history::long_history;
use super::{TODAY, git, opsbook_with};

const ANA: &str = "Ana <ana@example.com>";

/// The standard output of `check` (JSON), of `check` of one file and of `export`, run cold
/// (no git cache), each with its exit code.
fn outputs(hb: &Path) -> String {
    let runs: [&[&str]; 3] = [
        &["check", "--today", TODAY, "--format", "json"],
        &[
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "processes/p0.md",
        ],
        &["export", "--today", TODAY],
    ];
    let mut all = String::new();
    for args in runs {
        let out = opsbook_with(hb, args, &[("OPSBOOK_NO_GIT_CACHE", "1")]);
        all.push_str(&format!(
            "== {args:?} exit {:?}\n{}\n{}\n",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    all
}

/// How many commits a cold `check` of one process (untouched since the handbook moved, so the
/// walk goes far back for its date) did not diff thanks to the graph (from its timings). One
/// file, so that the paths the pass looks for are known from its start: in a whole check they
/// arrive once the documents are read, and how many commits were walked by then depends on
/// timing (the output never does).
fn skipped(hb: &Path) -> usize {
    let out = opsbook_with(
        hb,
        &["check", "--today", TODAY, "processes/p2.md"],
        &[("OPSBOOK_NO_GIT_CACHE", "1"), ("OPSBOOK_TIMINGS", "1")],
    );
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| {
            let rest = l.strip_prefix("timing: git: ")?;
            let (n, after) = rest.split_once(' ')?;
            after
                .starts_with("commits skipped by the commit-graph")
                .then(|| n.parse().unwrap())
        })
        .unwrap_or(0)
}

fn write_graph(repo: &Path, version: u32) {
    let v = format!("commitGraph.changedPathsVersion={version}");
    let args = [
        "-c",
        &v,
        "commit-graph",
        "write",
        "--reachable",
        "--changed-paths",
    ];
    git(repo, &args, TODAY, ANA);
}

fn graph_file(repo: &Path) -> PathBuf {
    repo.join(".git/objects/info/commit-graph")
}

/// Outputs equal, or the first place they differ.
fn same(what: &str, got: &str, want: &str) {
    assert!(got == want, "{what}:\n{}", first_difference(want, got));
}

#[test]
fn the_commit_graph_changes_no_output() {
    let dir = long_history();
    let repo = dir.path();
    let hb = repo.join("pages");
    let plain = outputs(&hb);
    assert!(plain.contains("review-from-git"), "{plain}");
    for version in [1, 2] {
        write_graph(repo, version);
        assert!(
            skipped(&hb) > 0,
            "version {version}: the graph was not used"
        );
        same(&format!("version {version}"), &outputs(&hb), &plain);
        std::fs::remove_file(graph_file(repo)).unwrap();
    }

    // A graph older than HEAD: a git-dated process renamed, another edited on a branch that
    // is merged; the commits after the graph are diffed.
    write_graph(repo, 1);
    let g = |args: &[&str]| git(repo, args, "2026-06-01", ANA);
    g(&["mv", "pages/processes/p0.md", "pages/processes/p0-moved.md"]);
    g(&["commit", "-q", "-m", "move p0"]);
    g(&["checkout", "-q", "-b", "later"]);
    std::fs::write(
        repo.join("pages/processes/p1.md"),
        "---\ntitle: Weekly sync\nowner: pm\n---\n# Weekly sync\n\n## Steps\n\n1. Meet, later.\n",
    )
    .unwrap();
    g(&["commit", "-q", "-am", "edit p1"]);
    g(&["checkout", "-q", "main"]);
    g(&["merge", "-q", "--no-ff", "-m", "merge later", "later"]);
    let kept = repo.join(".git/kept-graph");
    std::fs::rename(graph_file(repo), &kept).unwrap();
    let now = outputs(&hb);
    assert!(now.contains("p0-moved.md"), "{now}");
    std::fs::rename(&kept, graph_file(repo)).unwrap();
    assert!(skipped(&hb) > 0, "the stale graph was not used");
    same("a graph older than HEAD", &outputs(&hb), &now);

    // A damaged graph is no graph.
    let good = std::fs::read(graph_file(repo)).unwrap();
    let mut flipped = good.clone();
    let at = good.len() - 30;
    flipped[at] ^= 0x04;
    for (what, bytes) in [
        ("a changed byte", flipped),
        ("truncated", good[..300].to_vec()),
    ] {
        std::fs::remove_file(graph_file(repo)).unwrap();
        std::fs::write(graph_file(repo), bytes).unwrap();
        assert_eq!(skipped(&hb), 0, "{what}");
        same(what, &outputs(&hb), &now);
    }
}
