//! Crediting commits to files: the second half of the history pass.
//!
//! The walk turns each commit into a [`Record`] (what it changed in the handbook, with renames
//! paired), either by diffing it or from the cache; the tally takes the records newest first and
//! works out per file its last and first commit and its commit count, follows renames back in
//! time, and collects the changes of roadmap items and processes for their history. A record
//! depends only on its commit, so a cached record and a fresh one tally the same way.

use std::collections::{HashMap, HashSet};

use git2::Oid;

use super::diff::Delta;
use super::{CommitInfo, FileFacts, ReadOptions};
use crate::config::Config;
use crate::kind::Kind;

/// What one commit changed in the handbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Record {
    /// The commit; `None` when it changed nothing (or is a merge, which is never credited).
    pub info: Option<CommitInfo>,
    /// Changed files, renames paired, in the order the diff found them.
    pub deltas: Vec<Delta>,
}

pub(super) enum Flow {
    Go,
    Stop,
}

pub(super) struct Tally<'r> {
    cfg: &'r Config,
    opts: &'r ReadOptions,
    /// Commits of `.git-blame-ignore-revs`: their renames are followed, nothing is credited.
    ignored: HashSet<Oid>,
    /// A path in older commits → the path it has at HEAD (renames, seen newest first).
    alias: HashMap<String, String>,
    pub files: HashMap<String, FileFacts>,
    /// Per history key, the changes credited to it, newest first; read once the walk is done.
    pub history: HashMap<String, Vec<(Delta, CommitInfo)>>,
    /// Paths of `stop_after` still without a last commit.
    waiting: Option<HashSet<String>>,
    /// The handbook's files at HEAD.
    at_head: HashSet<String>,
}

impl<'r> Tally<'r> {
    pub(super) fn new(
        cfg: &'r Config,
        opts: &'r ReadOptions,
        ignored: HashSet<Oid>,
        at_head: HashSet<String>,
    ) -> Self {
        // Files that are not at HEAD (new, not committed yet) will never be found: do not wait.
        let waiting = opts
            .stop_after
            .as_ref()
            .map(|w| w.iter().filter(|p| at_head.contains(*p)).cloned().collect());
        Tally {
            cfg,
            opts,
            ignored,
            alias: HashMap::new(),
            files: HashMap::new(),
            history: HashMap::new(),
            waiting,
            at_head,
        }
    }

    /// Every path of `stop_after` already has its last commit: the walk need not start.
    pub(super) fn done_waiting(&self) -> bool {
        self.waiting.as_ref().is_some_and(HashSet::is_empty)
    }

    pub(super) fn at_head(&self) -> &HashSet<String> {
        &self.at_head
    }

    /// Credit one commit; `missing`: objects were missing, the walk ends after a credited
    /// commit.
    pub(super) fn apply(&mut self, oid: Oid, record: &Record, missing: bool) -> Flow {
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
        let Some(info) = record.info.as_ref() else {
            return Flow::Go;
        };
        if self.ignored.contains(&oid) || deltas.is_empty() {
            return Flow::Go;
        }
        for (delta, key) in deltas.iter().zip(keys) {
            self.credit(&key, info);
            if !self.opts.skip_history && self.tracked(delta) {
                let change = (delta.clone(), info.clone());
                self.history.entry(key).or_default().push(change);
            }
        }
        if let Some(rx) = &self.opts.stop_after_sent
            && let Ok(wanted) = rx.try_recv()
        {
            let (files, at_head) = (&self.files, &self.at_head);
            let left = wanted
                .into_iter()
                .filter(|p| !files.contains_key(p) && at_head.contains(p));
            self.waiting = Some(left.collect());
        }
        if missing || self.done_waiting() {
            return Flow::Stop;
        }
        Flow::Go
    }

    /// Older commits know a renamed file by its old path.
    fn follow_renames(&mut self, deltas: &[Delta], keys: &[String]) {
        for d in deltas {
            if let Some(new) = &d.new_path
                && d.old_path.as_ref() != Some(new)
            {
                self.alias.remove(new);
            }
        }
        for (d, key) in deltas.iter().zip(keys) {
            if let (Some(old), Some(new)) = (&d.old_path, &d.new_path)
                && old != new
            {
                self.alias.insert(old.clone(), key.clone());
            }
        }
    }

    fn credit(&mut self, key: &str, info: &CommitInfo) {
        match self.files.get_mut(key) {
            Some(f) => {
                f.created = info.clone();
                f.commits += 1;
                f.approximate |= info.boundary;
            }
            None => {
                if let Some(w) = &mut self.waiting {
                    w.remove(key);
                }
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

    /// Roadmap items and processes (by folder) have a history.
    fn tracked(&self, d: &Delta) -> bool {
        let is = |p: &Option<String>| {
            p.as_deref().is_some_and(|p| {
                p.ends_with(".md")
                    && p.split_once('/').is_some_and(|(folder, _)| {
                        matches!(
                            self.cfg.kind_of_folder(folder),
                            Some(Kind::ROADMAP_ITEM | Kind::PROCESS)
                        )
                    })
            })
        };
        is(&d.old_path) || is(&d.new_path)
    }
}
