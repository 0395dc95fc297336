//! Git-native facts. This module is the only code that touches git2.
//!
//! [`read`] opens the repository the handbook lives in and makes **one pass** over history from
//! HEAD: every non-merge commit is diffed against its first parent (only the handbook's subtree,
//! and only subtrees whose ids differ), and the commit is credited to the paths it changed. The
//! result, [`Facts`], holds per file its last and first commit and its commit count, the history
//! of every roadmap item and process (the values of `status`, `target`, `owner`, `score` and
//! `last_reviewed` in each version), and which files are modified in the work tree.
//!
//! - `.mailmap` is respected for author names; commits listed in `.git-blame-ignore-revs` (or in
//!   the files named by `blame.ignoreRevsFile`) are not credited to any file.
//! - Dates are author dates, as the calendar day in the author's own time zone.
//! - A shallow clone's boundary commit looks like a root commit: everything credited to it is
//!   marked approximate. A missing commit or tree cuts the history the same way, there. Missing
//!   file contents (a blobless clone) cut nothing: they cost only the rename comparisons and
//!   history values that need them (`missing.rs`), each said once ([`Facts::notices`]).
//! - Renames are followed (exact renames by blob id, others by libgit2's similarity detection)
//!   over the whole repository: a moved file keeps its history under its path at HEAD, also
//!   when it was moved into the handbook root from outside (`differ.rs` follows it further
//!   back with side records).
//! - A pass asked to stop early (`check`) reports only what the commits down to the last
//!   needed file show, so no fact depends on how far the walk went ([`ReadOptions`]).
//! - Speed: trees and file versions come from a small pack reader with a delta base cache
//!   (`pack.rs`; libgit2 serves whatever it cannot), big folders are compared only between
//!   their identical ends (`objects.rs`, `diff.rs`), and file versions are read in pack order
//!   after the walk. `bench/git_pass.sh` keeps the pass within 1.5x of `git log --name-only`.
//! - Cache (`cache/`): what each commit changed is kept in `<git dir>/opsbook/`, so a pass at
//!   the same HEAD diffs nothing and a pass after new commits diffs only those; the tally is
//!   redone from the cached records every time, so the facts are the same as without a cache.
//!   `OPSBOOK_NO_GIT_CACHE=1` bypasses it. Shallow and partial clones get none, and nothing that
//!   met a missing object is kept.
//! - Files beside the objects (the cache, `shallow`, `.mailmap`…) are read only when regular
//!   and small (`files.rs`).

mod cache;
mod diff;
mod differ;
mod files;
mod history;
mod missing;
mod objects;
mod open;
mod pack;
mod state;
mod tally;
mod walk;
mod workers;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use git2::{DiffOptions, ErrorCode, Oid, Repository, Sort};
use jiff::civil::Date;
use serde::{Serialize, Serializer};

use crate::config::Config;
use crate::error::Error;

pub use missing::{Cut, MissingObjects, Notice};
pub use state::{FIELDS, FieldChanges, ItemState, format_score};

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

/// The `git` object of the export contract (`opsbook export`, see the README).
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

/// One commit in the history of a roadmap item or process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    #[serde(flatten)]
    pub commit: CommitInfo,
    pub event: Event,
    /// The file's path (relative to the handbook root) after this commit; before it, for
    /// `removed`.
    pub path: String,
    /// The previous path, for `renamed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// Field → `[before, after]` for every tracked field ([`FIELDS`]) that changed.
    pub changes: FieldChanges,
    /// The tracked values after this commit (before it, for `removed`); `None` when that
    /// version could not be read.
    #[serde(skip)]
    pub state: Option<ItemState>,
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
    /// Per roadmap item and process (by folder), oldest entry first, keyed by the path at HEAD
    /// (or the last path, for files no longer there).
    pub history: BTreeMap<String, Vec<HistoryEntry>>,
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

    /// The history of a roadmap item or process at HEAD, oldest first (empty for other files).
    pub fn history_of(&self, path: &str) -> &[HistoryEntry] {
        self.history.get(path).map_or(&[], Vec::as_slice)
    }

    /// Whether dates may be wrong because the history is cut (a shallow clone, a missing
    /// commit or tree).
    pub fn history_cut(&self) -> bool {
        self.shallow || self.missing.cut.is_some()
    }
}

/// What [`Repo::facts`] should compute. The default is everything.
#[derive(Debug, Default)]
pub struct ReadOptions {
    /// Do not read the history of roadmap items and processes (no file contents are read).
    pub skip_history: bool,
    /// Do not look at the work tree (`modified_locally`, `new_files`).
    pub skip_status: bool,
    /// Stop the pass once each of these paths has its last commit. Only `last` is then known
    /// (`created` is `last`, `commits` 1), and only what the commits down to the oldest of
    /// those last commits show (the cut, missing objects): the facts never depend on how far
    /// the walk went beyond.
    pub stop_after: Option<BTreeSet<String>>,
    /// The same, for a set the caller works out while the pass runs (on another thread): the
    /// pass looks for it after each commit, and waits for it before it stops; a closed channel
    /// leaves `stop_after`.
    pub stop_after_sent: Option<std::sync::mpsc::Receiver<BTreeSet<String>>>,
}

/// An open repository that holds the handbook.
pub struct Repo {
    repo: Repository,
    /// The work tree (canonical).
    workdir: PathBuf,
    /// The handbook root relative to the work tree: `""` or `docs/handbook/`.
    prefix: String,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// Open the handbook's repository and read every fact; `None` when the handbook is not in git.
pub fn read(cfg: &Config) -> Result<Option<Facts>, Error> {
    match Repo::open(&cfg.root)? {
        Some(repo) => repo.facts(cfg, &ReadOptions::default()).map(Some),
        None => Ok(None),
    }
}

impl Repo {
    /// The repository whose work tree holds the handbook at `root`; see [`open::open`] for when
    /// an enclosing repository is not taken.
    pub fn open(root: &Path) -> Result<Option<Repo>, Error> {
        open::open(root)
    }

    /// The work tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// Run the history pass.
    pub fn facts(&self, cfg: &Config, opts: &ReadOptions) -> Result<Facts, Error> {
        let mut facts = Facts {
            shallow: self.repo.is_shallow(),
            prefix: self.prefix.clone(),
            origin_url: self
                .repo
                .find_remote("origin")
                .ok()
                .and_then(|r| r.url().ok().map(str::to_string)),
            ..Facts::default()
        };
        if let Some(head) = self.head()? {
            facts.head = Some(head.to_string());
            let wants_walk = opts.stop_after.as_ref().is_none_or(|w| !w.is_empty());
            if wants_walk {
                walk::Pass::new(self, cfg, opts)
                    .map_err(|e| self.error(e))?
                    .run(head, &mut facts)
                    .map_err(|e| self.error(e))?;
            }
        }
        if !opts.skip_status {
            self.local_changes(&mut facts).map_err(|e| self.error(e))?;
        }
        Ok(facts)
    }

    /// Handbook files changed between `rev` and the work tree (staged, unstaged and untracked
    /// changes included), relative to the handbook root.
    pub fn changed_since(&self, rev: &str) -> Result<BTreeSet<String>, Error> {
        let commit = self.resolve(rev, "--changed-since")?;
        let tree = commit.tree().map_err(|e| self.error(e))?;
        let mut opts = self.diff_options();
        let diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
            .map_err(|e| self.error(e))?;
        let mut out = BTreeSet::new();
        for delta in diff.deltas() {
            if delta.status() == git2::Delta::Deleted {
                continue;
            }
            if let Some(p) = delta.new_file().path().and_then(|p| self.handbook_path(p)) {
                out.insert(p);
            }
        }
        Ok(out)
    }

    /// Ids of the commits reachable from HEAD but not from `rev` (`rev..HEAD`).
    pub fn commits_since(&self, rev: &str) -> Result<HashSet<String>, Error> {
        let base = self.resolve(rev, "--since")?.id();
        let Some(head) = self.head()? else {
            return Ok(HashSet::new());
        };
        let run = || -> Result<HashSet<String>, git2::Error> {
            let mut walk = self.repo.revwalk()?;
            walk.set_sorting(Sort::NONE)?;
            walk.push(head)?;
            walk.hide(base)?;
            walk.map(|o| o.map(|o| o.to_string())).collect()
        };
        run().map_err(|e| self.error(e))
    }

    /// The commit at HEAD; `None` while the repository has no commits.
    fn head(&self) -> Result<Option<Oid>, Error> {
        match self.repo.head() {
            Ok(r) => r
                .peel_to_commit()
                .map(|c| Some(c.id()))
                .map_err(|e| self.error(e)),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(self.error(e)),
        }
    }

    /// A revision named by the user, as a commit; a usage error when there is none.
    fn resolve(&self, rev: &str, flag: &str) -> Result<git2::Commit<'_>, Error> {
        self.repo
            .revparse_single(rev)
            .and_then(|o| o.peel_to_commit())
            .map_err(|_| {
                let mut msg = format!(
                    "{flag} {rev}: no commit, branch or tag `{rev}` in the repository at {}",
                    self.workdir.display()
                );
                if self.repo.is_shallow() {
                    msg.push_str(
                        "\n    help: this is a shallow clone, so older commits are missing; fetch \
                         the whole history (`fetch-depth: 0` in GitHub Actions, `GIT_DEPTH: 0` in \
                         GitLab CI, or `git fetch --unshallow`)",
                    );
                } else {
                    msg.push_str(
                        "\n    help: fetch it first (for example `git fetch origin main`), or \
                         name a commit id",
                    );
                }
                Error::Usage(msg)
            })
    }

    /// Diff options limited to the handbook, with untracked files.
    fn diff_options(&self) -> DiffOptions {
        let mut opts = DiffOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .ignore_submodules(true);
        if !self.prefix.is_empty() {
            opts.pathspec(self.prefix.trim_end_matches('/'));
        }
        opts
    }

    /// Mark files modified in the work tree, and list files never committed.
    fn local_changes(&self, facts: &mut Facts) -> Result<(), git2::Error> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true)
            .renames_head_to_index(false);
        if !self.prefix.is_empty() {
            opts.pathspec(self.prefix.trim_end_matches('/'));
        }
        let statuses = self.repo.statuses(Some(&mut opts))?;
        for entry in statuses.iter() {
            let status = entry.status();
            if status.is_empty() || status.is_ignored() {
                continue;
            }
            let Some(path) = entry
                .path()
                .ok()
                .and_then(|p| p.strip_prefix(self.prefix.as_str()))
            else {
                continue;
            };
            match facts.files.get_mut(path) {
                Some(f) => f.modified_locally = true,
                None if !status.is_wt_deleted() && !status.is_index_deleted() => {
                    facts.new_files.insert(path.to_string());
                }
                None => {}
            }
        }
        Ok(())
    }

    /// A repository-relative path as a handbook path, when it is inside the handbook.
    fn handbook_path(&self, repo_path: &Path) -> Option<String> {
        let s = repo_path.to_str()?.replace('\\', "/");
        s.strip_prefix(self.prefix.as_str())
            .filter(|p| !p.is_empty())
            .map(str::to_string)
    }

    /// A git failure while reading, as an [`Error`].
    fn error(&self, e: git2::Error) -> Error {
        Error::Git {
            path: self.workdir.clone(),
            message: format!("cannot read the git history: {}", e.message()),
            help: Some(
                "the repository may be damaged: `git fsck` says what is wrong; pass --no-git to \
                 work without git dates"
                    .into(),
            ),
        }
    }
}

/// The calendar day of a git time in its own offset. Any date from year -9999 to 9999 is
/// exact; times beyond (git allows them) are clamped to the first or last day.
fn civil_date(seconds: i64, offset_minutes: i32) -> Date {
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
fn clamp_time(seconds: i64) -> i64 {
    seconds.clamp(
        jiff::Timestamp::MIN.as_second(),
        jiff::Timestamp::MAX.as_second(),
    )
}

fn date_str<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_gaps;
