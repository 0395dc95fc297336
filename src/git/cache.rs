//! A persistent cache of the history pass, in the repository's git folder (never the work tree).
//!
//! What is cached is what each commit did to the handbook (its [`Record`]: changed paths with
//! renames paired, blob ids, author after `.mailmap`, date). A record depends only on its commit,
//! so records stay valid whatever HEAD does; the tally (last commit, created, counts, renames,
//! history) is always redone from them, in walk order, which is cheap. With the records the
//! cache stores the HEAD they were walked from, the walk order from it, and the handbook's files
//! there:
//! - same HEAD: no history walk, no diff;
//! - HEAD moved forward by commits without merges: only those are diffed, the cached order
//!   follows them;
//! - anything else (rebase, reset, merge, other branch): one revision walk (cheap), and only
//!   commits without a record are diffed.
//!
//! Files, in `<git dir>/opsbook/`:
//! - `facts-v1-<key>`: the records. The key hashes the handbook prefix, the opsbook and libgit2
//!   versions and whatever else changes records: the mailmap (`.mailmap`, `mailmap.file`,
//!   `mailmap.blob`), `diff.renameLimit` and the attributes files (binary files are not paired
//!   as renames by content). `.git-blame-ignore-revs` is applied after the cache, so editing it
//!   costs nothing.
//! - `states-v1-<key>`: the tracked frontmatter values of file versions, by blob id, for the
//!   history of roadmap items and processes.
//!
//! Files are written whole to a temporary name and renamed. A file that does not read back
//! exactly (other format, other key, truncated, damaged: a checksum covers it) is ignored and
//! rewritten; a git folder that cannot be written (a read-only checkout) just gets no cache.
//! No cache is used in shallow or partial clones (what they know changes as they fetch), with
//! grafts, or when `OPSBOOK_NO_GIT_CACHE` is set (to anything but `0`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use git2::Oid;

use super::codec::{KeyHasher, Reader, Writer, frame, unframe};
use super::diff::Delta;
use super::state::ItemState;
use super::tally::Record;
use super::{CommitInfo, Repo};

/// Bump when what a record holds, or how the pass computes it, changes.
const FORMAT: u32 = 1;
const FACTS_MAGIC: &[u8] = b"opsbook git facts\n";
const STATES_MAGIC: &[u8] = b"opsbook git states\n";
const NO_CACHE_VAR: &str = "OPSBOOK_NO_GIT_CACHE";

/// The cached records of the walk from one HEAD.
#[derive(Debug, Default)]
pub(super) struct Log {
    pub head: Option<Oid>,
    /// Every commit of the walk from `head`, in walk order.
    pub order: Vec<Oid>,
    /// Records of the commits that were diffed: all of `order`, unless a pass stopped early.
    pub records: HashMap<Oid, Record>,
    /// The handbook's files at `head`.
    pub at_head: Vec<String>,
}

/// Where a repository's cache files are, when it gets a cache.
#[derive(Debug)]
pub(super) struct Store {
    facts: PathBuf,
    states: PathBuf,
    facts_key: u64,
    states_key: u64,
}

impl Store {
    /// The cache of the handbook in `repo`; `None` when it must not have one.
    pub(super) fn open(repo: &Repo) -> Option<Store> {
        if std::env::var_os(NO_CACHE_VAR).is_some_and(|v| !v.is_empty() && v != "0") {
            return None;
        }
        let r = &repo.repo;
        if r.is_shallow() || is_partial_clone(r) || r.commondir().join("info/grafts").exists() {
            return None;
        }
        let dir = r.path().join("opsbook");
        let facts_key = facts_key(repo);
        let states_key = KeyHasher::new()
            .part(b"states")
            .part(&FORMAT.to_le_bytes())
            .part(env!("CARGO_PKG_VERSION").as_bytes())
            .part(repo.prefix.as_bytes())
            .finish();
        Some(Store {
            facts: dir.join(format!("facts-v{FORMAT}-{facts_key:016x}")),
            states: dir.join(format!("states-v{FORMAT}-{states_key:016x}")),
            facts_key,
            states_key,
        })
    }

    /// The cached records; an empty log when there are none (or they cannot be read).
    pub(super) fn load(&self) -> Log {
        std::fs::read(&self.facts)
            .ok()
            .and_then(|f| decode_log(unframe(FACTS_MAGIC, FORMAT, self.facts_key, &f)?))
            .unwrap_or_default()
    }

    /// Write the records of the commits of `order`, the walk from `head`. Failures are
    /// ignored: the cache is only a cache.
    pub(super) fn save(
        &self,
        head: Oid,
        order: &[Oid],
        records: &HashMap<Oid, Record>,
        at_head: &HashSet<String>,
    ) {
        // Records at a shallow boundary or a missing parent are not exact: never kept.
        if records
            .values()
            .any(|r| r.info.as_ref().is_some_and(|i| i.boundary))
        {
            return;
        }
        let body = encode_log(head, order, records, at_head);
        let _ = write_atomic(
            &self.facts,
            &frame(FACTS_MAGIC, FORMAT, self.facts_key, &body),
        );
    }

    /// The tracked values of file versions the cache knows.
    pub(super) fn load_states(&self) -> HashMap<Oid, ItemState> {
        std::fs::read(&self.states)
            .ok()
            .and_then(|f| decode_states(unframe(STATES_MAGIC, FORMAT, self.states_key, &f)?))
            .unwrap_or_default()
    }

    pub(super) fn save_states<'a>(&self, states: impl Iterator<Item = (Oid, &'a ItemState)>) {
        let body = encode_states(states);
        let _ = write_atomic(
            &self.states,
            &frame(STATES_MAGIC, FORMAT, self.states_key, &body),
        );
    }
}

/// The key of the records: everything besides the commits that changes them.
fn facts_key(repo: &Repo) -> u64 {
    let r = &repo.repo;
    let mut h = KeyHasher::new();
    let (major, minor, patch) = git2::Version::get().libgit2_version();
    h.part(b"facts")
        .part(&FORMAT.to_le_bytes())
        .part(env!("CARGO_PKG_VERSION").as_bytes())
        .part(format!("libgit2 {major}.{minor}.{patch}").as_bytes())
        .part(repo.prefix.as_bytes());
    let file = |h: &mut KeyHasher, p: &Path| {
        match std::fs::read(p) {
            Ok(bytes) => h.part(b"file").part(&bytes),
            Err(_) => h.part(b"no file"),
        };
    };
    // libgit2 reads the mailmap from these three places (git_mailmap_from_repository).
    file(&mut h, &repo.workdir.join(".mailmap"));
    let cfg = r.config().and_then(|mut c| c.snapshot()).ok();
    let get = |name: &str| cfg.as_ref().and_then(|c| c.get_string(name).ok());
    let path = |name: &str| cfg.as_ref().and_then(|c| c.get_path(name).ok());
    if let Some(rev) = get("mailmap.blob") {
        let id = r.revparse_single(&rev).map(|o| o.id().to_string());
        h.part(rev.as_bytes())
            .part(id.unwrap_or_default().as_bytes());
    }
    if let Some(p) = path("mailmap.file") {
        file(&mut h, &repo.workdir.join(p));
    }
    h.part(get("diff.renameLimit").unwrap_or_default().as_bytes());
    // Attributes can mark files binary, which rename detection pairs by blob id only.
    file(&mut h, &repo.workdir.join(".gitattributes"));
    file(&mut h, &r.commondir().join("info/attributes"));
    let global = path("core.attributesFile").or_else(|| {
        let base = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
        Some(base.join("git/attributes"))
    });
    if let Some(p) = global {
        file(&mut h, &p);
    }
    h.finish()
}

/// A partial clone fetches missing objects later: what a pass sees there may change.
fn is_partial_clone(r: &git2::Repository) -> bool {
    let Ok(cfg) = r.config() else {
        return true;
    };
    if cfg.get_entry("extensions.partialclone").is_ok() {
        return true;
    }
    let Ok(mut promisors) = cfg.entries(Some(r"remote\..*\.promisor")) else {
        return true;
    };
    let mut names = Vec::new();
    while let Some(Ok(e)) = promisors.next() {
        names.extend(e.name().map(str::to_string));
    }
    names.iter().any(|n| cfg.get_bool(n).unwrap_or(true))
}

/// Write a whole file under a temporary name, then rename it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let tmp = dir.join(format!(".{name}.{}-{nanos}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Strings (paths and authors) are stored once, and referred to by index.
#[derive(Default)]
struct Strings<'a> {
    index: HashMap<&'a str, u32>,
    list: Vec<&'a str>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let next = self.list.len() as u32;
        *self.index.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

// A commit of the order is one of these, then its record.
const UNKNOWN: u8 = 0;
const NO_CHANGE: u8 = 1;
const CHANGED: u8 = 2;

fn encode_log(
    head: Oid,
    order: &[Oid],
    records: &HashMap<Oid, Record>,
    at_head: &HashSet<String>,
) -> Vec<u8> {
    // The same records give the same bytes.
    let mut strings = Strings::default();
    let mut paths: Vec<&String> = at_head.iter().collect();
    paths.sort_unstable();
    let at_head: Vec<u32> = paths.into_iter().map(|p| strings.id(p)).collect();
    let mut commits = Writer::default();
    for id in order {
        commits.oid(*id);
        match records.get(id) {
            None => commits.u8(UNKNOWN),
            Some(Record { info: None, .. }) => commits.u8(NO_CHANGE),
            Some(Record {
                info: Some(info),
                deltas,
            }) => {
                commits.u8(CHANGED);
                commits.i64(info.time);
                commits.i64(i64::from(info.date.year()));
                commits.u8(info.date.month() as u8);
                commits.u8(info.date.day() as u8);
                commits.u32(strings.id(&info.author));
                commits.len(deltas.len());
                for d in deltas {
                    for (path, blob) in [(&d.old_path, d.old), (&d.new_path, d.new)] {
                        match (path, blob) {
                            (Some(p), Some(b)) => {
                                commits.u32(strings.id(p) + 1);
                                commits.oid(b);
                            }
                            _ => commits.u32(0),
                        }
                    }
                }
            }
        }
    }
    let mut w = Writer::default();
    w.oid(head);
    w.len(strings.list.len());
    for s in &strings.list {
        w.str(s);
    }
    w.len(at_head.len());
    for i in at_head {
        w.u32(i);
    }
    w.len(order.len());
    w.buf.extend_from_slice(&commits.buf);
    w.buf
}

fn decode_log(body: &[u8]) -> Option<Log> {
    let mut r = Reader::new(body);
    let head = r.oid()?;
    let n = r.count(4)?;
    let mut strings = Vec::with_capacity(n);
    for _ in 0..n {
        strings.push(r.str()?);
    }
    let string = |i: u32| strings.get(i as usize).copied();
    let n = r.count(4)?;
    let mut at_head = Vec::with_capacity(n);
    for _ in 0..n {
        at_head.push(string(r.u32()?)?.to_string());
    }
    let n = r.count(21)?;
    let mut order = Vec::with_capacity(n);
    let mut records = HashMap::with_capacity(n);
    for _ in 0..n {
        let id = r.oid()?;
        order.push(id);
        let record = match r.u8()? {
            UNKNOWN => continue,
            NO_CHANGE => Record::default(),
            CHANGED => {
                let time = r.i64()?;
                let year = i16::try_from(r.i64()?).ok()?;
                let (month, day) = (r.u8()? as i8, r.u8()? as i8);
                let date = jiff::civil::Date::new(year, month, day).ok()?;
                let author = string(r.u32()?)?.to_string();
                let n = r.count(8)?;
                let mut deltas = Vec::with_capacity(n);
                for _ in 0..n {
                    let mut side = || -> Option<(Option<String>, Option<Oid>)> {
                        match r.u32()? {
                            0 => Some((None, None)),
                            i => Some((Some(string(i - 1)?.to_string()), Some(r.oid()?))),
                        }
                    };
                    let (old_path, old) = side()?;
                    let (new_path, new) = side()?;
                    if old_path.is_none() && new_path.is_none() {
                        return None;
                    }
                    deltas.push(Delta {
                        old_path,
                        new_path,
                        old,
                        new,
                    });
                }
                let info = CommitInfo {
                    id: id.to_string(),
                    date,
                    author,
                    time,
                    boundary: false,
                };
                Record {
                    info: Some(info),
                    deltas,
                }
            }
            _ => return None,
        };
        records.insert(id, record);
    }
    r.at_end().then_some(Log {
        head: Some(head),
        order,
        records,
        at_head,
    })
}

const FIELDS: usize = 6;

fn encode_states<'a>(states: impl Iterator<Item = (Oid, &'a ItemState)>) -> Vec<u8> {
    // Many versions share their values (only the body changed): each value set is stored once.
    let mut unique: HashMap<&ItemState, u32> = HashMap::new();
    let mut list: Vec<&ItemState> = Vec::new();
    let mut blobs: Vec<(Oid, u32)> = Vec::new();
    let mut seen = HashSet::new();
    for (blob, state) in states {
        if !seen.insert(blob) {
            continue;
        }
        let next = list.len() as u32;
        let i = *unique.entry(state).or_insert_with(|| {
            list.push(state);
            next
        });
        blobs.push((blob, i));
    }
    blobs.sort_unstable();
    let mut w = Writer::default();
    w.len(list.len());
    for s in list {
        for v in fields(s) {
            w.opt_str(v.as_deref());
        }
    }
    w.len(blobs.len());
    for (blob, i) in blobs {
        w.oid(blob);
        w.u32(i);
    }
    w.buf
}

fn fields(s: &ItemState) -> [&Option<String>; FIELDS] {
    [
        &s.title,
        &s.status,
        &s.target,
        &s.owner,
        &s.score,
        &s.last_reviewed,
    ]
}

fn decode_states(body: &[u8]) -> Option<HashMap<Oid, ItemState>> {
    let mut r = Reader::new(body);
    let n = r.count(FIELDS)?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(ItemState {
            title: r.opt_str()?,
            status: r.opt_str()?,
            target: r.opt_str()?,
            owner: r.opt_str()?,
            score: r.opt_str()?,
            last_reviewed: r.opt_str()?,
        });
    }
    let n = r.count(24)?;
    let mut out = HashMap::with_capacity(n);
    for _ in 0..n {
        let blob = r.oid()?;
        let state: &ItemState = list.get(r.u32()? as usize)?;
        out.insert(blob, state.clone());
    }
    r.at_end().then_some(out)
}
