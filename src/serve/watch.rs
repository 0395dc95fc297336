//! Watching the handbook (the `notify` crate): every change under the handbook root, and the
//! parts of the repository that change what git says (HEAD, the index, ignore rules, the
//! mailmap), gathered until the changes pause.
//!
//! Events are debounced here rather than by a debouncer crate because the kind of event
//! matters: reading a file is an event too (inotify's open), and a session that took its own
//! reads for changes would rebuild forever; and a lost-events notice (a full queue) has no path
//! but must make the session look at everything again.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::Config;
use crate::error::Error;

use super::session::Batch;

/// Names that change what git says when they change.
const GIT_FILES: &[&str] = &[".gitignore", ".mailmap", ".git-blame-ignore-revs"];
/// A burst of changes is over after this long without one.
const MAX_WAIT: Duration = Duration::from_millis(1000);

/// Where to look, and what an event means.
#[derive(Debug, Clone)]
pub struct Places {
    /// The handbook root (real path).
    pub root: PathBuf,
    /// The build's output folder (real path): never a change.
    pub output: PathBuf,
    /// The repository's git folder and work tree, when the handbook is in one.
    pub git_dir: Option<PathBuf>,
    pub workdir: Option<PathBuf>,
}

impl Places {
    pub fn of(cfg: &Config, workdir: Option<&Path>) -> Places {
        let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let workdir = workdir.map(real);
        Places {
            root: real(&cfg.root),
            output: crate::discover::walk::resolved(&cfg.output_dir()),
            git_dir: workdir.as_deref().and_then(git_dir).map(|d| real(&d)),
            workdir,
        }
    }

    /// Add what an event at `path` means to `batch`.
    fn note(&self, path: &Path, batch: &mut Batch) {
        if let Some(git) = &self.git_dir
            && let Ok(rest) = path.strip_prefix(git)
        {
            // Objects come with a ref or index change; the cache is opsbook's own.
            let first = rest
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy());
            if !matches!(first.as_deref(), Some("objects" | "opsbook")) {
                batch.git = true;
            }
            return;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let git_file = name.as_deref().is_some_and(|n| GIT_FILES.contains(&n));
        // Ignore rules decide which files are the handbook's: they are all looked at again.
        let ignores = name.as_deref() == Some(".gitignore");
        if let Ok(rest) = path.strip_prefix(&self.root) {
            if path.starts_with(&self.output) && self.output != self.root {
                return;
            }
            batch.git |= git_file;
            batch.rescan |= ignores;
            let hidden = rest
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            if !hidden {
                batch.paths.insert(path.to_path_buf());
            }
        } else if self
            .workdir
            .as_deref()
            .is_some_and(|w| path.parent() == Some(w))
        {
            batch.git |= git_file;
            batch.rescan |= ignores;
        }
    }
}

/// The git folder of a work tree: `.git`, or where a `.git` file points (a linked work tree).
fn git_dir(workdir: &Path) -> Option<PathBuf> {
    let dot = workdir.join(".git");
    if dot.is_dir() {
        return Some(dot);
    }
    let text = std::fs::read_to_string(&dot).ok()?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    Some(workdir.join(target))
}

/// A running watch.
pub struct Watch {
    _watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    places: Places,
}

impl Watch {
    pub fn new(places: Places) -> Result<Watch, Error> {
        let (send, events) = channel();
        let fail =
            |e: notify::Error| Error::Usage(format!("cannot watch the handbook for changes: {e}"));
        let mut watcher = notify::recommended_watcher(move |e| {
            // The receiver is gone only once the session ends.
            let _ = send.send(e);
        })
        .map_err(fail)?;
        watcher
            .watch(&places.root, RecursiveMode::Recursive)
            .map_err(fail)?;
        for outside in [&places.git_dir, &places.workdir].into_iter().flatten() {
            if !outside.starts_with(&places.root) {
                // Best effort: a repository that cannot be watched still serves.
                let _ = watcher.watch(outside, RecursiveMode::NonRecursive);
            }
        }
        Ok(Watch {
            _watcher: watcher,
            events,
            places,
        })
    }

    /// The changes of the next burst: waits for a first change, then until changes pause
    /// for `quiet`. `None` once `stop` is set.
    pub fn next(&self, stop: &AtomicBool, quiet: Duration) -> Option<Batch> {
        let mut batch = Batch::default();
        let mut first: Option<Instant> = None;
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            let wait = match first {
                None => Duration::from_millis(100),
                Some(_) => quiet,
            };
            match self.events.recv_timeout(wait) {
                Ok(event) => {
                    let before = (batch.paths.len(), batch.git, batch.rescan);
                    self.take(event, &mut batch);
                    let noted = (batch.paths.len(), batch.git, batch.rescan) != before;
                    if noted && first.is_none() {
                        first = Some(Instant::now());
                    }
                    if first.is_some_and(|f| f.elapsed() >= MAX_WAIT) {
                        return Some(batch);
                    }
                }
                Err(RecvTimeoutError::Timeout) if first.is_some() => return Some(batch),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn take(&self, event: notify::Result<notify::Event>, batch: &mut Batch) {
        let event = match event {
            Ok(e) => e,
            // An error from the watcher: what changed is unknown.
            Err(_) => {
                batch.rescan = true;
                return;
            }
        };
        if event.need_rescan() {
            batch.rescan = true;
        }
        // Reading is not changing (opsbook reads what it is told changed); a file closed after
        // writing is.
        if let EventKind::Access(a) = event.kind
            && a != AccessKind::Close(AccessMode::Write)
        {
            return;
        }
        for p in &event.paths {
            self.places.note(p, batch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_events_mean() {
        let places = Places {
            root: PathBuf::from("/r/hb"),
            output: PathBuf::from("/r/hb/site"),
            git_dir: Some(PathBuf::from("/r/.git")),
            workdir: Some(PathBuf::from("/r")),
        };
        let note = |p: &str| {
            let mut b = Batch::default();
            places.note(Path::new(p), &mut b);
            (b.paths.len(), b.git)
        };
        let rescans = |p: &str| {
            let mut b = Batch::default();
            places.note(Path::new(p), &mut b);
            b.rescan
        };
        // Ignore rules, in the handbook or above it: every file is looked at again.
        assert!(rescans("/r/hb/guides/.gitignore"));
        assert!(rescans("/r/.gitignore"));
        assert!(!rescans("/r/.mailmap"));
        assert!(!rescans("/r/hb/roadmap/a.md"));
        assert_eq!(note("/r/hb/roadmap/a.md"), (1, false));
        assert_eq!(note("/r/hb/static/logo.png"), (1, false));
        assert_eq!(note("/r/hb/site/index.html"), (0, false));
        assert_eq!(note("/r/hb/.a.md.swp"), (0, false));
        assert_eq!(note("/r/hb/guides/.gitignore"), (0, true));
        assert_eq!(note("/r/.git/HEAD"), (0, true));
        assert_eq!(note("/r/.git/index"), (0, true));
        assert_eq!(note("/r/.git/objects/ab/cdef"), (0, false));
        assert_eq!(note("/r/.git/opsbook/cache"), (0, false));
        assert_eq!(note("/r/.mailmap"), (0, true));
        assert_eq!(note("/r/README.md"), (0, false));
        assert_eq!(note("/elsewhere/x.md"), (0, false));
    }
}
