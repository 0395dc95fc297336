//! Reading git's commit-graph for its changed-path Bloom filters (`bloom.rs` asks them).
//!
//! `git commit-graph write --reachable --changed-paths` (or `fetch.writeCommitGraph`, or a
//! `git gc` once filters exist) stores, per commit, a Bloom filter of the paths it changed
//! against its first parent. The graph is one file, `objects/info/commit-graph`, or a chain
//! of layers listed in `objects/info/commit-graphs/commit-graph-chain` (base first), each
//! `graph-<checksum>.graph`. A file is made of a header (`CGPH`, version 1, hash version, the
//! number of chunks and of base layers), a table of chunks (4-byte id, 8-byte offset), the
//! chunks and a SHA-1 of everything before it. The chunks read here: `OIDF` (256 cumulative
//! counts by first byte), `OIDL` (the sorted commit ids), `BIDX` (per commit, where its
//! filter ends in `BDAT`), `BDAT` (hash version, number of hashes, bits per entry, then the
//! filters) and `BASE` (the checksums of the layers below).
//!
//! Anything that does not read exactly so — another signature or version, SHA-256 ids, a
//! chunk out of bounds, unsorted ids, decreasing offsets, a checksum that does not match, a
//! chain whose layers do not name each other — is no filter: the commits it would cover are
//! diffed as without a graph. A commit newer than the graph (a stale graph) is not in it and
//! is diffed too. The single file is taken before the chain, as git does; a chain is read as
//! far as its layers are sound.

use std::path::Path;

use git2::Oid;

use super::files::read_regular;

/// A commit-graph file is never read past this size.
const MAX_FILE: u64 = 1 << 30;
const HASH: usize = 20;
const NONE: u32 = u32::MAX;

/// The Bloom filter settings of a layer (`BDAT`'s header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Settings {
    /// 1: the murmur3 of git before 2.46, which sign-extends the last bytes of a path; 2: the
    /// murmur3 of its specification (see `bloom.rs`).
    pub version: u32,
    pub hashes: u32,
}

/// One commit's filter: the bits, and how they were made.
#[derive(Debug, Clone, Copy)]
pub(super) struct Filter<'g> {
    pub bits: &'g [u8],
    pub settings: Settings,
}

/// The layers of a commit-graph that carry changed-path filters, base first.
#[derive(Debug, Default)]
pub(super) struct Graph {
    layers: Vec<Layer>,
}

#[derive(Debug)]
struct Layer {
    data: Vec<u8>,
    /// Where `OIDF`, `OIDL`, `BIDX` and the filters after `BDAT`'s header start.
    fanout: usize,
    oids: usize,
    index: usize,
    filters: usize,
    /// Bytes of filters.
    filters_len: usize,
    commits: usize,
    /// `None`: this layer has no filters (its commits are diffed).
    settings: Option<Settings>,
}

impl Graph {
    /// The commit-graph of the object folder `objects`, when it has a layer with filters that
    /// reads soundly, and filters of the hash versions in `versions` (see
    /// `commitGraph.changedPathsVersion`).
    pub(super) fn open(objects: &Path, versions: &[u32]) -> Option<Graph> {
        let info = objects.join("info");
        let mut layers = match read_regular(&info.join("commit-graph"), MAX_FILE)
            .and_then(|data| Layer::parse(data, &[]))
        {
            Some(single) => vec![single],
            None => chain(&info.join("commit-graphs"))?,
        };
        for layer in &mut layers {
            layer.settings = layer.settings.filter(|s| versions.contains(&s.version));
        }
        layers.retain(|l| l.settings.is_some());
        (!layers.is_empty()).then_some(Graph { layers })
    }

    /// The changed-path filter of `commit`: `None` when the graph does not have the commit,
    /// or has no filter for it (git leaves some out: `--max-new-filters`).
    pub(super) fn filter(&self, commit: Oid) -> Option<Filter<'_>> {
        self.layers.iter().find_map(|l| l.filter(commit.as_bytes()))
    }
}

/// The layers of a chain that read soundly, base first (none when even the base does not).
fn chain(dir: &Path) -> Option<Vec<Layer>> {
    let list = read_regular(&dir.join("commit-graph-chain"), MAX_FILE)?;
    let list = std::str::from_utf8(&list).ok()?;
    let mut layers: Vec<Layer> = Vec::new();
    let mut below: Vec<[u8; HASH]> = Vec::new();
    for line in list.lines() {
        let Some(sum) = Oid::from_str(line.trim())
            .ok()
            .filter(|_| line.trim().len() == 2 * HASH)
        else {
            break;
        };
        let file = dir.join(format!("graph-{sum}.graph"));
        let Some(layer) = read_regular(&file, MAX_FILE).and_then(|d| Layer::parse(d, &below))
        else {
            break;
        };
        if layer.checksum() != sum.as_bytes() {
            break;
        }
        below.push(sum.as_bytes().try_into().ok()?);
        layers.push(layer);
    }
    (!layers.is_empty()).then_some(layers)
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

fn be64(data: &[u8], at: usize) -> Option<u64> {
    let b = data.get(at..at.checked_add(8)?)?;
    Some(u64::from_be_bytes(b.try_into().ok()?))
}

impl Layer {
    /// A layer whose base layers have the checksums `below` (none for a single file).
    fn parse(data: Vec<u8>, below: &[[u8; HASH]]) -> Option<Layer> {
        // Header, and the trailing checksum of everything before it.
        if data.len() < 8 + HASH || &data[..4] != b"CGPH" || data[4] != 1 || data[5] != 1 {
            return None;
        }
        let body = data.len() - HASH;
        if sha1_smol::Sha1::from(&data[..body]).digest().bytes() != data[body..] {
            return None;
        }
        let (count, bases) = (usize::from(data[6]), usize::from(data[7]));
        if bases != below.len() {
            return None;
        }
        // The table of chunks: ids and offsets, in order, ending with id 0 at the end.
        let mut chunks: Vec<([u8; 4], usize)> = Vec::with_capacity(count + 1);
        for i in 0..=count {
            let at = 8 + 12 * i;
            let id: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
            let offset = usize::try_from(be64(&data, at + 4)?).ok()?;
            let after_table = 8 + 12 * (count + 1);
            let previous = chunks.last().map_or(after_table, |c| c.1);
            if offset < previous || offset > body {
                return None;
            }
            chunks.push((id, offset));
        }
        if chunks[count].0 != [0; 4] {
            return None;
        }
        let chunk = |id: &[u8; 4]| -> Option<(usize, usize)> {
            let i = chunks[..count].iter().position(|c| &c.0 == id)?;
            Some((chunks[i].1, chunks[i + 1].1 - chunks[i].1))
        };
        let (fanout, fanout_len) = chunk(b"OIDF")?;
        let (oids, oids_len) = chunk(b"OIDL")?;
        if fanout_len != 256 * 4 {
            return None;
        }
        let mut commits = 0u32;
        for b in 0..256 {
            let c = be32(&data, fanout + 4 * b)?;
            if c < commits {
                return None;
            }
            commits = c;
        }
        let commits = commits as usize;
        if oids_len != commits.checked_mul(HASH)? {
            return None;
        }
        // Sorted, each in the part of the list its first byte says.
        let id = |i: usize| &data[oids + HASH * i..oids + HASH * (i + 1)];
        for i in 0..commits {
            let first = usize::from(id(i)[0]);
            let start = if first == 0 {
                0
            } else {
                be32(&data, fanout + 4 * (first - 1))? as usize
            };
            let end = be32(&data, fanout + 4 * first)? as usize;
            if (i > 0 && id(i - 1) >= id(i)) || i < start || i >= end {
                return None;
            }
        }
        if bases > 0 {
            let (base, base_len) = chunk(b"BASE")?;
            if base_len != bases * HASH
                || below
                    .iter()
                    .enumerate()
                    .any(|(i, sum)| data[base + HASH * i..base + HASH * (i + 1)] != sum[..])
            {
                return None;
            }
        }
        let mut layer = Layer {
            fanout,
            oids,
            index: 0,
            filters: 0,
            filters_len: 0,
            commits,
            settings: None,
            data: Vec::new(),
        };
        if let (Some((index, index_len)), Some((bdat, bdat_len))) = (chunk(b"BIDX"), chunk(b"BDAT"))
        {
            let settings = Settings {
                version: be32(&data, bdat)?,
                hashes: be32(&data, bdat + 4)?,
            };
            let filters_len = bdat_len.checked_sub(12)?;
            // Every filter within the data, and none ending before the one before it.
            let mut end = 0;
            let sound = index_len == 4 * commits
                && matches!(settings.version, 1 | 2)
                && (1..=64).contains(&settings.hashes)
                && (0..commits).all(|i| {
                    let e = be32(&data, index + 4 * i).map_or(NONE, |e| e);
                    let ok = e != NONE && e >= end && e as usize <= filters_len;
                    end = e;
                    ok
                });
            if sound {
                layer.index = index;
                layer.filters = bdat + 12;
                layer.filters_len = filters_len;
                layer.settings = Some(settings);
            }
        }
        layer.data = data;
        Some(layer)
    }

    fn checksum(&self) -> &[u8] {
        &self.data[self.data.len() - HASH..]
    }

    fn filter(&self, id: &[u8]) -> Option<Filter<'_>> {
        let settings = self.settings?;
        let first = usize::from(*id.first()?);
        let start = match first {
            0 => 0,
            _ => be32(&self.data, self.fanout + 4 * (first - 1))? as usize,
        };
        let end = be32(&self.data, self.fanout + 4 * first)? as usize;
        let ids = &self.data[self.oids..self.oids + HASH * self.commits];
        let (mut lo, mut hi) = (start, end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match ids[HASH * mid..HASH * (mid + 1)].cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let end = be32(&self.data, self.index + 4 * mid)? as usize;
                    let start = match mid {
                        0 => 0,
                        _ => be32(&self.data, self.index + 4 * (mid - 1))? as usize,
                    };
                    let bits = self
                        .data
                        .get(self.filters + start..self.filters + end)
                        .filter(|b| !b.is_empty() && end <= self.filters_len)?;
                    return Some(Filter { bits, settings });
                }
            }
        }
        None
    }
}
