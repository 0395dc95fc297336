//! Walking a folder of the handbook without ever leaving the handbook root.
//!
//! Every folder that reads files from the handbook — the content, `static/`, `templates/` — is
//! walked here, so one set of rules decides what is read:
//!
//! - Hidden entries (a name starting with `.`: `.git`, `.env`, an editor's `.#x.md` lock link)
//!   are skipped without even being looked at.
//! - A symbolic link is followed only when its real target lies inside the handbook root and no
//!   part of that real path below the root is hidden. A link that leads out of the root is
//!   skipped with a `symlink-outside` warning naming the link; a link that points at nothing or
//!   at itself (a loop), a link into a hidden file or folder, a link to a folder that holds the
//!   link (the walk would never end) and a folder link met inside a linked folder are skipped
//!   with a `symlink-skipped` warning. (The last rule keeps a walk finite and small: each folder
//!   link adds at most one more walk of its target.)
//! - Only regular files are returned (FIFOs, sockets and devices are never opened), by their
//!   real path, which is inside the root.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::rules::Rule;

/// A regular file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path relative to the handbook root, with `/`, by the names it was reached through.
    pub rel: String,
    /// The real path to read: canonical and inside the handbook root.
    pub path: PathBuf,
}

/// What a walk found: regular files sorted by `rel`, and a warning for each symbolic link it
/// did not follow.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<Found>,
    pub skipped: Vec<Diagnostic>,
}

/// A folder still to read.
struct Dir {
    /// Its real path.
    real: PathBuf,
    rel: String,
    /// Reached through a folder link: folder links inside it are not followed.
    linked: bool,
}

/// Leaves out entries of the caller's own: `skip(rel, real, is_dir)`.
pub type Skip<'a> = dyn Fn(&str, &Path, bool) -> bool + 'a;

/// Walk `root/start` (`start` is root-relative; empty for the whole root). `skip(rel, real,
/// is_dir)` leaves out entries of the caller's own (e.g. the output folder, ignored paths); it
/// is asked about every entry by the path it was reached through and, for a link, by its
/// target's real path as well.
pub fn walk(root: &Path, start: &str, skip: &Skip) -> Result<Walked, Error> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut walked = Walked::default();
    let mut stack = Vec::new();
    if start.is_empty() {
        stack.push(Dir {
            real: root.clone(),
            rel: String::new(),
            linked: false,
        });
    } else {
        let entry = Entry {
            path: root.join(start),
            rel: start.to_string(),
            kind: None,
        };
        visit(&root, entry, false, skip, &mut walked, &mut stack)?;
    }
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir.real) {
            Ok(entries) => entries,
            // Removed while the walk ran: nothing to read.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::Read {
                    path: dir.real,
                    source,
                });
            }
        };
        let mut subdirs = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| Error::Read {
                path: dir.real.clone(),
                source,
            })?;
            let os_name = entry.file_name();
            let name = os_name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let rel = if dir.rel.is_empty() {
                name.into_owned()
            } else {
                format!("{}/{name}", dir.rel)
            };
            let entry = Entry {
                path: dir.real.join(&os_name),
                rel,
                // From the folder listing: no `stat` on most file systems.
                kind: entry.file_type().ok(),
            };
            visit(&root, entry, dir.linked, skip, &mut walked, &mut subdirs)?;
        }
        stack.extend(subdirs);
    }
    walked.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    walked.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walked)
}

/// One entry of a folder.
struct Entry {
    path: PathBuf,
    rel: String,
    /// Its type (a link is a link), when the folder listing gave it.
    kind: Option<fs::FileType>,
}

/// Classify one entry: a file is recorded, a folder to read is pushed onto `dirs`, a link that
/// is not followed gets its warning.
fn visit(
    root: &Path,
    entry: Entry,
    in_linked: bool,
    skip: &Skip,
    walked: &mut Walked,
    dirs: &mut Vec<Dir>,
) -> Result<(), Error> {
    let Entry { path, rel, kind } = entry;
    let kind = match kind.map_or_else(|| fs::symlink_metadata(&path).map(|m| m.file_type()), Ok) {
        Ok(kind) => kind,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Error::Read { path, source }),
    };
    // A link is asked about as a file first (no warning for a link left out anyway), then as
    // what it leads to.
    if skip(&rel, &path, kind.is_dir()) {
        return Ok(());
    }
    if kind.is_file() {
        walked.files.push(Found { rel, path });
    } else if kind.is_dir() {
        dirs.push(Dir {
            real: path,
            rel,
            linked: in_linked,
        });
    } else if kind.is_symlink() {
        let real = match follow(root, &path) {
            Ok(real) => real,
            Err(why) => {
                walked.skipped.push(why.diagnostic(&rel, &path));
                return Ok(());
            }
        };
        let real_rel = super::relative(root, &real).unwrap_or_default();
        let Ok(target) = fs::metadata(&real) else {
            return Ok(()); // gone since: nothing to read
        };
        if (target.is_dir() && skip(&rel, &path, true)) || skip(&real_rel, &real, target.is_dir()) {
            return Ok(());
        }
        if target.is_file() {
            walked.files.push(Found { rel, path: real });
        } else if target.is_dir() {
            let holder = path.parent().unwrap_or(root);
            let why = if holder.starts_with(&real) {
                Some(NotFollowed::Ancestor)
            } else if in_linked {
                Some(NotFollowed::Nested)
            } else {
                None
            };
            match why {
                Some(why) => walked.skipped.push(why.diagnostic(&rel, &path)),
                None => dirs.push(Dir {
                    real,
                    rel,
                    linked: true,
                }),
            }
        }
    }
    // FIFOs, sockets and devices are never opened.
    Ok(())
}

/// Why a symbolic link is not followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotFollowed {
    /// Its target does not exist, or links loop.
    Dangling,
    /// Its target lies outside the handbook root.
    Outside,
    /// Its target is hidden, or inside a hidden folder, below the root.
    Hidden,
    /// It leads to a folder that holds the link itself.
    Ancestor,
    /// A folder link found inside a folder reached through a link.
    Nested,
}

impl NotFollowed {
    /// The warning for the link at `rel` (its file-system path is `path`).
    fn diagnostic(self, rel: &str, path: &Path) -> Diagnostic {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_else(|_| "?".into());
        let (rule, why, help) = match self {
            NotFollowed::Outside => (
                Rule::SymlinkOutside,
                format!("leads to `{target}`, outside the handbook root"),
                "opsbook reads and publishes only files inside the handbook root: copy the \
                 file into the handbook instead of linking to it",
            ),
            NotFollowed::Dangling => (
                Rule::SymlinkSkipped,
                format!("leads to `{target}`, which does not exist (or links loop)"),
                "remove the link, or point it at an existing file",
            ),
            NotFollowed::Hidden => (
                Rule::SymlinkSkipped,
                format!("leads to `{target}`, a hidden file or folder"),
                "hidden files are never read or published, not even through a link",
            ),
            NotFollowed::Ancestor => (
                Rule::SymlinkSkipped,
                format!("leads to `{target}`, a folder that holds the link (a loop)"),
                "remove the link",
            ),
            NotFollowed::Nested => (
                Rule::SymlinkSkipped,
                format!("leads to the folder `{target}` from inside a linked folder"),
                "a folder link inside a folder reached through a link is not followed: link \
                 the inner folder directly",
            ),
        };
        Diagnostic::new(rule, rel, None)
            .message(format!(
                "`{rel}` is a symbolic link that is not followed: it {why}"
            ))
            .help(help)
    }
}

/// The real path of the link `path`, when it may be read: it exists and lies inside `root`
/// (canonical) with no hidden part below it.
pub fn follow(root: &Path, path: &Path) -> Result<PathBuf, NotFollowed> {
    let real = path.canonicalize().map_err(|_| NotFollowed::Dangling)?;
    let below = real.strip_prefix(root).map_err(|_| NotFollowed::Outside)?;
    let hidden = below.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => true,
    });
    if hidden {
        return Err(NotFollowed::Hidden);
    }
    Ok(real)
}

/// The real path of the regular file `root/rel`, when it may be read and published: `rel` has
/// no hidden part, and following any symbolic link on the way stays inside the root with no
/// hidden part either. `None` for anything else (missing, a folder, a FIFO, ...).
pub fn real_file(root: &Path, rel: &str) -> Option<PathBuf> {
    let root = root.canonicalize().ok()?;
    let hidden = |p: &str| p.is_empty() || p == "." || p == ".." || p.starts_with('.');
    if rel.split('/').any(hidden) {
        return None;
    }
    let real = follow(&root, &root.join(rel)).ok()?;
    fs::metadata(&real)
        .ok()
        .filter(fs::Metadata::is_file)
        .map(|_| real)
}

/// `path` made absolute without `.`/`..`, with its longest existing prefix canonicalized.
pub fn resolved(path: &Path) -> PathBuf {
    let mut lexical = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(name)) => {
                rest.push(name.to_os_string());
                existing = p;
            }
            _ => return lexical,
        }
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_path_buf());
    out.extend(rest.iter().rev());
    out
}

#[cfg(all(test, unix))]
mod tests;
