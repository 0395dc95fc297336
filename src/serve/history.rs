//! Git facts for a serve session: the history pass runs once, and again only when HEAD or the
//! index may have moved; each rebuild in between asks git only which files differ from HEAD
//! (the work tree's status, without walking a commit).
//!
//! The facts equal a build's: the history as of HEAD, with files marked modified locally or
//! new by the status. A quick status leaves out files deleted from the index (`git rm
//! --cached`, or `git rm` before the file is made again), which a whole pass marks as modified:
//! those the whole pass marked stay marked until the next one, and the session runs a whole
//! pass when a committed file it had not seen comes back (`rm` then a new file at that path).

use std::collections::BTreeSet;

use crate::config::Config;
use crate::error::Error;
use crate::git::{Facts, ReadOptions, Repo};

/// The git side of a session.
#[derive(Debug, Default)]
pub struct GitState {
    /// The last whole pass's history, with the marks of `marked`.
    facts: Option<Facts>,
    /// The files marked now: the quick status's, and `sticky`.
    marked: BTreeSet<String>,
    /// Files the last whole pass marked that the quick status does not list.
    sticky: BTreeSet<String>,
    /// Whole passes so far.
    passes: u64,
    /// Changes of the facts so far (whole passes and marks).
    version: u64,
    /// Files whose marks changed since [`GitState::take_marks`] was last asked.
    remarked: BTreeSet<String>,
}

impl GitState {
    /// Bring the facts up to date for a rebuild ([`GitState::facts`]). `whole`: HEAD or the
    /// index may have changed (or nothing is known yet): run the whole pass.
    pub fn refresh(&mut self, cfg: &Config, whole: bool) -> Result<(), Error> {
        let Some(repo) = Repo::open(&cfg.root)? else {
            if self.facts.is_some() {
                // The repository is gone: so are its facts.
                *self = GitState {
                    passes: self.passes + 1,
                    version: self.version + 1,
                    ..GitState::default()
                };
            }
            return Ok(());
        };
        // HEAD and the status only: no commit is walked.
        let quick = repo.facts(
            cfg,
            &ReadOptions {
                skip_history: true,
                stop_after: Some(BTreeSet::new()),
                ..ReadOptions::default()
            },
        )?;
        let moved = self.facts.as_ref().is_none_or(|f| f.head != quick.head);
        if whole || moved {
            let mut history = repo.facts(cfg, &ReadOptions::default())?;
            self.sticky = history
                .files
                .iter()
                .filter(|(p, f)| f.modified_locally && !quick.new_files.contains(*p))
                .filter(|(p, _)| cfg.root.join(p).exists())
                .map(|(p, _)| p.clone())
                .collect();
            for f in history.files.values_mut() {
                f.modified_locally = false;
            }
            history.new_files.clear();
            self.facts = Some(history);
            self.marked.clear();
            self.passes += 1;
            self.version += 1;
        }
        let target: BTreeSet<String> = quick.new_files.union(&self.sticky).cloned().collect();
        if target != self.marked
            && let Some(facts) = &mut self.facts
        {
            // In place: the history's marks are all off, so marks come and go one by one.
            for p in self.marked.difference(&target) {
                match facts.files.get_mut(p) {
                    Some(f) => f.modified_locally = false,
                    None => {
                        facts.new_files.remove(p);
                    }
                }
            }
            for p in target.difference(&self.marked) {
                match facts.files.get_mut(p) {
                    Some(f) => f.modified_locally = true,
                    None => {
                        facts.new_files.insert(p.clone());
                    }
                }
            }
            self.remarked
                .extend(self.marked.symmetric_difference(&target).cloned());
            self.marked = target;
            self.version += 1;
        }
        Ok(())
    }

    /// What a build would read now; `None` when the handbook is not in a repository.
    pub fn facts(&self) -> Option<&Facts> {
        self.facts.as_ref()
    }

    /// Which whole pass the facts come from: it changes when the history may have.
    pub fn passes(&self) -> u64 {
        self.passes
    }

    /// The files whose marks (modified locally, new) changed since the last call.
    pub fn take_marks(&mut self) -> BTreeSet<String> {
        std::mem::take(&mut self.remarked)
    }

    /// Which facts these are: it changes whenever they do.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Whether the last whole pass knew `path` as a committed file.
    pub fn committed(&self, path: &str) -> bool {
        self.facts
            .as_ref()
            .is_some_and(|h| h.files.contains_key(path))
    }
}
