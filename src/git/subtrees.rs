//! Skipping commits that changed none of the paths a pass still waits for, by their trees.
//!
//! A pass that stops once some files have their last commit (`check`) diffs commits newest
//! first until each of them is found. Most commits change other folders: when the folder of
//! every waiting file has the same tree id in the commit and in its first parent (or, for a
//! folder with a few waiting files, each of those files has the same entry), diffing the
//! commit would credit none of them. It is then tallied as changing nothing, as a commit the
//! commit-graph's filters skip (`bloom.rs`): that changes no fact the pass reports, and its
//! record is not cached. Unlike a filter, trees answer exactly, and every repository has them;
//! reading the few trees above the waiting folders costs far less than a diff that descends
//! into every folder the commit changed.
//!
//! Merges, root commits and anything that cannot be read are left to the diff, which knows
//! what to make of them.

use std::collections::{BTreeMap, HashSet};

use git2::Oid;

use super::differ::Differ;
use super::objects::{Objects, RawTree, TREE_MODE};

/// Folders with at most this many waiting files are compared file by file when their tree
/// changed (a one-file check's folder); above it, a changed folder means a diff.
const FEW: usize = 8;

/// The waiting files of one folder of the handbook.
#[derive(Debug)]
struct Folder {
    /// The folder's path, part by part, from the handbook root (empty: the root).
    parts: Vec<Vec<u8>>,
    /// The waiting files' names in it.
    files: Vec<Vec<u8>>,
}

/// Decides, commit by commit, whether a pass may skip diffing it.
#[derive(Debug, Default)]
pub(super) struct TreeSkipper {
    folders: Vec<Folder>,
    /// Which waiting set, of how many paths, the folders were made for (see
    /// [`super::tally::Tally::waiting`]: within a set, the paths only go).
    made_for: Option<(usize, usize)>,
    /// Commits skipped, for tests and timings.
    pub skipped: usize,
}

impl TreeSkipper {
    /// Whether `commit` changed none of the `waiting` paths (the set numbered `version`).
    pub(super) fn untouched(
        &mut self,
        differ: &mut Differ,
        commit: Oid,
        waiting: &HashSet<String>,
        version: usize,
    ) -> bool {
        if self.made_for != Some((version, waiting.len())) {
            // A name that is not UTF-8 was read with U+FFFD in it: its bytes in the trees are
            // not known, so only the diff can tell.
            self.folders = match waiting.iter().any(|p| p.contains('\u{FFFD}')) {
                true => Vec::new(),
                false => folders(waiting),
            };
            self.made_for = Some((version, waiting.len()));
        }
        if self.folders.is_empty() {
            return false;
        }
        let Some((old, new)) = differ.subtree_pair(commit) else {
            return false;
        };
        let objects = &mut differ.objects;
        let untouched = old == new
            || self
                .folders
                .iter()
                .all(|f| folder_untouched(objects, old, new, f).unwrap_or(false));
        objects.missing = None;
        objects.next_commit();
        self.skipped += usize::from(untouched);
        untouched
    }
}

fn folders(waiting: &HashSet<String>) -> Vec<Folder> {
    let mut by: BTreeMap<&str, Vec<Vec<u8>>> = BTreeMap::new();
    for p in waiting {
        let (folder, name) = p.rsplit_once('/').unwrap_or(("", p));
        by.entry(folder).or_default().push(name.as_bytes().to_vec());
    }
    by.into_iter()
        .map(|(folder, files)| Folder {
            parts: folder
                .split('/')
                .filter(|p| !p.is_empty())
                .map(|p| p.as_bytes().to_vec())
                .collect(),
            files,
        })
        .collect()
}

/// The entry's mode and id, to compare two versions of it.
fn entry(tree: &RawTree, name: &[u8]) -> Option<(u32, Oid)> {
    tree.get(name).map(|e| (e.mode, tree.id(e)))
}

/// Whether the handbook trees `old` and `new` hold the same versions of the folder's waiting
/// files (absent from both counts as the same).
fn folder_untouched(
    objects: &mut Objects,
    mut old: Oid,
    mut new: Oid,
    folder: &Folder,
) -> Result<bool, git2::Error> {
    for part in &folder.parts {
        if old == new {
            return Ok(true);
        }
        let a = objects.tree(old, None)?;
        let b = objects.tree(new, Some(&a))?;
        match (entry(&a, part), entry(&b, part)) {
            (Some((TREE_MODE, x)), Some((TREE_MODE, y))) => (old, new) = (x, y),
            // Not a folder on one side at least: the files under it are the same only where
            // neither side has a folder there (the same file, or nothing, on both).
            (x, y) => return Ok(x == y),
        }
    }
    if old == new {
        return Ok(true);
    }
    if folder.files.len() > FEW {
        return Ok(false);
    }
    let a = objects.tree(old, None)?;
    let b = objects.tree(new, Some(&a))?;
    Ok(folder
        .files
        .iter()
        .all(|name| entry(&a, name) == entry(&b, name)))
}
