//! What the site shows from git, as plain data. The renderer never touches git: the build turns
//! the git stage's facts into these (or leaves them empty with `--no-git` or outside a
//! repository), and every view renders gracefully without them.

use std::collections::BTreeMap;

use jiff::civil::Date;

/// Git facts for the site. `SiteFacts::default()` means "no git facts".
#[derive(Debug, Clone, Default)]
pub struct SiteFacts {
    /// Whether the facts come from a repository (false: every view shows its empty state).
    pub available: bool,
    /// Per document, by path relative to the handbook root.
    pub docs: BTreeMap<String, DocFacts>,
    /// What changed, newest first (what-changed page, feed, home).
    pub changes: Vec<Change>,
}

/// Git facts of one file.
#[derive(Debug, Clone, Default)]
pub struct DocFacts {
    /// Date of the last commit that touched the file.
    pub updated: Option<Date>,
    pub author: Option<String>,
    pub commit: Option<String>,
    /// The file's path relative to the repository's work tree (for edit links), when the
    /// handbook is a subfolder of the repository.
    pub repo_path: Option<String>,
    pub modified_locally: bool,
    /// Roadmap history: changes of status, target, owner and score, oldest first.
    pub history: Vec<Revision>,
}

/// One commit's changes to the tracked fields of a roadmap item.
#[derive(Debug, Clone)]
pub struct Revision {
    pub date: Date,
    pub author: String,
    pub commit: String,
    /// Field name → (before, after); `None` when absent.
    pub changes: Vec<(String, Option<String>, Option<String>)>,
}

/// One change for the what-changed page and the feed.
#[derive(Debug, Clone)]
pub struct Change {
    pub date: Date,
    pub author: String,
    pub commit: String,
    /// The document's path relative to the handbook root.
    pub path: String,
    /// One line: the commit subject, or "status next → now".
    pub summary: String,
}

impl SiteFacts {
    pub fn doc(&self, path: &str) -> Option<&DocFacts> {
        self.docs.get(path)
    }
}
