//! Reading trees and blobs for the history pass: from the packs through [`Packs`] (with a
//! delta base cache), else through libgit2's object database; trees parsed in Rust.

use std::collections::HashMap;
use std::rc::Rc;

use git2::{ErrorCode, Odb, Oid, Repository};

use super::pack::{BLOB, Object, Packs, TREE};

pub(super) const TREE_MODE: u32 = 0o040000;
pub(super) const SUBMODULE_MODE: u32 = 0o160000;

/// One entry of a tree, as positions in the tree's bytes: `<mode> <name>\0<20-byte id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    start: u32,
    name: u32,
    nul: u32,
    pub mode: u32,
}

impl Entry {
    fn end(&self) -> usize {
        self.nul as usize + 21
    }
    fn shifted(self, by: i64) -> Entry {
        let s = |v: u32| (i64::from(v) + by) as u32;
        Entry {
            start: s(self.start),
            name: s(self.name),
            nul: s(self.nul),
            mode: self.mode,
        }
    }
}

/// A parsed tree object.
#[derive(Debug)]
pub(super) struct RawTree {
    data: Rc<[u8]>,
    pub entries: Vec<Entry>,
}

/// Compare in blocks first: equal blocks compare as fast as memory moves.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 256 <= n && a[i..i + 256] == b[i..i + 256] {
        i += 256;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + 256 <= n && a[la - i - 256..la - i] == b[lb - i - 256..lb - i] {
        i += 256;
    }
    while i < n && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

impl RawTree {
    /// Parse a whole tree.
    fn parse(data: Rc<[u8]>) -> Option<RawTree> {
        let mut entries = Vec::new();
        let end = parse_entries(&data, 0, &mut entries, |_| false)?;
        (end == data.len()).then_some(RawTree { data, entries })
    }

    /// Parse a tree that shares most of its bytes with `like` (another version of the same
    /// folder): entries in the common prefix and suffix are taken over, only the middle is read.
    fn parse_like(data: Rc<[u8]>, like: &RawTree) -> Option<RawTree> {
        let (r, x) = (&like.data[..], &data[..]);
        let p = common_prefix(r, x);
        let k = like.entries.partition_point(|e| e.end() <= p);
        let mut entries = like.entries[..k].to_vec();
        let from = like.entries.get(k).map_or(r.len(), |e| e.start as usize);
        if from > x.len() {
            return RawTree::parse(data);
        }
        let s = common_suffix(&r[from..], &x[from..]);
        let (cut_r, cut_x) = (r.len() - s, x.len() - s);
        let shift = x.len() as i64 - r.len() as i64;
        let mut rest = None;
        let end = parse_entries(x, from, &mut entries, |q| {
            if q < cut_x {
                return false;
            }
            let in_r = q + r.len() - x.len();
            debug_assert!(in_r >= cut_r);
            match like
                .entries
                .binary_search_by_key(&in_r, |e| e.start as usize)
            {
                Ok(m) => {
                    rest = Some(m);
                    true
                }
                Err(_) => false,
            }
        })?;
        if let Some(m) = rest {
            entries.extend(like.entries[m..].iter().map(|e| e.shifted(shift)));
        } else if end != x.len() {
            return None;
        }
        Some(RawTree { data, entries })
    }

    pub(super) fn name(&self, e: &Entry) -> &[u8] {
        &self.data[e.name as usize..e.nul as usize]
    }

    /// The entry's bytes: mode, name and id.
    fn bytes(&self, e: &Entry) -> &[u8] {
        &self.data[e.start as usize..e.end()]
    }

    pub(super) fn id(&self, e: &Entry) -> Oid {
        Oid::from_bytes(&self.data[e.nul as usize + 1..e.end()]).unwrap_or(Oid::ZERO_SHA1)
    }

    /// The entry called `name`.
    pub(super) fn get(&self, name: &[u8]) -> Option<&Entry> {
        self.entries.iter().find(|e| self.name(e) == name)
    }

    /// The entries of `self` and `other` that may differ: the ranges left after taking off the
    /// identical entries at both ends.
    pub(super) fn differing(
        &self,
        other: &RawTree,
    ) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let (a, b) = (&self.data[..], &other.data[..]);
        let p = common_prefix(a, b);
        let k = self.entries.partition_point(|e| e.end() <= p);
        let from = self.entries.get(k).map_or(a.len(), |e| e.start as usize);
        let kb = other.entries.partition_point(|e| (e.start as usize) < from);
        let s = common_suffix(&a[from..], &b[from.min(b.len())..]);
        let first_same = self
            .entries
            .partition_point(|e| (e.start as usize) < a.len() - s);
        for m in first_same..self.entries.len() {
            let q = self.entries[m].start as usize + b.len() - a.len();
            if let Ok(mb) = other.entries.binary_search_by_key(&q, |e| e.start as usize)
                && mb >= kb
                && self.bytes(&self.entries[m]) == other.bytes(&other.entries[mb])
            {
                return (k..m, kb..mb);
            }
        }
        (k..self.entries.len(), kb..other.entries.len())
    }
}

/// Parse entries from `at` until the data ends or `stop` says so at an entry start; the
/// position reached.
fn parse_entries(
    data: &[u8],
    mut at: usize,
    out: &mut Vec<Entry>,
    mut stop: impl FnMut(usize) -> bool,
) -> Option<usize> {
    while at < data.len() && !stop(at) {
        let space = at + data[at..].iter().position(|&b| b == b' ')?;
        let mode = data[at..space].iter().try_fold(0u32, |m, &d| {
            (d.is_ascii_digit() && d < b'8').then(|| m * 8 + u32::from(d - b'0'))
        })?;
        let nul = space + 1 + data[space + 1..].iter().position(|&b| b == 0)?;
        if nul + 21 > data.len() {
            return None;
        }
        out.push(Entry {
            start: u32::try_from(at).ok()?,
            name: u32::try_from(space + 1).ok()?,
            nul: u32::try_from(nul).ok()?,
            mode,
        });
        at = nul + 21;
    }
    Some(at)
}

/// Trees of the current commit and of the previous one (in a linear history the parent's
/// trees of one commit are the next commit's own), plus the object sources.
pub(super) struct Objects<'r> {
    odb: Odb<'r>,
    packs: Packs,
    current: HashMap<Oid, Rc<RawTree>>,
    previous: HashMap<Oid, Rc<RawTree>>,
    /// The last object found missing: what a "not found" error was about.
    pub missing: Option<Oid>,
}

fn invalid(what: &str, id: Oid) -> git2::Error {
    git2::Error::from_str(&format!(
        "{what} {id} cannot be read: it is damaged or of another kind"
    ))
}

fn kind_name(kind: u8) -> &'static str {
    if kind == TREE { "tree" } else { "blob" }
}

/// A libgit2 error about object `id`, saying which object (the code is kept, so a missing
/// object stays [`is_missing`]).
pub(super) fn about(what: &str, id: Oid, e: git2::Error) -> git2::Error {
    if e.message().contains(&id.to_string()) {
        return e;
    }
    git2::Error::new(e.code(), e.class(), format!("{what} {id}: {}", e.message()))
}

impl<'r> Objects<'r> {
    pub(super) fn new(repo: &'r Repository) -> Result<Self, git2::Error> {
        Ok(Objects {
            odb: repo.odb()?,
            packs: Packs::open(&repo.commondir().join("objects")),
            current: HashMap::new(),
            previous: HashMap::new(),
            missing: None,
        })
    }

    /// Whether the repository holds the object (without reading it).
    pub(super) fn exists(&self, id: Oid) -> bool {
        self.packs.location(id).is_some() || self.odb.exists(id)
    }

    fn read(&mut self, id: Oid, kind: u8) -> Result<Rc<[u8]>, git2::Error> {
        if let Some((k, data)) = self.packs.read(id) {
            return if k == kind {
                Ok(data)
            } else {
                Err(invalid(kind_name(kind), id))
            };
        }
        let obj = self.odb.read(id).map_err(|e| {
            if is_missing(&e) {
                self.missing = Some(id);
            }
            about("object", id, e)
        })?;
        let found: Object = (
            match obj.kind() {
                git2::ObjectType::Tree => TREE,
                git2::ObjectType::Blob => BLOB,
                _ => 0,
            },
            obj.data().into(),
        );
        if found.0 == kind {
            Ok(found.1)
        } else {
            Err(invalid(kind_name(kind), id))
        }
    }

    /// A tree; `like`, another version of the same folder, makes parsing it cheap.
    pub(super) fn tree(
        &mut self,
        id: Oid,
        like: Option<&RawTree>,
    ) -> Result<Rc<RawTree>, git2::Error> {
        if let Some(t) = self.current.get(&id) {
            return Ok(t.clone());
        }
        let tree = match self.previous.remove(&id) {
            Some(t) => t,
            None => {
                let data = self.read(id, TREE)?;
                let parsed = match like {
                    Some(l) => RawTree::parse_like(data, l),
                    None => RawTree::parse(data),
                };
                Rc::new(parsed.ok_or_else(|| invalid("tree", id))?)
            }
        };
        self.current.insert(id, tree.clone());
        Ok(tree)
    }

    /// Put ids in the order their objects are stored, without duplicates; objects outside the
    /// packs go last.
    pub(super) fn sort_for_reading(&self, ids: &mut Vec<Oid>) {
        ids.sort_unstable();
        ids.dedup();
        ids.sort_by_cached_key(|id| self.packs.location(*id).unwrap_or((usize::MAX, 0)));
    }

    pub(super) fn blob(&mut self, id: Oid) -> Result<Rc<[u8]>, git2::Error> {
        self.read(id, BLOB)
    }

    /// Done with a commit: its trees become the previous ones.
    pub(super) fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }
}

/// A missing object (shallow or partial clone), as opposed to a real failure.
pub(super) fn is_missing(e: &git2::Error) -> bool {
    e.code() == ErrorCode::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_parse_into_entries() {
        let mut raw = b"100644 a.md\0".to_vec();
        raw.extend([1u8; 20]);
        raw.extend(b"40000 roadmap\0");
        raw.extend([2u8; 20]);
        let t = RawTree::parse(raw.into()).unwrap();
        assert_eq!(t.entries.len(), 2);
        assert_eq!(t.name(&t.entries[1]), b"roadmap");
        assert_eq!(t.entries[1].mode, TREE_MODE);
        let a = t.get(b"a.md").unwrap();
        assert_eq!(t.id(a), Oid::from_bytes(&[1; 20]).unwrap());
        assert!(RawTree::parse(b"100644 a.md\0short".to_vec().into()).is_none());
    }

    fn tree_of(entries: &[(&str, u8)]) -> Vec<u8> {
        let mut raw = Vec::new();
        for (name, id) in entries {
            raw.extend(format!("100644 {name}\0").bytes());
            // Ids full of spaces and zeros must not confuse the parser.
            raw.extend([*id, b' ', 0].iter().cycle().take(20));
        }
        raw
    }

    #[test]
    fn a_similar_tree_parses_like_a_fresh_one_and_diffs_in_the_middle() {
        let names: Vec<String> = (0..300).map(|i| format!("item-{i:04}.md")).collect();
        let base: Vec<(&str, u8)> = names.iter().map(|n| (n.as_str(), 1)).collect();
        let mut changed = base.clone();
        changed[150].1 = 2; // modified
        changed.remove(200); // removed
        changed.insert(10, ("item-0009a.md", 3)); // added
        let old = RawTree::parse(tree_of(&base).into()).unwrap();
        let new_data: Rc<[u8]> = tree_of(&changed).into();
        let fresh = RawTree::parse(new_data.clone()).unwrap();
        let like = RawTree::parse_like(new_data, &old).unwrap();
        assert_eq!(like.entries, fresh.entries);
        let (a, b) = old.differing(&like);
        assert_eq!((a, b), (10..201, 10..201));
        let same = RawTree::parse(tree_of(&base).into()).unwrap();
        let (a, b) = old.differing(&same);
        assert!(a.is_empty() && b.is_empty(), "{a:?} {b:?}");
    }
}
