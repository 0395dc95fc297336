//! Running the binary for the properties, and their bounded budget.

use std::path::Path;

use proptest::test_runner::Config;

#[path = "../support/common.rs"]
mod common;
pub use common::{TODAY, first_difference, opsbook, tree};
#[path = "../support/git.rs"]
pub mod git;

/// `cases` cases (or `PROPTEST_CASES` when set, to run more locally) and a bounded shrink:
/// each case builds a repository and runs the binary several times, and the whole binary must
/// stay well under a minute in a debug build.
pub fn budget(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        max_shrink_iters: 48,
        ..Config::default()
    }
}

/// What one run of the binary gave.
#[derive(Debug, PartialEq, Eq)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run ended by itself, without a panic, with one of `codes`.
    pub fn assert_exit(&self, codes: &[i32], what: &str) {
        assert!(
            !self.stderr.contains("panicked"),
            "{what} panicked:\n{}",
            self.stderr
        );
        assert!(
            self.code.is_some_and(|c| codes.contains(&c)),
            "{what} exited with {:?}, not one of {codes:?}:\n{}\n{}",
            self.code,
            self.stdout,
            self.stderr
        );
    }
}

/// `opsbook ARGS` in `dir` with these environment variables, and none of the others that
/// change how it reads git or how many threads it uses.
pub fn run(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let out = opsbook(dir)
        .args(args)
        .env_remove("OPSBOOK_NO_GIT_CACHE")
        .env_remove("RAYON_NUM_THREADS")
        .envs(vars.iter().copied())
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The findings of `check --format json ARGS` in `dir` (which must run: exit 0 or 1).
pub fn findings(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["check", "--format", "json", "--today", TODAY];
    all.extend_from_slice(args);
    let out = run(dir, &all, &[]);
    out.assert_exit(&[0, 1], &format!("check {args:?}"));
    let json: serde_json::Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", out.stdout));
    let diags = json["diagnostics"].as_array().unwrap().clone();
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(
        out.code,
        Some(i32::from(errors > 0)),
        "check {args:?}: the exit code does not follow its findings: {}",
        out.stdout
    );
    diags
}
