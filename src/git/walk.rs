//! The one pass over history: walk from HEAD, diff each commit's handbook subtree against its
//! first parent's (skipping identical subtrees by id), credit the commit to the changed paths.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{Commit, DiffFindOptions, DiffOptions, ErrorCode, Mailmap, ObjectType, Oid, Sort, Tree};

use super::state::ItemState;
use super::{CommitInfo, Event, Facts, FileFacts, HistoryEntry, ReadOptions, Repo, civil_date};
use crate::config::Config;
use crate::kind::Kind;

const TREE_MODE: i32 = 0o040000;
const SUBMODULE_MODE: i32 = 0o160000;

/// One file changed by a commit. Added: no `old_path`; removed: no `new_path`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Delta {
    old_path: Option<String>,
    new_path: Option<String>,
    old: Option<Oid>,
    new: Option<Oid>,
}

impl Delta {
    fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or_default()
    }
    fn event(&self) -> Event {
        match (&self.old_path, &self.new_path) {
            (None, _) => Event::Added,
            (_, None) => Event::Removed,
            (Some(a), Some(b)) if a != b => Event::Renamed,
            _ => Event::Modified,
        }
    }
}

/// Trees loaded for the current commit, and those of the previous one: in a linear history the
/// parent's trees of one commit are the next commit's own trees.
#[derive(Default)]
struct TreeCache<'r> {
    current: HashMap<Oid, Tree<'r>>,
    previous: HashMap<Oid, Tree<'r>>,
}

impl<'r> TreeCache<'r> {
    fn get(&mut self, repo: &'r git2::Repository, id: Oid) -> Result<Tree<'r>, git2::Error> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.previous.remove(&id) {
            Some(t) => t,
            None => repo.find_tree(id)?,
        };
        self.current.insert(id, tree.clone());
        Ok(tree)
    }
    fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

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
    trees: TreeCache<'r>,
    /// Commit → its handbook subtree (`None`: the handbook folder does not exist there).
    subtree_of: HashMap<Oid, Option<Oid>>,
    /// Blob → its tracked values (`None`: the blob is missing).
    states: HashMap<Oid, Option<ItemState>>,
    /// A path in older commits → the path it has at HEAD (renames, seen newest first).
    alias: HashMap<String, String>,
    files: HashMap<String, FileFacts>,
    history: HashMap<String, Vec<HistoryEntry>>,
    /// Paths of `stop_after` still without a last commit.
    waiting: Option<HashSet<String>>,
    missing: bool,
}

enum Flow {
    Go,
    Stop,
}

fn is_missing(e: &git2::Error) -> bool {
    e.code() == ErrorCode::NotFound
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
            trees: TreeCache::default(),
            subtree_of: HashMap::new(),
            states: HashMap::new(),
            alias: HashMap::new(),
            files: HashMap::new(),
            history: HashMap::new(),
            waiting: opts
                .stop_after
                .as_ref()
                .map(|w| w.iter().cloned().collect()),
            missing: false,
        })
    }

    /// Walk from `head` and fill `facts`.
    pub(super) fn run(mut self, head: Oid, facts: &mut Facts) -> Result<(), git2::Error> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
        walk.push(head)?;
        let mut stopped = false;
        for oid in walk {
            let step = oid.and_then(|oid| self.commit(oid));
            self.trees.next_commit();
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
        let at_head = self.paths_at(head)?;
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
        facts.history = self
            .history
            .into_iter()
            .map(|(path, mut entries)| {
                entries.reverse();
                (path, entries)
            })
            .collect();
        Ok(())
    }

    /// Every file of the handbook at a commit.
    fn paths_at(&mut self, commit: Oid) -> Result<HashSet<String>, git2::Error> {
        let tree = self.repo.find_commit(commit)?.tree_id();
        let sub = self.subtree(tree)?;
        let mut deltas = Vec::new();
        self.diff(None, sub, "", &mut deltas)?;
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
        self.diff(old, new, "", &mut deltas)?;
        self.pair_renames(old, new, &mut deltas)?;
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
                let entry = self.entry(delta, &info)?;
                self.history.entry(key).or_default().push(entry);
            }
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
        let state = match self.repo.find_blob(blob) {
            Ok(b) => Some(ItemState::parse(&String::from_utf8_lossy(b.content()))),
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
        if self.prefix.is_empty() {
            return Ok(Some(root));
        }
        let tree = self.trees.get(self.repo, root)?;
        match tree.get_path(Path::new(self.prefix.trim_end_matches('/'))) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(e.id())),
            Ok(_) => Ok(None),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The files that differ between two trees, under `base`.
    fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        base: &str,
        out: &mut Vec<Delta>,
    ) -> Result<(), git2::Error> {
        let a = old.map(|o| self.trees.get(self.repo, o)).transpose()?;
        let b = new.map(|o| self.trees.get(self.repo, o)).transpose()?;
        let entries = |t: &Option<Tree<'r>>| t.as_ref().map_or(0, Tree::len);
        let (len_a, len_b) = (entries(&a), entries(&b));
        let (mut i, mut j) = (0, 0);
        while i < len_a || j < len_b {
            let ea = a.as_ref().and_then(|t| t.get(i));
            let eb = b.as_ref().and_then(|t| t.get(j));
            let order = match (&ea, &eb) {
                (Some(x), Some(y)) => git_order(
                    x.name_bytes(),
                    x.filemode() == TREE_MODE,
                    y.name_bytes(),
                    y.filemode() == TREE_MODE,
                ),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let (old_e, new_e) = match order {
                std::cmp::Ordering::Less => {
                    i += 1;
                    (ea, None)
                }
                std::cmp::Ordering::Greater => {
                    j += 1;
                    (None, eb)
                }
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    (ea, eb)
                }
            };
            let (old_id, new_id) = (
                old_e.as_ref().map(|e| (e.id(), e.filemode())),
                new_e.as_ref().map(|e| (e.id(), e.filemode())),
            );
            if old_id == new_id {
                continue;
            }
            let name = old_e
                .as_ref()
                .or(new_e.as_ref())
                .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
                .unwrap_or_default();
            let path = format!("{base}{name}");
            let mode = old_id.or(new_id).map_or(0, |(_, m)| m);
            if mode == SUBMODULE_MODE {
                continue;
            }
            if mode == TREE_MODE {
                let dir = format!("{path}/");
                self.diff(old_id.map(|x| x.0), new_id.map(|x| x.0), &dir, out)?;
            } else {
                out.push(Delta {
                    old_path: old_id.map(|_| path.clone()),
                    new_path: new_id.map(|_| path.clone()),
                    old: old_id.map(|x| x.0),
                    new: new_id.map(|x| x.0),
                });
            }
        }
        Ok(())
    }

    /// Turn a removed and an added file into one rename: same blob first, then similar content
    /// (libgit2's rename detection, run only on the unpaired files of this commit).
    fn pair_renames(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        deltas: &mut Vec<Delta>,
    ) -> Result<(), git2::Error> {
        let removed = |d: &Delta| d.new_path.is_none();
        let added = |d: &Delta| d.old_path.is_none();
        if !deltas.iter().any(removed) || !deltas.iter().any(added) {
            return Ok(());
        }
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut by_blob: HashMap<Oid, Vec<usize>> = HashMap::new();
        for (i, d) in deltas.iter().enumerate().rev() {
            if let (true, Some(o)) = (removed(d), d.old) {
                by_blob.entry(o).or_default().push(i);
            }
        }
        for (j, d) in deltas.iter().enumerate() {
            if let (true, Some(n)) = (added(d), d.new)
                && let Some(i) = by_blob.get_mut(&n).and_then(Vec::pop)
            {
                pairs.push((i, j));
            }
        }
        let paired: HashSet<usize> = pairs.iter().flat_map(|&(i, j)| [i, j]).collect();
        let open = |f: &dyn Fn(&Delta) -> bool| {
            deltas
                .iter()
                .enumerate()
                .filter(|(k, d)| !paired.contains(k) && f(d))
                .map(|(k, d)| (d.path().to_string(), k))
                .collect::<HashMap<String, usize>>()
        };
        let (gone, came) = (open(&removed), open(&added));
        if let (false, false, Some(old), Some(new)) = (gone.is_empty(), came.is_empty(), old, new) {
            let (a, b) = (
                self.trees.get(self.repo, old)?,
                self.trees.get(self.repo, new)?,
            );
            let mut opts = DiffOptions::new();
            opts.disable_pathspec_match(true);
            for p in gone.keys().chain(came.keys()) {
                opts.pathspec(p);
            }
            let mut diff = self
                .repo
                .diff_tree_to_tree(Some(&a), Some(&b), Some(&mut opts))?;
            diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
            for d in diff.deltas() {
                if d.status() != git2::Delta::Renamed {
                    continue;
                }
                let path = |f: git2::DiffFile| f.path().and_then(Path::to_str).map(str::to_string);
                if let (Some(from), Some(to)) = (path(d.old_file()), path(d.new_file()))
                    && let (Some(&i), Some(&j)) = (gone.get(&from), came.get(&to))
                {
                    pairs.push((i, j));
                }
            }
        }
        let mut drop = HashSet::new();
        for (i, j) in pairs {
            deltas[i].new_path = deltas[j].new_path.take();
            deltas[i].new = deltas[j].new;
            drop.insert(j);
        }
        let mut k = 0;
        deltas.retain(|_| {
            k += 1;
            !drop.contains(&(k - 1))
        });
        Ok(())
    }
}

/// git's tree entry order: names compare bytewise, a folder as if its name ended in `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let n = a.len().min(b.len());
    a[..n].cmp(&b[..n]).then_with(|| {
        let end =
            |name: &[u8], tree: bool| name.get(n).copied().unwrap_or(if tree { b'/' } else { 0 });
        end(a, a_tree).cmp(&end(b, b_tree))
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    #[test]
    fn tree_order_puts_folders_after_same_prefix_files() {
        assert_eq!(git_order(b"a", false, b"b", false), Less);
        assert_eq!(git_order(b"a", true, b"a.md", false), Greater); // "a/" > "a."
        assert_eq!(git_order(b"a", false, b"a.md", false), Less);
        assert_eq!(git_order(b"a", true, b"a-b", false), Greater); // '/' (47) > '-' (45)
        assert_eq!(git_order(b"a", true, b"a0", false), Less); // '/' < '0'
        assert_eq!(git_order(b"a", false, b"a", true), Less);
        assert_eq!(git_order(b"a", true, b"a", true), Equal);
    }
}
