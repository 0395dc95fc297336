//! Fixture copies, running the binary, reading its JSON findings.

use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

#[path = "../support/common.rs"]
mod common;
pub use common::{copy_dir, opsbook};
#[path = "../support/git.rs"]
pub mod git;

/// The project's `tests/fixtures/<case>` folder.
pub fn fixture_path(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case)
}

/// A temp copy of a fixture (or of any folder under the project, e.g. `example-repo`).
pub struct Handbook {
    pub dir: TempDir,
}

impl Handbook {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn write(&self, rel: &str, text: &str) {
        common::write(self.path(), rel, text);
    }
}

/// Copy `tests/fixtures/<case>` into a fresh temp dir.
pub fn fixture(case: &str) -> Handbook {
    copy_of(&fixture_path(case))
}

pub fn copy_of(src: &Path) -> Handbook {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(src, dir.path());
    Handbook { dir }
}

/// An empty temp handbook.
pub fn empty() -> Handbook {
    Handbook {
        dir: tempfile::tempdir().unwrap(),
    }
}

/// One finding as the tests compare them: path, line, column, rule.
pub type Finding = (String, u32, u32, String);

/// Run `opsbook check --format json --today 2026-11-23 ARGS` in `dir`; exit code and findings.
pub fn check_json(dir: &Path, args: &[&str]) -> (i32, Vec<Finding>, serde_json::Value) {
    let out = opsbook(dir)
        .args(["check", "--format", "json", "--today", "2026-11-23"])
        .args(args)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let findings = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0) as u32,
                d["column"].as_u64().unwrap_or(0) as u32,
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap(), findings, json)
}

/// Expected findings written compactly: `("path", line, col, "rule")`.
pub fn expect(rows: &[(&str, u32, u32, &str)]) -> Vec<Finding> {
    rows.iter()
        .map(|(p, l, c, r)| (p.to_string(), *l, *c, r.to_string()))
        .collect()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
