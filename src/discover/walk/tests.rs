//! The walk's rules, on real folders with real symbolic links.

use super::*;
use std::os::unix::fs::symlink;

fn rels(w: &Walked) -> Vec<&str> {
    w.files.iter().map(|f| f.rel.as_str()).collect()
}

fn skipped(w: &Walked) -> Vec<(&str, &str)> {
    w.skipped
        .iter()
        .map(|d| (d.path.to_str().unwrap(), d.rule.name()))
        .collect()
}

fn handbook() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hb");
    fs::create_dir_all(root.join("a/b")).unwrap();
    fs::write(root.join("a/b/x.md"), "x").unwrap();
    fs::write(root.join("a/y.md"), "y").unwrap();
    fs::create_dir_all(dir.path().join("outside")).unwrap();
    fs::write(dir.path().join("outside/secret"), "s").unwrap();
    (dir, root.canonicalize().unwrap())
}

#[test]
fn links_out_dangling_looping_and_hidden_are_skipped_with_a_warning() {
    let (dir, root) = handbook();
    symlink(dir.path().join("outside"), root.join("out")).unwrap();
    symlink(dir.path().join("outside/secret"), root.join("a/secret")).unwrap();
    symlink(root.join("nothing"), root.join("dangling.md")).unwrap();
    symlink(root.join("loop2"), root.join("loop1")).unwrap();
    symlink(root.join("loop1"), root.join("loop2")).unwrap();
    fs::write(root.join(".env"), "KEY=1").unwrap();
    symlink(root.join(".env"), root.join("env.txt")).unwrap();
    // An editor's lock link is hidden: skipped without a word, never followed.
    symlink("ana@host.1234:1700000000", root.join("a/.#y.md")).unwrap();
    let w = walk(&root, "", &|_, _, _| false).unwrap();
    assert_eq!(rels(&w), ["a/b/x.md", "a/y.md"]);
    assert_eq!(
        skipped(&w),
        [
            ("a/secret", "symlink-outside"),
            ("dangling.md", "symlink-skipped"),
            ("env.txt", "symlink-skipped"),
            ("loop1", "symlink-skipped"),
            ("loop2", "symlink-skipped"),
            ("out", "symlink-outside"),
        ]
    );
    assert!(
        w.skipped[0]
            .message
            .contains("`a/secret` is a symbolic link")
    );
}

#[test]
fn links_inside_the_root_are_followed_once_and_never_loop() {
    let (_dir, root) = handbook();
    fs::create_dir_all(root.join("c")).unwrap();
    fs::write(root.join("c/d.md"), "d").unwrap();
    symlink(root.join("a/b"), root.join("more")).unwrap();
    symlink(root.join("a/y.md"), root.join("y-again.md")).unwrap();
    // Folder links to ancestors (a loop), and one that is nested in a linked folder when
    // reached through `more`.
    symlink(&root, root.join("a/b/up")).unwrap();
    symlink(root.join("a"), root.join("a/b/back")).unwrap();
    symlink(root.join("c"), root.join("a/b/side")).unwrap();
    let w = walk(&root, "", &|_, _, _| false).unwrap();
    assert_eq!(
        rels(&w),
        [
            "a/b/side/d.md",
            "a/b/x.md",
            "a/y.md",
            "c/d.md",
            "more/x.md",
            "y-again.md"
        ],
        "{:?}",
        w.skipped
    );
    assert_eq!(
        w.files[5].path,
        root.join("a/y.md"),
        "read by its real path"
    );
    assert_eq!(
        skipped(&w),
        [
            ("a/b/back", "symlink-skipped"),
            ("a/b/up", "symlink-skipped"),
            ("more/back", "symlink-skipped"),
            ("more/side", "symlink-skipped"),
            ("more/up", "symlink-skipped"),
        ]
    );
    assert!(w.skipped[3].message.contains("inside a linked folder"));
}

#[test]
fn skip_is_asked_by_name_and_by_real_target() {
    let (_dir, root) = handbook();
    symlink(root.join("a/b"), root.join("linked")).unwrap();
    let w = walk(&root, "", &|rel, _, _| rel.starts_with("a/b")).unwrap();
    assert_eq!(rels(&w), ["a/y.md"]);
    assert!(w.skipped.is_empty());
}

#[test]
fn a_linked_start_folder_out_of_the_root_is_not_read() {
    let (dir, root) = handbook();
    symlink(dir.path().join("outside"), root.join("static")).unwrap();
    let w = walk(&root, "static", &|_, _, _| false).unwrap();
    assert!(w.files.is_empty());
    assert_eq!(skipped(&w), [("static", "symlink-outside")]);
    assert!(
        walk(&root, "missing", &|_, _, _| false)
            .unwrap()
            .files
            .is_empty()
    );
}

#[test]
fn real_file_stays_inside_and_visible() {
    let (dir, root) = handbook();
    symlink(dir.path().join("outside/secret"), root.join("s")).unwrap();
    fs::write(root.join(".env"), "KEY=1").unwrap();
    symlink(root.join(".env"), root.join("e")).unwrap();
    symlink(root.join("a/y.md"), root.join("y")).unwrap();
    assert_eq!(real_file(&root, "y"), Some(root.join("a/y.md")));
    assert_eq!(real_file(&root, "a/y.md"), Some(root.join("a/y.md")));
    for bad in ["s", "e", ".env", "a", "a/../a/y.md", "missing"] {
        assert_eq!(real_file(&root, bad), None, "{bad}");
    }
}
