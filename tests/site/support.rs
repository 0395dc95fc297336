//! Helpers for the site tests: fixture copies, running `opsbook build`, reading the output tree.

use std::path::Path;
use std::process::Output;

use tempfile::TempDir;

#[path = "../support/git.rs"]
mod git_cli;
pub use git_cli::git;

#[path = "../support/common.rs"]
mod common;
use common::copy_dir;
pub use common::{TODAY, opsbook, tree, write};

/// A temp copy of `tests/fixtures/<case>` (or of `example-repo`).
pub fn fixture(case: &str) -> TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = if case == "example-repo" {
        root.join(case)
    } else {
        root.join("tests/fixtures").join(case)
    };
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&src, dir.path());
    dir
}

/// `opsbook build --today TODAY ARGS` in `dir`.
pub fn build(dir: &Path, args: &[&str]) -> Output {
    opsbook(dir)
        .args(["build", "--today", TODAY])
        .args(args)
        .output()
        .unwrap()
}

/// Standard output and error, with the temp folder shown as `[DIR]`.
pub fn text(out: &Output, dir: &Path) -> String {
    let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stderr));
    let real = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    s.replace(&real.display().to_string(), "[DIR]")
        .replace(&dir.display().to_string(), "[DIR]")
}

/// A page of the site as text.
/// Two folders hold the same files with the same bytes.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let (a, b) = (tree(a), tree(b));
    assert!(!a.is_empty());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{} differs", path.display());
    }
}

pub fn page(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `<main>` element of a page, for snapshots that survive header and footer changes.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    html[start..end].to_string()
}

/// Commit everything in `dir` as `author` on `day`.
pub fn commit(dir: &Path, day: &str, author: &str, message: &str) {
    git(dir, &["add", "-A"], day, author);
    git(dir, &["commit", "-q", "-m", message], day, author);
}
