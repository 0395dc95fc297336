//! Worker threads for the history pass: a `git2::Repository` is not shared between threads, so
//! each worker opens its own handle and takes one contiguous run of the work (consecutive
//! commits share trees; consecutive objects in pack order share delta bases).

use std::path::Path;

/// `work` over contiguous runs of `items` on `threads` threads, each given its own handle on
/// the repository at `gitdir`; the results in the order of `items`. A worker that cannot open
/// the repository returns nothing, and `work` may stop early: the caller does what is left.
pub(super) fn run<T: Sync, R: Send>(
    items: &[T],
    gitdir: &Path,
    threads: usize,
    work: impl Fn(&git2::Repository, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    if items.is_empty() || threads < 2 {
        return Vec::new();
    }
    let per = items.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(per)
            .map(|chunk| {
                scope.spawn(move || match git2::Repository::open(gitdir) {
                    Ok(repo) => work(&repo, chunk),
                    Err(_) => Vec::new(),
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}
