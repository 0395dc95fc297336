//! Skipping commits that changed none of the paths a pass still waits for, by the
//! changed-path Bloom filters of git's commit-graph (`graph.rs`).
//!
//! A pass that stops once some files have their last commit (`check`) diffs commits newest
//! first until each of those files is found. A commit's filter holds every path its diff
//! against its first parent changed, and every folder above them (without a trailing `/`), as
//! git writes it; a Bloom filter may say "maybe" for a path that did not change, never "no"
//! for one that did. So when the filter says "no" for each waiting path (or for a folder
//! above it), diffing the commit would credit none of them: it is tallied as changing
//! nothing, which changes no fact the pass reports (`tally.rs` reports only the waiting
//! files in such a pass), and its record is not cached (it is not the commit's record).
//!
//! A path's key is the two seeded murmur3 hashes git uses (seeds 0x293ae76f and 0x7e646e2c);
//! the i-th of a filter's hashes is `h0 + i·h1`, its bit `hash mod (8·bytes)`, bit `pos mod 8`
//! of byte `pos / 8`. Hash version 2 is murmur3 as specified; version 1 (git before 2.46, and
//! still its default) read the last `len mod 4` bytes as `char`, sign-extended where `char` is
//! signed: for a path with a byte of 0x80 or more a version 1 filter is never asked. An empty
//! filter says nothing (maybe); git writes a one-byte filter of all ones for a commit that
//! changed too many paths, which says "maybe" to everything.

use std::collections::{BTreeMap, HashSet};

use git2::Oid;

use super::graph::{Filter, Graph};
use super::missing::may_lack_objects;

/// The skipper of a pass in `repo`, whose handbook root is at `prefix` (the graph is read when
/// first asked, so a pass that never waits for a known set of paths does not read it): none
/// when git is told not to read the filters
/// (`core.commitGraph`, `commitGraph.readChangedPaths`, `commitGraph.changedPathsVersion`),
/// or when the repository may lack objects (a shallow or partial clone, grafts: diffing sees
/// what is missing, a skipped commit would not).
pub(super) fn skipper(repo: &git2::Repository, prefix: &str) -> Option<Skipper> {
    if may_lack_objects(repo) {
        return None;
    }
    let cfg = repo.config().ok()?.snapshot().ok()?;
    let on = |key: &str| cfg.get_bool(key).unwrap_or(true);
    if !on("core.commitGraph") || !on("commitGraph.readChangedPaths") {
        return None;
    }
    let versions: &[u32] = match cfg.get_i64("commitGraph.changedPathsVersion").unwrap_or(-1) {
        -1 => &[1, 2],
        1 => &[1],
        2 => &[2],
        _ => return None,
    };
    Some(Skipper {
        objects: repo.commondir().join("objects"),
        versions,
        graph: None,
        prefix: prefix.to_string(),
        probes: Probes::default(),
        made_for: None,
        skipped: 0,
    })
}

const SEEDS: [u32; 2] = [0x293a_e76f, 0x7e64_6e2c];

/// murmur3 (32 bits) of `data` with `seed`, as its specification (git's hash version 2).
pub(super) fn murmur3(seed: u32, data: &[u8]) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let scramble = |k: u32| k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for b in blocks.by_ref() {
        h ^= scramble(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let k = tail
            .iter()
            .rev()
            .fold(0u32, |k, &b| (k << 8) | u32::from(b));
        h ^= scramble(k);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// The hashes of one path (repository-relative, no trailing `/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Key {
    h: [u32; 2],
    /// A byte of 0x80 or more: version 1 filters hash it differently from one machine to
    /// another.
    high: bool,
    /// The path is not known byte for byte (a tree entry name that is not UTF-8 was read
    /// with U+FFFD in it): every filter may have it.
    unknown: bool,
}

impl Key {
    pub(super) fn new(path: &str) -> Key {
        let bytes = path.as_bytes();
        Key {
            h: SEEDS.map(|s| murmur3(s, bytes)),
            high: bytes.iter().any(|b| *b >= 0x80),
            unknown: path.contains('\u{FFFD}'),
        }
    }
}

impl Filter<'_> {
    /// Whether the path may have changed (false: it did not).
    pub(super) fn maybe(&self, key: &Key) -> bool {
        if key.unknown || (key.high && self.settings.version == 1) || self.bits.is_empty() {
            return true;
        }
        let bits = self.bits.len() as u64 * 8;
        (0..self.settings.hashes).all(|i| {
            let hash = key.h[0].wrapping_add(i.wrapping_mul(key.h[1]));
            let pos = u64::from(hash) % bits;
            self.bits[(pos / 8) as usize] & (1 << (pos % 8)) != 0
        })
    }
}

/// The waiting files of one folder (repository-relative), with the folder's key (`None` at
/// the top of the repository).
#[derive(Debug)]
struct Folder {
    key: Option<Key>,
    files: Vec<(String, Key)>,
}

/// The waiting paths, by folder.
#[derive(Debug, Default)]
struct Probes {
    folders: Vec<Folder>,
    /// The handbook's folders above them (its root, and the root's parents).
    above: Vec<Key>,
    files: usize,
}

impl Probes {
    /// `prefix`: the handbook root in the repository (`""` or `docs/handbook/`).
    fn new<'a>(prefix: &str, paths: impl Iterator<Item = &'a String>) -> Probes {
        let mut folders: BTreeMap<String, Vec<(String, Key)>> = BTreeMap::new();
        let mut files = 0;
        for p in paths {
            let full = format!("{prefix}{p}");
            let folder = full.rsplit_once('/').map_or("", |(f, _)| f).to_string();
            folders
                .entry(folder)
                .or_default()
                .push((p.clone(), Key::new(&full)));
            files += 1;
        }
        let mut above = Vec::new();
        let mut dir = prefix.trim_end_matches('/');
        while !dir.is_empty() {
            above.push(Key::new(dir));
            dir = dir.rsplit_once('/').map_or("", |(up, _)| up);
        }
        Probes {
            folders: folders
                .into_iter()
                .map(|(f, files)| Folder {
                    key: (!f.is_empty()).then(|| Key::new(&f)),
                    files,
                })
                .collect(),
            above,
            files,
        }
    }

    /// The filter says no waiting file changed.
    fn untouched(&self, filter: &Filter) -> bool {
        if self.above.iter().any(|k| !filter.maybe(k)) {
            return true;
        }
        self.folders.iter().all(|f| {
            f.key.is_some_and(|k| !filter.maybe(&k))
                || f.files.iter().all(|(_, k)| !filter.maybe(k))
        })
    }

    fn retain(&mut self, waiting: &HashSet<String>) {
        for f in &mut self.folders {
            f.files.retain(|(p, _)| waiting.contains(p));
        }
        self.folders.retain(|f| !f.files.is_empty());
        self.files = self.folders.iter().map(|f| f.files.len()).sum();
    }
}

/// Decides, commit by commit, whether a pass may skip diffing it.
#[derive(Debug)]
pub(super) struct Skipper {
    objects: std::path::PathBuf,
    versions: &'static [u32],
    /// Read on the first question (`Some(None)`: there is no usable graph).
    graph: Option<Option<Graph>>,
    prefix: String,
    probes: Probes,
    /// Which waiting set the probes were made for (see [`super::tally::Tally::waiting`]).
    made_for: Option<usize>,
    /// Commits skipped, for tests and timings.
    pub skipped: usize,
}

impl Skipper {
    /// Whether `commit` changed none of the `waiting` paths (the set numbered `version`),
    /// as its filter says; false when it has none.
    pub(super) fn untouched(
        &mut self,
        commit: Oid,
        waiting: &HashSet<String>,
        version: usize,
    ) -> bool {
        let (objects, versions) = (&self.objects, self.versions);
        let graph = self
            .graph
            .get_or_insert_with(|| Graph::open(objects, versions));
        let Some(filter) = graph.as_ref().and_then(|g| g.filter(commit)) else {
            return false;
        };
        if self.made_for != Some(version) {
            self.probes = Probes::new(&self.prefix, waiting.iter());
            self.made_for = Some(version);
        } else if self.probes.files != waiting.len() {
            self.probes.retain(waiting);
        }
        let untouched = self.probes.untouched(&filter);
        self.skipped += usize::from(untouched);
        untouched
    }
}
