//! Findings-equivalence: `check PATH…` reports exactly the whole run's findings located in
//! those paths, with git and without.

use proptest::prelude::*;
use proptest::sample::Index;

use super::history::case;
use super::repo::Repo;
use super::support::{budget, findings};

/// Whether a finding at the root-relative `path` lies in one of the paths given to `check`:
/// files or folders of the handbook, `.` (the root) or `../` (the top of the repository, which
/// holds a handbook in a folder); any other path outside the handbook holds none.
fn within(path: &str, given: &[String]) -> bool {
    given.iter().any(|g| {
        g == "."
            || g == "../"
            || (!g.starts_with("../") && (path == g || path.starts_with(&format!("{g}/"))))
    })
}

proptest! {
    #![proptest_config(budget(12))]

    #[test]
    fn check_of_some_paths_reports_the_whole_runs_findings_in_them(
        case in case(false),
        picks in prop::collection::vec(any::<Index>(), 1..4),
    ) {
        let repo = Repo::played(&case);
        let paths = repo.paths();
        let mut given: Vec<String> = picks.iter().map(|i| i.get(&paths).clone()).collect();
        given.sort();
        given.dedup();
        for git in [true, false] {
            let mut args = if git { vec![] } else { vec!["--no-git"] };
            let whole = findings(&repo.root, &args);
            args.push("--");
            args.extend(given.iter().map(String::as_str));
            let part = findings(&repo.root, &args);
            // Findings about the repository as a whole (path `.`: a cut in the history) are
            // left out. A run over a few paths stops its history walk as soon as those paths
            // have their last commit, so a cut further back is found only by a longer walk;
            // such a finding is about no path, and every run that meets the cut reports it.
            let expected: Vec<_> = whole
                .iter()
                .filter(|d| d["path"] != "." && within(d["path"].as_str().unwrap(), &given))
                .cloned()
                .collect();
            // A shorter walk never finds a cut that the whole run's walk misses.
            let (got, cuts): (Vec<_>, Vec<_>) = part.into_iter().partition(|d| d["path"] != ".");
            prop_assert!(cuts.iter().all(|c| whole.contains(c)), "check {given:?}: {cuts:?}");
            prop_assert!(
                got == expected,
                "check {given:?} (git: {git}):\n  got: {}\n  expected: {}",
                serde_json::to_string_pretty(&got).unwrap(),
                serde_json::to_string_pretty(&expected).unwrap()
            );
        }
    }
}
