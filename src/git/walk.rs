//! The one pass over history: walk from HEAD, diff each commit's handbook subtree against its
//! first parent's (skipping identical subtrees by id), credit the commit to the changed paths.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use git2::{Commit, Mailmap, Oid, Sort};

use super::diff::{self, Delta};
use super::objects::{Objects, TREE_MODE, is_missing};
use super::state::{ItemState, States};
use super::{CommitInfo, Event, Facts, FileFacts, HistoryEntry, ReadOptions, Repo, civil_date};
use crate::config::Config;
use crate::kind::Kind;

pub(super) struct Pass<'r> {
    repo: &'r git2::Repository,
    prefix: &'r str,
    cfg: &'r Config,
    opts: &'r ReadOptions,
    mailmap: Option<Mailmap>,
    ignored: HashSet<Oid>,
    /// The shallow boundary commits (`.git/shallow`).
    boundary: HashSet<Oid>,
    shallow: bool,
    objects: Objects<'r>,
    /// Commit → its handbook subtree (`None`: the handbook folder does not exist there).
    subtree_of: HashMap<Oid, Option<Oid>>,
    parsed: States,
    /// Blob → its tracked values (`None`: the blob is missing).
    states: HashMap<Oid, Option<ItemState>>,
    /// A path in older commits → the path it has at HEAD (renames, seen newest first).
    alias: HashMap<String, String>,
    files: HashMap<String, FileFacts>,
    /// Per history key, the changes credited to it, newest first; read once the walk is done.
    history: HashMap<String, Vec<(Delta, CommitInfo)>>,
    /// Paths of `stop_after` still without a last commit.
    waiting: Option<HashSet<String>>,
    /// The handbook's files at HEAD.
    at_head: HashSet<String>,
    missing: bool,
}

enum Flow {
    Go,
    Stop,
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
            prefix: &repo.prefix,
            cfg,
            opts,
            mailmap: r.mailmap().ok(),
            ignored: ignored_revs(r, &repo.workdir),
            boundary: shallow_boundary(r),
            shallow: r.is_shallow(),
            objects: Objects::new(r)?,
            subtree_of: HashMap::new(),
            parsed: States::default(),
            states: HashMap::new(),
            alias: HashMap::new(),
            files: HashMap::new(),
            history: HashMap::new(),
            waiting: opts
                .stop_after
                .as_ref()
                .map(|w| w.iter().cloned().collect()),
            at_head: HashSet::new(),
            missing: false,
        })
    }

    /// Walk from `head` and fill `facts`.
    pub(super) fn run(mut self, head: Oid, facts: &mut Facts) -> Result<(), git2::Error> {
        // Files that are not at HEAD (new, not committed yet) will never be found: do not wait.
        let at_head = self.paths_at(head)?;
        self.at_head = at_head.clone();
        if let Some(w) = &mut self.waiting {
            w.retain(|p| at_head.contains(p));
        }
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        walk.push(head)?;
        let mut stopped = self.waiting.as_ref().is_some_and(HashSet::is_empty);
        let commits = if stopped { None } else { Some(walk) };
        for oid in commits.into_iter().flatten() {
            let step = oid.and_then(|oid| self.commit(oid));
            self.objects.next_commit();
            match step {
                Ok(Flow::Go) => {}
                Ok(Flow::Stop) => {
                    stopped = true;
                    break;
                }
                Err(e) if is_missing(&e) => {
                    self.missing = true;
                    break;
                }
                Err(e) => return Err(e),
            }
        }
        let history = self.read_history()?;
        let missing = self.missing;
        facts.missing_objects = missing;
        facts.partial = stopped;
        facts.files = self
            .files
            .into_iter()
            .filter(|(path, _)| at_head.contains(path))
            .map(|(path, mut f)| {
                f.approximate |= missing;
                (path, f)
            })
            .collect();
        facts.history = history;
        Ok(())
    }

    /// Read every version the history needs, in the order the packs store them (so delta
    /// bases are read before the deltas built on them), then build the entries, oldest first.
    fn read_history(&mut self) -> Result<BTreeMap<String, Vec<HistoryEntry>>, git2::Error> {
        let mut blobs: Vec<Oid> = self
            .history
            .values()
            .flatten()
            .flat_map(|(d, _)| [d.old, d.new])
            .flatten()
            .collect();
        self.objects.sort_for_reading(&mut blobs);
        for id in blobs {
            self.state(id)?;
        }
        let mut out = BTreeMap::new();
        for (key, changes) in std::mem::take(&mut self.history) {
            let mut entries = Vec::with_capacity(changes.len());
            for (delta, info) in changes.iter().rev() {
                entries.push(self.entry(delta, info)?);
            }
            out.insert(key, entries);
        }
        Ok(out)
    }

    /// Every file of the handbook at a commit.
    fn paths_at(&mut self, commit: Oid) -> Result<HashSet<String>, git2::Error> {
        let tree = self.repo.find_commit(commit)?.tree_id();
        let sub = self.subtree(tree)?;
        let mut deltas = Vec::new();
        diff::diff(&mut self.objects, None, sub, "", &mut deltas)?;
        Ok(deltas.into_iter().filter_map(|d| d.new_path).collect())
    }

    /// Credit one commit to the paths it changed.
    fn commit(&mut self, oid: Oid) -> Result<Flow, git2::Error> {
        let commit = self.repo.find_commit(oid)?;
        if commit.parent_count() > 1 {
            // Like `git log --no-merges`: the merged commits are walked themselves.
            return Ok(Flow::Go);
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
            return Ok(Flow::Go);
        }
        let mut deltas = Vec::new();
        diff::diff(&mut self.objects, old, new, "", &mut deltas)?;
        diff::pair_renames(self.repo, old, new, &mut deltas)?;
        let keys: Vec<String> = deltas
            .iter()
            .map(|d| {
                self.alias
                    .get(d.path())
                    .cloned()
                    .unwrap_or_else(|| d.path().to_string())
            })
            .collect();
        self.follow_renames(&deltas, &keys);
        if self.ignored.contains(&oid) || deltas.is_empty() {
            return Ok(Flow::Go);
        }
        let info = self.info(&commit, boundary);
        for (delta, key) in deltas.iter().zip(keys) {
            self.credit(&key, &info);
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
        if self.missing || self.waiting.as_ref().is_some_and(HashSet::is_empty) {
            return Ok(Flow::Stop);
        }
        Ok(Flow::Go)
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
                            Some(Kind::RoadmapItem | Kind::Process)
                        )
                    })
            })
        };
        is(&d.old_path) || is(&d.new_path)
    }

    fn entry(&mut self, d: &Delta, info: &CommitInfo) -> Result<HistoryEntry, git2::Error> {
        let before = d.old.map(|o| self.state(o)).transpose()?;
        let after = d.new.map(|o| self.state(o)).transpose()?;
        let unreadable = matches!(before, Some(None)) || matches!(after, Some(None));
        let (before, after) = (before.flatten(), after.flatten());
        let event = d.event();
        let changes = if unreadable {
            Default::default()
        } else {
            ItemState::diff(before.as_ref(), after.as_ref())
        };
        Ok(HistoryEntry {
            commit: info.clone(),
            event,
            path: d.path().to_string(),
            renamed_from: (event == Event::Renamed)
                .then(|| d.old_path.clone())
                .flatten(),
            changes,
            state: after.or(before),
            approximate: unreadable || info.boundary,
        })
    }

    /// The tracked values of a blob; `None` when the blob is missing (a partial clone).
    fn state(&mut self, blob: Oid) -> Result<Option<ItemState>, git2::Error> {
        if let Some(s) = self.states.get(&blob) {
            return Ok(s.clone());
        }
        let state = match self.objects.blob(blob) {
            Ok(b) => Some(self.parsed.read(&b)),
            Err(e) if is_missing(&e) => None,
            Err(e) => return Err(e),
        };
        self.states.insert(blob, state.clone());
        Ok(state)
    }

    fn info(&self, commit: &Commit, boundary: bool) -> CommitInfo {
        let sig = self
            .mailmap
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
