//! One build at a time per output folder, and a swap of the new site for the old one that a
//! crash never leaves half done.
//!
//! Next to the output folder `<name>` (in its parent folder) a build uses:
//!
//! - `.opsbook-<name>.lock`: a lock file held (with the operating system's file lock) for the
//!   whole build and removed at its end. A second build into the same folder stops at once with
//!   "another build is running (pid N)". The lock dies with its process, so a lock file left by
//!   a killed build is simply taken over.
//! - `.opsbook-<name>-new-<pid>`: the new site, written in full before the swap.
//! - `.opsbook-<name>-old-<pid>`: the previous site, moved aside during the swap and removed
//!   after it.
//!
//! A build killed half way leaves these folders behind. The next build, once it holds the lock
//! (so no live build can be using them), cleans them up: when the output folder is missing — a
//! kill between the two renames of the swap — it first moves the previous site back from
//! `-old-<pid>`, then removes every other leftover. Only real folders with exactly these names are
//! touched; a symbolic link or a file with such a name is left alone.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::write_err;
use crate::error::Error;

/// The lock on one output folder; released (and its file removed) when dropped.
#[derive(Debug)]
pub(super) struct Lock {
    /// The open lock file and its path (`None` once dropped).
    held: Option<(File, PathBuf)>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some((file, path)) = self.held.take() {
            // Removed while still held: a build that opened the file before can lock it only
            // after this, and then sees that the path no longer names it (and starts over).
            #[cfg(unix)]
            let _ = fs::remove_file(&path);
            drop(file);
        }
    }
}

/// The parent folder and the file name of `out`.
fn parts(out: &Path) -> (&Path, String) {
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

/// `.opsbook-<name>-new-<pid>` and `.opsbook-<name>-old-<pid>` next to `out`, for this process.
pub(super) fn temp_folders(out: &Path) -> (PathBuf, PathBuf) {
    let (parent, name) = parts(out);
    let pid = std::process::id();
    (
        parent.join(format!(".opsbook-{name}-new-{pid}")),
        parent.join(format!(".opsbook-{name}-old-{pid}")),
    )
}

fn refused(out: &Path, reason: String) -> Error {
    Error::Output {
        path: out.to_path_buf(),
        reason,
    }
}

/// Take the lock on `out` (its parent folder must exist), then put back a site a crashed build
/// left moved aside and remove the temporary folders of dead builds.
pub(super) fn lock(out: &Path) -> Result<Lock, Error> {
    let lock = take(out)?;
    recover(out)?;
    Ok(lock)
}

fn take(out: &Path) -> Result<Lock, Error> {
    let (parent, name) = parts(out);
    let path = parent.join(format!(".opsbook-{name}.lock"));
    // A few rounds: each lost one means another build removed the file as it finished.
    for _ in 0..8 {
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(refused(
                out,
                format!(
                    "its lock {} is not a regular file; remove it",
                    path.display()
                ),
            ));
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(write_err(&path))?;
        match file.try_lock() {
            Err(TryLockError::WouldBlock) => {
                let pid = match holder(&mut file) {
                    Some(pid) => format!(" (pid {pid})"),
                    None => String::new(),
                };
                return Err(refused(
                    out,
                    format!("another build is running{pid}; wait for it to finish"),
                ));
            }
            // A file system without file locks: the build runs unlocked (the file still names
            // the build, and is removed at its end).
            Err(TryLockError::Error(e)) if e.kind() == ErrorKind::Unsupported => {}
            Err(TryLockError::Error(e)) => return Err(write_err(&path)(e)),
            Ok(()) if !names(&path, &file) => continue,
            Ok(()) => {}
        }
        file.set_len(0)
            .and_then(|()| writeln!(file, "{}", std::process::id()))
            .map_err(write_err(&path))?;
        return Ok(Lock {
            held: Some((file, path)),
        });
    }
    Err(refused(
        out,
        format!("could not take its lock {}", path.display()),
    ))
}

/// The process id in a lock file held by another build. That build writes it just after taking
/// the lock: give it a moment (at most 0.2 s).
fn holder(file: &mut File) -> Option<u32> {
    for _ in 0..20 {
        let mut text = String::new();
        let read = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut text));
        if let Some(pid) = read.ok().and_then(|_| text.trim().parse().ok()) {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

/// Whether `path` still names the open `file` (and is not a link).
#[cfg(unix)]
fn names(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.is_file() && a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Whether `path` still names a regular file (the lock file is never removed off Unix).
#[cfg(not(unix))]
fn names(path: &Path, _file: &File) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// A leftover temporary folder of `out`: `(path, is the previous site)`.
fn leftovers(out: &Path) -> Result<Vec<(PathBuf, bool)>, Error> {
    let (parent, name) = parts(out);
    let prefix = format!(".opsbook-{name}-");
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Read {
                path: parent.to_path_buf(),
                source,
            });
        }
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let (old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("new-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
        // `DirEntry::file_type` does not follow links: a link is never taken for a folder.
        if digits && entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.push((entry.path(), old));
        }
    }
    found.sort();
    Ok(found)
}

/// Put back a previous site that a killed build left moved aside, and remove every other
/// temporary folder of `out`. Only called under the lock: no live build uses them.
fn recover(out: &Path) -> Result<(), Error> {
    let mut found = leftovers(out)?;
    let missing = matches!(fs::symlink_metadata(out), Err(e) if e.kind() == ErrorKind::NotFound);
    if missing && let Some(i) = found.iter().position(|(_, old)| *old) {
        let (previous, _) = found.remove(i);
        fs::rename(&previous, out).map_err(write_err(out))?;
    }
    for (path, _) in found {
        fs::remove_dir_all(&path).map_err(write_err(&path))?;
    }
    Ok(())
}

/// Swap the complete new site `tmp` in for `out` (moved aside to `old`, then removed).
pub(super) fn swap_in(tmp: &Path, out: &Path, old: &Path) -> Result<(), Error> {
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(tmp, out).map_err(write_err(out));
    }
    if let Err(e) = fs::rename(out, old) {
        let _ = fs::remove_dir_all(tmp);
        return Err(write_err(out)(e));
    }
    // A crash right here leaves no `out`: the next build moves `old` back first (`recover`).
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(old, out);
        let _ = fs::remove_dir_all(tmp);
        return Err(write_err(out)(e));
    }
    fs::remove_dir_all(old).map_err(write_err(old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &Path, page: &str) {
        fs::create_dir_all(path).unwrap();
        fs::write(path.join("index.html"), page).unwrap();
    }

    #[test]
    fn a_second_lock_is_refused_and_a_released_one_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = lock(&out).unwrap();
        let lock_file = dir.path().join(".opsbook-site.lock");
        assert_eq!(
            fs::read_to_string(&lock_file).unwrap().trim(),
            std::process::id().to_string()
        );
        let err = lock(&out).unwrap_err().to_string();
        assert!(
            err.contains(&format!(
                "another build is running (pid {})",
                std::process::id()
            )),
            "{err}"
        );
        drop(first);
        if cfg!(unix) {
            assert!(
                !lock_file.exists(),
                "the lock file is removed with the lock"
            );
        }
        // A lock file left by a killed build (nobody holds it) is taken over.
        fs::write(&lock_file, "999999999\n").unwrap();
        let again = lock(&out).unwrap();
        assert_eq!(
            fs::read_to_string(&lock_file).unwrap().trim(),
            std::process::id().to_string()
        );
        drop(again);
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_planted_as_a_link_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("precious"), "keep").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("precious"),
            dir.path().join(".opsbook-site.lock"),
        )
        .unwrap();
        let err = lock(&dir.path().join("site")).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("precious")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn recovery_puts_the_previous_site_back_and_removes_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        // A build killed between its two renames: no `site`, the previous site aside, the new
        // one complete; and leftovers of older crashes.
        site(&dir.path().join(".opsbook-site-old-41"), "previous");
        site(&dir.path().join(".opsbook-site-new-41"), "new");
        site(&dir.path().join(".opsbook-site-new-7"), "partial");
        // Not ours: other names, another output's folders, and a link with our pattern.
        site(&dir.path().join(".opsbook-site-new-7x"), "mine");
        site(&dir.path().join(".opsbook-public-old-3"), "other output");
        site(&dir.path().join("keep"), "kept");
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            dir.path().join("keep"),
            dir.path().join(".opsbook-site-old-1"),
        )
        .unwrap();
        drop(lock(&out).unwrap());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = vec![
            ".opsbook-public-old-3",
            ".opsbook-site-new-7x",
            "keep",
            "site",
        ];
        if cfg!(unix) {
            expected.insert(2, ".opsbook-site-old-1");
        }
        assert_eq!(left, expected);
        assert_eq!(
            fs::read_to_string(dir.path().join("keep/index.html")).unwrap(),
            "kept"
        );
        // With the site in place, a stale previous site is only removed.
        site(&dir.path().join(".opsbook-site-old-9"), "stale");
        drop(lock(&out).unwrap());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!dir.path().join(".opsbook-site-old-9").exists());
    }
}
