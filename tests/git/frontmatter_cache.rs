//! The cache of parsed frontmatter through the real binary: a warm run decodes every
//! frontmatter block the fast path leaves to serde-saphyr instead of parsing it, and says
//! exactly what a run without the cache says; a block the fast path reads is never kept; an
//! edited file is parsed again; a damaged cache file is rewritten; no cache outside a
//! repository or with `OPSBOOK_NO_GIT_CACHE`.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::{Repo, TODAY, eventful, item, opsbook_with};

/// The frontmatter cache files of the repository.
fn cache_files(r: &Repo) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(r.path().join(".git/opsbook")) else {
        return Vec::new();
    };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("frontmatter-")
        })
        .collect()
}

/// `opsbook ARGS` through the cache, and how many frontmatter blocks it decoded from the cache
/// and parsed (from its phase timings).
fn run_counted(dir: &Path, args: &[&str]) -> (Output, (usize, usize)) {
    let out = opsbook_with(dir, args, &[("OPSBOOK_TIMINGS", "1")]);
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("timing: model ("))
        .unwrap_or_else(|| panic!("no model timing in {err}"));
    let number = |s: &str| s.trim().parse::<usize>().unwrap();
    let (hits, rest) = line.split_once(" frontmatters from the cache, ").unwrap();
    let parsed = rest.split_once(" parsed)").unwrap().0;
    (out, (number(hits), number(parsed)))
}

/// [`eventful`] with a literal block scalar in every frontmatter block (`org.yml` and the
/// three documents), committed: blocks the fast path leaves to serde-saphyr, which the cache
/// keeps.
fn kept_blocks() -> Repo {
    let r = eventful();
    let notes = "notes: |\n  Kept by the cache.\n";
    for e in walkdir::WalkDir::new(r.path()).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(r.path()).unwrap().to_string_lossy();
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if rel == "org.yml" {
            r.write(&rel, &format!("{text}{notes}"));
        } else if rel.ends_with(".md") && !rel.starts_with(".git") {
            let rest = text.strip_prefix("---\n").expect("frontmatter");
            r.write(&rel, &format!("---\n{notes}{rest}"));
        }
    }
    r.commit("2026-05-01", "Ana <ana@example.com>");
    r
}

fn without_cache(dir: &Path, args: &[&str]) -> Output {
    opsbook_with(dir, args, &[("OPSBOOK_NO_GIT_CACHE", "1")])
}

#[test]
fn a_warm_check_decodes_every_block_and_an_edit_is_parsed_again() {
    let r = kept_blocks();
    // org.yml and the three documents.
    let blocks = 4;
    for args in [
        &["check", "--today", TODAY][..],
        &["check", "--today", TODAY, "roadmap/search.md"],
    ] {
        let _ = std::fs::remove_dir_all(r.path().join(".git/opsbook"));
        let cold = without_cache(&r.path(), args);
        assert!(
            cache_files(&r).is_empty(),
            "OPSBOOK_NO_GIT_CACHE=1 writes none"
        );
        let (first, counts) = run_counted(&r.path(), args);
        assert_eq!(counts, (0, blocks));
        assert_eq!(cache_files(&r).len(), 1);
        let (warm, counts) = run_counted(&r.path(), args);
        assert_eq!(counts, (blocks, 0));
        for out in [&first, &warm] {
            assert_eq!(out.status.code(), cold.status.code(), "{args:?}");
            assert_eq!(out.stdout, cold.stdout, "{args:?}");
        }
    }
    // An edit in the work tree (not committed): that file is parsed again, and its new
    // finding reported.
    r.write(
        "roadmap/search.md",
        &item("nwo", "notes: |\n  Kept by the cache.\n"),
    );
    let args = ["check", "--today", TODAY, "roadmap/search.md"];
    let (out, counts) = run_counted(&r.path(), &args);
    assert_eq!(counts, (blocks - 1, 1));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.contains("roadmap/search.md:3:9: error[field-enum]"),
        "{text}"
    );
    assert_eq!(out.stdout, without_cache(&r.path(), &args).stdout);
    let (_, counts) = run_counted(&r.path(), &args);
    assert_eq!(counts, (blocks, 0));
    // `build` and `export` read the same cache.
    let export = ["export", "--today", TODAY];
    let (out, counts) = run_counted(&r.path(), &export);
    assert_eq!(counts, (blocks, 0));
    assert_eq!(out.stdout, without_cache(&r.path(), &export).stdout);
    assert_eq!(cache_files(&r).len(), 1);
    // Nothing in the work tree besides the edit.
    assert_eq!(
        r.git(&["status", "--porcelain", "--ignored"]),
        " M roadmap/search.md\n"
    );
}

#[test]
fn a_damaged_frontmatter_cache_is_ignored_and_rewritten() {
    let r = kept_blocks();
    let args = ["check", "--today", TODAY];
    let cold = without_cache(&r.path(), &args);
    run_counted(&r.path(), &args);
    let file = cache_files(&r).pop().unwrap();
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x20;
    for bad in [&good[..good.len() / 2], &flipped[..], b"not a cache"] {
        std::fs::write(&file, bad).unwrap();
        let (out, counts) = run_counted(&r.path(), &args);
        assert_eq!(counts, (0, 4));
        assert_eq!(out.stdout, cold.stdout);
        assert_eq!(std::fs::read(&file).unwrap(), good, "rewritten");
    }
}

#[test]
fn blocks_the_fast_path_reads_are_never_kept() {
    let r = eventful();
    let args = ["check", "--today", TODAY];
    for _ in 0..2 {
        let (out, counts) = run_counted(&r.path(), &args);
        assert_eq!(counts, (0, 4));
        assert_eq!(out.stdout, without_cache(&r.path(), &args).stdout);
        assert!(cache_files(&r).is_empty(), "{:?}", cache_files(&r));
    }
}

#[test]
fn no_frontmatter_cache_outside_a_repository() {
    let r = Repo::plain();
    r.write("org.yml", super::ORG);
    r.write("roadmap/a.md", &item("next", ""));
    let (out, counts) = run_counted(&r.path(), &["check", "--today", TODAY]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(counts, (0, 2), "parsed without a cache");
    let left: Vec<_> = std::fs::read_dir(r.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
}
