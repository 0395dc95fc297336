//! Determinism: the same handbook and history give byte-identical `check --format json`,
//! `export` and `build` output, without the git cache and with it (a cache written at an
//! earlier commit and brought up to date, then read as it is), on one worker thread and on
//! several.

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;

use super::history::case;
use super::repo::Repo;
use super::support::{TODAY, budget, first_difference, run, tree};

const COLD: (&str, &str) = ("OPSBOOK_NO_GIT_CACHE", "1");
const ONE_THREAD: (&str, &str) = ("RAYON_NUM_THREADS", "1");

/// Everything `check --format json`, `export` and `build` show, with these environment
/// variables: exit codes, standard output and error, and the files of the site.
fn outputs(root: &Path, site: &Path, vars: &[(&str, &str)]) -> Vec<String> {
    let site_arg = site.to_string_lossy();
    let commands: [&[&str]; 3] = [
        &["check", "--format", "json", "--today", TODAY],
        &["export", "--today", TODAY],
        &["build", "--today", TODAY, "--out", &site_arg],
    ];
    commands
        .iter()
        .map(|args| {
            let out = run(root, args, vars);
            out.assert_exit(&[0, 1], args[0]);
            let mut shown = format!("{:?}\n{}\n{}", out.code, out.stdout, out.stderr);
            if args[0] == "build" && site.exists() {
                for (path, bytes) in tree(site) {
                    let _ = write!(
                        shown,
                        "\n== {}\n{}",
                        path.display(),
                        String::from_utf8_lossy(&bytes)
                    );
                }
            }
            shown
        })
        .collect()
}

proptest! {
    #![proptest_config(budget(5))]

    #[test]
    fn the_same_input_gives_the_same_output(case in case(false), warm_at in any::<Index>()) {
        let mut repo = Repo::new(&case);
        // Write the cache at an earlier commit; the runs below bring it up to date.
        repo.play_commits(warm_at.index(repo.commits() + 1));
        for args in [&["check", "--today", TODAY][..], &["export", "--today", TODAY]] {
            run(&repo.root, args, &[]).assert_exit(&[0, 1], args[0]);
        }
        repo.play_commits(repo.commits());
        repo.finish();
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let first = outputs(&repo.root, &site, &[COLD]);
        for (how, vars) in [
            ("warm, after new commits", &[][..]),
            ("warm, one thread", &[ONE_THREAD]),
            ("cold, one thread", &[COLD, ONE_THREAD]),
        ] {
            let again = outputs(&repo.root, &site, vars);
            for (name, (a, b)) in ["check", "export", "build"].iter().zip(first.iter().zip(&again)) {
                prop_assert!(a == b, "{name} differs ({how}): {}", first_difference(a, b));
            }
        }
    }
}
