//! No input stops `check` or `build` badly: on any generated handbook they end without a
//! panic, with exit 0 or 1 (2 only for the config mistakes generated on purpose), they agree
//! on whether the handbook has errors, and `build` either writes a complete site or leaves the
//! previous one byte for byte as it was.

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;

use super::history::case;
use super::linkcheck::assert_links_resolve;
use super::repo::Repo;
use super::support::{Run, TODAY, budget, run, tree};

/// The site folder of each kind's pages (a custom kind's is named after the kind).
fn folder(kind: &str) -> &'static str {
    match kind {
        "roadmap-item" => "roadmap",
        "process" => "processes",
        "charter" => "charters",
        "person" => "people",
        "role" => "roles",
        "team" => "teams",
        "experiment" => "experiment",
        other => panic!("a kind the generator does not make: {other}"),
    }
}

/// A site built from a one-page handbook into `site`: the previous site of every case.
fn previous_site(site: &Path) {
    let seed = tempfile::tempdir().unwrap();
    std::fs::write(seed.path().join("seed-only.md"), "# Seed\n").unwrap();
    let out = run(
        seed.path(),
        &[
            "build",
            "--no-git",
            "--today",
            TODAY,
            "--out",
            &site.to_string_lossy(),
        ],
        &[],
    );
    out.assert_exit(&[0], "the seed build");
    assert!(site.join("seed-only.html").is_file());
}

/// The site is whole: the marker, the home and 404 pages, a page for every document that
/// `export` lists, nothing of the previous site's own pages, and every link it writes leads to
/// a file and an anchor of the site.
fn assert_complete(site: &Path, root: &Path, git: &[&str]) {
    assert!(site.join(".opsbook-site").is_file(), "no marker");
    for page in ["index.html", "404.html"] {
        assert!(site.join(page).is_file(), "no {page}");
    }
    assert!(
        !site.join("seed-only.html").exists(),
        "a page of the previous site is left"
    );
    let mut args = vec!["export", "--today", TODAY];
    args.extend_from_slice(git);
    let export = run(root, &args, &[]);
    export.assert_exit(&[0, 1], "export");
    let json: serde_json::Value = serde_json::from_str(&export.stdout).unwrap();
    for doc in json["docs"].as_array().unwrap() {
        let (kind, path) = (doc["kind"].as_str().unwrap(), doc["path"].as_str().unwrap());
        let page = match kind {
            "page" => format!("{}.html", path.trim_end_matches(".md")),
            kind => format!("{}/{}.html", folder(kind), doc["id"].as_str().unwrap()),
        };
        assert!(site.join(&page).is_file(), "{path}: no page {page}");
    }
    assert_links_resolve(site, None);
}

/// What `check` prints can be printed: JSON and SARIF parse; human and `github` output holds
/// no control character but line ends and tabs, and no line a value from a document starts (a
/// generated status would start a workflow command `::error file=a.md`).
fn assert_safe_to_print(out: &Run, format: &str) {
    if matches!(format, "json" | "sarif") && out.code != Some(2) {
        serde_json::from_str::<serde_json::Value>(&out.stdout)
            .unwrap_or_else(|e| panic!("{format} output is not JSON ({e}): {}", out.stdout));
    }
    for text in [&out.stdout, &out.stderr] {
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "a control character in {format} output: {text:?}"
        );
        assert!(
            !text.lines().any(|l| l.starts_with("::error file=a.md")),
            "a value starts a line of {format} output:\n{text}"
        );
    }
}

proptest! {
    #![proptest_config(budget(12))]

    #[test]
    fn check_and_build_end_cleanly_and_agree(
        case in case(true),
        format in select(&["human", "json", "github", "sarif"][..]),
        no_git in any::<bool>(),
        strict in any::<bool>(),
    ) {
        let repo = Repo::played(&case);
        let codes: &[i32] = if case.hb.config.broken.is_some() { &[2] } else { &[0, 1] };
        let git: &[&str] = if no_git { &["--no-git"] } else { &[] };
        let mut args = vec!["check", "--today", TODAY, "--format", format];
        args.extend_from_slice(git);
        if strict {
            args.push("--strict");
        }
        let check = run(&repo.root, &args, &[]);
        check.assert_exit(codes, "check");
        assert_safe_to_print(&check, format);

        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        previous_site(&site);
        let before = tree(&site);
        let site_arg = site.to_string_lossy();
        let mut args = vec!["build", "--today", TODAY, "--out", &site_arg];
        args.extend_from_slice(git);
        if strict {
            args.push("--strict");
        }
        let build = run(&repo.root, &args, &[]);
        build.assert_exit(codes, "build");
        // `build` reads the history's values, which `check` never needs: in a partial clone
        // that leaves old versions out, only `build` says so (`missing-objects`, a warning),
        // and `--strict` fails on it.
        let build_only = strict && build.stdout.contains("warning[missing-objects]");
        if build_only {
            prop_assert_eq!(build.code, Some(1));
        } else {
            prop_assert_eq!(build.code, check.code, "check and build disagree:\n{}\n{}", check.stdout, build.stdout);
        }
        // No temporary folder or lock file is left beside the site.
        let beside: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        prop_assert_eq!(beside, vec!["site".to_string()]);
        if build.code == Some(0) {
            assert_complete(&site, &repo.root, git);
        } else {
            prop_assert!(tree(&site) == before, "a failed build changed the previous site");
        }
    }
}
