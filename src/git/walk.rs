//! The one pass over history: walk from HEAD, diff each commit's handbook subtree against its
//! first parent's (skipping identical subtrees by id) into a [`Record`] of what it changed, and
//! tally the records. Records come from the cache when it has them (`cache/`): then the walk
//! order comes from there too, and only commits without a record are diffed. A pass that stops
//! early skips diffing the commits whose commit-graph filter says they changed none of the
//! files it still waits for (`bloom.rs`).

use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

use git2::Oid;

use super::bloom::{self, Skipper};
use super::cache::{Log, Store, fingerprint};
use super::differ::Differ;
use super::files::{ignored_revs, shallow_boundary};
use super::history::{self, Versions};
use super::missing::{self, MissingObjects};
use super::order::{self, Commits, Order};
use super::subtrees::TreeSkipper;
use super::tally::{Flow, Lost, Record, Tally};
use super::tracking::Tracking;
use super::{Facts, ReadOptions, Repo};
use crate::config::Config;

#[cfg(test)]
thread_local! {
    /// Commits (and side records) diffed, not taken from the cache, on this thread, for tests.
    pub(super) static DIFFED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Commits the last pass on this thread did not diff by the commit-graph's filters.
    pub(super) static SKIPPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Commits the last pass on this thread did not diff by their trees.
    pub(super) static TREE_SKIPPED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Set: passes on this thread do not skip commits by their trees (to compare with).
    pub(super) static TREES_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Set: passes on this thread diff whole commits, never only the waiting folders.
    pub(super) static WITHIN_OFF: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Commits diffed only in the waiting folders on this thread.
    pub(super) static WITHIN_DIFFED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Set: passes on this thread have no cache, as with `OPSBOOK_NO_GIT_CACHE`.
    pub(super) static NO_STORE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A switch tests set on their thread (see the thread-locals above); off outside tests.
macro_rules! switched {
    ($switch:ident) => {{
        #[cfg(test)]
        let on = $switch.get();
        #[cfg(not(test))]
        let on = false;
        on
    }};
}

/// Diffed commits that make a walk that stopped early worth reading to its end and keeping
/// (fewer in tests, so that small repositories show both sides).
#[cfg(not(test))]
const FINISH_TO_KEEP: usize = 256;
#[cfg(test)]
const FINISH_TO_KEEP: usize = 2;

pub(super) struct Pass<'r> {
    repo: &'r git2::Repository,
    workdir: &'r Path,
    cfg: &'r Config,
    opts: &'r ReadOptions,
    differ: Differ<'r>,
    store: Option<Store>,
    /// Skips commits by the commit-graph's filters (a pass that may stop early, with a graph).
    skipper: Option<Skipper>,
    /// Skips commits by their trees (a pass that may stop early).
    trees: Option<TreeSkipper>,
    /// What the history of each file reads.
    tracking: Rc<Tracking>,
}

impl<'r> Pass<'r> {
    pub(super) fn new(
        repo: &'r Repo,
        cfg: &'r Config,
        opts: &'r ReadOptions,
    ) -> Result<Self, git2::Error> {
        let r = &repo.repo;
        let tracking = Tracking::new(cfg);
        let whole = opts.stop_after.is_none() && opts.stop_after_sent.is_none();
        Ok(Pass {
            repo: r,
            workdir: &repo.workdir,
            cfg,
            opts,
            differ: Differ::new(r, &repo.prefix, shallow_boundary(r))?,
            store: Store::open(repo, &tracking).filter(|_| !switched!(NO_STORE)),
            skipper: if whole {
                None
            } else {
                bloom::skipper(r, &repo.prefix)
            },
            trees: (!whole && !switched!(TREES_OFF)).then(TreeSkipper::default),
            tracking: Rc::new(tracking),
        })
    }

    /// The whole history is wanted (the pass does not stop once some files are found).
    fn whole(&self) -> bool {
        self.opts.stop_after.is_none() && self.opts.stop_after_sent.is_none()
    }

    /// Walk from `head` and fill `facts`.
    pub(super) fn run(mut self, head: Oid, facts: &mut Facts) -> Result<(), git2::Error> {
        let log = self.store.as_ref().map(Store::load).unwrap_or_default();
        let at_head = if log.head == Some(head) {
            log.at_head.iter().cloned().collect()
        } else {
            self.differ.paths_at(head)?
        };
        let ignored = ignored_revs(self.repo, self.workdir);
        let tracking = Rc::clone(&self.tracking);
        let mut tally = Tally::new(self.cfg, &tracking, self.opts, ignored, at_head);
        // A set the caller works out meanwhile is waited for before the walk: what to look for
        // is then known (a one-file check often wants nothing), and commits that change none
        // of it are skipped rather than diffed while the caller still needs the processors.
        tally.settle();
        let mut commits = if tally.satisfied() {
            Commits::whole(Order::default())
        } else {
            self.order(head, &log)?
        };
        let Log {
            head: cached_head,
            mut records,
            mut sides,
            ..
        } = log;
        crate::timing::phase("git: order");
        let (ended, diffed) =
            self.tally_commits(&mut tally, &mut commits, &mut records, &mut sides)?;
        crate::timing::phase("git: diff + tally");
        if let Some(s) = &self.skipper {
            #[cfg(test)]
            SKIPPED.set(s.skipped);
            crate::timing::phase(&format!(
                "git: {} commits skipped by the commit-graph",
                s.skipped
            ));
        }
        if let Some(t) = &self.trees {
            #[cfg(test)]
            TREE_SKIPPED.set(t.skipped);
            crate::timing::phase(&format!("git: {} commits skipped by trees", t.skipped));
        }
        #[cfg(debug_assertions)]
        if let Ok(o) = order::revwalk(self.repo, head)
            && o.broken.is_none()
        {
            debug_assert!(
                o.commits.starts_with(commits.known()),
                "a walk read as it goes is the revision walk's start"
            );
        }
        // What the facts say must not depend on how far the walk went past what was asked.
        let limit = tally.limit();
        let mut lost: Vec<Lost> = tally
            .lost
            .iter()
            .filter(|l| l.pos <= limit)
            .cloned()
            .collect();
        if let Some(e) = commits.broken()
            && ended
            && limit == usize::MAX
        {
            lost.push(missing::walk_cut(self.repo, e, commits.known())?);
        }
        // A walk that stopped early is read to its end to be kept only when it diffed enough
        // for the next run to gain from the records (a one-file check's few do not pay for
        // sorting the whole history).
        let keep = self.store.is_some()
            && (diffed > 0 || cached_head != Some(head))
            && (commits.known_whole() || diffed >= FINISH_TO_KEEP);
        if keep
            && let Some(store) = &self.store
            && let Ok(order) = commits.into_order()
            && order.broken.is_none()
            && !order.commits.is_empty()
        {
            // Only records that any clone would give: none that missed an object.
            records.retain(|_, r| r.complete());
            sides.retain(|_, r| r.complete());
            store.save(&Log {
                head: Some(head),
                order: order.commits,
                records,
                at_head: tally.at_head().iter().cloned().collect(),
                sides,
            });
        }
        let mut versions = Default::default();
        let built = self.history(std::mem::take(&mut tally.history), &mut versions)?;
        (facts.history, facts.registry) = (built.docs, built.registry);
        crate::timing::phase("git: status history");
        facts.partial = !self.whole();
        facts.files = tally.into_files(limit, facts.partial);
        facts.missing = MissingObjects::new(self.repo, &lost, &versions, &facts.files);
        Ok(())
    }

    /// Tally the commits in order, from their cached records or diffed (the new records go
    /// into `records` when there is a cache), with the side records of files followed outside
    /// the handbook root (from `sides`, which ends up holding those of this walk); whether the
    /// walk went to its end, and how many commits or side records were worked out.
    fn tally_commits(
        &mut self,
        tally: &mut Tally,
        commits: &mut Commits,
        records: &mut HashMap<Oid, Record>,
        sides: &mut HashMap<(Oid, u64), Record>,
    ) -> Result<(bool, usize), git2::Error> {
        let mut diffed = 0usize;
        let mut fresh = match commits.known_whole() {
            true => self.prefetch(commits.known(), records),
            false => HashMap::new(),
        };
        crate::timing::phase("git: prefetch");
        // Files moved into the root keep their history from before the move: only the whole
        // pass needs it (an early stop only promises last commits, which are newer).
        let follow = self.whole() && !self.differ.prefix.is_empty();
        let mut known_sides = std::mem::take(sides);
        let mut followed = (usize::MAX, 0u64);
        let mut at = 0;
        while let Some(oid) = commits.get(at)? {
            at += 1;
            let mut read = false;
            let side = match tally.outside() {
                (version, paths) if follow && !paths.is_empty() => {
                    if followed.0 != version {
                        followed = (version, fingerprint(paths));
                    }
                    let key = (oid, followed.1);
                    let side = match known_sides.remove(&key) {
                        Some(r) => r,
                        None => {
                            #[cfg(test)]
                            DIFFED.set(DIFFED.get() + 1);
                            read = true;
                            diffed += 1;
                            self.differ.side(oid, version, paths)?
                        }
                    };
                    Some((key, side))
                }
                _ => None,
            };
            let flow = match records.get(&oid) {
                Some(record) => tally.apply(oid, record, side.as_ref().map(|s| &s.1)),
                // It changed none of the files still waited for: nothing to credit (and no
                // record to keep: this is not what it changed).
                None if !fresh.contains_key(&oid) && self.untouched(oid, tally) => {
                    tally.apply(oid, &Record::default(), side.as_ref().map(|s| &s.1))
                }
                None => {
                    let record = match fresh.remove(&oid) {
                        Some(r) => r,
                        None => {
                            #[cfg(test)]
                            DIFFED.set(DIFFED.get() + 1);
                            read = true;
                            self.diff_commit(oid, tally)?
                        }
                    };
                    let flow = tally.apply(oid, &record, side.as_ref().map(|s| &s.1));
                    if self.store.is_some() {
                        records.insert(oid, record);
                        diffed += 1;
                    }
                    flow
                }
            };
            if let (Some((key, side)), true) = (side, self.store.is_some()) {
                sides.insert(key, side);
            }
            if read {
                self.differ.objects.next_commit();
            }
            if let Flow::Stop = flow {
                return Ok((false, diffed));
            }
        }
        Ok((true, diffed))
    }

    /// What `oid` changed. A pass that may stop early and keeps no records (no cache) looks
    /// only into the folders of the files it still waits for: their last commits are all it
    /// reports (most of a commit that changed a waiting file is often elsewhere).
    fn diff_commit(&mut self, oid: Oid, tally: &Tally) -> Result<Record, git2::Error> {
        match tally.waiting() {
            Some((waiting, set))
                if self.store.is_none() && !self.whole() && !switched!(WITHIN_OFF) =>
            {
                #[cfg(test)]
                WITHIN_DIFFED.set(WITHIN_DIFFED.get() + 1);
                self.differ.record_within(oid, waiting, set)
            }
            _ => self.differ.record(oid),
        }
    }

    /// The commit-graph, or else the trees, say `oid` changed none of the paths the tally
    /// still waits for.
    fn untouched(&mut self, oid: Oid, tally: &Tally) -> bool {
        let Some((waiting, set)) = tally.waiting() else {
            return false;
        };
        if let Some(skipper) = self.skipper.as_mut()
            && skipper.untouched(oid, waiting, set)
        {
            return true;
        }
        match self.trees.as_mut() {
            Some(trees) => trees.untouched(&mut self.differ, oid, waiting, set),
            None => false,
        }
    }

    /// Diff the commits without a record ahead on worker threads (see
    /// [`super::differ::diff_ahead`]) when the whole history is wanted; a pass that may stop
    /// early diffs on demand.
    fn prefetch(&self, commits: &[Oid], records: &HashMap<Oid, Record>) -> HashMap<Oid, Record> {
        if !self.whole() {
            return HashMap::new();
        }
        let todo: Vec<Oid> = commits
            .iter()
            .filter(|c| !records.contains_key(c))
            .copied()
            .collect();
        super::differ::diff_ahead(self.repo, self.differ.prefix, &self.differ.boundary, &todo)
    }

    /// The history entries of the tallied changes; the values of file versions come from the
    /// cache when it knows them, and go back into it. `versions` learns which could not be read.
    fn history(
        &mut self,
        changes: history::Changes,
        versions: &mut Versions,
    ) -> Result<history::Built, git2::Error> {
        if changes.is_empty() {
            return Ok(history::Built::default());
        }
        let blobs: Vec<(Oid, history::Form)> = history::blobs_of(&changes).collect();
        let known = self
            .store
            .as_ref()
            .map(Store::load_states)
            .unwrap_or_default();
        *versions = Versions::with_known(known);
        let how = history::Reading {
            cfg: self.cfg,
            tracking: &self.tracking,
            gitdir: self.repo.path(),
        };
        let built = versions.build(&mut self.differ.objects, changes, &how)?;
        if let (Some(store), true) = (&self.store, versions.read > 0) {
            store.save_states(versions.known(blobs.into_iter()));
        }
        Ok(built)
    }

    /// The walk order from `head`: the cached one when the cache was made at `head`; the new
    /// commits and then the cached order when HEAD only moved forward without merges (a walk
    /// from there meets the new commits first, then goes on exactly as from the cached HEAD);
    /// else read as it goes when the pass may stop early (see [`order`]), or a whole revision
    /// walk.
    fn order(&self, head: Oid, log: &Log) -> Result<Commits<'r>, git2::Error> {
        let known = match log.head {
            Some(c) if c == head => Some(log.order.clone()),
            Some(c) => order::line_to(self.repo, head, c).map(|mut line| {
                line.extend_from_slice(&log.order);
                line
            }),
            None => None,
        };
        if let Some(commits) = known {
            debug_assert_eq!(
                commits,
                order::revwalk(self.repo, head)?.commits,
                "the cached walk order"
            );
            return Ok(Commits::whole(Order {
                commits,
                broken: None,
            }));
        }
        // Grafts give commits other parents: the whole walk is left to libgit2.
        if !self.whole() && !self.repo.commondir().join("info/grafts").exists() {
            return Ok(Commits::lazy(self.repo, head, self.differ.boundary.clone()));
        }
        Ok(Commits::whole(order::revwalk(self.repo, head)?))
    }
}
