//! Helpers for the site tests: fixture copies, running `opsbook build`, reading the output tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

#[path = "../support/git.rs"]
mod git_cli;
pub use git_cli::git;

pub const TODAY: &str = "2026-11-23";

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `opsbook` run in `dir`, without colour or SOURCE_DATE_EPOCH.
pub fn opsbook(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    cmd
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

/// Every file under `dir` (hidden ones included) with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// A page of the site as text.
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
