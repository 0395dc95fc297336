//! Skipping commits in a pass that stops early. The commit-graph's changed-path filters: read
//! as git writes them (both hash versions, one file and a chain), never when they do not read
//! soundly. Skipping by the filters or by the trees, a pass reports exactly the facts of one
//! that diffs every commit.

use std::collections::{BTreeSet, HashSet};

use super::bloom::{Key, murmur3};
use super::graph::Graph;
use super::tests::{TestRepo, cfg, item};
use super::walk::{DIFFED, NO_STORE, SKIPPED, TREE_SKIPPED, TREES_OFF, WITHIN_DIFFED, WITHIN_OFF};
use super::*;

const ANA: &str = "Ana <ana@example.com>";
const BO: &str = "Bo <bo@example.com>";

#[test]
fn murmur3_gives_the_reference_values() {
    // Reference values of MurmurHash3_x86_32.
    assert_eq!(murmur3(0, b""), 0);
    assert_eq!(murmur3(1, b""), 0x514e_28b7);
    assert_eq!(murmur3(0xffff_ffff, b""), 0x81f1_6f39);
    assert_eq!(murmur3(0, b"\0\0\0\0"), 0x2362_f9de);
    assert_eq!(murmur3(0x9747_b28c, b"aaaa"), 0x5a97_808a);
    assert_eq!(murmur3(0, b"abc"), 0xb3dd_93fa);
    assert_eq!(murmur3(0x9747_b28c, b"abc"), 0xc84a_62dd);
    assert_eq!(
        murmur3(0x9747_b28c, b"The quick brown fox jumps over the lazy dog"),
        0x2fa8_26cd
    );
}

/// A history with folders, names with bytes over 0x7f (in the last bytes too), a rename, a
/// deletion, a side branch and a merge.
fn varied() -> TestRepo {
    let r = TestRepo::new();
    r.write("org.yml", "people: []\n");
    r.write("roadmap/a.md", &item("later", ""));
    r.write("guides/setup/intro.md", "# Intro\n");
    r.commit("2026-01-01", ANA);
    for (i, day) in ["02", "03", "04", "05", "06", "07"].iter().enumerate() {
        r.write(&format!("roadmap/n{i}.md"), &item("next", ""));
        if i % 2 == 0 {
            r.write("guides/setup/intro.md", &format!("# Intro\n\n{i}\n"));
        }
        r.commit(&format!("2026-01-{day}"), BO);
    }
    r.write("guides/café.md", "# Café\n");
    r.write("guides/naïve-ü.md", "# Naïve\n");
    r.commit("2026-02-01", ANA);
    r.git(&["mv", "roadmap/a.md", "roadmap/renamed.md"]);
    r.commit("2026-02-02", BO);
    std::fs::remove_file(r.path().join("roadmap/n1.md")).unwrap();
    r.commit("2026-02-03", ANA);
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("processes/p.md", "---\ntitle: P\nowner: ana\n---\n# P\n");
    r.commit("2026-02-04", BO);
    r.git(&["checkout", "-q", "main"]);
    r.write("guides/café.md", "# Café\n\nMore.\n");
    r.commit("2026-02-05", ANA);
    r.git(&["merge", "-q", "--no-ff", "-m", "merge", "side"]);
    r.write("roadmap/n2.md", &item("now", ""));
    r.commit("2026-02-07", BO);
    r
}

fn write_graph(r: &TestRepo, version: u32, split: bool) {
    let v = format!("commitGraph.changedPathsVersion={version}");
    let mut args = vec![
        "-c",
        &v,
        "commit-graph",
        "write",
        "--reachable",
        "--changed-paths",
    ];
    if split {
        args.push("--split=no-merge");
    }
    r.git(&args);
}

fn objects(r: &TestRepo) -> std::path::PathBuf {
    r.path().join(".git/objects")
}

/// Each commit, with the paths its diff against its first parent changed (and the folders
/// above them), as git lists them.
fn changed(r: &TestRepo) -> Vec<(Oid, HashSet<String>)> {
    r.git(&["rev-list", "--all"])
        .lines()
        .map(|c| {
            let parent = r.git(&["rev-list", "--parents", "-n1", c]);
            let mut args = vec!["diff-tree", "-r", "-z", "--no-renames", "--name-only"];
            match parent.split_whitespace().nth(1) {
                Some(p) => args.extend([p, c]),
                None => args.extend(["--root", c]),
            }
            let out = r.git(&args);
            let mut paths = HashSet::new();
            for p in out.split('\0').filter(|p| !p.is_empty() && *p != c) {
                let mut at = p;
                paths.insert(at.to_string());
                while let Some((up, _)) = at.rsplit_once('/') {
                    paths.insert(up.to_string());
                    at = up;
                }
            }
            (Oid::from_str(c).unwrap(), paths)
        })
        .collect()
}

#[test]
fn filters_written_by_git_never_miss_a_changed_path() {
    let r = varied();
    let history = changed(&r);
    let everything: HashSet<String> = history.iter().flat_map(|h| h.1.clone()).collect();
    for version in [1, 2] {
        write_graph(&r, version, false);
        let graph = Graph::open(&objects(&r), &[1, 2]).expect("a graph with filters");
        assert!(Graph::open(&objects(&r), &[3 - version]).is_none());
        let (mut said_no, mut unchanged) = (0, 0);
        for (commit, paths) in &history {
            let filter = graph.filter(*commit).expect("every commit has a filter");
            for p in &everything {
                let maybe = filter.maybe(&Key::new(p));
                if paths.contains(p) {
                    assert!(maybe, "v{version}: {p} changed in {commit}");
                } else if version == 1 && !p.is_ascii() {
                    assert!(maybe, "v1 filters are not asked about {p}");
                } else {
                    unchanged += 1;
                    said_no += usize::from(!maybe);
                }
            }
        }
        // The hashes are git's: nearly every unchanged path is ruled out.
        assert!(
            said_no * 10 >= unchanged * 9,
            "v{version}: {said_no} of {unchanged}"
        );
        // A commit the graph does not have has no filter.
        assert!(
            graph
                .filter(Oid::from_str(&"ab".repeat(20)).unwrap())
                .is_none()
        );
    }
}

#[test]
fn a_graph_that_does_not_read_soundly_is_no_graph() {
    let r = varied();
    write_graph(&r, 2, false);
    let file = objects(&r).join("info/commit-graph");
    let good = std::fs::read(&file).unwrap();
    assert!(Graph::open(&objects(&r), &[1, 2]).is_some());
    let mut flipped = good.clone();
    let at = good.len() - 40;
    flipped[at] ^= 0x10;
    let mut version = good.clone();
    version[4] = 2;
    for (what, bytes) in [
        ("a byte changed in the filters", flipped),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("another version", version),
        ("empty", Vec::new()),
        (
            "not a graph",
            b"CGPH\x01\x01\x05\x00 and then nothing".to_vec(),
        ),
    ] {
        std::fs::write(&file, &bytes).unwrap();
        assert!(Graph::open(&objects(&r), &[1, 2]).is_none(), "{what}");
    }
    std::fs::remove_file(&file).unwrap();
    assert!(Graph::open(&objects(&r), &[1, 2]).is_none(), "no file");
}

#[test]
fn a_chain_is_read_as_far_as_its_layers_are_sound() {
    let r = varied();
    write_graph(&r, 1, true);
    let base: Vec<Oid> = changed(&r).into_iter().map(|c| c.0).collect();
    r.write("roadmap/late.md", &item("later", ""));
    let top = Oid::from_str(&r.commit("2026-03-01", ANA)).unwrap();
    write_graph(&r, 1, true);
    let dir = objects(&r).join("info/commit-graphs");
    let chain = std::fs::read_to_string(dir.join("commit-graph-chain")).unwrap();
    let layers: Vec<&str> = chain.lines().collect();
    assert_eq!(layers.len(), 2, "{chain}");
    let graph = Graph::open(&objects(&r), &[1, 2]).unwrap();
    assert!(base.iter().all(|c| graph.filter(*c).is_some()));
    assert!(graph.filter(top).is_some());
    // A damaged top layer: the base still serves its commits.
    let top_file = dir.join(format!("graph-{}.graph", layers[1]));
    let mut bytes = std::fs::read(&top_file).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&top_file, &bytes).unwrap();
    let graph = Graph::open(&objects(&r), &[1, 2]).unwrap();
    assert!(base.iter().all(|c| graph.filter(*c).is_some()));
    assert!(graph.filter(top).is_none());
    // A chain that names the layers in another order reads as none.
    std::fs::write(
        dir.join("commit-graph-chain"),
        format!("{}\n{}\n", layers[1], layers[0]),
    )
    .unwrap();
    assert!(Graph::open(&objects(&r), &[1, 2]).is_none());
}

/// The facts of a pass that stops once `wanted` have their last commit, and how many
/// commits it diffed and skipped by the graph (not skipping by trees).
fn early(r: &TestRepo, wanted: &[&str]) -> (String, usize, usize) {
    TREES_OFF.set(true);
    let out = early_by_trees(r, wanted);
    TREES_OFF.set(false);
    (out.0, out.1, out.2)
}

/// [`early`], skipping by trees unless told not to; and how many commits the trees skipped.
fn early_by_trees(r: &TestRepo, wanted: &[&str]) -> (String, usize, usize, usize) {
    DIFFED.set(0);
    SKIPPED.set(0);
    TREE_SKIPPED.set(0);
    // No cache: each pass diffs (or skips) every commit it walks.
    let _ = std::fs::remove_dir_all(r.path().join(".git/opsbook"));
    let opts = ReadOptions {
        skip_history: true,
        skip_status: true,
        stop_after: Some(
            wanted
                .iter()
                .map(|w| w.to_string())
                .collect::<BTreeSet<_>>(),
        ),
        ..ReadOptions::default()
    };
    let repo = Repo::open(&r.path()).unwrap().unwrap();
    let facts = repo.facts(&cfg(&r.path()), &opts).unwrap();
    let json = serde_json::to_string_pretty(&facts).unwrap();
    (json, DIFFED.get(), SKIPPED.get(), TREE_SKIPPED.get())
}

/// Waiting sets over [`varied`]: folders with one file and with more than a few, nested and
/// at the top, renamed, removed, with bytes over 0x7f, never there, and a file where a folder
/// was.
fn waiting_sets() -> Vec<Vec<String>> {
    let mut many: Vec<String> = (0..6).map(|i| format!("roadmap/n{i}.md")).collect();
    many.extend(["roadmap/a.md", "roadmap/renamed.md", "roadmap/x.md"].map(String::from));
    let cases: [&[&str]; 6] = [
        &["guides/setup/intro.md"],
        &["roadmap/renamed.md", "processes/p.md"],
        &["guides/café.md", "guides/naïve-ü.md", "org.yml"],
        &["roadmap/n0.md", "roadmap/n3.md", "org.yml"],
        &["roadmap/n2.md"],
        &[
            "org.yml/inside.md",
            "nowhere/deep/x.md",
            "guides/setup/intro.md",
        ],
    ];
    let mut sets: Vec<Vec<String>> = cases
        .iter()
        .map(|c| c.iter().map(|p| p.to_string()).collect())
        .collect();
    sets.push(many);
    sets
}

#[test]
fn skipping_commits_by_their_trees_gives_the_same_facts() {
    let r = varied();
    let cases = waiting_sets();
    let mut skipped = 0;
    for wanted in &cases {
        let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
        TREES_OFF.set(true);
        let (plain, plain_diffed, _, none) = early_by_trees(&r, &wanted);
        TREES_OFF.set(false);
        assert_eq!(none, 0);
        let (facts, diffed, _, by_trees) = early_by_trees(&r, &wanted);
        assert_eq!(facts, plain, "{wanted:?}");
        assert_eq!(diffed + by_trees, plain_diffed, "{wanted:?}");
        skipped += by_trees;
    }
    assert!(
        skipped >= cases.len(),
        "the trees skipped {skipped} commits"
    );
}

#[test]
fn a_pass_without_a_cache_diffing_only_the_waiting_folders_gives_the_same_facts() {
    let r = varied();
    NO_STORE.set(true);
    for trees_off in [true, false] {
        TREES_OFF.set(trees_off);
        for wanted in &waiting_sets() {
            let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
            WITHIN_OFF.set(true);
            let (whole, whole_diffed, ..) = early_by_trees(&r, &wanted);
            WITHIN_OFF.set(false);
            WITHIN_DIFFED.set(0);
            let (within, diffed, ..) = early_by_trees(&r, &wanted);
            assert_eq!(within, whole, "{wanted:?}");
            assert_eq!(diffed, whole_diffed, "{wanted:?}");
            assert_eq!(WITHIN_DIFFED.get(), diffed, "{wanted:?}");
        }
    }
    TREES_OFF.set(false);
    NO_STORE.set(false);
}

#[test]
#[cfg(unix)]
fn a_name_that_is_not_utf8_is_left_to_the_diff() {
    use std::os::unix::ffi::OsStrExt;
    let r = TestRepo::new();
    let bad = std::ffi::OsStr::from_bytes(b"guides/bad\xff.md");
    r.write("guides/ok.md", "# Ok\n");
    r.commit("2026-01-01", ANA);
    std::fs::write(r.path().join(bad), "# Bad\n").unwrap();
    r.commit("2026-01-02", BO);
    r.write("guides/ok.md", "# Ok\n\nMore.\n");
    r.commit("2026-01-03", ANA);
    let wanted = ["guides/bad\u{FFFD}.md"];
    TREES_OFF.set(true);
    let (plain, ..) = early_by_trees(&r, &wanted);
    TREES_OFF.set(false);
    assert!(plain.contains("2026-01-02"), "{plain}");
    assert_eq!(early_by_trees(&r, &wanted).0, plain);
}

#[test]
fn skipping_commits_by_the_graph_gives_the_same_facts() {
    let r = varied();
    let cases: [&[&str]; 4] = [
        &["guides/setup/intro.md"],
        &["roadmap/renamed.md", "processes/p.md"],
        &["guides/café.md", "guides/naïve-ü.md", "org.yml"],
        &["roadmap/n0.md", "roadmap/n3.md", "org.yml"],
    ];
    for version in [1, 2] {
        let without: Vec<_> = cases.iter().map(|w| early(&r, w)).collect();
        assert!(without.iter().all(|w| w.2 == 0));
        write_graph(&r, version, false);
        for (wanted, plain) in cases.iter().zip(&without) {
            let (facts, diffed, skipped) = early(&r, wanted);
            assert_eq!(facts, plain.0, "v{version} {wanted:?}");
            assert!(skipped > 0 && diffed < plain.1, "v{version} {wanted:?}");
        }
        // A stale graph: the commits newer than it are diffed.
        r.write(
            "guides/setup/intro.md",
            &format!("# Intro\n\nNewer {version}.\n"),
        );
        r.commit(&format!("2026-03-0{version}"), ANA);
        r.write(
            "roadmap/n4.md",
            &item(["now", "next"][version as usize - 1], ""),
        );
        r.commit(&format!("2026-04-0{version}"), BO);
        std::fs::rename(
            objects(&r).join("info/commit-graph"),
            objects(&r).join("info/kept"),
        )
        .unwrap();
        let now: Vec<_> = cases.iter().map(|w| early(&r, w).0).collect();
        std::fs::rename(
            objects(&r).join("info/kept"),
            objects(&r).join("info/commit-graph"),
        )
        .unwrap();
        for (wanted, plain) in cases.iter().zip(&now) {
            assert_eq!(&early(&r, wanted).0, plain, "stale v{version} {wanted:?}");
        }
        std::fs::remove_file(objects(&r).join("info/commit-graph")).unwrap();
    }
}

#[test]
fn git_can_be_told_not_to_read_the_filters() {
    let r = varied();
    write_graph(&r, 1, false);
    assert!(early(&r, &["guides/setup/intro.md"]).2 > 0);
    for (key, value) in [
        ("core.commitGraph", "false"),
        ("commitGraph.readChangedPaths", "false"),
        ("commitGraph.changedPathsVersion", "2"),
        ("commitGraph.changedPathsVersion", "0"),
    ] {
        r.git(&["config", key, value]);
        assert_eq!(early(&r, &["guides/setup/intro.md"]).2, 0, "{key}={value}");
        r.git(&["config", "--unset", key]);
    }
}
