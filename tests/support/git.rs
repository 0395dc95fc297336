//! The git command line for tests that build real repositories (shared by `tests/git.rs` and
//! `tests/site.rs`).

use std::path::Path;
use std::process::Command;

/// `git ARGS` in `dir` as `author` (`Name <email>`) on `day` at noon UTC, with no user or
/// system configuration, so commit ids are the same on every run. Returns standard output.
pub fn git(dir: &Path, args: &[&str], day: &str, author: &str) -> String {
    let (name, email) = author.split_once(" <").unwrap();
    let email = email.trim_end_matches('>');
    let date = format!("{day}T12:00:00+00:00");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// `git ARGS` in `dir` with `input` on standard input (its output dropped), for `fast-import`
/// and `pack-objects`.
#[allow(dead_code)]
pub fn git_input(dir: &Path, args: &[&str], input: &[u8]) {
    use std::io::Write;
    let mut child = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    assert!(child.wait().unwrap().success(), "git {args:?}");
}
