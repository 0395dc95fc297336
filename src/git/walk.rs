//! The one pass over history: walk from HEAD, diff each commit's handbook subtree against its
//! first parent's (skipping identical subtrees by id) into a [`Record`] of what it changed, and
//! tally the records. Records come from the cache when it has them (`cache/`): then the walk
//! order comes from there too, and only commits without a record are diffed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use git2::{Commit, Mailmap, Oid, Sort};

use super::cache::{Log, Store};
use super::diff;
use super::history::{self, Versions};
use super::objects::{Objects, TREE_MODE, is_missing};
use super::tally::{Flow, Record, Tally};
use super::{CommitInfo, Facts, HistoryEntry, ReadOptions, Repo, civil_date};
use crate::config::Config;

#[cfg(test)]
thread_local! {
    /// Commits diffed (not taken from the cache) on this thread, for tests.
    pub(super) static DIFFED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub(super) struct Pass<'r> {
    repo: &'r git2::Repository,
    workdir: &'r Path,
    cfg: &'r Config,
    opts: &'r ReadOptions,
    differ: Differ<'r>,
    store: Option<Store>,
}

/// Diffs commits: the state one thread needs for it.
struct Differ<'r> {
    repo: &'r git2::Repository,
    prefix: &'r str,
    /// Loaded on the first commit that is diffed.
    mailmap: Option<Option<Mailmap>>,
    /// The shallow boundary commits (`.git/shallow`).
    boundary: HashSet<Oid>,
    shallow: bool,
    objects: Objects<'r>,
    /// Commit → its handbook subtree (`None`: the handbook folder does not exist there).
    subtree_of: HashMap<Oid, Option<Oid>>,
    /// An object was missing (shallow or partial clone).
    missing: bool,
}

/// The commits to tally, in walk order, and the error that cut the walk short, if any.
#[derive(Default)]
struct Order {
    commits: Vec<Oid>,
    broken: Option<git2::Error>,
}

impl<'r> Pass<'r> {
    pub(super) fn new(
        repo: &'r Repo,
        cfg: &'r Config,
        opts: &'r ReadOptions,
    ) -> Result<Self, git2::Error> {
        let r = &repo.repo;
        Ok(Pass {
            repo: r,
            workdir: &repo.workdir,
            cfg,
            opts,
            differ: Differ::new(r, &repo.prefix, shallow_boundary(r))?,
            store: Store::open(repo),
        })
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
        let mut tally = Tally::new(self.cfg, self.opts, ignored, at_head);
        let waited = tally.done_waiting();
        let Order { commits, broken } = if waited {
            Order::default()
        } else {
            self.order(head, &log)?
        };
        let Log {
            head: cached_head,
            mut records,
            ..
        } = log;
        crate::timing::phase("git: order");
        let (stopped, diffed) = self.tally_commits(&mut tally, &commits, &mut records)?;
        crate::timing::phase("git: diff + tally");
        let complete_order = !commits.is_empty() && broken.is_none();
        if let Some(e) = broken
            && !stopped
            && !self.differ.missing
        {
            if !is_missing(&e) {
                return Err(e);
            }
            self.differ.missing = true;
        }
        if let Some(store) = &self.store
            && complete_order
            && !self.differ.missing
            && (diffed > 0 || cached_head != Some(head))
        {
            store.save(head, &commits, &records, tally.at_head());
        }
        facts.history = self.history(std::mem::take(&mut tally.history))?;
        crate::timing::phase("git: status history");
        let missing = self.differ.missing;
        facts.missing_objects = missing;
        facts.partial = waited || stopped;
        let at_head = tally.at_head().clone();
        facts.files = tally
            .files
            .into_iter()
            .filter(|(path, _)| at_head.contains(path))
            .map(|(path, mut f)| {
                f.approximate |= missing;
                (path, f)
            })
            .collect();
        Ok(())
    }

    /// Tally the commits in order, from their cached records or diffed (the new records go
    /// into `records` when there is a cache); whether the tally stopped early, and how many
    /// commits were diffed.
    fn tally_commits(
        &mut self,
        tally: &mut Tally,
        commits: &[Oid],
        records: &mut HashMap<Oid, Record>,
    ) -> Result<(bool, usize), git2::Error> {
        let mut diffed = 0usize;
        let mut fresh = self.prefetch(commits, records);
        crate::timing::phase("git: prefetch");
        for &oid in commits {
            let flow = match records.get(&oid) {
                Some(record) => tally.apply(oid, record, self.differ.missing),
                None => {
                    let record = match fresh.remove(&oid) {
                        Some(r) => Ok(r),
                        None => {
                            #[cfg(test)]
                            DIFFED.set(DIFFED.get() + 1);
                            let r = self.differ.record(oid);
                            self.differ.objects.next_commit();
                            r
                        }
                    };
                    let record = match record {
                        Ok(r) => r,
                        Err(e) if is_missing(&e) => {
                            self.differ.missing = true;
                            break;
                        }
                        Err(e) => return Err(e),
                    };
                    let flow = tally.apply(oid, &record, self.differ.missing);
                    if self.store.is_some() {
                        records.insert(oid, record);
                        diffed += 1;
                    }
                    flow
                }
            };
            if let Flow::Stop = flow {
                return Ok((true, diffed));
            }
        }
        Ok((false, diffed))
    }

    /// Diff the commits without a record on worker threads (see [`super::workers`]), when the
    /// whole history is wanted (a pass that may stop early diffs on demand). Each worker opens its
    /// own handle on the repository and takes one contiguous run of commits, so consecutive
    /// commits still share trees. A worker stops at its first error or missing object and
    /// leaves the rest to the calling thread, which then meets the same error in order: the
    /// tally is exactly the one-thread tally.
    fn prefetch(&self, commits: &[Oid], records: &HashMap<Oid, Record>) -> HashMap<Oid, Record> {
        let todo: Vec<Oid> = commits
            .iter()
            .filter(|c| !records.contains_key(c))
            .copied()
            .collect();
        let whole = self.opts.stop_after.is_none() && self.opts.stop_after_sent.is_none();
        if !whole {
            return HashMap::new();
        }
        let (prefix, boundary) = (self.differ.prefix, &self.differ.boundary);
        super::workers::run(&todo, self.repo.path(), |repo, chunk| {
            let mut out = Vec::with_capacity(chunk.len());
            let Ok(mut differ) = Differ::new(repo, prefix, boundary.clone()) else {
                return out;
            };
            for &oid in chunk {
                match differ.record(oid) {
                    Ok(r) if !differ.missing => out.push((oid, r)),
                    _ => break,
                }
                differ.objects.next_commit();
            }
            out
        })
        .into_iter()
        .collect()
    }

    /// The history entries of the tallied changes; the values of file versions come from the
    /// cache when it knows them, and go back into it.
    fn history(
        &mut self,
        changes: history::Changes,
    ) -> Result<BTreeMap<String, Vec<HistoryEntry>>, git2::Error> {
        if changes.is_empty() {
            return Ok(BTreeMap::new());
        }
        let blobs: Vec<Oid> = history::blobs_of(&changes).collect();
        let known = self
            .store
            .as_ref()
            .map(Store::load_states)
            .unwrap_or_default();
        let mut versions = Versions::with_known(known);
        let built = versions.build(&mut self.differ.objects, changes, self.repo.path())?;
        if let (Some(store), true) = (&self.store, versions.read > 0) {
            store.save_states(versions.known(blobs.into_iter()));
        }
        Ok(built)
    }

    /// The walk order from `head`: the cached one when the cache was made at `head`; the new
    /// commits and then the cached order when HEAD only moved forward without merges (a walk
    /// from there meets the new commits first, then goes on exactly as from the cached HEAD);
    /// else a revision walk.
    fn order(&self, head: Oid, log: &Log) -> Result<Order, git2::Error> {
        let known = match log.head {
            Some(c) if c == head => Some(log.order.clone()),
            Some(c) => self.line_to(head, c).map(|mut line| {
                line.extend_from_slice(&log.order);
                line
            }),
            None => None,
        };
        if let Some(commits) = known {
            debug_assert_eq!(
                commits,
                self.revwalk(head)?.commits,
                "the cached walk order"
            );
            return Ok(Order {
                commits,
                broken: None,
            });
        }
        self.revwalk(head)
    }

    /// The commits from `head` down to `base` (not included), when `base` is reached by first
    /// parents through commits that each have one parent.
    fn line_to(&self, head: Oid, base: Oid) -> Option<Vec<Oid>> {
        let mut line = Vec::new();
        let mut at = head;
        while at != base {
            let commit = self.repo.find_commit(at).ok()?;
            if commit.parent_count() != 1 {
                return None;
            }
            line.push(at);
            at = commit.parent_id(0).ok()?;
        }
        Some(line)
    }

    /// Every commit reachable from `head`, children before parents, newer first.
    fn revwalk(&self, head: Oid) -> Result<Order, git2::Error> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        walk.push(head)?;
        let mut out = Order::default();
        for oid in walk {
            match oid {
                Ok(oid) => out.commits.push(oid),
                Err(e) => {
                    out.broken = Some(e);
                    break;
                }
            }
        }
        Ok(out)
    }
}

impl<'r> Differ<'r> {
    fn new(
        repo: &'r git2::Repository,
        prefix: &'r str,
        boundary: HashSet<Oid>,
    ) -> Result<Self, git2::Error> {
        Ok(Differ {
            repo,
            prefix,
            mailmap: None,
            boundary,
            shallow: repo.is_shallow(),
            objects: Objects::new(repo)?,
            subtree_of: HashMap::new(),
            missing: false,
        })
    }

    /// Every file of the handbook at a commit.
    fn paths_at(&mut self, commit: Oid) -> Result<HashSet<String>, git2::Error> {
        let tree = self.repo.find_commit(commit)?.tree_id();
        let sub = self.subtree(tree)?;
        let mut deltas = Vec::new();
        diff::diff(&mut self.objects, None, sub, "", &mut deltas)?;
        Ok(deltas.into_iter().filter_map(|d| d.new_path).collect())
    }

    /// What one commit changed in the handbook, against its first parent.
    fn record(&mut self, oid: Oid) -> Result<Record, git2::Error> {
        let commit = self.repo.find_commit(oid)?;
        if commit.parent_count() > 1 {
            // Like `git log --no-merges`: the merged commits are walked themselves.
            return Ok(Record::default());
        }
        let new = self.subtree_of_commit(&commit)?;
        let (old, boundary) = if commit.parent_count() == 0 {
            let cut = self.shallow && (self.boundary.is_empty() || self.boundary.contains(&oid));
            (None, cut)
        } else {
            match self
                .repo
                .find_commit(commit.parent_id(0)?)
                .and_then(|p| self.subtree_of_commit(&p))
            {
                Ok(t) => (t, false),
                Err(e) if is_missing(&e) => {
                    self.missing = true;
                    (None, true)
                }
                Err(e) => return Err(e),
            }
        };
        if old == new {
            return Ok(Record::default());
        }
        let mut deltas = Vec::new();
        diff::diff(&mut self.objects, old, new, "", &mut deltas)?;
        diff::pair_renames(self.repo, old, new, &mut deltas)?;
        let info = (!deltas.is_empty()).then(|| self.info(&commit, boundary));
        Ok(Record { info, deltas })
    }

    fn info(&mut self, commit: &Commit, boundary: bool) -> CommitInfo {
        let mailmap = self.mailmap.get_or_insert_with(|| self.repo.mailmap().ok());
        let sig = mailmap
            .as_ref()
            .and_then(|m| commit.author_with_mailmap(m).ok())
            .unwrap_or_else(|| commit.author().to_owned());
        let when = sig.when();
        let author = sig
            .name()
            .ok()
            .filter(|n| !n.is_empty())
            .or_else(|| sig.email().ok())
            .unwrap_or("unknown")
            .to_string();
        CommitInfo {
            id: commit.id().to_string(),
            date: civil_date(when.seconds(), when.offset_minutes()),
            author,
            time: when.seconds(),
            boundary,
        }
    }

    fn subtree_of_commit(&mut self, commit: &Commit) -> Result<Option<Oid>, git2::Error> {
        if let Some(t) = self.subtree_of.get(&commit.id()) {
            return Ok(*t);
        }
        let t = self.subtree(commit.tree_id())?;
        self.subtree_of.insert(commit.id(), t);
        Ok(t)
    }

    /// The handbook's subtree of a root tree.
    fn subtree(&mut self, root: Oid) -> Result<Option<Oid>, git2::Error> {
        let mut at = root;
        for part in self.prefix.split('/').filter(|p| !p.is_empty()) {
            let tree = self.objects.tree(at, None)?;
            match tree.get(part.as_bytes()) {
                Some(e) if e.mode == TREE_MODE => at = tree.id(e),
                _ => return Ok(None),
            }
        }
        Ok(Some(at))
    }
}

/// Commits whose changes are not reviews: `.git-blame-ignore-revs` at the top of the work tree,
/// plus every file named by `blame.ignoreRevsFile`. Lines are full commit ids; `#` starts a
/// comment; anything else is skipped.
fn ignored_revs(repo: &git2::Repository, workdir: &Path) -> HashSet<Oid> {
    let mut files = vec![workdir.join(".git-blame-ignore-revs")];
    if let Ok(cfg) = repo.config()
        && let Ok(mut entries) = cfg.multivar("blame.ignoreRevsFile", None)
    {
        while let Some(Ok(e)) = entries.next() {
            if let Some(v) = e.value().ok().filter(|v| !v.is_empty()) {
                files.push(workdir.join(v));
            }
        }
    }
    let mut out = HashSet::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for line in text.lines() {
            let id = line.split('#').next().unwrap_or_default().trim();
            if let Ok(oid) = Oid::from_str(id)
                && id.len() >= 40
            {
                out.insert(oid);
            }
        }
    }
    out
}

/// The boundary commits of a shallow clone, from `shallow` in the git folder.
fn shallow_boundary(repo: &git2::Repository) -> HashSet<Oid> {
    std::fs::read_to_string(repo.commondir().join("shallow"))
        .map(|t| {
            t.lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect()
        })
        .unwrap_or_default()
}
