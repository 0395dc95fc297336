//! The same input gives the same output: `check --format json`, `export` and `build` run
//! again and again, without and with the git cache, on one worker thread and on several, give
//! byte-identical output on a full clone, a shallow clone, a clone with a blob deleted, a
//! blobless clone and a handbook whose files were moved into its root.
//!
//! The history (`history.rs`, 300 commits) is long enough that the pass runs on worker threads
//! and that `check` stops early, at a point that its own timing would move.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::common::first_difference;
use super::history::{clone, long_history, without_a_blob};
use super::{TODAY, opsbook_with};

/// What one run shows: exit code, standard output and error, and the site's files; and its
/// standard output alone.
fn run(
    hb: &Path,
    args: &[&str],
    cache: bool,
    one_thread: bool,
    site: Option<&Path>,
) -> (String, String) {
    let mut vars = Vec::new();
    if !cache {
        vars.push(("OPSBOOK_NO_GIT_CACHE", "1"));
    }
    if one_thread {
        vars.push(("RAYON_NUM_THREADS", "1"));
    }
    let out: Output = opsbook_with(hb, args, &vars);
    let mut shown = format!(
        "{:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(site) = site {
        let mut files = BTreeMap::new();
        for e in walkdir::WalkDir::new(site) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(site)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
        for (path, bytes) in files {
            let _ = write!(shown, "\n== {path}\n{}", String::from_utf8_lossy(&bytes));
        }
    }
    (shown, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every command, cold and warm, on one thread and on several, three times each: one answer.
fn same_every_time(hb: &Path) -> BTreeMap<&'static str, String> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let site_arg = site.to_string_lossy().into_owned();
    let commands: [(&str, Vec<&str>); 3] = [
        ("check", vec!["check", "--today", TODAY, "--format", "json"]),
        ("export", vec!["export", "--today", TODAY]),
        ("build", vec!["build", "--today", TODAY, "--out", &site_arg]),
    ];
    let mut answers = BTreeMap::new();
    for (name, args) in &commands {
        let site = (*name == "build").then_some(site.as_path());
        let (first, stdout) = run(hb, args, false, false, site);
        for one_thread in [false, true] {
            for cache in [false, true] {
                for n in 0..3 {
                    let (again, _) = run(hb, args, cache, one_thread, site);
                    assert!(
                        again == first,
                        "{name} differs (cache {cache}, one thread {one_thread}, run {n}) in {}:\n{}",
                        hb.display(),
                        first_difference(&first, &again)
                    );
                }
            }
        }
        answers.insert(*name, stdout);
    }
    answers
}

#[test]
fn every_clone_gives_the_same_output_every_time() {
    let full = long_history();
    let shallow = clone(full.path(), &["--depth", "40"]);
    let damaged = without_a_blob(full.path());
    let blobless = clone(full.path(), &["--filter=blob:none"]);
    let cases: [(&str, PathBuf); 4] = [
        ("full", full.path().to_path_buf()),
        ("shallow", shallow.path().join("c")),
        ("damaged", damaged.path().join("c")),
        ("blobless", blobless.path().join("c")),
    ];
    let mut exports = BTreeMap::new();
    for (name, repo) in &cases {
        let answers = same_every_time(&repo.join("pages"));
        let check = &answers["check"];
        let export = &answers["export"];
        // Sanity: the runs did read git, and the moved root kept its history.
        assert!(
            export.contains("\"created\": \"2024-01-01\"") || *name == "shallow",
            "{name}"
        );
        assert!(check.contains("review-from-git"), "{name}: {check}");
        // A person's status history in org.yml (its old values unknown in a blobless clone).
        assert_eq!(export.contains("\"leave\""), *name != "blobless", "{name}");
        let says = |rule: &str| export.contains(&format!("\"rule\": \"{rule}\""));
        assert_eq!(says("shallow-clone"), *name == "shallow", "{name}");
        assert_eq!(
            says("missing-objects"),
            matches!(*name, "damaged" | "blobless"),
            "{name}"
        );
        // `check` uses last commits only, which missing contents never change.
        assert!(!check.contains("missing-objects"), "{name}");
        exports.insert(*name, export.clone());
    }
    // Missing contents cost values and one move's creation date, never a date or an author.
    let dates = |export: &str| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(export).unwrap();
        json["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {} {}",
                    d["path"], d["git"]["updated"], d["git"]["author"]
                )
            })
            .collect()
    };
    assert_eq!(dates(&exports["blobless"]), dates(&exports["full"]));
    assert_eq!(dates(&exports["damaged"]), dates(&exports["full"]));
}
