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
    /// The last whole pass, with the status's marks taken off.
    history: Option<Facts>,
    /// Files the last whole pass marked that the quick status does not list.
    sticky: BTreeSet<String>,
    /// The quick status the current facts were made with.
    status: BTreeSet<String>,
    /// History and status together: what a build would read now.
    facts: Option<Facts>,
    /// Whole passes so far.
    passes: u64,
}

impl GitState {
    /// Bring the facts up to date for a rebuild ([`GitState::facts`]). `whole`: HEAD or the
    /// index may have changed (or nothing is known yet): run the whole pass.
    pub fn refresh(&mut self, cfg: &Config, whole: bool) -> Result<(), Error> {
        let Some(repo) = Repo::open(&cfg.root)? else {
            // No repository (any more): facts that were there are gone.
            *self = GitState {
                passes: self.passes + u64::from(self.history.is_some()),
                ..GitState::default()
            };
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
        let moved = self.history.as_ref().is_none_or(|h| h.head != quick.head);
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
            self.history = Some(history);
            self.facts = None;
            self.passes += 1;
        }
        if self.facts.is_none() || self.status != quick.new_files {
            let mut facts = self.history.clone().unwrap_or_default();
            for path in quick.new_files.iter().chain(&self.sticky) {
                match facts.files.get_mut(path) {
                    Some(f) => f.modified_locally = true,
                    None => {
                        facts.new_files.insert(path.clone());
                    }
                }
            }
            self.status = quick.new_files;
            self.facts = Some(facts);
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

    /// Whether the last whole pass knew `path` as a committed file.
    pub fn committed(&self, path: &str) -> bool {
        self.history
            .as_ref()
            .is_some_and(|h| h.files.contains_key(path))
    }
}
