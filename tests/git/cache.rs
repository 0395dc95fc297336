//! The cache of the history pass through the real binary: every command gives exactly what it
//! gives with `OPSBOOK_NO_GIT_CACHE=1`, warm, after new commits, after a reset, with a damaged
//! cache and with a git folder that cannot be written.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::{Repo, TODAY, eventful, item, opsbook_with};

fn cache_dir(r: &Repo) -> PathBuf {
    r.path().join(".git/opsbook")
}

fn run(dir: &Path, args: &[&str], cache: bool) -> Output {
    let vars: &[(&str, &str)] = if cache {
        &[]
    } else {
        &[("OPSBOOK_NO_GIT_CACHE", "1")]
    };
    opsbook_with(dir, args, vars)
}

/// Run `args` without the cache, then through it twice (writing it, then reading it): the same
/// exit code, output and errors each time.
fn same_with_and_without_cache(r: &Repo, args: &[&str]) -> String {
    let cold = run(&r.path(), args, false);
    for pass in ["first", "warm"] {
        let out = run(&r.path(), args, true);
        assert_eq!(out.status.code(), cold.status.code(), "{pass} {args:?}");
        assert_eq!(out.stdout, cold.stdout, "{pass} {args:?}");
        assert_eq!(out.stderr, cold.stderr, "{pass} {args:?}");
    }
    String::from_utf8(cold.stdout).unwrap()
}

/// Every command that reads git.
fn all_the_same(r: &Repo) {
    let export = same_with_and_without_cache(r, &["export", "--today", TODAY]);
    assert!(export.contains("\"history\""), "{export}");
    same_with_and_without_cache(r, &["check", "--today", TODAY]);
    same_with_and_without_cache(r, &["check", "--today", TODAY, "processes/sync.md"]);
    same_with_and_without_cache(r, &["changes", "--since", "1y", "--today", TODAY]);
}

#[test]
fn commands_give_the_same_output_with_and_without_the_cache() {
    let r = eventful();
    run(&r.path(), &["export", "--today", TODAY], false);
    assert!(
        !cache_dir(&r).exists(),
        "OPSBOOK_NO_GIT_CACHE=1 writes nothing"
    );
    all_the_same(&r);
    assert!(cache_dir(&r).is_dir());
    // Nothing in the work tree.
    assert_eq!(r.git(&["status", "--porcelain", "--ignored"]), "");
}

#[test]
fn new_commits_after_the_cache_was_written() {
    let r = eventful();
    all_the_same(&r);
    r.write("processes/sync.md", &super::process("cadence: weekly\n"));
    r.commit("2026-10-05", "Bo <bo@example.com>");
    all_the_same(&r);
    r.git(&["mv", "roadmap/search.md", "roadmap/search-v2.md"]);
    r.commit("2026-10-06", "Cy <cy@example.com>");
    std::fs::remove_file(r.path().join("roadmap/single-sign-on.md")).unwrap();
    r.commit("2026-10-07", "Cy <cy@example.com>");
    r.write("roadmap/audit.md", &item("next", ""));
    r.commit("2026-10-08", "Ana <ana@example.com>");
    all_the_same(&r);
}

#[test]
fn a_reset_and_rewritten_head() {
    let r = eventful();
    all_the_same(&r);
    r.git(&["reset", "-q", "--hard", "HEAD~2"]);
    all_the_same(&r);
    r.write("roadmap/sso.md", &item("dropped", ""));
    r.commit("2026-06-01", "Bo <bo@example.com>");
    all_the_same(&r);
}

#[test]
fn a_damaged_cache_is_ignored() {
    let r = eventful();
    all_the_same(&r);
    for e in std::fs::read_dir(cache_dir(&r)).unwrap() {
        let p = e.unwrap().path();
        let mut bytes = std::fs::read(&p).unwrap();
        bytes.truncate(bytes.len() * 2 / 3);
        std::fs::write(&p, bytes).unwrap();
    }
    all_the_same(&r);
    for e in std::fs::read_dir(cache_dir(&r)).unwrap() {
        std::fs::write(e.unwrap().path(), "garbage").unwrap();
    }
    all_the_same(&r);
}

#[test]
fn a_git_folder_that_cannot_be_written() {
    use std::os::unix::fs::PermissionsExt;
    let r = eventful();
    // Read-only for a normal user; a file in the way for root, who may write anyway.
    std::fs::write(cache_dir(&r), "in the way").unwrap();
    let git_dir = r.path().join(".git");
    std::fs::set_permissions(&git_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let outcome = std::panic::catch_unwind(|| all_the_same(&r));
    std::fs::set_permissions(&git_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    outcome.unwrap();
}

/// `opsbook ARGS` in `dir`, killed (and failed) if it has not ended after a minute: a cache
/// file that never ends must not hang the run.
fn run_bounded(dir: &Path, args: &[&str]) -> Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("OPSBOOK_NO_GIT_CACHE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("opsbook {args:?} hangs on the cache files");
}

#[test]
fn cache_files_that_are_not_regular_files_are_ignored() {
    let r = eventful();
    all_the_same(&r);
    let files: Vec<PathBuf> = std::fs::read_dir(cache_dir(&r))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() >= 2, "{files:?}");
    let export = ["export", "--today", TODAY];
    let cold = run(&r.path(), &export, false);
    // A device that never ends, then a FIFO nobody writes to, in place of every cache file.
    for fifo in [false, true] {
        for f in &files {
            let _ = std::fs::remove_file(f);
            if fifo {
                let made = std::process::Command::new("mkfifo").arg(f).status();
                assert!(made.is_ok_and(|s| s.success()));
            } else {
                std::os::unix::fs::symlink("/dev/zero", f).unwrap();
            }
        }
        let out = run_bounded(&r.path(), &export);
        assert_eq!(out.status.code(), Some(0), "fifo: {fifo}");
        assert_eq!(out.stdout, cold.stdout, "fifo: {fifo}");
    }
}

/// Custom kinds, people in org.yml and in their own files: the same with and without the
/// cache, also after a commit that changes one entry of org.yml.
#[test]
fn the_history_of_every_kind_is_the_same_with_and_without_the_cache() {
    let r = super::kinds::tracked();
    let export = same_with_and_without_cache(&r, &["export", "--today", TODAY]);
    assert!(export.contains("\"lead\""), "{export}");
    let changes = ["changes", "--since", "1y", "--today", TODAY];
    same_with_and_without_cache(&r, &changes);
    let org = std::fs::read_to_string(r.path().join("org.yml")).unwrap();
    r.write("org.yml", &org.replace("status: leave", "status: left"));
    r.commit("2026-10-01", "Bo <bo@example.com>");
    let text = same_with_and_without_cache(&r, &changes);
    assert!(
        text.contains("org.yml (Ana): status leave → left"),
        "{text}"
    );
    same_with_and_without_cache(&r, &["export", "--today", TODAY]);
}

/// The modification time (seconds) the index records for `rel`, from `git ls-files --debug`.
fn index_mtime(r: &Repo, rel: &str) -> String {
    let out = r.git(&["ls-files", "--debug", rel]);
    let line = out.lines().find_map(|l| l.trim().strip_prefix("mtime: "));
    line.unwrap_or_else(|| panic!("no mtime in {out}"))
        .split(':')
        .next()
        .unwrap()
        .to_string()
}

/// Give `rel` the modification time 2020-01-01 (its content unchanged): the index's stats of it
/// are stale, as after a copy or a restored CI cache.
fn make_stale(r: &Repo, rel: &str) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_577_836_800);
    let f = std::fs::File::options()
        .write(true)
        .open(r.path().join(rel))
        .unwrap();
    f.set_modified(t).unwrap();
}

#[test]
fn stale_index_stats_are_written_back_as_git_status_does() {
    let r = eventful();
    let before = run(&r.path(), &["export", "--today", TODAY], true);
    make_stale(&r, "processes/sync.md");
    assert_ne!(index_mtime(&r, "processes/sync.md"), "1577836800");
    let out = run(&r.path(), &["export", "--today", TODAY], true);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout, before.stdout,
        "a refreshed index changes no output"
    );
    // The next run reads the stats instead of hashing the file again.
    assert_eq!(index_mtime(&r, "processes/sync.md"), "1577836800");
    assert_eq!(r.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_taken_index_lock_is_left_alone_and_the_status_still_read() {
    let r = eventful();
    let before = run(&r.path(), &["export", "--today", TODAY], true);
    make_stale(&r, "processes/sync.md");
    let stale = index_mtime(&r, "processes/sync.md");
    // Another git command holds the index.
    let lock = r.path().join(".git/index.lock");
    std::fs::write(&lock, b"").unwrap();
    // A file changed in the work tree is still seen as changed (the status is read).
    r.write("roadmap/search.md", &item("next", ""));
    let site = r.path().join(".site");
    let site_arg = site.to_str().unwrap();
    let out = run(
        &r.path(),
        &["build", "--today", TODAY, "--out", site_arg],
        true,
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let page = std::fs::read_to_string(site.join("roadmap/search.html")).unwrap();
    assert!(page.contains("modified locally"), "{page}");
    let out = run(&r.path(), &["export", "--today", TODAY], true);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_ne!(out.stdout, before.stdout, "the edit is exported");
    assert!(lock.exists(), "the lock is not ours to remove");
    assert_eq!(std::fs::read(&lock).unwrap(), b"");
    std::fs::remove_file(&lock).unwrap();
    assert_eq!(index_mtime(&r, "processes/sync.md"), stale);
}
