//! Git-native facts. This module is the only code that touches git2.
//!
//! [`read`] opens the repository the handbook lives in and makes **one pass** over history from
//! HEAD: every non-merge commit is diffed against its first parent (only the handbook's subtree,
//! and only subtrees whose ids differ), and the commit is credited to the paths it changed. The
//! result, [`Facts`], holds per file its last and first commit and its commit count, the history
//! of every document whose kind has fields with `history: true` (the values of those fields,
//! `last_reviewed` and the title in each version; per entry for the registry, `org.yml`), and
//! which files are modified in the work tree.
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
//!   needed file show, so no fact depends on how far the walk went ([`ReadOptions`]). It does
//!   not diff a commit whose changed-path filter in git's commit-graph says it changed none
//!   of the files still needed (`bloom.rs`, read by `graph.rs`).
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

mod bloom;
mod cache;
mod diff;
mod differ;
mod facts;
mod files;
mod graph;
mod history;
mod missing;
mod objects;
mod open;
mod order;
mod pack;
mod registry;
mod state;
mod subtrees;
mod tally;
mod tracking;
mod walk;
mod workers;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use git2::{DiffOptions, ErrorCode, Oid, Repository, Sort};

use crate::config::Config;
use crate::error::Error;

pub use facts::{CommitInfo, Event, Facts, FileFacts, GitSummary, HistoryEntry};
use facts::{civil_date, clamp_time};
pub use missing::{Cut, MissingObjects, Notice};
pub use state::{FieldChanges, ItemState, entry_key, entry_of, format_score};
pub use tracking::REGISTRY;

/// What [`Repo::facts`] should compute. The default is everything.
#[derive(Debug, Default)]
pub struct ReadOptions {
    /// Do not read the history of documents (no file contents are read).
    pub skip_history: bool,
    /// Do not look at the work tree (`modified_locally`, `new_files`).
    pub skip_status: bool,
    /// Stop the pass once each of these paths has its last commit. Only their `last` is then
    /// known (`created` is `last`, `commits` 1; other files are left out), and only what the
    /// commits down to the oldest of those last commits show (the cut, missing objects): the
    /// facts never depend on how far the walk went beyond, nor on the commits it skipped by
    /// the commit-graph's filters.
    pub stop_after: Option<BTreeSet<String>>,
    /// The same, for a set the caller works out while the pass gets ready (on another
    /// thread): the pass waits for it before it walks; a closed channel leaves `stop_after`.
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

    /// The handbook's folder in the work tree: `""` or `docs/handbook/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Where opsbook keeps caches for this repository (`<git dir>/opsbook/`, one per linked
    /// worktree), when it gets any: not in shallow or partial clones nor with grafts (what
    /// they know changes as they fetch), nor when `OPSBOOK_NO_GIT_CACHE` is set.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        cache::dir(self)
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
    ///
    /// Like `git status`, this writes the index back when its file stats were stale (a copied
    /// repository, a mass `touch`, a restored CI cache): the files had to be hashed once to
    /// learn that they did not change, and the next run then reads the stats instead of hashing
    /// every file again. When the index cannot be written (`index.lock` taken by another git
    /// command, a read-only repository), the status is read without writing, as before.
    fn local_changes(&self, facts: &mut Facts) -> Result<(), git2::Error> {
        let statuses = match self.statuses(true) {
            Ok(s) => s,
            Err(_) => self.statuses(false)?,
        };
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

    /// The status of the handbook's files; `refresh`: write refreshed index stats back.
    fn statuses(&self, refresh: bool) -> Result<git2::Statuses<'_>, git2::Error> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true)
            .renames_head_to_index(false)
            .update_index(refresh);
        if !self.prefix.is_empty() {
            opts.pathspec(self.prefix.trim_end_matches('/'));
        }
        self.repo.statuses(Some(&mut opts))
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_clones;
#[cfg(test)]
mod tests_graph;
#[cfg(test)]
mod tests_history;
#[cfg(test)]
mod tests_kinds;
