//! What the history pass finds: per file its last and first commit, the history of documents,
//! what the clone lacks; and how a git time becomes a calendar day.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use super::missing::MissingObjects;
use super::state::{FieldChanges, ItemState};
use super::tracking::REGISTRY;
use crate::kind::Kind;

/// One commit, as the facts show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// The full commit id.
    #[serde(rename = "commit")]
    pub id: String,
    /// The author date, in the author's time zone.
    #[serde(serialize_with = "date_str")]
    pub date: Date,
    /// The author's name after `.mailmap`.
    pub author: String,
    /// Seconds since the epoch, for ordering.
    #[serde(skip)]
    pub time: i64,
    /// A shallow clone's boundary (or a commit whose parent or its tree is missing): what is
    /// credited to it may have happened earlier.
    #[serde(skip)]
    pub boundary: bool,
}

/// What git knows about one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFacts {
    /// The newest commit that changed the file.
    pub last: CommitInfo,
    /// The oldest commit that changed the file (it created it, or the history is cut there).
    pub created: CommitInfo,
    /// Commits that changed the file, ignored revisions and merges not counted.
    pub commits: u32,
    /// `created` and `commits` (and `last`, when `last.boundary`) may be wrong: the history is
    /// cut (a shallow clone, a missing commit or tree), or a move with edits into the file
    /// could not be compared (its content is missing).
    pub approximate: bool,
    /// The work tree has changes to the file that are not committed.
    pub modified_locally: bool,
}

/// The `git` object of the export contract (`opsbook export`, docs/json.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitSummary {
    pub commit: String,
    pub updated: String,
    pub author: String,
    pub created: String,
    pub commits: u32,
    pub approximate: bool,
}

impl FileFacts {
    /// The export contract's `git` object.
    pub fn summary(&self) -> GitSummary {
        GitSummary {
            commit: self.last.id.clone(),
            updated: self.last.date.to_string(),
            author: self.last.author.clone(),
            created: self.created.date.to_string(),
            commits: self.commits,
            approximate: self.approximate,
        }
    }
}

/// What a commit did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    Added,
    Modified,
    Renamed,
    Removed,
}

/// One commit in the history of a document (a file, or an entry of the registry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    #[serde(flatten)]
    pub commit: CommitInfo,
    pub event: Event,
    /// The file's path (relative to the handbook root) after this commit; before it, for
    /// `removed`. An entry of the registry: `org.yml` (`added` and `removed` are the entry's).
    pub path: String,
    /// The previous path, for `renamed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Field → `[before, after]` for every tracked field that changed: the fields with
    /// `history: true` of the kind at each version's path, and `last_reviewed`.
    pub changes: FieldChanges,
    /// The tracked values after this commit (before it, for `removed`); `None` when that
    /// version could not be read.
    #[serde(skip)]
    pub state: Option<ItemState>,
    /// The kind at the version's path after this commit (before it, for `removed`).
    #[serde(skip)]
    pub kind: Kind,
    /// At a shallow boundary (an `added` there is not a creation), or a version could not be
    /// read (a partial clone).
    pub approximate: bool,
    /// The values of this version (or of the one before) could not be read, because its
    /// content is missing (a blobless clone): `changes` is empty, whatever changed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unavailable: bool,
}

/// Everything git tells about the handbook.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facts {
    /// Per file at HEAD, by path relative to the handbook root.
    pub files: BTreeMap<String, FileFacts>,
    /// Per file of a kind with history fields, oldest entry first, keyed by the path at HEAD
    /// (or the last path, for files no longer there).
    pub history: BTreeMap<String, Vec<HistoryEntry>>,
    /// Per entry of the registry (`org.yml`) of a kind with history fields, oldest entry
    /// first, keyed by `kind:id`.
    pub registry: BTreeMap<String, Vec<HistoryEntry>>,
    /// Files in the work tree that were never committed.
    pub new_files: BTreeSet<String>,
    /// The repository is a shallow clone.
    pub shallow: bool,
    /// Objects the pass needed and did not find (a partial clone, a damaged repository), and
    /// what that cost.
    pub missing: MissingObjects,
    /// The pass was asked to stop early ([`ReadOptions::stop_after`]): only `last` is known.
    pub partial: bool,
    /// The commit at HEAD; `None` in a repository without commits.
    pub head: Option<String>,
    /// The handbook root relative to the work tree: `""` or `docs/handbook/`.
    pub prefix: String,
    /// The URL of the `origin` remote, as configured.
    pub origin_url: Option<String>,
}

impl Facts {
    /// The last commit of a file, when git knows it.
    pub fn last(&self, path: &str) -> Option<&CommitInfo> {
        self.files.get(path).map(|f| &f.last)
    }

    /// The export contract's `git` object of a file (`None`: git knows nothing of it).
    pub fn summary(&self, path: &str) -> Option<GitSummary> {
        self.files.get(path).map(FileFacts::summary)
    }

    /// The history of a file at HEAD, oldest first (empty for files without one).
    pub fn history_of(&self, path: &str) -> &[HistoryEntry] {
        self.history.get(path).map_or(&[], Vec::as_slice)
    }

    /// The history of a document: of its file, or of its entry when it is an entry of the
    /// registry (`kind:id`).
    pub fn history_of_doc(&self, path: &str, handle: &str) -> &[HistoryEntry] {
        if path == REGISTRY {
            self.registry.get(handle).map_or(&[], Vec::as_slice)
        } else {
            self.history_of(path)
        }
    }

    /// Whether dates may be wrong because the history is cut (a shallow clone, a missing
    /// commit or tree).
    pub fn history_cut(&self) -> bool {
        self.shallow || self.missing.cut.is_some()
    }
}

/// The calendar day of a git time in its own offset. Any date from year -9999 to 9999 is
/// exact; times beyond (git allows them) are clamped to the first or last day.
pub(super) fn civil_date(seconds: i64, offset_minutes: i32) -> Date {
    const EPOCH: Date = Date::constant(1970, 1, 1);
    let days = seconds
        .saturating_add(i64::from(offset_minutes) * 60)
        .div_euclid(86_400);
    jiff::Span::new()
        .try_days(days)
        .ok()
        .and_then(|span| EPOCH.checked_add(span).ok())
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// A git time (seconds since the epoch) within what a timestamp can show: times beyond are
/// clamped, so every later use (feeds, sorting) sees a valid time in the same order.
pub(super) fn clamp_time(seconds: i64) -> i64 {
    seconds.clamp(
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    )
}

fn date_str<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}
