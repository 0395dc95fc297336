//! Helpers every CLI test binary shares: copying fixtures, writing files, running the binary.
//! Included with `#[path]` by `tests/cli/support.rs`, `tests/ci/support.rs`,
//! `tests/site/support.rs`, `tests/properties/support.rs` and `tests/git.rs`; each binary uses only
//! some of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The date the tests judge freshness and ship dates against.
pub const TODAY: &str = "2026-11-23";

/// Copy the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
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

/// Copy the handbook `from` to `to`, without the site `opsbook build` wrote into it (`site/`,
/// as the README's first command does for `example-repo/`).
#[allow(dead_code)]
pub fn copy_handbook(from: &Path, to: &Path) {
    copy_dir(from, to);
    let site = to.join("site");
    if site.is_dir() {
        std::fs::remove_dir_all(site).unwrap();
    }
}

/// Write `text` to `dir/rel`, creating folders as needed.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The `opsbook` binary run in `dir`, without colour, without an ambient date and without
/// phase timings on stderr.
pub fn opsbook(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_opsbook"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("OPSBOOK_TIMINGS");
    cmd
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

/// Where two outputs first differ: the line and both versions of it, or their lengths.
pub fn first_difference(a: &str, b: &str) -> String {
    match a.lines().zip(b.lines()).position(|(x, y)| x != y) {
        Some(i) => format!(
            "line {}:\n  first: {}\n  again: {}",
            i + 1,
            a.lines().nth(i).unwrap_or_default(),
            b.lines().nth(i).unwrap_or_default()
        ),
        None => format!("lengths {} and {}", a.len(), b.len()),
    }
}
