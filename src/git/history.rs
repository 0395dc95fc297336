//! The history of documents: the tracked values of every version the tally collected, read
//! once the walk is done, turned into [`HistoryEntry`] lists, oldest first, per file, and per
//! entry of the registry.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use git2::Oid;

use super::diff::Delta;
use super::objects::{Objects, is_missing};
use super::state::ItemState;
use super::tracking::{Entry, Memo, REGISTRY, Slots, Tracking};
use super::{CommitInfo, Event, HistoryEntry};
use crate::config::Config;
use crate::kind::Kind;

/// Per history key, the changes credited to it, newest first.
pub(super) type Changes = HashMap<String, Vec<(Delta, CommitInfo)>>;

/// The entries of one registry version (entries unchanged between versions are shared).
pub(super) type Registry = Arc<[Arc<Entry>]>;

/// How a blob is read: as a Markdown file's frontmatter, or as the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Form {
    Doc,
    Registry,
}

/// The values of a blob, read as its form says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Values {
    Doc(Slots),
    Registry(Registry),
}

/// The histories the pass found.
#[derive(Debug, Default)]
pub(super) struct Built {
    /// Per file (its path at HEAD, or its last path).
    pub docs: BTreeMap<String, Vec<HistoryEntry>>,
    /// Per registry entry (`kind:id`).
    pub registry: BTreeMap<String, Vec<HistoryEntry>>,
}

#[derive(Debug, Default)]
pub(super) struct Versions {
    /// What was parsed already (versions that differ only in their body, entries of the
    /// registry that did not change, are parsed once).
    memo: Memo,
    /// Blob → its values (`None`: the blob is missing).
    values: HashMap<(Oid, Form), Option<Values>>,
    /// Blobs read from git in this pass (not known from the cache).
    pub read: usize,
    /// Blobs that are not in the repository (a partial clone).
    pub missing: BTreeSet<Oid>,
    /// History entries (or registry versions) whose values could not be read.
    pub unavailable: usize,
}

/// Everything [`Versions::build`] reads with.
pub(super) struct Reading<'a> {
    pub cfg: &'a Config,
    pub tracking: &'a Tracking,
    pub gitdir: &'a Path,
}

impl Versions {
    /// Start from the values the cache knows.
    pub(super) fn with_known(known: HashMap<(Oid, Form), Values>) -> Self {
        Versions {
            values: known.into_iter().map(|(k, v)| (k, Some(v))).collect(),
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
        how: &Reading<'_>,
    ) -> Result<Built, git2::Error> {
        let mut wanted: Vec<(Oid, Form)> = blobs_of(&changes)
            .filter(|b| !self.values.contains_key(b))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut ids: Vec<Oid> = wanted.iter().map(|(id, _)| *id).collect();
        objects.sort_for_reading(&mut ids);
        let forms: HashMap<Oid, Vec<Form>> =
            wanted.iter().fold(HashMap::new(), |mut m, (id, f)| {
                m.entry(*id).or_insert_with(Vec::new).push(*f);
                m
            });
        let order: Vec<(Oid, Form)> = ids
            .iter()
            .flat_map(|id| forms[id].iter().map(move |f| (*id, *f)))
            .collect();
        for (key, values) in read_in_parallel(&order, how) {
            self.read += 1;
            self.values.insert(key, Some(values));
        }
        for (id, form) in order {
            self.values_of(objects, id, form, how.tracking)?;
        }
        let mut out = Built::default();
        let mut unavailable = 0;
        for (key, changes) in changes {
            if key == REGISTRY {
                for (delta, info) in changes.iter().rev() {
                    unavailable +=
                        usize::from(self.registry_entries(objects, delta, info, how, &mut out)?);
                }
                continue;
            }
            let mut entries = Vec::with_capacity(changes.len());
            for (delta, info) in changes.iter().rev() {
                entries.push(self.entry(objects, delta, info, &key, how)?);
            }
            unavailable += entries.iter().filter(|e| e.unavailable).count();
            out.docs.insert(key, entries);
        }
        self.unavailable = unavailable;
        Ok(out)
    }

    /// The values of the given blobs, for the cache (missing blobs left out).
    pub(super) fn known<'a>(
        &'a self,
        blobs: impl Iterator<Item = (Oid, Form)> + 'a,
    ) -> impl Iterator<Item = ((Oid, Form), &'a Values)> + 'a {
        blobs.filter_map(|b| Some((b, self.values.get(&b)?.as_ref()?)))
    }

    fn entry(
        &mut self,
        objects: &mut Objects,
        d: &Delta,
        info: &CommitInfo,
        key: &str,
        how: &Reading<'_>,
    ) -> Result<HistoryEntry, git2::Error> {
        let side = |this: &mut Self, objects: &mut Objects, blob: Option<Oid>, path| {
            let (Some(blob), Some(path)) = (blob, path) else {
                return Ok(None);
            };
            let kind = Tracking::kind_at(how.cfg, path, key);
            let state = match this.values_of(objects, blob, Form::Doc, how.tracking)? {
                Some(Values::Doc(slots)) => Some(how.tracking.view(kind, &slots)),
                _ => None,
            };
            Ok::<_, git2::Error>(Some((kind, state)))
        };
        let before = side(self, objects, d.old, d.old_path.as_deref())?;
        let after = side(self, objects, d.new, d.new_path.as_deref())?;
        // The kind after the change (before it, for a removal), unless only the other side is
        // of a kind with a history (a file moved out of a tracked folder).
        let kinds = [&after, &before].map(|s| s.as_ref().map(|(k, _)| *k));
        let kind = kinds
            .iter()
            .flatten()
            .find(|k| how.tracking.has_history(**k))
            .or(kinds.iter().flatten().next())
            .copied()
            .unwrap_or_else(|| how.cfg.kind_of_path(key));
        let unreadable = [&before, &after]
            .iter()
            .any(|s| matches!(s, Some((_, None))));
        let (before, after) = (before.and_then(|s| s.1), after.and_then(|s| s.1));
        Ok(history_entry(
            d,
            info,
            kind,
            before.as_ref(),
            after.as_ref(),
            unreadable,
        ))
    }

    /// The entries of the registry that one change to it changed, into `out.registry`; whether
    /// a version could not be read.
    fn registry_entries(
        &mut self,
        objects: &mut Objects,
        d: &Delta,
        info: &CommitInfo,
        how: &Reading<'_>,
        out: &mut Built,
    ) -> Result<bool, git2::Error> {
        let mut side = |blob: Option<Oid>| -> Result<Option<Option<Registry>>, git2::Error> {
            let Some(blob) = blob else { return Ok(None) };
            Ok(Some(
                match self.values_of(objects, blob, Form::Registry, how.tracking)? {
                    Some(Values::Registry(r)) => Some(r),
                    _ => None,
                },
            ))
        };
        let before = side(d.old)?;
        let after = side(d.new)?;
        let unreadable = matches!(before, Some(None)) || matches!(after, Some(None));
        let entries = |r: &Option<Option<Registry>>| -> Vec<Arc<Entry>> {
            r.iter().flatten().flat_map(|r| r.iter().cloned()).collect()
        };
        let (b, a) = (entries(&before), entries(&after));
        let file_event = d.event();
        for (old, new) in pairs(&b, &a) {
            // A version that could not be read hides whether the entry changed: it is shown
            // at every change of the file, without values.
            let entry_event = match (old, new) {
                _ if unreadable => file_event,
                (None, _) => Event::Added,
                (_, None) => Event::Removed,
                (Some(x), Some(y))
                    if (Arc::ptr_eq(x, y) || x.digest == y.digest)
                        && file_event != Event::Renamed =>
                {
                    continue;
                }
                _ => file_event,
            };
            let Some(e) = new.or(old) else { continue };
            let Some(kind) = how.tracking.list(e.list) else {
                continue;
            };
            let view = |e: Option<&Arc<Entry>>| e.map(|e| how.tracking.view(kind, &e.slots));
            let mut delta = d.clone();
            match entry_event {
                Event::Added => delta.old_path = None,
                Event::Removed => delta.new_path = None,
                _ => {}
            }
            let entry = history_entry(
                &delta,
                info,
                kind,
                view(old).as_ref(),
                view(new).as_ref(),
                unreadable,
            );
            let handle = format!("{kind}:{}", e.id);
            out.registry.entry(handle).or_default().push(entry);
        }
        Ok(unreadable)
    }

    /// The values of a blob read as `form`; `None` when the blob is missing (a partial clone).
    fn values_of(
        &mut self,
        objects: &mut Objects,
        blob: Oid,
        form: Form,
        tracking: &Tracking,
    ) -> Result<Option<Values>, git2::Error> {
        if let Some(s) = self.values.get(&(blob, form)) {
            return Ok(s.clone());
        }
        let values = match objects.blob(blob) {
            Ok(b) => Some(read(&b, form, tracking, &mut self.memo)),
            Err(e) if is_missing(&e) => {
                self.missing.insert(blob);
                None
            }
            Err(e) => return Err(e),
        };
        self.read += 1;
        self.values.insert((blob, form), values.clone());
        Ok(values)
    }
}

/// Every entry of two registry versions, once, paired by list and id: those of `after` (with
/// the same entry before, if any), then those only `before` has.
type Pair<'a> = (Option<&'a Arc<Entry>>, Option<&'a Arc<Entry>>);

fn pairs<'a>(before: &'a [Arc<Entry>], after: &'a [Arc<Entry>]) -> Vec<Pair<'a>> {
    // Usually the same entries in the same order, some of them changed.
    let aligned = before.len() == after.len()
        && before
            .iter()
            .zip(after)
            .all(|(x, y)| x.list == y.list && x.id == y.id);
    if aligned {
        return before
            .iter()
            .zip(after)
            .map(|(x, y)| (Some(x), Some(y)))
            .collect();
    }
    let ids = |v: &'a [Arc<Entry>]| -> HashMap<(usize, &'a str), &'a Arc<Entry>> {
        v.iter().map(|e| ((e.list, e.id.as_str()), e)).collect()
    };
    let (old_of, new_of) = (ids(before), ids(after));
    after
        .iter()
        .map(|e| (old_of.get(&(e.list, e.id.as_str())).copied(), Some(e)))
        .chain(
            before
                .iter()
                .filter(|e| !new_of.contains_key(&(e.list, e.id.as_str())))
                .map(|e| (Some(e), None)),
        )
        .collect()
}

/// One entry of a history: what the change `d` did, and the fields that differ between the
/// two versions (none when one could not be read).
fn history_entry(
    d: &Delta,
    info: &CommitInfo,
    kind: Kind,
    before: Option<&ItemState>,
    after: Option<&ItemState>,
    unreadable: bool,
) -> HistoryEntry {
    let event = d.event();
    HistoryEntry {
        commit: info.clone(),
        event,
        path: d.path().to_string(),
        renamed_from: (event == Event::Renamed)
            .then(|| d.old_path.clone())
            .flatten(),
        changes: if unreadable {
            Default::default()
        } else {
            ItemState::diff(before, after)
        },
        state: after.or(before).cloned(),
        kind,
        approximate: unreadable || info.boundary,
        unavailable: unreadable,
    }
}

/// The values of a blob's bytes (invalid UTF-8 is replaced).
fn read(bytes: &[u8], form: Form, tracking: &Tracking, memo: &mut Memo) -> Values {
    let text = String::from_utf8_lossy(bytes);
    match form {
        Form::Doc => Values::Doc(tracking.read_doc(&text, memo)),
        Form::Registry => Values::Registry(tracking.read_registry(&text, memo).into()),
    }
}

/// The values of `blobs`, read on worker threads in contiguous runs (none when there are
/// few); each worker stops at the first blob it cannot read.
fn read_in_parallel(blobs: &[(Oid, Form)], how: &Reading<'_>) -> Vec<((Oid, Form), Values)> {
    let tracking = how.tracking;
    super::workers::run(blobs, how.gitdir, |repo, chunk| {
        let mut out = Vec::with_capacity(chunk.len());
        let Ok(mut objects) = Objects::new(repo) else {
            return out;
        };
        let mut memo = Memo::default();
        for &(id, form) in chunk {
            match objects.blob(id) {
                Ok(b) => out.push(((id, form), read(&b, form, tracking, &mut memo))),
                Err(_) => break,
            }
        }
        out
    })
}

/// Every blob the changes refer to, with how it is read, with repeats.
pub(super) fn blobs_of(changes: &Changes) -> impl Iterator<Item = (Oid, Form)> + '_ {
    changes.iter().flat_map(|(key, changes)| {
        let form = if key == REGISTRY {
            Form::Registry
        } else {
            Form::Doc
        };
        changes
            .iter()
            .flat_map(|(d, _)| [d.old, d.new])
            .flatten()
            .map(move |b| (b, form))
    })
}
