//! Diffing one commit against its first parent into a [`Record`]: the handbook's subtree only
//! (subtrees with the same id are skipped), renames paired over the whole repository, and what
//! was missing said in the record instead of failing the pass.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use git2::{Commit, Mailmap, Oid};

use super::diff::{self, Delta, everywhere, from_repo, to_repo};
use super::objects::{Objects, TREE_MODE, about, is_missing};
use super::tally::Record;
use super::{CommitInfo, civil_date, clamp_time};

/// Diffs commits: the state one thread needs for it.
pub(super) struct Differ<'r> {
    pub repo: &'r git2::Repository,
    pub prefix: &'r str,
    /// Loaded on the first commit that is diffed.
    mailmap: Option<Option<Mailmap>>,
    /// The shallow boundary commits (`.git/shallow`).
    pub boundary: HashSet<Oid>,
    shallow: bool,
    pub objects: Objects<'r>,
    /// Commit → its handbook subtree (`None`: the handbook folder does not exist there).
    subtree_of: HashMap<Oid, Option<Oid>>,
    /// The repository paths of the files followed outside the root, and which version of
    /// that set they are.
    followed: (usize, BTreeSet<String>),
    /// The folders [`Differ::record_within`] looks into (see [`Folders`]).
    folders: Folders,
}

/// The folders that hold the files a pass waits for, each with its parents (`a/`, `a/b/`, as
/// [`diff::diff`] names folders), made for a waiting set (its version and size then).
#[derive(Debug, Default)]
struct Folders {
    made_for: Option<(usize, usize)>,
    dirs: HashSet<String>,
}

impl Folders {
    /// Made anew for another set, or when the set shrank to half: between two makings it may
    /// hold folders no file waits in any more, which only costs a look into them.
    fn update(&mut self, waiting: &HashSet<String>, version: usize) {
        let stale = match self.made_for {
            Some((v, n)) => v != version || waiting.len() * 2 <= n,
            None => true,
        };
        if !stale {
            return;
        }
        self.dirs.clear();
        for path in waiting {
            for (i, _) in path.match_indices('/') {
                self.dirs.insert(path[..=i].to_string());
            }
        }
        self.made_for = Some((version, waiting.len()));
    }
}

/// A commit's first parent (its id and root tree; `None` for a root commit, `Err` with its id
/// when the parent commit is missing) and the commit's own root tree.
type Roots = (Result<Option<(Oid, Oid)>, Oid>, Oid);

impl<'r> Differ<'r> {
    pub(super) fn new(
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
            followed: (0, BTreeSet::new()),
            folders: Folders::default(),
        })
    }

    /// Every file of the handbook at a commit.
    pub(super) fn paths_at(&mut self, commit: Oid) -> Result<HashSet<String>, git2::Error> {
        let tree = self.commit(commit)?.tree_id();
        let sub = self.subtree(tree)?;
        let mut deltas = Vec::new();
        diff::diff(&mut self.objects, None, sub, "", &everywhere, &mut deltas)?;
        Ok(deltas.into_iter().filter_map(|d| d.new_path).collect())
    }

    fn commit(&self, id: Oid) -> Result<Commit<'r>, git2::Error> {
        self.repo
            .find_commit(id)
            .map_err(|e| about("commit", id, e))
    }

    /// The roots of a commit that is not a merge; `None` for a merge.
    fn roots(&self, commit: &Commit) -> Result<Option<Roots>, git2::Error> {
        let parent = match commit.parent_count() {
            0 => Ok(None),
            1 => {
                let id = commit.parent_id(0)?;
                match self.repo.find_commit(id) {
                    Ok(p) => Ok(Some((id, p.tree_id()))),
                    Err(e) if is_missing(&e) => Err(id),
                    Err(e) => return Err(about("commit", id, e)),
                }
            }
            // Like `git log --no-merges`: the merged commits are walked themselves.
            _ => return Ok(None),
        };
        Ok(Some((parent, commit.tree_id())))
    }

    /// The handbook subtrees of the first parent of a commit with one parent and of the commit
    /// (what [`super::subtrees`] compares); `None` for a merge, a root commit, a missing
    /// parent or anything that cannot be read, and where either side has no handbook folder.
    pub(super) fn subtree_pair(&mut self, oid: Oid) -> Option<(Oid, Oid)> {
        let commit = self.commit(oid).ok()?;
        let (Ok(Some((parent, old_root))), new_root) = self.roots(&commit).ok()?? else {
            return None;
        };
        let new = self.subtree_of(oid, new_root).ok()??;
        let old = self.subtree_of(parent, old_root).ok()??;
        Some((old, new))
    }

    /// What one commit changed in the handbook, against its first parent. A missing parent or
    /// tree cuts the history here (the record says so); missing file contents only cost the
    /// renames that needed them.
    pub(super) fn record(&mut self, oid: Oid) -> Result<Record, git2::Error> {
        self.record_in(oid, &everywhere)
    }

    /// What one commit changed in the folders that hold the `waiting` files (the set numbered
    /// `version`), for a pass that only looks for their last commits and keeps no records:
    /// the changes of those files are the ones [`Differ::record`] finds, without descending
    /// into the other folders the commit changed. Not a record of the commit, so never cached.
    pub(super) fn record_within(
        &mut self,
        oid: Oid,
        waiting: &HashSet<String>,
        version: usize,
    ) -> Result<Record, git2::Error> {
        let mut folders = std::mem::take(&mut self.folders);
        folders.update(waiting, version);
        let record = self.record_in(oid, &|dir: &str| folders.dirs.contains(dir));
        self.folders = folders;
        record
    }

    fn record_in(&mut self, oid: Oid, into: &dyn Fn(&str) -> bool) -> Result<Record, git2::Error> {
        self.objects.missing = None;
        let commit = self.commit(oid)?;
        let Some((parent, new_root)) = self.roots(&commit)? else {
            return Ok(Record::default());
        };
        let mut record = Record::default();
        let new = match self.subtree_of(oid, new_root) {
            Ok(t) => t,
            Err(e) => return self.cut(e, record),
        };
        if let Some(t) = new.filter(|t| !self.objects.exists(*t)) {
            record.missing.push(t);
            record.cut = true;
            return Ok(record);
        }
        let (mut old_root, mut old, mut boundary) = (None, None, false);
        match parent {
            Ok(Some((id, root))) => match self.subtree_of(id, root) {
                Ok(Some(t)) if !self.objects.exists(t) => record.missing.push(t),
                Ok(t) => (old_root, old) = (Some(root), t),
                Err(e) => record = self.cut(e, record)?,
            },
            Ok(None) => boundary = self.at_boundary(oid),
            Err(id) => record.missing.push(id),
        }
        if !record.missing.is_empty() {
            // The parent or its trees are missing (a treeless clone, a damaged repository):
            // like at a shallow boundary, everything there is credited to this commit.
            (record.cut, boundary) = (true, true);
        } else if old == new {
            return Ok(record);
        }
        let mut deltas = Vec::new();
        if let Err(e) = diff::diff(&mut self.objects, old, new, "", into, &mut deltas) {
            return self.cut(e, record);
        }
        self.pair(&mut record, (old_root, Some(new_root)), &mut deltas)?;
        record.info = (!deltas.is_empty()).then(|| self.info(&commit, boundary));
        record.deltas = deltas;
        Ok(record)
    }

    /// Pair renames (see [`diff::pair_renames`]); what missing contents cost goes into
    /// `record`.
    fn pair(
        &mut self,
        record: &mut Record,
        roots: (Option<Oid>, Option<Oid>),
        deltas: &mut Vec<Delta>,
    ) -> Result<(), git2::Error> {
        match diff::pair_renames(self.repo, &mut self.objects, self.prefix, roots, deltas) {
            Ok(lost) => {
                record.missing.extend(lost.missing);
                record.unsure = lost.unsure;
            }
            Err(e) if is_missing(&e) => {
                // A tree needed to look for renames is missing: any added file may be one.
                record.missing.extend(self.objects.missing.take());
                record.unsure = added(deltas);
            }
            Err(e) => return Err(e),
        }
        record.missing.sort_unstable();
        record.missing.dedup();
        Ok(())
    }

    /// A root commit is a shallow clone's boundary.
    fn at_boundary(&self, oid: Oid) -> bool {
        self.shallow && (self.boundary.is_empty() || self.boundary.contains(&oid))
    }

    /// The changes of one commit to files followed outside the handbook root (`paths`, as
    /// [`from_repo`] names them; `version` changes whenever they do), renames paired: the
    /// history of files moved into the root, from before the move. A missing parent is left
    /// to [`Differ::record`] to report.
    pub(super) fn side(
        &mut self,
        oid: Oid,
        version: usize,
        paths: &BTreeSet<String>,
    ) -> Result<Record, git2::Error> {
        let commit = self.commit(oid)?;
        let Some((Ok(parent), new_root)) = self.roots(&commit)? else {
            return Ok(Record::default());
        };
        let old_root = parent.map(|p| p.1);
        self.objects.missing = None;
        if self.followed.0 != version || self.followed.1.is_empty() {
            let prefix = self.prefix;
            self.followed = (version, paths.iter().map(|p| to_repo(prefix, p)).collect());
        }
        let wanted = std::mem::take(&mut self.followed.1);
        let record = self.side_diff(&commit, old_root, new_root, &wanted);
        self.followed.1 = wanted;
        record
    }

    fn side_diff(
        &mut self,
        commit: &Commit,
        old_root: Option<Oid>,
        new_root: Oid,
        wanted: &BTreeSet<String>,
    ) -> Result<Record, git2::Error> {
        let oid = commit.id();
        let into = |dir: &str| {
            wanted
                .range::<str, _>((Bound::Included(dir), Bound::Unbounded))
                .next()
                .is_some_and(|p| p.starts_with(dir))
        };
        let mut deltas = Vec::new();
        let mut record = Record::default();
        if let Err(e) = diff::diff(
            &mut self.objects,
            old_root,
            Some(new_root),
            "",
            &into,
            &mut deltas,
        ) {
            return self.cut(e, record);
        }
        deltas.retain(|d| wanted.contains(d.path()));
        if deltas.is_empty() {
            return Ok(record);
        }
        for d in &mut deltas {
            d.old_path = d.old_path.take().map(|p| from_repo(self.prefix, &p));
            d.new_path = d.new_path.take().map(|p| from_repo(self.prefix, &p));
        }
        let boundary = old_root.is_none() && self.at_boundary(oid);
        self.pair(&mut record, (old_root, Some(new_root)), &mut deltas)?;
        record.info = Some(self.info(commit, boundary));
        record.deltas = deltas;
        Ok(record)
    }

    /// A record cut by a missing object (`e`, when it is one; other errors fail the pass).
    fn cut(&mut self, e: git2::Error, mut record: Record) -> Result<Record, git2::Error> {
        if !is_missing(&e) {
            return Err(e);
        }
        record.missing.extend(self.objects.missing.take());
        record.cut = true;
        Ok(record)
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
            time: clamp_time(when.seconds()),
            boundary,
        }
    }

    /// The handbook subtree of a commit whose root tree is `root`.
    fn subtree_of(&mut self, commit: Oid, root: Oid) -> Result<Option<Oid>, git2::Error> {
        if let Some(t) = self.subtree_of.get(&commit) {
            return Ok(*t);
        }
        let t = self.subtree(root)?;
        self.subtree_of.insert(commit, t);
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

/// The paths of the added files.
fn added(deltas: &[Delta]) -> Vec<String> {
    deltas
        .iter()
        .filter(|d| d.old_path.is_none())
        .map(|d| d.path().to_string())
        .collect()
}

/// Diff `commits` on worker threads (see [`super::workers`]), for a pass that wants the whole
/// history: each worker opens its own handle on the repository and takes one contiguous run of
/// commits, so consecutive commits still share trees. A worker stops at its first error or cut
/// and leaves the rest to the calling thread, which then meets the same error in order: the
/// tally is exactly the one-thread tally.
pub(super) fn diff_ahead(
    repo: &git2::Repository,
    prefix: &str,
    boundary: &HashSet<Oid>,
    commits: &[Oid],
) -> HashMap<Oid, Record> {
    super::workers::run(commits, repo.path(), |repo, chunk| {
        let mut out = Vec::with_capacity(chunk.len());
        let Ok(mut differ) = Differ::new(repo, prefix, boundary.clone()) else {
            return out;
        };
        for &oid in chunk {
            match differ.record(oid) {
                Ok(r) if !r.cut => out.push((oid, r)),
                _ => break,
            }
            differ.objects.next_commit();
        }
        out
    })
    .into_iter()
    .collect()
}
