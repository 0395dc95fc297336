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

/// The files that differ between two trees, under `base`.
pub(super) fn diff(
    objects: &mut Objects,
    old: Option<Oid>,
    new: Option<Oid>,
    base: &str,
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
            diff(objects, old_id.map(|x| x.0), new_id.map(|x| x.0), &dir, out)?;
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
pub(super) fn pair_renames(
    repo: &Repository,
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
        let (a, b) = (repo.find_tree(old)?, repo.find_tree(new)?);
        let mut opts = DiffOptions::new();
        opts.disable_pathspec_match(true);
        for p in gone.keys().chain(came.keys()) {
            opts.pathspec(p);
        }
        let mut diff = repo.diff_tree_to_tree(Some(&a), Some(&b), Some(&mut opts))?;
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
