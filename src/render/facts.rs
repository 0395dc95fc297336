//! What the site shows from git, as plain data. The renderer never touches git: the build turns
//! the git stage's facts into these (or leaves them empty with `--no-git` or outside a
//! repository), and every view renders gracefully without them.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::href;

/// Git facts for the site. `SiteFacts::default()` means "no git facts".
#[derive(Debug, Clone, Default)]
pub struct SiteFacts {
    /// Whether the facts come from a repository (false: every view shows its empty state).
    pub available: bool,
    /// Per document file, by path relative to the handbook root.
    pub docs: BTreeMap<String, DocFacts>,
    /// The history of each entry of `org.yml` that has one, by `kind:id`, oldest first.
    pub entries: BTreeMap<String, Vec<Revision>>,
    /// What changed since `since`, one entry per commit and document, newest first
    /// (what-changed page, feed).
    pub changes: Vec<Change>,
    /// The first day of the what-changed window.
    pub since: Option<Date>,
    /// The history is cut (shallow or partial clone): older changes are unknown.
    pub history_cut: bool,
    /// The documents changed most recently, newest first (home page).
    pub recent: Vec<Change>,
    /// Where the repository is on the web (edit and commit links).
    pub repo: Option<RepoLinks>,
    /// Time in each status and cycle times of roadmap items, from their status history.
    pub flow: crate::flow::Flow,
    /// The history of each key result's `current`, per objective (by document index).
    pub trends: BTreeMap<usize, crate::trend::Trends>,
}

/// Git facts of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocFacts {
    /// Date of the last commit that touched the file.
    pub updated: Option<Date>,
    pub author: Option<String>,
    pub commit: Option<String>,
    /// `updated` may be wrong: the history is cut there (shallow or partial clone).
    pub approximate: bool,
    /// The file's path relative to the repository's work tree (for edit links).
    pub repo_path: Option<String>,
    /// Uncommitted changes in the work tree (or never committed, when `updated` is `None`).
    pub modified_locally: bool,
    /// The file holds several documents (`org.yml`): the facts are the whole file's.
    pub shared: bool,
    /// The file is the registry (`org.yml`): each entry has its own history
    /// ([`SiteFacts::entries`]).
    pub registry: bool,
    /// The file's history: changes of its kind's history fields (a roadmap item's status,
    /// health, target, owner and score; each key result of an objective), oldest first; empty
    /// for the registry.
    pub history: Vec<Revision>,
}

/// What a commit did to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionEvent {
    Created,
    Changed,
    Renamed,
    Removed,
    /// The oldest commit a shallow clone has: the file existed then, its creation is unknown.
    Earliest,
}

impl RevisionEvent {
    pub fn as_str(self) -> &'static str {
        match self {
            RevisionEvent::Created => "created",
            RevisionEvent::Changed => "changed",
            RevisionEvent::Renamed => "renamed",
            RevisionEvent::Removed => "removed",
            RevisionEvent::Earliest => "earliest",
        }
    }
}

/// One commit's changes to the tracked fields of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub date: Date,
    pub author: String,
    pub commit: String,
    pub event: RevisionEvent,
    /// The previous path, for `Renamed`.
    pub renamed_from: Option<String>,
    /// Field name → (before, after); `None` when absent.
    pub changes: Vec<(String, Option<String>, Option<String>)>,
    /// At a shallow clone's boundary, or a version that could not be read.
    pub approximate: bool,
}

/// One change for the what-changed page, the feed, and the home page.
#[derive(Debug, Clone)]
pub struct Change {
    /// `kind:id` of the entry, for a change to an entry of `org.yml`.
    pub handle: Option<String>,
    pub date: Date,
    /// The commit's time, seconds since the epoch (the feed's timestamps).
    pub time: i64,
    pub author: String,
    pub commit: String,
    /// The document's path relative to the handbook root.
    pub path: String,
    /// The title in that version, for a document no longer in the handbook.
    pub title: Option<String>,
    /// One line: "status next → now; target slipped 2026-Q3 → 2026-Q4".
    pub summary: String,
    /// The date may be wrong (a shallow clone's boundary).
    pub approximate: bool,
    /// The document was removed by this commit.
    pub removed: bool,
}

/// Links into the repository's web interface (GitHub style, or GitLab's `/-/` paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoLinks {
    /// `https://github.com/acme/handbook`, without a trailing `/`.
    pub url: String,
    gitlab: bool,
}

impl RepoLinks {
    pub fn new(url: &str) -> RepoLinks {
        let url = url.trim().trim_end_matches('/');
        let url = url.strip_suffix(".git").unwrap_or(url).to_string();
        let host = url.split('/').nth(2).unwrap_or("").to_ascii_lowercase();
        RepoLinks {
            gitlab: host.contains("gitlab"),
            url,
        }
    }

    fn section(&self, name: &str) -> String {
        if self.gitlab {
            format!("{}/-/{name}/", self.url)
        } else {
            format!("{}/{name}/", self.url)
        }
    }

    /// The file on the default branch (`line`: the line to point at).
    pub fn edit(&self, repo_path: &str, line: Option<u32>) -> String {
        let mut out = format!(
            "{}HEAD/{}",
            self.section("blob"),
            href::encode_path(repo_path)
        );
        if let Some(l) = line {
            out.push_str(&format!("#L{l}"));
        }
        out
    }

    pub fn commit(&self, id: &str) -> String {
        format!("{}{id}", self.section("commit"))
    }
}

impl SiteFacts {
    pub fn doc(&self, path: &str) -> Option<&DocFacts> {
        self.docs.get(path)
    }

    /// The history of a document: its file's, or its entry's when it shares its file.
    pub fn history(&self, path: &str, handle: &str) -> &[Revision] {
        match self.docs.get(path) {
            Some(d) if d.registry => self.entries.get(handle).map_or(&[], Vec::as_slice),
            Some(d) => &d.history,
            None => &[],
        }
    }

    /// The commit's page, when the repository's web address is known.
    pub fn commit_url(&self, id: &str) -> Option<String> {
        self.repo.as_ref().map(|r| r.commit(id))
    }
}
