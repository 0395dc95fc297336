//! Which handbook files the site publishes as they are (images, PDFs, the `static/` folder).
//!
//! One predicate, [`Published::asset`], decides it: the build copies a file only when it says
//! yes, and `check` accepts a link to a file only when it says yes, so a link `check` accepts
//! never leads to a file the build left out. Nothing is read through a symbolic link that leads
//! out of the handbook root: such a path is answered from its resolved location alone.

use std::fs;
use std::path::{Component, Path, PathBuf};

pub use crate::discover::walk::resolved;

use crate::discover;

/// Why a file or folder of the handbook is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotPublished {
    /// A part of its path starts with `.` (`.env`, `.git/config`, `.github/`), as written or
    /// once symbolic links are resolved.
    Hidden,
    /// A symbolic link on its path leads out of the handbook root.
    OutsideRoot,
    /// It lies in the output folder, which every build replaces.
    Output,
    /// Neither a regular file nor a folder: a FIFO, a socket, a device.
    NotRegular,
    /// A Markdown file or `org.yml` that opsbook does not render as a document (one under
    /// `templates/` or `node_modules/`): sources are rendered, never copied as they are.
    Source,
    /// `ignore:` in `opsbook.yml` leaves it out.
    Ignored,
}

impl NotPublished {
    /// Why, in words that end "…, which the site does not publish".
    pub fn describe(self) -> &'static str {
        match self {
            NotPublished::Hidden => "a hidden file or folder",
            NotPublished::OutsideRoot => "a symbolic link that leads out of the handbook root",
            NotPublished::Output => "in the output folder",
            NotPublished::NotRegular => "not a regular file (a FIFO, socket or device)",
            NotPublished::Source => "a Markdown source opsbook does not read as a document",
            NotPublished::Ignored => "left out by `ignore:` in opsbook.yml",
        }
    }
}

/// What is at a root-relative path, as the site sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Nothing (a dangling symbolic link included).
    Missing,
    /// A folder inside the root.
    Folder,
    /// A file the site publishes at the same path; read it from this real path (no symbolic
    /// link left in it).
    File(PathBuf),
    /// A file or folder the site does not publish.
    NotPublished(NotPublished),
}

/// The handbook root and output folder, resolved once, to answer [`Published::entry`].
#[derive(Debug, Clone)]
pub struct Published {
    root: PathBuf,
    output: PathBuf,
    /// `ignore:` patterns of the config: what they leave out is not published.
    ignore: Option<ignore::gitignore::Gitignore>,
}

impl Published {
    /// `root` is the handbook root, `output` the folder the site is written to.
    pub fn new(root: &Path, output: &Path) -> Published {
        Published {
            root: resolved(root),
            output: resolved(output),
            ignore: None,
        }
    }

    /// Leave out what the `ignore:` patterns `patterns` match (they are read as `.gitignore`
    /// lines; `static/` is published whole all the same).
    pub fn with_ignore(mut self, patterns: &[String]) -> Published {
        if !patterns.is_empty() {
            let mut b = ignore::gitignore::GitignoreBuilder::new(&self.root);
            for p in patterns {
                let _ = b.add_line(None, p);
            }
            self.ignore = b.build().ok();
        }
        self
    }

    /// The predicate: the real path of `rel` when the site publishes it as a copy of itself.
    pub fn asset(&self, rel: &str) -> Option<PathBuf> {
        match self.entry(rel) {
            Entry::File(real) => Some(real),
            _ => None,
        }
    }

    /// What is at `rel`, a `/`-separated path relative to the root.
    pub fn entry(&self, rel: &str) -> Entry {
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        if parts
            .iter()
            .any(|p| *p == "." || *p == ".." || p.contains('\\'))
        {
            return Entry::NotPublished(NotPublished::OutsideRoot);
        }
        // `canonicalize` resolves symbolic links without opening any file.
        let Ok(real) = self.root.join(rel).canonicalize() else {
            return Entry::Missing;
        };
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Entry::NotPublished(NotPublished::OutsideRoot);
        };
        let hidden = |p: &str| p.starts_with('.');
        let hidden_inside = inside
            .components()
            .any(|c| matches!(c, Component::Normal(n) if hidden(&n.to_string_lossy())));
        if parts.iter().any(|p| hidden(p)) || hidden_inside {
            return Entry::NotPublished(NotPublished::Hidden);
        }
        if real.starts_with(&self.output) {
            return Entry::NotPublished(NotPublished::Output);
        }
        // No symbolic link is left in `real`: this is the file itself.
        let Ok(meta) = fs::symlink_metadata(&real) else {
            return Entry::Missing;
        };
        if meta.is_dir() {
            return Entry::Folder;
        }
        if !meta.is_file() {
            return Entry::NotPublished(NotPublished::NotRegular);
        }
        if discover::is_document(rel) && parts.first() != Some(&"static") {
            return Entry::NotPublished(NotPublished::Source);
        }
        if let Some(ignore) = &self.ignore
            && parts.first() != Some(&"static")
            && ignore.matched_path_or_any_parents(&real, false).is_ignore()
        {
            return Entry::NotPublished(NotPublished::Ignored);
        }
        Entry::File(real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook() -> (tempfile::TempDir, Published) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        for (rel, text) in [
            ("files/plan.txt", "plan"),
            ("static/logo.svg", "<svg/>"),
            ("static/notes.md", "# Notes"),
            ("guides/a.md", "# A"),
            ("templates/x.md", "x"),
            (".env", "SECRET=1"),
            (".git/config", "[core]"),
            ("site/index.html", "old"),
        ] {
            let p = root.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        fs::write(dir.path().join("host-secret"), "secret").unwrap();
        let published = Published::new(&root, &root.join("site"));
        (dir, published)
    }

    #[test]
    fn regular_visible_files_inside_the_root_are_published() {
        let (dir, p) = handbook();
        let root = dir.path().join("hb").canonicalize().unwrap();
        assert_eq!(
            p.entry("files/plan.txt"),
            Entry::File(root.join("files/plan.txt"))
        );
        assert!(p.asset("static/logo.svg").is_some());
        // `static/` is copied whole, Markdown included.
        assert!(p.asset("static/notes.md").is_some());
        assert_eq!(p.entry("files"), Entry::Folder);
        assert_eq!(p.entry("files/nope.txt"), Entry::Missing);
    }

    #[test]
    fn hidden_output_source_and_escaping_paths_are_not() {
        let (_dir, p) = handbook();
        let not = |rel: &str| match p.entry(rel) {
            Entry::NotPublished(why) => why,
            other => panic!("{rel}: {other:?}"),
        };
        assert_eq!(not(".env"), NotPublished::Hidden);
        assert_eq!(not(".git/config"), NotPublished::Hidden);
        assert_eq!(not(".git"), NotPublished::Hidden);
        assert_eq!(not("site/index.html"), NotPublished::Output);
        assert_eq!(not("site"), NotPublished::Output);
        assert_eq!(not("guides/a.md"), NotPublished::Source);
        assert_eq!(not("templates/x.md"), NotPublished::Source);
        assert_eq!(not("../host-secret"), NotPublished::OutsideRoot);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_count_where_they_lead() {
        use std::os::unix::fs::symlink;
        let (dir, p) = handbook();
        let root = dir.path().join("hb");
        symlink(dir.path().join("host-secret"), root.join("files/out.txt")).unwrap();
        symlink(dir.path(), root.join("up")).unwrap();
        symlink(root.join(".env"), root.join("files/env.txt")).unwrap();
        symlink(root.join("files/plan.txt"), root.join("files/same.txt")).unwrap();
        symlink(root.join("gone"), root.join("files/dangling.txt")).unwrap();
        let fifo = root.join("files/pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        for (rel, expected) in [
            (
                "files/out.txt",
                Entry::NotPublished(NotPublished::OutsideRoot),
            ),
            (
                "up/host-secret",
                Entry::NotPublished(NotPublished::OutsideRoot),
            ),
            ("up", Entry::NotPublished(NotPublished::OutsideRoot)),
            ("files/env.txt", Entry::NotPublished(NotPublished::Hidden)),
            ("files/pipe", Entry::NotPublished(NotPublished::NotRegular)),
            ("files/dangling.txt", Entry::Missing),
        ] {
            assert_eq!(p.entry(rel), expected, "{rel}");
        }
        // A link that stays inside the root is published, read from its target.
        let real = root.canonicalize().unwrap().join("files/plan.txt");
        assert_eq!(p.asset("files/same.txt"), Some(real));
    }
}
