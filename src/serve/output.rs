//! The folder a serve session serves: a temporary folder of its own (never the handbook, never
//! the build's output folder), removed when the session ends.
//!
//! A rebuild writes only the files whose bytes changed, first into a staging folder beside the
//! served one; only when the whole rebuild succeeded are they moved in (each move replaces one
//! file at once, so a request never reads half a file) and the files the site no longer has
//! removed. A rebuild that fails leaves the served pages as they were.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error::Error;
use crate::render::{OutputFile, Sink};

/// The served folder and what is in it.
#[derive(Debug)]
pub struct SiteDir {
    /// Holds both folders; removed with the session.
    _temp: tempfile::TempDir,
    live: PathBuf,
    stage: PathBuf,
    /// The served files, by site path.
    files: HashSet<String>,
}

/// The files of one rebuild, staged: only those whose bytes differ from the served file.
pub struct Staging<'a> {
    dir: &'a SiteDir,
    /// Files whose bytes changed, by site path.
    staged: Mutex<Vec<String>>,
    made: Mutex<HashSet<PathBuf>>,
    /// Files given, changed or not.
    pub given: AtomicUsize,
}

/// The files of a finished rebuild, ready to move in.
pub struct Staged(Vec<String>);

/// What a commit changed in the served folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Committed {
    pub written: usize,
    pub removed: usize,
}

impl SiteDir {
    pub fn new() -> Result<SiteDir, Error> {
        let temp = tempfile::Builder::new()
            .prefix("opsbook-serve-")
            .tempdir()
            .map_err(|source| Error::Write {
                path: std::env::temp_dir(),
                source,
            })?;
        let live = temp.path().join("site");
        fs::create_dir(&live).map_err(write_err(&live))?;
        // Served by its real path: a temporary folder reached through a link is still ours.
        let live = live.canonicalize().map_err(write_err(&live))?;
        let stage = live.with_file_name("stage");
        Ok(SiteDir {
            _temp: temp,
            live,
            stage,
            files: HashSet::new(),
        })
    }

    /// The served folder.
    pub fn live(&self) -> &Path {
        &self.live
    }

    /// Whether the site has a file at `rel`.
    pub fn has(&self, rel: &str) -> bool {
        self.files.contains(rel)
    }

    /// Start a rebuild.
    pub fn begin(&self) -> Result<Staging<'_>, Error> {
        if self.stage.exists() {
            fs::remove_dir_all(&self.stage).map_err(write_err(&self.stage))?;
        }
        fs::create_dir(&self.stage).map_err(write_err(&self.stage))?;
        Ok(Staging {
            dir: self,
            staged: Mutex::new(Vec::new()),
            made: Mutex::new(HashSet::new()),
            given: AtomicUsize::new(0),
        })
    }

    /// Move the staged files in and remove every served file not in `site` (every path of
    /// the new site).
    pub fn commit(&mut self, staged: Staged, site: &HashSet<String>) -> Result<Committed, Error> {
        let files = staged.0;
        let mut done = Committed::default();
        // Gone files first: a folder may become a file of the same name.
        let gone: Vec<String> = self
            .files
            .iter()
            .filter(|rel| !site.contains(*rel))
            .cloned()
            .collect();
        for rel in gone {
            let path = self.live.join(&rel);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(write_err(&path)(e));
                }
                _ => {}
            }
            remove_empty_parents(&self.live, &path);
            self.files.remove(&rel);
            done.removed += 1;
        }
        let mut made = HashSet::new();
        for rel in files {
            let to = self.live.join(&rel);
            if let Some(parent) = to.parent()
                && made.insert(parent.to_path_buf())
            {
                fs::create_dir_all(parent).map_err(write_err(parent))?;
            }
            let from = self.stage.join(&rel);
            fs::rename(&from, &to).map_err(write_err(&to))?;
            self.files.insert(rel);
            done.written += 1;
        }
        let _ = fs::remove_dir_all(&self.stage);
        Ok(done)
    }

    /// Drop a failed rebuild's files.
    pub fn abort(&self) {
        let _ = fs::remove_dir_all(&self.stage);
    }
}

impl Staging<'_> {
    /// The rebuild is done: the files to move in.
    pub fn finish(self) -> Staged {
        Staged(self.staged.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Sink for Staging<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Error> {
        self.given.fetch_add(1, Ordering::Relaxed);
        let rel = file.rel_path;
        if !is_plain(&rel) {
            return Err(Error::Output {
                path: PathBuf::from(&rel),
                reason: "a site path must be relative and must not climb out".into(),
            });
        }
        if self.dir.files.contains(&rel) && same_bytes(&self.dir.live.join(&rel), &file.bytes) {
            return Ok(());
        }
        let path = self.dir.stage.join(&rel);
        if let Some(parent) = path.parent() {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if made.insert(parent.to_path_buf()) {
                fs::create_dir_all(parent).map_err(write_err(parent))?;
            }
        }
        fs::write(&path, &file.bytes).map_err(write_err(&path))?;
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel);
        Ok(())
    }
}

/// A relative path of plain names.
fn is_plain(rel: &str) -> bool {
    !rel.is_empty()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Whether the file at `path` holds exactly `bytes` (compared, not hashed: the served site
/// must be byte for byte what a build writes).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Remove the folders above `path` that became empty, up to `live`.
fn remove_empty_parents(live: &Path, path: &Path) {
    let mut at = path.parent();
    while let Some(dir) = at {
        if dir == live || !dir.starts_with(live) || fs::remove_dir(dir).is_err() {
            break;
        }
        at = dir.parent();
    }
}

fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(s: &Staging, rel: &str, text: &str) {
        s.put(OutputFile {
            rel_path: rel.into(),
            bytes: text.into(),
        })
        .unwrap();
    }

    #[test]
    fn only_changed_files_are_written_and_gone_ones_removed() {
        let mut dir = SiteDir::new().unwrap();
        let s = dir.begin().unwrap();
        put(&s, "index.html", "home");
        put(&s, "a/b.html", "b");
        let site: HashSet<String> = ["index.html", "a/b.html"].map(String::from).into();
        assert_eq!(
            dir.commit(s.finish(), &site).unwrap(),
            Committed {
                written: 2,
                removed: 0
            }
        );
        assert_eq!(
            fs::read_to_string(dir.live().join("a/b.html")).unwrap(),
            "b"
        );
        let s = dir.begin().unwrap();
        put(&s, "index.html", "home");
        put(&s, "c.html", "c");
        let site: HashSet<String> = ["index.html", "c.html"].map(String::from).into();
        assert_eq!(
            dir.commit(s.finish(), &site).unwrap(),
            Committed {
                written: 1,
                removed: 1
            }
        );
        assert!(!dir.live().join("a").exists(), "the emptied folder is gone");
        assert!(dir.has("c.html") && !dir.has("a/b.html"));
    }

    #[test]
    fn an_aborted_rebuild_changes_nothing() {
        let mut dir = SiteDir::new().unwrap();
        let s = dir.begin().unwrap();
        put(&s, "index.html", "one");
        dir.commit(s.finish(), &["index.html".to_string()].into())
            .unwrap();
        let s = dir.begin().unwrap();
        put(&s, "index.html", "two");
        drop(s);
        dir.abort();
        assert_eq!(
            fs::read_to_string(dir.live().join("index.html")).unwrap(),
            "one"
        );
    }

    #[test]
    fn site_paths_never_climb_out() {
        let dir = SiteDir::new().unwrap();
        let s = dir.begin().unwrap();
        for bad in ["../x.html", "/etc/x", "a/../../x", ""] {
            let r = s.put(OutputFile {
                rel_path: bad.into(),
                bytes: Vec::new(),
            });
            assert!(r.is_err(), "{bad}");
        }
    }

    #[test]
    fn the_folder_is_removed_with_the_session() {
        let dir = SiteDir::new().unwrap();
        let live = dir.live().to_path_buf();
        assert!(live.is_dir());
        drop(dir);
        assert!(!live.exists());
    }
}
