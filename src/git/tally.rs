//! Crediting commits to files: the second half of the history pass.
//!
//! The walk turns each commit into a [`Record`] (what it changed in the handbook, with renames
//! paired), either by diffing it or from the cache; the tally takes the records newest first and
//! works out per file its last and first commit and its commit count, follows renames back in
//! time, and collects the changes of files with a history (see `tracking.rs`). A record
//! depends only on its commit, so a cached record and a fresh one tally the same way. The tally
//! also notes where in the walk each file got its last commit and which records met missing
//! objects, so a pass that stopped early reports only what the commits it needed show
//! ([`Tally::limit`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use git2::Oid;

use super::diff::{Delta, is_outside};
use super::tracking::Tracking;
use super::{CommitInfo, FileFacts, ReadOptions};
use crate::config::Config;

/// What one commit changed in the handbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Record {
    /// The commit; `None` when it changed nothing (or is a merge, which is never credited).
    pub info: Option<CommitInfo>,
    /// Changed files, renames paired, in the order the diff found them.
    pub deltas: Vec<Delta>,
    /// Objects the diff needed and did not find (a partial clone, a damaged repository).
    pub missing: Vec<Oid>,
    /// Added files (by path) that may be renames of a file whose content is missing.
    pub unsure: Vec<String>,
    /// The parent commit or a tree is missing: the history is cut at this commit.
    pub cut: bool,
}

impl Record {
    /// Nothing was missing: the record is what it would be in any clone (and may be cached).
    pub(super) fn complete(&self) -> bool {
        self.missing.is_empty() && !self.cut
    }
}

pub(super) enum Flow {
    Go,
    Stop,
}

/// A commit whose record is not complete, at its place in the walk.
#[derive(Debug, Clone)]
pub(super) struct Lost {
    /// 1 for the first commit of the walk.
    pub pos: usize,
    /// The commit whose record it is (or that needs the missing commit, when known).
    pub commit: Option<Oid>,
    pub objects: Vec<Oid>,
    /// Files (at HEAD, or their last path) whose creation may be older.
    pub unsure: Vec<String>,
    pub cut: bool,
}

pub(super) struct Tally<'r> {
    cfg: &'r Config,
    tracking: &'r Tracking,
    /// Whether a path has a history, by path (the same paths come back commit after commit).
    tracked_paths: HashMap<String, bool>,
    opts: &'r ReadOptions,
    /// Commits of `.git-blame-ignore-revs`: their renames are followed, nothing is credited.
    ignored: HashSet<Oid>,
    /// A path in older commits → the path it has at HEAD (renames, seen newest first).
    alias: HashMap<String, String>,
    /// The paths of `alias` outside the handbook root (`../…`), followed by side records,
    /// and how many times that set changed.
    outside: BTreeSet<String>,
    outside_changes: usize,
    pub files: HashMap<String, FileFacts>,
    /// Per file, the places in the walk of its last commit and of its latest credited one.
    at: HashMap<String, (usize, usize)>,
    /// Per history key, the changes credited to it, newest first; read once the walk is done.
    pub history: HashMap<String, Vec<(Delta, CommitInfo)>>,
    /// The place in the walk of the commit being tallied (1 for the first).
    pos: usize,
    /// Commits whose records are not complete.
    pub lost: Vec<Lost>,
    /// The paths the caller needs the last commit of (`stop_after`, or the set it sent),
    /// among the files at HEAD; `None`: everything.
    wanted: Option<HashSet<String>>,
    /// Paths of `wanted` still without a last commit.
    waiting: Option<HashSet<String>>,
    /// How many times `wanted` was set (each time, `waiting` is made anew).
    wanted_sets: usize,
    /// The sent set came (or will not come): `wanted` is final.
    settled: bool,
    /// The handbook's files at HEAD.
    at_head: HashSet<String>,
}

impl<'r> Tally<'r> {
    pub(super) fn new(
        cfg: &'r Config,
        tracking: &'r Tracking,
        opts: &'r ReadOptions,
        ignored: HashSet<Oid>,
        at_head: HashSet<String>,
    ) -> Self {
        // Files that are not at HEAD (new, not committed yet) will never be found: do not wait.
        let wanted: Option<HashSet<String>> = opts
            .stop_after
            .as_ref()
            .map(|w| w.iter().filter(|p| at_head.contains(*p)).cloned().collect());
        Tally {
            cfg,
            tracking,
            tracked_paths: HashMap::new(),
            opts,
            ignored,
            alias: HashMap::new(),
            outside: BTreeSet::new(),
            outside_changes: 0,
            files: HashMap::new(),
            at: HashMap::new(),
            history: HashMap::new(),
            pos: 0,
            lost: Vec::new(),
            waiting: wanted.clone(),
            wanted,
            wanted_sets: 0,
            settled: opts.stop_after_sent.is_none(),
            at_head,
        }
    }

    /// Every wanted path has its last commit, with the final wanted set: the walk may stop
    /// (or need not start). The final set is waited for here, so where the walk stops never
    /// depends on when the caller sent it.
    pub(super) fn satisfied(&mut self) -> bool {
        if !self.waiting.as_ref().is_some_and(HashSet::is_empty) {
            return false;
        }
        self.settle();
        self.waiting.as_ref().is_some_and(HashSet::is_empty)
    }

    /// Wait for the set the caller sends, when it is still to come.
    pub(super) fn settle(&mut self) {
        if self.settled {
            return;
        }
        self.settled = true;
        if let Some(Ok(wanted)) = self.opts.stop_after_sent.as_ref().map(|rx| rx.recv()) {
            self.want(wanted);
        }
    }

    fn want(&mut self, wanted: BTreeSet<String>) {
        let wanted: HashSet<String> = wanted
            .into_iter()
            .filter(|p| self.at_head.contains(p))
            .collect();
        let files = &self.files;
        self.waiting = Some(
            wanted
                .iter()
                .filter(|p| !files.contains_key(*p))
                .cloned()
                .collect(),
        );
        self.wanted = Some(wanted);
        self.wanted_sets += 1;
    }

    /// The wanted paths still without a last commit, and which wanted set they come from
    /// (between two sets they only shrink); `None` while every path may be wanted.
    pub(super) fn waiting(&self) -> Option<(&HashSet<String>, usize)> {
        self.waiting.as_ref().map(|w| (w, self.wanted_sets))
    }

    /// How far into the walk the facts are a function of the repository alone: the place of
    /// the last wanted path's last commit (the walk may have gone further, by timing), or the
    /// whole walk when everything is wanted or a wanted path was never found.
    pub(super) fn limit(&self) -> usize {
        let Some(wanted) = &self.wanted else {
            return usize::MAX;
        };
        wanted
            .iter()
            .try_fold(0, |m, p| self.at.get(p).map(|a| m.max(a.0)))
            .unwrap_or(usize::MAX)
    }

    pub(super) fn at_head(&self) -> &HashSet<String> {
        &self.at_head
    }

    /// The paths outside the handbook root that files were renamed from (see
    /// [`super::diff::from_repo`]): side records follow them further back.
    pub(super) fn outside(&self) -> (usize, &BTreeSet<String>) {
        (self.outside_changes, &self.outside)
    }

    /// Credit the next commit of the walk: its record, and `side`, the changes of the same
    /// commit to files followed outside the handbook root.
    pub(super) fn apply(&mut self, oid: Oid, record: &Record, side: Option<&Record>) -> Flow {
        self.pos += 1;
        if let Some(side) = side {
            self.take(oid, side);
        }
        self.take(oid, record);
        if record.cut || side.is_some_and(|s| s.cut) || self.satisfied() {
            return Flow::Stop;
        }
        Flow::Go
    }

    fn take(&mut self, oid: Oid, record: &Record) {
        let deltas = &record.deltas;
        let keys: Vec<String> = deltas
            .iter()
            .map(|d| {
                self.alias
                    .get(d.path())
                    .cloned()
                    .unwrap_or_else(|| d.path().to_string())
            })
            .collect();
        self.follow_renames(deltas, &keys);
        let unsure: Vec<String> = deltas
            .iter()
            .zip(&keys)
            .filter(|(d, _)| record.unsure.iter().any(|u| u == d.path()))
            .map(|(_, k)| k.clone())
            .collect();
        if !record.complete() {
            self.lost.push(Lost {
                pos: self.pos,
                commit: Some(oid),
                objects: record.missing.clone(),
                unsure: unsure.clone(),
                cut: record.cut,
            });
        }
        let Some(info) = record.info.as_ref() else {
            return;
        };
        if self.ignored.contains(&oid) || deltas.is_empty() {
            return;
        }
        for (delta, key) in deltas.iter().zip(keys) {
            self.credit(&key, info);
            if !self.opts.skip_history && self.tracked(delta, &key) {
                let change = (delta.clone(), info.clone());
                self.history.entry(key).or_default().push(change);
            }
        }
        for key in unsure {
            if let Some(f) = self.files.get_mut(&key) {
                f.approximate = true;
            }
        }
    }

    /// The facts of the files at HEAD whose last commit is within `limit` (see
    /// [`Tally::limit`]). When the pass was asked to stop early (`partial`) only the last
    /// commit of the wanted files is known: `created` is the last commit, `commits` 1 and
    /// `approximate` only at a shallow boundary, however far the walk went. (Other files that
    /// the commits down to `limit` changed are left out: the walk may skip commits that change
    /// no wanted file, see `bloom.rs`.)
    pub(super) fn into_files(self, limit: usize, partial: bool) -> BTreeMap<String, FileFacts> {
        let (at, at_head) = (self.at, self.at_head);
        let wanted = self.wanted.filter(|_| partial);
        self.files
            .into_iter()
            .filter(|(path, _)| {
                at_head.contains(path)
                    && at.get(path).is_some_and(|a| a.0 <= limit)
                    && wanted.as_ref().is_none_or(|w| w.contains(path))
            })
            .map(|(path, mut f)| {
                if partial {
                    f.created = f.last.clone();
                    f.commits = 1;
                    f.approximate = f.last.boundary;
                }
                (path, f)
            })
            .collect()
    }

    /// Older commits know a renamed file by its old path.
    fn follow_renames(&mut self, deltas: &[Delta], keys: &[String]) {
        for d in deltas {
            if let Some(new) = &d.new_path
                && d.old_path.as_ref() != Some(new)
            {
                self.alias.remove(new);
                if self.outside.remove(new) {
                    self.outside_changes += 1;
                }
            }
        }
        for (d, key) in deltas.iter().zip(keys) {
            if let (Some(old), Some(new)) = (&d.old_path, &d.new_path)
                && old != new
            {
                self.alias.insert(old.clone(), key.clone());
                if is_outside(old) && self.outside.insert(old.clone()) {
                    self.outside_changes += 1;
                }
            }
        }
    }

    /// One more commit for `key`; a commit is credited once per file, even when it reaches
    /// the file by two paths.
    fn credit(&mut self, key: &str, info: &CommitInfo) {
        let pos = self.pos;
        match self.files.get_mut(key) {
            Some(f) => {
                let at = self.at.entry(key.to_string()).or_insert((pos, pos));
                if at.1 == pos {
                    return;
                }
                at.1 = pos;
                f.created = info.clone();
                f.commits += 1;
                f.approximate |= info.boundary;
            }
            None => {
                if let Some(w) = &mut self.waiting {
                    w.remove(key);
                }
                self.at.insert(key.to_string(), (pos, pos));
                self.files.insert(
                    key.to_string(),
                    FileFacts {
                        last: info.clone(),
                        created: info.clone(),
                        commits: 1,
                        approximate: info.boundary,
                        modified_locally: false,
                    },
                );
            }
        }
    }

    /// Files of the kinds with history fields (by path) and the registry have a history; a
    /// version outside the handbook root belongs to the file it became.
    fn tracked(&mut self, d: &Delta, key: &str) -> bool {
        let outside = d.old_path.iter().chain(&d.new_path).any(|p| is_outside(p));
        let key = outside.then_some(key);
        d.old_path
            .iter()
            .chain(&d.new_path)
            .map(String::as_str)
            .chain(key)
            .any(|p| self.path_tracked(p))
    }

    fn path_tracked(&mut self, path: &str) -> bool {
        if let Some(&t) = self.tracked_paths.get(path) {
            return t;
        }
        let t = self.tracking.tracks(self.cfg, path);
        self.tracked_paths.insert(path.to_string(), t);
        t
    }
}
