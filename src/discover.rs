//! Which files are documents: Markdown files and `org.yml` under the handbook root.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::error::Error;

pub mod ignore;
pub mod walk;

/// A file read from the handbook.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the handbook root, with `/` separators.
    pub rel_path: String,
    /// The file's bytes decoded as UTF-8 (shared with the documents read from it), or the
    /// position of the first invalid byte.
    pub text: Result<Arc<String>, Span>,
}

/// Top-level folders never read as content, besides hidden ones, the output folder and what
/// `ignore:` and `.gitignore` leave out ([`ignore`]).
const SKIPPED: &[&str] = &["templates", "static", "node_modules"];

/// Whether a path relative to the root is a document opsbook reads.
pub fn is_document(rel: &str) -> bool {
    rel == "org.yml" || rel.ends_with(".md")
}

/// Find and read every document under the root, sorted by path.
pub fn source_files(cfg: &Config) -> Result<Vec<SourceFile>, Error> {
    sources(cfg).map(|(files, _)| files)
}

/// Find and read every document under the root, sorted by path, with a warning for each
/// symbolic link that was not followed (see [`walk`]).
pub fn sources(cfg: &Config) -> Result<(Vec<SourceFile>, Vec<Diagnostic>), Error> {
    let (found, skipped) = find(cfg)?;
    crate::timing::phase("find");
    // Reading is parallel: on a cold cache or a network disk, waiting on files dominates.
    let files = found
        .into_par_iter()
        .map(|f| read(&f))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok((files, skipped))
}

/// Find every document under the root without reading it, sorted by path, with a warning for
/// each symbolic link that was not followed.
pub fn find(cfg: &Config) -> Result<(Vec<walk::Found>, Vec<Diagnostic>), Error> {
    let root = cfg.root.canonicalize().unwrap_or_else(|_| cfg.root.clone());
    // The output folder, when it is inside the root (`build` refuses the root itself).
    let output = Some(walk::resolved(&root.join(&cfg.output)))
        .filter(|out| out != &root && out.starts_with(&root));
    let ignores = ignore::Ignores::new(&root, &cfg.ignore);
    let skip = |rel: &str, real: &Path, is_dir: bool| {
        let top = rel.split('/').next().unwrap_or_default();
        SKIPPED.contains(&top)
            || output.as_ref().is_some_and(|out| real.starts_with(out))
            || ignores.ignored(rel, is_dir)
    };
    let walked = walk::walk(&root, "", &skip)?;
    let found: Vec<_> = walked
        .files
        .into_iter()
        .filter(|f| is_document(&f.rel))
        .collect();
    Ok((found, walked.skipped))
}

/// Read a document [`find`] found.
pub fn read(f: &walk::Found) -> Result<SourceFile, Error> {
    match std::fs::read(&f.path) {
        Ok(bytes) => Ok(SourceFile {
            rel_path: f.rel.clone(),
            text: decode(bytes).map(Arc::new),
        }),
        Err(source) => Err(Error::Read {
            path: f.path.clone(),
            source,
        }),
    }
}

/// Decode UTF-8, stripping a byte-order mark; on failure, the line and column of the first
/// invalid byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, Span> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or_default();
            let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
            let line = prefix.matches('\n').count() as u32 + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Err(Span::new(line, col))
        }
    }
}

/// `path` relative to `root` with `/` separators.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Turn a user-given path (absolute or relative to `cwd`) into one relative to the root: `""`
/// for the root or a folder holding it (all of the handbook is in it), `None` outside the root.
/// The folders on the way are resolved, the last name is not: a symbolic link given is the link
/// itself (a document of its own, or one skipped with a warning), not what it points at.
pub fn user_path(root: &Path, cwd: &Path, given: &Path) -> Option<String> {
    let abs: PathBuf = if given.is_absolute() {
        given.to_path_buf()
    } else {
        cwd.join(given)
    };
    let abs = match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)),
        // The root of the file system, or a path ending in `..`.
        _ => abs.canonicalize(),
    }
    .unwrap_or(abs);
    if root.starts_with(&abs) {
        return Some(String::new());
    }
    relative(root, &abs)
}

/// A temp folder holding `files` (root-relative path, text), for tests.
#[cfg(test)]
pub(crate) fn temp_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_strips_bom_and_reports_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()), Ok("hi".to_string()));
        assert_eq!(decode(b"ab\xFFcd".to_vec()), Err(Span::new(1, 3)));
        assert_eq!(decode(b"a\n\xC3\xA9\xFF".to_vec()), Err(Span::new(2, 2)));
    }

    #[test]
    fn the_output_folder_is_skipped_only_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        for rel in ["a.md", "site/b.md", "static/c.md", "deep/out/d.md"] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# x\n").unwrap();
        }
        let found = |output: &str| {
            let mut cfg = Config::defaults(root.clone());
            cfg.output = PathBuf::from(output);
            let (files, skipped) = sources(&cfg).unwrap();
            assert!(skipped.is_empty());
            files.into_iter().map(|f| f.rel_path).collect::<Vec<_>>()
        };
        assert_eq!(found("site"), ["a.md", "deep/out/d.md"]);
        assert_eq!(found("deep/x/../out"), ["a.md", "site/b.md"]);
        for outside in [".", "..", "site/../.."] {
            assert_eq!(
                found(outside),
                ["a.md", "deep/out/d.md", "site/b.md"],
                "{outside}"
            );
        }
    }

    #[test]
    fn ignored_paths_and_gitignore_are_not_content() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        for (rel, text) in [
            ("a.md", "# a\n"),
            ("_site/copy.md", "# copy\n"),
            ("vendor/x/readme.md", "# v\n"),
            ("notes/scratch.md", "# s\n"),
            ("notes/keep.md", "# k\n"),
            (".gitignore", "_site/\nnotes/*\n!notes/keep.md\n"),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let mut cfg = Config::defaults(root.clone());
        cfg.ignore = vec!["vendor/".into()];
        let (files, skipped) = sources(&cfg).unwrap();
        assert!(skipped.is_empty());
        let paths: Vec<_> = files.into_iter().map(|f| f.rel_path).collect();
        assert_eq!(paths, ["a.md", "notes/keep.md"]);
    }

    #[test]
    fn documents_are_markdown_and_org_yml() {
        assert!(is_document("roadmap/a.md"));
        assert!(is_document("org.yml"));
        assert!(!is_document("teams/org.yml"));
        assert!(!is_document("logo.png"));
    }
}
