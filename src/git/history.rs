//! The history of roadmap items and processes: the tracked values of every version the tally
//! collected, read once the walk is done, turned into [`HistoryEntry`] lists, oldest first.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use git2::Oid;

use super::diff::Delta;
use super::objects::{Objects, is_missing};
use super::state::{ItemState, States};
use super::{CommitInfo, Event, HistoryEntry};

/// Per history key, the changes credited to it, newest first.
pub(super) type Changes = HashMap<String, Vec<(Delta, CommitInfo)>>;

#[derive(Debug, Default)]
pub(super) struct Versions {
    parsed: States,
    /// Blob → its tracked values (`None`: the blob is missing).
    states: HashMap<Oid, Option<ItemState>>,
    /// Blobs read from git in this pass (not known from the cache).
    pub read: usize,
    /// Blobs that are not in the repository (a partial clone).
    pub missing: BTreeSet<Oid>,
    /// History entries whose values could not be read.
    pub unavailable: usize,
}

impl Versions {
    /// Start from the values the cache knows.
    pub(super) fn with_known(known: HashMap<Oid, ItemState>) -> Self {
        Versions {
            states: known.into_iter().map(|(k, v)| (k, Some(v))).collect(),
            ..Versions::default()
        }
    }

    /// Read every version the history needs, in the order the packs store them (so delta
    /// bases are read before the deltas built on them), then build the entries, oldest first.
    /// Many versions are read and parsed on worker threads (see [`super::workers`]) on the
    /// repository at `gitdir`; what a worker cannot read is left to this thread.
    pub(super) fn build(
        &mut self,
        objects: &mut Objects,
        changes: Changes,
        gitdir: &Path,
    ) -> Result<BTreeMap<String, Vec<HistoryEntry>>, git2::Error> {
        let mut blobs: Vec<Oid> = blobs_of(&changes)
            .filter(|b| !self.states.contains_key(b))
            .collect();
        objects.sort_for_reading(&mut blobs);
        for (id, state) in read_in_parallel(&blobs, gitdir) {
            self.read += 1;
            self.states.insert(id, Some(state));
        }
        for id in blobs {
            self.state(objects, id)?;
        }
        let mut out = BTreeMap::new();
        for (key, changes) in changes {
            let mut entries = Vec::with_capacity(changes.len());
            for (delta, info) in changes.iter().rev() {
                entries.push(self.entry(objects, delta, info)?);
            }
            out.insert(key, entries);
        }
        self.unavailable = out.values().flatten().filter(|e| e.unavailable).count();
        Ok(out)
    }

    /// The values of the given blobs, for the cache (missing blobs left out).
    pub(super) fn known<'a>(
        &'a self,
        blobs: impl Iterator<Item = Oid> + 'a,
    ) -> impl Iterator<Item = (Oid, &'a ItemState)> + 'a {
        blobs.filter_map(|b| Some((b, self.states.get(&b)?.as_ref()?)))
    }

    fn entry(
        &mut self,
        objects: &mut Objects,
        d: &Delta,
        info: &CommitInfo,
    ) -> Result<HistoryEntry, git2::Error> {
        let before = d.old.map(|o| self.state(objects, o)).transpose()?;
        let after = d.new.map(|o| self.state(objects, o)).transpose()?;
        let unreadable = matches!(before, Some(None)) || matches!(after, Some(None));
        let (before, after) = (before.flatten(), after.flatten());
        let event = d.event();
        let changes = if unreadable {
            Default::default()
        } else {
            ItemState::diff(before.as_ref(), after.as_ref())
        };
        Ok(HistoryEntry {
            commit: info.clone(),
            event,
            path: d.path().to_string(),
            renamed_from: (event == Event::Renamed)
                .then(|| d.old_path.clone())
                .flatten(),
            changes,
            state: after.or(before),
            approximate: unreadable || info.boundary,
            unavailable: unreadable,
        })
    }

    /// The tracked values of a blob; `None` when the blob is missing (a partial clone).
    fn state(
        &mut self,
        objects: &mut Objects,
        blob: Oid,
    ) -> Result<Option<ItemState>, git2::Error> {
        if let Some(s) = self.states.get(&blob) {
            return Ok(s.clone());
        }
        let state = match objects.blob(blob) {
            Ok(b) => Some(self.parsed.read(&b)),
            Err(e) if is_missing(&e) => {
                self.missing.insert(blob);
                None
            }
            Err(e) => return Err(e),
        };
        self.read += 1;
        self.states.insert(blob, state.clone());
        Ok(state)
    }
}

/// The tracked values of `blobs`, read on worker threads in contiguous runs (none when there
/// are few); each worker stops at the first blob it cannot read.
fn read_in_parallel(blobs: &[Oid], gitdir: &Path) -> Vec<(Oid, ItemState)> {
    super::workers::run(blobs, gitdir, |repo, chunk| {
        let mut out = Vec::with_capacity(chunk.len());
        let Ok(mut objects) = Objects::new(repo) else {
            return out;
        };
        let mut parsed = States::default();
        for &id in chunk {
            match objects.blob(id) {
                Ok(b) => out.push((id, parsed.read(&b))),
                Err(_) => break,
            }
        }
        out
    })
}

/// Every blob the changes refer to, with repeats.
pub(super) fn blobs_of(changes: &Changes) -> impl Iterator<Item = Oid> + '_ {
    changes
        .values()
        .flatten()
        .flat_map(|(d, _)| [d.old, d.new])
        .flatten()
}
