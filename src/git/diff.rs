//! Which files a commit changed: a merge walk over two trees that descends only into
//! subtrees whose ids differ and skips the identical entries at both ends of big folders, then
//! pairs removed and added files into renames.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::rc::Rc;

use git2::{DiffFindOptions, DiffOptions, Oid, Repository};

use super::Event;
use super::objects::{Entry, Objects, RawTree, SUBMODULE_MODE, TREE_MODE};

/// One file changed by a commit. Added: no `old_path`; removed: no `new_path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Delta {
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub old: Option<Oid>,
    pub new: Option<Oid>,
}

impl Delta {
    pub(super) fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or_default()
    }
    pub(super) fn event(&self) -> Event {
        match (&self.old_path, &self.new_path) {
            (None, _) => Event::Added,
            (_, None) => Event::Removed,
            (Some(a), Some(b)) if a != b => Event::Renamed,
            _ => Event::Modified,
        }
    }
}

/// The files that differ between two trees, under `base`; `into(dir)` says whether to look
/// into a folder (`dir` ends in `/`) at all.
pub(super) fn diff(
    objects: &mut Objects,
    old: Option<Oid>,
    new: Option<Oid>,
    base: &str,
    into: &dyn Fn(&str) -> bool,
    out: &mut Vec<Delta>,
) -> Result<(), git2::Error> {
    let b = new.map(|o| objects.tree(o, None)).transpose()?;
    let a = old.map(|o| objects.tree(o, b.as_deref())).transpose()?;
    let none = [];
    let (mut ea, mut eb) = (
        a.as_ref().map_or(&none[..], |t| &t.entries[..]),
        b.as_ref().map_or(&none[..], |t| &t.entries[..]),
    );
    if let (Some(x), Some(y)) = (&a, &b) {
        let (ra, rb) = x.differing(y);
        (ea, eb) = (&ea[ra], &eb[rb]);
    }
    let (mut i, mut j) = (0, 0);
    while i < ea.len() || j < eb.len() {
        let order = match (ea.get(i), eb.get(j)) {
            (Some(x), Some(y)) => git_order(
                name(&a, x),
                x.mode == TREE_MODE,
                name(&b, y),
                y.mode == TREE_MODE,
            ),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let (old_e, new_e) = match order {
            std::cmp::Ordering::Less => (ea.get(i), None),
            std::cmp::Ordering::Greater => (None, eb.get(j)),
            std::cmp::Ordering::Equal => (ea.get(i), eb.get(j)),
        };
        let entry_name = match (old_e, new_e) {
            (Some(e), _) => name(&a, e),
            (None, Some(e)) => name(&b, e),
            _ => &[],
        };
        i += usize::from(old_e.is_some());
        j += usize::from(new_e.is_some());
        let (old_id, new_id) = (
            old_e.and_then(|e| Some((a.as_ref()?.id(e), e.mode))),
            new_e.and_then(|e| Some((b.as_ref()?.id(e), e.mode))),
        );
        if old_id == new_id {
            continue;
        }
        let path = format!("{base}{}", String::from_utf8_lossy(entry_name));
        let mode = old_id.or(new_id).map_or(0, |(_, m)| m);
        if mode == SUBMODULE_MODE {
            continue;
        }
        if mode == TREE_MODE {
            let dir = format!("{path}/");
            if into(&dir) {
                let (o, n) = (old_id.map(|x| x.0), new_id.map(|x| x.0));
                diff(objects, o, n, &dir, into, out)?;
            }
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

/// Look into every folder.
pub(super) fn everywhere(_: &str) -> bool {
    true
}

/// A repository path as the history pass names it: relative to the handbook root, with `../`
/// for a path outside it (root `pages/`: `_pages/a.md` is `../_pages/a.md`).
pub(super) fn from_repo(prefix: &str, repo_path: &str) -> String {
    if let Some(inside) = repo_path.strip_prefix(prefix) {
        return inside.to_string();
    }
    let dirs: Vec<&str> = prefix.split('/').filter(|d| !d.is_empty()).collect();
    let parts: Vec<&str> = repo_path.split('/').collect();
    let common = dirs.iter().zip(&parts).take_while(|(d, p)| d == p).count();
    format!(
        "{}{}",
        "../".repeat(dirs.len() - common),
        parts[common..].join("/")
    )
}

/// The repository path of a path as the history pass names it (see [`from_repo`]).
pub(super) fn to_repo(prefix: &str, path: &str) -> String {
    let mut dirs: Vec<&str> = prefix.split('/').filter(|d| !d.is_empty()).collect();
    let mut rest = path;
    while let Some(r) = rest.strip_prefix("../") {
        dirs.pop();
        rest = r;
    }
    dirs.push(rest);
    dirs.join("/")
}

/// A path outside the handbook root (see [`from_repo`]).
pub(super) fn is_outside(path: &str) -> bool {
    path.starts_with("../")
}

/// What rename pairing could not do because file contents are missing.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Unpaired {
    /// Blobs it needed to compare and did not find.
    pub missing: Vec<Oid>,
    /// Added files (by path) that may be renames of a file whose content is missing.
    pub unsure: Vec<String>,
}

/// Where a rename may come from: a removed file of `deltas`, or one removed outside the
/// handbook root.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Own(usize),
    Outside(usize),
}

/// Turn a removed and an added file into one rename, as `git log --follow` does: same blob
/// first, then similar content (libgit2's rename detection, run only on the unpaired files of
/// this commit). The whole repository is the rename scope: when added files are left, files
/// removed outside the handbook root (`prefix`) are candidates too, so a file moved into the
/// root keeps its history. `roots` are the commit's and its parent's root trees. Content
/// missing from the repository (a partial clone) only costs the pairs that needed it: they are
/// listed in the answer.
pub(super) fn pair_renames(
    repo: &Repository,
    objects: &mut Objects,
    prefix: &str,
    roots: (Option<Oid>, Option<Oid>),
    deltas: &mut Vec<Delta>,
) -> Result<Unpaired, git2::Error> {
    let removed = |d: &Delta| d.new_path.is_none();
    let added = |d: &Delta| d.old_path.is_none();
    if !deltas.iter().any(added) {
        return Ok(Unpaired::default());
    }
    let mut sources: Vec<Source> = (0..deltas.len())
        .filter(|&i| removed(&deltas[i]))
        .map(Source::Own)
        .collect();
    let mut outside: Vec<Delta> = Vec::new();
    let targets: Vec<usize> = (0..deltas.len()).filter(|&j| added(&deltas[j])).collect();
    let mut pairs: Vec<(Source, usize)> = Vec::new();
    exact_pairs(&sources, &targets, &mut pairs, deltas, &outside);
    let open_targets = |pairs: &[(Source, usize)]| -> Vec<usize> {
        let done: HashSet<usize> = pairs.iter().map(|p| p.1).collect();
        targets
            .iter()
            .copied()
            .filter(|j| !done.contains(j))
            .collect()
    };
    if let (false, false, Some(old_root)) =
        (prefix.is_empty(), open_targets(&pairs).is_empty(), roots.0)
    {
        let seen: HashSet<String> = deltas.iter().map(|d| d.path().to_string()).collect();
        let mut gone = Vec::new();
        let root = prefix.to_string();
        diff(
            objects,
            Some(old_root),
            roots.1,
            "",
            &|d: &str| d != root,
            &mut gone,
        )?;
        outside = gone
            .into_iter()
            .filter(|d| d.new_path.is_none())
            .map(|mut d| {
                d.old_path = d.old_path.map(|p| from_repo(prefix, &p));
                d
            })
            .filter(|d| !seen.contains(d.path()))
            .collect();
        let extra: Vec<Source> = (0..outside.len()).map(Source::Outside).collect();
        let open = open_targets(&pairs);
        exact_pairs(&extra, &open, &mut pairs, deltas, &outside);
        sources.extend(extra);
    }
    let used: HashSet<Source> = pairs.iter().map(|p| p.0).collect();
    let gone: Vec<Source> = sources
        .iter()
        .copied()
        .filter(|s| !used.contains(s))
        .collect();
    let came = open_targets(&pairs);
    let mut lost = Unpaired::default();
    if let (false, false, Some(old_root), Some(new_root)) =
        (gone.is_empty(), came.is_empty(), roots.0, roots.1)
    {
        // Only files whose content is here can be compared.
        let present = |id: Option<Oid>, lost: &mut Unpaired| match id {
            Some(id) if objects.exists(id) => true,
            Some(id) => {
                lost.missing.push(id);
                false
            }
            None => false,
        };
        let mut from: HashMap<String, Source> = HashMap::new();
        let mut source_lost = false;
        for &s in &gone {
            let d = s.delta(deltas, &outside);
            if present(d.old, &mut lost) {
                from.insert(to_repo(prefix, d.path()), s);
            } else {
                source_lost = true;
            }
        }
        let mut to: HashMap<String, usize> = HashMap::new();
        let mut target_lost = Vec::new();
        for &j in &came {
            if present(deltas[j].new, &mut lost) {
                to.insert(to_repo(prefix, deltas[j].path()), j);
            } else {
                target_lost.push(j);
            }
        }
        if !from.is_empty()
            && !to.is_empty()
            && let Err(e) = similar_pairs(repo, (old_root, new_root), &from, &to, &mut pairs)
        {
            // libgit2 does not say which object it could not read: find it, and say so.
            let blobs = gone.iter().map(|s| s.delta(deltas, &outside).old);
            let blobs = blobs.chain(came.iter().map(|&j| deltas[j].new));
            for id in blobs.flatten() {
                objects.blob(id)?;
            }
            return Err(e);
        }
        let open = open_targets(&pairs);
        lost.unsure = open
            .into_iter()
            .filter(|j| source_lost || target_lost.contains(j))
            .map(|j| deltas[j].path().to_string())
            .collect();
        lost.missing.sort_unstable();
        lost.missing.dedup();
    }
    let mut drop = HashSet::new();
    for (s, j) in pairs {
        match s {
            Source::Own(i) => {
                deltas[i].new_path = deltas[j].new_path.take();
                deltas[i].new = deltas[j].new;
                drop.insert(j);
            }
            Source::Outside(o) => {
                deltas[j].old_path = outside[o].old_path.clone();
                deltas[j].old = outside[o].old;
            }
        }
    }
    let mut k = 0;
    deltas.retain(|_| {
        k += 1;
        !drop.contains(&(k - 1))
    });
    Ok(lost)
}

impl Source {
    fn delta<'d>(self, deltas: &'d [Delta], outside: &'d [Delta]) -> &'d Delta {
        match self {
            Source::Own(i) => &deltas[i],
            Source::Outside(o) => &outside[o],
        }
    }
}

/// Pair sources and targets (indexes of `deltas`) with the same blob, each once, in order.
fn exact_pairs(
    sources: &[Source],
    targets: &[usize],
    pairs: &mut Vec<(Source, usize)>,
    deltas: &[Delta],
    outside: &[Delta],
) {
    let mut by_blob: HashMap<Oid, Vec<Source>> = HashMap::new();
    for &s in sources.iter().rev() {
        if let Some(o) = s.delta(deltas, outside).old {
            by_blob.entry(o).or_default().push(s);
        }
    }
    for &j in targets {
        let found = deltas[j]
            .new
            .and_then(|n| by_blob.get_mut(&n))
            .and_then(Vec::pop);
        if let Some(s) = found {
            pairs.push((s, j));
        }
    }
}

/// Pair by similar content (libgit2), between the root trees, among the given repository
/// paths.
fn similar_pairs(
    repo: &Repository,
    (old, new): (Oid, Oid),
    from: &HashMap<String, Source>,
    to: &HashMap<String, usize>,
    pairs: &mut Vec<(Source, usize)>,
) -> Result<(), git2::Error> {
    let (a, b) = (repo.find_tree(old)?, repo.find_tree(new)?);
    let mut opts = DiffOptions::new();
    opts.disable_pathspec_match(true);
    let mut paths: Vec<&String> = from.keys().chain(to.keys()).collect();
    paths.sort_unstable();
    for p in paths {
        opts.pathspec(p);
    }
    let mut diff = repo.diff_tree_to_tree(Some(&a), Some(&b), Some(&mut opts))?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    for d in diff.deltas() {
        if d.status() != git2::Delta::Renamed {
            continue;
        }
        let path = |f: git2::DiffFile| f.path().and_then(Path::to_str).map(str::to_string);
        if let (Some(old), Some(new)) = (path(d.old_file()), path(d.new_file()))
            && let (Some(&s), Some(&j)) = (from.get(&old), to.get(&new))
        {
            pairs.push((s, j));
        }
    }
    Ok(())
}

/// The name of an entry of an optional tree.
fn name<'t>(t: &'t Option<Rc<RawTree>>, e: &Entry) -> &'t [u8] {
    t.as_ref().map_or(&[][..], |t| t.name(e))
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
