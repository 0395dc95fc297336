//! Worker threads for the history pass: a `git2::Repository` is not shared between threads, so
//! each worker opens its own handle and takes one contiguous run of the work (consecutive
//! commits share trees; consecutive objects in pack order share delta bases).

use std::path::Path;

/// Less work than this (commits to diff, versions to read) is left to the calling thread.
const MIN_ITEMS: usize = 256;

#[cfg(test)]
thread_local! {
    /// Tests set the number of workers and the least work that starts them.
    pub(super) static PARALLEL: std::cell::Cell<Option<(usize, usize)>> =
        const { std::cell::Cell::new(None) };
}

/// Worker threads and the least work that starts them: the cores (at most 4, and at most
/// `RAYON_NUM_THREADS` when it is set, as for the rest of opsbook), `MIN_ITEMS`.
fn policy() -> (usize, usize) {
    #[cfg(test)]
    if let Some(p) = PARALLEL.get() {
        return p;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let asked = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0);
    (asked.map_or(cores, |n| n.min(cores)), MIN_ITEMS)
}

/// `work` over contiguous runs of `items` on worker threads, each given its own handle on the
/// repository at `gitdir`; the results in the order of `items`. Nothing runs (an empty result)
/// on one core or for little work; a worker that cannot open the repository returns nothing,
/// and `work` may stop early: the caller does what is left.
pub(super) fn run<T: Sync, R: Send>(
    items: &[T],
    gitdir: &Path,
    work: impl Fn(&git2::Repository, &[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let (threads, min) = policy();
    if threads < 2 || items.len() < min.max(2) {
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
