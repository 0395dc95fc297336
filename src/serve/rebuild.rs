//! What goes into a rebuild (what the watcher saw) and what comes out of it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diagnostic::{Counts, Diagnostic};

use super::output::Committed;

/// What the watcher saw since the last rebuild.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    /// Paths that changed (under the handbook root).
    pub paths: BTreeSet<PathBuf>,
    /// Events may have been lost: look at everything again.
    pub rescan: bool,
    /// The repository's HEAD, index or ignore rules may have changed.
    pub git: bool,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The session's first build.
    pub first: bool,
    /// Root-relative paths of the files that changed.
    pub changed: Vec<String>,
    /// Findings in the handbook (the site is not updated while there are errors).
    pub counts: Counts,
    /// The errors that keep the site from being updated.
    pub errors: Vec<Diagnostic>,
    /// Why the rebuild could not run at all (a config that cannot be read, a file that
    /// cannot be read, a template that fails), as `error` and `caused by` lines.
    pub failure: Option<Vec<String>>,
    /// Files made (rendered or copied); `None` when the site was not updated.
    pub rendered: Option<usize>,
    /// The whole site was made again.
    pub whole: bool,
    /// What changed in the served folder.
    pub committed: Committed,
    pub millis: u128,
}

impl Outcome {
    /// The site as served changed.
    pub fn served_changed(&self) -> bool {
        self.committed != Committed::default()
    }
}
