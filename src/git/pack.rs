//! A read-only pack reader with a delta base cache, for the history pass.
//!
//! libgit2 keeps only the bottom object of a delta chain in its cache (16 MB, emptied whenever it
//! is full), so reading the versions of one big tree or file one after another resolves the
//! whole chain (up to 50 deltas) every time. git itself caches every intermediate base, and that
//! is what makes `git log` fast. This reader does the same: it resolves objects from the
//! repository's `objects/pack/*.pack` files (index version 2, SHA-1) and caches each base it
//! builds. Anything it cannot serve (loose objects, alternates, other formats, damaged data) is
//! left to libgit2 by returning `None`.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::path::Path;
use std::rc::Rc;

use git2::Oid;

/// Object kinds as the pack format numbers them.
pub(super) const TREE: u8 = 2;
pub(super) const BLOB: u8 = 3;
const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;

/// Index files larger than this are left to libgit2 (they are read whole).
const MAX_INDEX: u64 = 256 << 20;
/// Memory for cached bases; objects larger than `MAX_CACHED` are not cached.
const CACHE_BUDGET: usize = 32 << 20;
/// The budget grows to hold this many versions of the biggest tree read, up to
/// `MAX_CACHE_BUDGET`: a folder of 37,000 files has a 1.7 MB tree, and with room for only a
/// few of its versions every version rebuilt its delta chain (the pass took 2.7 × longer).
const TREE_VERSIONS: usize = 64;
const MAX_CACHE_BUDGET: usize = 256 << 20;
const MAX_CACHED: usize = 8 << 20;

/// An object: its kind (1 commit, 2 tree, 3 blob, 4 tag) and its bytes.
pub(super) type Object = (u8, Rc<[u8]>);

struct Pack {
    file: File,
    len: u64,
    /// The whole `.idx` file.
    index: Vec<u8>,
    count: usize,
}

pub(super) struct Packs {
    packs: Vec<Pack>,
    cache: HashMap<(usize, u64), Object>,
    order: VecDeque<((usize, u64), usize)>,
    cached_bytes: usize,
    budget: usize,
}

impl Packs {
    /// The packs of a repository's object folder; unreadable ones are skipped.
    pub(super) fn open(objects: &Path) -> Packs {
        let mut packs = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(objects.join("pack"))
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        names.sort();
        for idx in names
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "idx"))
        {
            if let Some(p) = Pack::open(idx) {
                packs.push(p);
            }
        }
        Packs {
            packs,
            cache: HashMap::new(),
            order: VecDeque::new(),
            cached_bytes: 0,
            budget: CACHE_BUDGET,
        }
    }

    /// The object `id`, when a pack holds it and it reads cleanly.
    pub(super) fn read(&mut self, id: Oid) -> Option<Object> {
        let bytes = id.as_bytes();
        if bytes.len() != 20 {
            return None;
        }
        let (p, off) = self.find(bytes)?;
        self.unpack(p, off)
    }

    /// The pack and offset of an object.
    pub(super) fn location(&self, id: Oid) -> Option<(usize, u64)> {
        let bytes = id.as_bytes();
        if bytes.len() != 20 {
            return None;
        }
        self.find(bytes)
    }

    fn find(&self, id: &[u8]) -> Option<(usize, u64)> {
        self.packs
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.offset_of(id).map(|o| (i, o)))
    }

    /// Resolve the object at `off`: walk down its delta chain to a cached or whole base, then
    /// apply the deltas upward, caching every intermediate result.
    fn unpack(&mut self, p: usize, off: u64) -> Option<Object> {
        let mut chain: Vec<(usize, u64, Vec<u8>)> = Vec::new();
        let (mut at_pack, mut at) = (p, off);
        let mut base = loop {
            if let Some(hit) = self.cache.get(&(at_pack, at)) {
                break hit.clone();
            }
            let pack = &self.packs[at_pack];
            let (kind, size, data_at) = pack.header(at)?;
            match kind {
                1..=4 => {
                    let data: Rc<[u8]> = pack.inflate(data_at, size)?.into();
                    self.remember(at_pack, at, (kind, data.clone()));
                    break (kind, data);
                }
                OFS_DELTA => {
                    let (back, delta_at) = pack.ofs_base(data_at)?;
                    let delta = pack.inflate(delta_at, size)?;
                    chain.push((at_pack, at, delta));
                    at = at.checked_sub(back)?;
                }
                REF_DELTA => {
                    let mut id = [0u8; 20];
                    read_at(&pack.file, &mut id, data_at).ok()?;
                    let delta = pack.inflate(data_at + 20, size)?;
                    chain.push((at_pack, at, delta));
                    (at_pack, at) = self.find(&id)?;
                }
                _ => return None,
            }
            if chain.len() > 10_000 {
                return None;
            }
        };
        // Each result is cached under the pack and offset it was found at.
        while let Some((in_pack, at, delta)) = chain.pop() {
            let data: Rc<[u8]> = apply_delta(&base.1, &delta)?.into();
            base = (base.0, data);
            self.remember(in_pack, at, base.clone());
        }
        Some(base)
    }

    fn remember(&mut self, p: usize, off: u64, obj: Object) {
        let size = obj.1.len();
        if size > MAX_CACHED || self.cache.contains_key(&(p, off)) {
            return;
        }
        if obj.0 == TREE {
            self.budget = self
                .budget
                .max(size.saturating_mul(TREE_VERSIONS).min(MAX_CACHE_BUDGET));
        }
        while self.cached_bytes + size > self.budget {
            let Some((key, len)) = self.order.pop_front() else {
                break;
            };
            self.cache.remove(&key);
            self.cached_bytes -= len;
        }
        self.cache.insert((p, off), obj);
        self.order.push_back(((p, off), size));
        self.cached_bytes += size;
    }
}

impl Pack {
    fn open(idx_path: &Path) -> Option<Pack> {
        let index = super::files::read_regular(idx_path, MAX_INDEX)?;
        // Version 2: magic, version, 256-entry fan-out.
        if index.len() < 8 + 256 * 4 || index[..8] != [0xff, b't', b'O', b'c', 0, 0, 0, 2] {
            return None;
        }
        let count = be32(&index, 8 + 255 * 4)? as usize;
        if index.len() < 8 + 256 * 4 + count * 28 {
            return None;
        }
        let pack = idx_path.with_extension("pack");
        // Not a FIFO or a device: only a regular file is opened.
        if !std::fs::metadata(&pack).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let file = File::open(&pack).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() {
            return None;
        }
        let len = meta.len();
        Some(Pack {
            file,
            len,
            index,
            count,
        })
    }

    /// The pack offset of an object, by binary search in the index.
    fn offset_of(&self, id: &[u8]) -> Option<u64> {
        let fan = |b: usize| be32(&self.index, 8 + b * 4).map(|v| v as usize);
        let hi = fan(id[0] as usize)?;
        let lo = if id[0] == 0 {
            0
        } else {
            fan(id[0] as usize - 1)?
        };
        let ids = 8 + 256 * 4;
        let (mut lo, mut hi) = (lo, hi);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = ids + mid * 20;
            match self.index.get(at..at + 20)?.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return self.offset_at(mid),
            }
        }
        None
    }

    fn offset_at(&self, n: usize) -> Option<u64> {
        let offsets = 8 + 256 * 4 + self.count * 24;
        let v = be32(&self.index, offsets + n * 4)?;
        if v & 0x8000_0000 == 0 {
            return Some(u64::from(v));
        }
        let large = offsets + self.count * 4 + (v & 0x7fff_ffff) as usize * 8;
        let b = self.index.get(large..large + 8)?;
        Some(u64::from_be_bytes(b.try_into().ok()?))
    }

    /// Kind, size and where the data starts, from the object header at `off`.
    fn header(&self, off: u64) -> Option<(u8, usize, u64)> {
        let mut buf = [0u8; 16];
        let n = self.read_some(off, &mut buf)?;
        let mut i = 0;
        let first = *buf.get(i)?;
        let kind = (first >> 4) & 7;
        let mut size = usize::from(first & 15);
        let mut shift = 4;
        let mut byte = first;
        while byte & 0x80 != 0 {
            i += 1;
            if i >= n || shift > 57 {
                return None;
            }
            byte = buf[i];
            size |= usize::from(byte & 0x7f) << shift;
            shift += 7;
        }
        Some((kind, size, off + i as u64 + 1))
    }

    /// The distance back to an OFS_DELTA's base, and where its delta data starts.
    fn ofs_base(&self, at: u64) -> Option<(u64, u64)> {
        let mut buf = [0u8; 16];
        let n = self.read_some(at, &mut buf)?;
        let mut i = 0;
        let mut byte = buf[0];
        let mut back = u64::from(byte & 0x7f);
        while byte & 0x80 != 0 {
            i += 1;
            if i >= n || i > 9 {
                return None;
            }
            byte = buf[i];
            back = ((back + 1) << 7) | u64::from(byte & 0x7f);
        }
        Some((back, at + i as u64 + 1))
    }

    fn read_some(&self, off: u64, buf: &mut [u8]) -> Option<usize> {
        let want = buf.len().min(self.len.checked_sub(off)? as usize);
        read_at(&self.file, &mut buf[..want], off).ok()?;
        (want > 0).then_some(want)
    }

    /// Inflate the zlib stream at `at` into exactly `size` bytes.
    fn inflate(&self, at: u64, size: usize) -> Option<Vec<u8>> {
        let left = self.len.checked_sub(at)? as usize;
        // zlib packs at most about 1032:1; a larger size is a damaged header.
        if size > left.saturating_mul(1100).saturating_add(1024) {
            return None;
        }
        // zlib never grows data by more than a few bytes per 16 KiB block.
        let room = (size + size / 1000 + 64).min(left);
        let mut input = vec![0u8; room];
        read_at(&self.file, &mut input, at).ok()?;
        let mut out = Vec::with_capacity(size);
        let mut z = flate2::Decompress::new(true);
        let status = z
            .decompress_vec(&input, &mut out, flate2::FlushDecompress::Finish)
            .ok()?;
        (status == flate2::Status::StreamEnd && out.len() == size).then_some(out)
    }
}

/// Fill `buf` from `file` at `off`.
fn read_at(file: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, off)
    }
    #[cfg(not(unix))]
    {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = file;
        f.seek(SeekFrom::Start(off))?;
        f.read_exact(buf)
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Apply a git delta to its base.
fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let mut i = 0;
    let mut varint = || {
        let mut v = 0usize;
        let mut shift = 0;
        loop {
            let b = *delta.get(i)?;
            i += 1;
            v |= usize::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 63 {
                return Some(v);
            }
        }
    };
    let base_len = varint()?;
    let out_len = varint()?;
    if base_len != base.len() {
        return None;
    }
    // A copy instruction takes at least one byte and copies at most 64 KiB.
    let mut out = Vec::with_capacity(out_len.min(delta.len().saturating_mul(0x10000)));
    while i < delta.len() {
        let op = delta[i];
        i += 1;
        if op & 0x80 != 0 {
            let mut off = 0usize;
            let mut len = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    off |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    len |= usize::from(*delta.get(i)?) << (8 * bit);
                    i += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(off..off.checked_add(len)?)?);
        } else if op != 0 {
            let n = usize::from(op);
            out.extend_from_slice(delta.get(i..i + n)?);
            i += n;
        } else {
            return None;
        }
    }
    (out.len() == out_len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_copy_and_insert() {
        let base = b"hello, world";
        // base 12 bytes, result 12: copy 7 bytes from 0, then insert "there".
        let delta = [12, 12, 0x90, 7, 5, b't', b'h', b'e', b'r', b'e'];
        assert_eq!(apply_delta(base, &delta[..]).unwrap(), b"hello, there");
        assert_eq!(apply_delta(b"short", &delta), None);
    }

    #[test]
    fn the_cache_grows_with_the_biggest_tree_and_evicts_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut packs = Packs::open(dir.path());
        let obj = |kind: u8, len: usize| -> Object { (kind, vec![0u8; len].into()) };
        const MB: usize = 1 << 20;
        // A big blob does not grow the budget; a big tree does.
        packs.remember(0, 1, obj(BLOB, MB));
        assert_eq!(packs.budget, CACHE_BUDGET);
        packs.remember(0, 2, obj(TREE, MB));
        assert_eq!(packs.budget, TREE_VERSIONS * MB);
        // Filling past the budget evicts the oldest entries first.
        for off in 10..10 + TREE_VERSIONS as u64 {
            packs.remember(0, off, obj(TREE, MB));
        }
        assert_eq!(packs.cached_bytes, TREE_VERSIONS * MB);
        assert!(!packs.cache.contains_key(&(0, 1)) && !packs.cache.contains_key(&(0, 2)));
        assert!(packs.cache.contains_key(&(0, 10)));
        packs.remember(0, 1000, obj(TREE, MB));
        assert!(!packs.cache.contains_key(&(0, 10)) && packs.cache.contains_key(&(0, 11)));
        // The budget is capped.
        packs.remember(0, 2000, obj(TREE, MAX_CACHED));
        assert_eq!(packs.budget, MAX_CACHE_BUDGET);
    }
}
