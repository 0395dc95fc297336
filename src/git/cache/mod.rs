//! A persistent cache of the history pass, in the repository's git folder (never the work tree).
//!
//! What is cached is what each commit did to the handbook (its [`Record`]: changed paths with
//! renames paired, blob ids, author after `.mailmap`, date). A record depends only on its commit,
//! so records stay valid whatever HEAD does; the tally (last commit, created, counts, renames,
//! history) is always redone from them, in walk order, which is cheap. With the records the
//! cache stores the HEAD they were walked from, the walk order from it, the handbook's files
//! there, and the side records of files followed outside the handbook root (what a commit did
//! to them; keyed by the commit and the set of followed paths, which newer commits decide):
//! - same HEAD: no history walk, no diff;
//! - HEAD moved forward by commits without merges: only those are diffed, the cached order
//!   follows them;
//! - anything else (rebase, reset, merge, other branch): one revision walk (cheap), and only
//!   commits without a record are diffed.
//!
//! Files, in `<git dir>/opsbook/`:
//! - `facts-v2-<key>`: the records. The key hashes the handbook prefix, the opsbook and libgit2
//!   versions, the source of the code that makes records, and whatever else changes them: the mailmap (`.mailmap`, `mailmap.file`,
//!   `mailmap.blob`), `diff.renameLimit` and the attributes files (binary files are not paired
//!   as renames by content). `.git-blame-ignore-revs` is applied after the cache, so editing it
//!   costs nothing.
//! - `states-v3-<key>`: the tracked values of file versions, by blob id, for the history of
//!   documents (the frontmatter values of Markdown files, the entries of `org.yml`). The key
//!   also hashes what the kind specs track (`tracking.rs`), so a changed `kinds:` reads them
//!   again.
//!
//! The same folder ([`dir`], which [`Repo::cache_dir`] hands to the rest of opsbook) holds the
//! cache of parsed frontmatter (`frontmatter/cache.rs`), under the same rules.
//!
//! Files are written whole to a temporary name and renamed. A file that does not read back
//! exactly (other format, other key, truncated, damaged: a checksum covers it) is ignored and
//! rewritten; a git folder that cannot be written (a read-only checkout) just gets no cache.
//! No cache is used in shallow or partial clones (what they know changes as they fetch), with
//! grafts, or when `OPSBOOK_NO_GIT_CACHE` is set (to anything but `0`).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use git2::Oid;

use self::format::{decode_log, decode_states, encode_log, encode_states};
use super::Repo;
use super::files::{SMALL, read_regular};
use super::history::{Form, Values};
use super::missing::may_lack_objects;
use super::tally::Record;
use super::tracking::Tracking;

mod format;

pub(super) use crate::cache_file::codec::KeyHasher;
use crate::cache_file::codec::{self, frame, unframe};
use crate::cache_file::{tidy, write_atomic};
#[cfg(test)]
mod tests;

/// Bump when the layout of the records file changes.
const FORMAT: u32 = 2;
/// Bump when the layout or the meaning of the tracked values changes (3: a list tracked per
/// entry, such as an objective's key results, holds the value of each entry).
const STATES_FORMAT: u32 = 3;
/// The code that makes records, and the code that reads tracked values: a build whose pass
/// differs (the version number does not change between development builds) never reads what
/// another one wrote.
const PASS_SOURCE: u64 = codec::source_hash(&[
    include_bytes!("../walk.rs"),
    include_bytes!("../differ.rs"),
    include_bytes!("../diff.rs"),
    include_bytes!("../objects.rs"),
    include_bytes!("../pack.rs"),
]);
const STATES_SOURCE: u64 = codec::source_hash(&[
    include_bytes!("../state.rs"),
    include_bytes!("../tracking.rs"),
    include_bytes!("../registry.rs"),
    include_bytes!("../history.rs"),
    include_bytes!("format.rs"),
    include_bytes!("../../frontmatter.rs"),
    include_bytes!("../../model/fields.rs"),
]);
const FACTS_MAGIC: &[u8] = b"opsbook git facts\n";
const STATES_MAGIC: &[u8] = b"opsbook git states\n";
const NO_CACHE_VAR: &str = "OPSBOOK_NO_GIT_CACHE";
/// A cache file larger than this is not read (and is rewritten): far more than any history
/// needs, far less than what would exhaust memory.
const MAX_FILE: u64 = 512 << 20;

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
    /// Side records (changes to files followed outside the handbook root), by commit and
    /// [`fingerprint`] of the followed paths.
    pub sides: HashMap<(Oid, u64), Record>,
}

/// A fingerprint of a set of paths, for side records.
pub(super) fn fingerprint(paths: &BTreeSet<String>) -> u64 {
    let mut h = KeyHasher::new();
    for p in paths {
        h.part(p.as_bytes());
    }
    h.finish()
}

/// Where a repository's cache files are, when it gets a cache.
#[derive(Debug)]
pub(super) struct Store {
    facts: PathBuf,
    states: PathBuf,
    facts_key: u64,
    states_key: u64,
    /// The number of values of a version, and of registry lists, for reading the states.
    width: usize,
    lists: usize,
}

impl Store {
    /// The cache of the handbook in `repo`; `None` when it must not have one.
    pub(super) fn open(repo: &Repo, tracking: &Tracking) -> Option<Store> {
        let dir = dir(repo)?;
        let facts_key = facts_key(repo);
        let states_key = KeyHasher::new()
            .part(b"states")
            .part(&STATES_FORMAT.to_le_bytes())
            .part(env!("CARGO_PKG_VERSION").as_bytes())
            .part(&STATES_SOURCE.to_le_bytes())
            .part(repo.prefix.as_bytes())
            .part(&tracking.fingerprint().to_le_bytes())
            .finish();
        Some(Store {
            facts: dir.join(format!("facts-v{FORMAT}-{facts_key:016x}")),
            states: dir.join(format!("states-v{STATES_FORMAT}-{states_key:016x}")),
            facts_key,
            states_key,
            width: tracking.width(),
            lists: tracking.lists(),
        })
    }

    /// The cached records; an empty log when there are none (or they cannot be read).
    pub(super) fn load(&self) -> Log {
        read_regular(&self.facts, MAX_FILE)
            .and_then(|f| decode_log(unframe(FACTS_MAGIC, FORMAT, self.facts_key, &f)?))
            .unwrap_or_default()
    }

    /// Write the records of a walk. Failures are ignored: the cache is only a cache.
    pub(super) fn save(&self, log: &Log) {
        // Records at a shallow boundary or a missing parent are not exact: never kept.
        if log
            .records
            .values()
            .chain(log.sides.values())
            .any(|r| !r.complete() || r.info.as_ref().is_some_and(|i| i.boundary))
        {
            return;
        }
        let body = encode_log(log);
        let file = frame(FACTS_MAGIC, FORMAT, self.facts_key, &body);
        if write_atomic(&self.facts, &file).is_ok() {
            self.tidy();
        }
    }

    /// Remove what no run uses any more: temporary files of runs that were killed, and
    /// files under other keys (another opsbook version, an older `.mailmap`) not written for
    /// 30 days. (Another handbook in the same repository that wrote nothing for that long is
    /// walked in full once more.)
    fn tidy(&self) {
        if let Some(dir) = self.facts.parent() {
            tidy(dir, &["facts-", "states-"], &[&self.facts, &self.states]);
        }
    }

    /// The tracked values of file versions the cache knows.
    pub(super) fn load_states(&self) -> HashMap<(Oid, Form), Values> {
        read_regular(&self.states, MAX_FILE)
            .and_then(|f| {
                let body = unframe(STATES_MAGIC, STATES_FORMAT, self.states_key, &f)?;
                decode_states(body, self.width, self.lists)
            })
            .unwrap_or_default()
    }

    pub(super) fn save_states<'a>(&self, states: impl Iterator<Item = ((Oid, Form), &'a Values)>) {
        let body = encode_states(states, self.width);
        let _ = write_atomic(
            &self.states,
            &frame(STATES_MAGIC, STATES_FORMAT, self.states_key, &body),
        );
    }
}

/// The folder of the repository's caches, when it gets any (see the module's notes).
pub(super) fn dir(repo: &Repo) -> Option<PathBuf> {
    if std::env::var_os(NO_CACHE_VAR).is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    let r = &repo.repo;
    (!may_lack_objects(r)).then(|| r.path().join("opsbook"))
}

/// The key of the records: everything besides the commits that changes them.
fn facts_key(repo: &Repo) -> u64 {
    let r = &repo.repo;
    let mut h = KeyHasher::new();
    let (major, minor, patch) = git2::Version::get().libgit2_version();
    h.part(b"facts")
        .part(&FORMAT.to_le_bytes())
        .part(env!("CARGO_PKG_VERSION").as_bytes())
        .part(&PASS_SOURCE.to_le_bytes())
        .part(format!("libgit2 {major}.{minor}.{patch}").as_bytes())
        .part(repo.prefix.as_bytes());
    let file = |h: &mut KeyHasher, p: &Path| {
        match read_regular(p, SMALL) {
            Some(bytes) => h.part(b"file").part(&bytes),
            None => h.part(b"no file"),
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
