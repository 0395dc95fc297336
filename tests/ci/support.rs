//! Fixture copies, running the binary, and output with temporary paths redacted.

use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use tempfile::TempDir;

#[path = "../support/common.rs"]
mod common;
use common::copy_dir;
pub use common::{TODAY, opsbook, write};

/// An empty temporary folder.
pub fn tempdir() -> TempDir {
    tempfile::tempdir().expect("temporary folder")
}

/// A copy of `tests/fixtures/<name>` at `<tmp>/<under>` (`""` for the temporary folder itself).
pub fn fixture(name: &str, under: &str) -> TempDir {
    let tmp = tempdir();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_dir(&from, &tmp.path().join(under));
    tmp
}

/// Make `dir` look like the top of a git work tree (all opsbook looks for is `.git`).
pub fn mark_git_root(dir: &Path) {
    std::fs::create_dir_all(dir.join(".git")).unwrap();
}

fn redact(bytes: &[u8], dir: &Path) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8 output");
    let real: PathBuf = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    text.replace(&real.to_string_lossy().to_string(), "[DIR]")
        .replace(&dir.to_string_lossy().to_string(), "[DIR]")
}

/// Standard output with `dir` shown as `[DIR]`.
pub fn stdout(out: &Assert, dir: &Path) -> String {
    redact(&out.get_output().stdout, dir)
}

/// Standard error with `dir` shown as `[DIR]`.
pub fn stderr(out: &Assert, dir: &Path) -> String {
    redact(&out.get_output().stderr, dir)
}

/// Standard output parsed as JSON.
pub fn json(out: &Assert) -> serde_json::Value {
    serde_json::from_slice(&out.get_output().stdout).expect("JSON output")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
