//! Paths never read as content: the `ignore:` patterns of `opsbook.yml` and the `.gitignore`
//! files of the handbook (and of the folders above it, up to the root of its git work tree).
//!
//! Patterns are read as git reads them: `_site/` is a folder anywhere, `/drafts` one at the
//! top, `!keep.md` brings a file back. `ignore:` decides first; then the `.gitignore` of the
//! nearest folder that has an opinion. A `.gitignore` is read only when it is a regular file
//! (never through a symbolic link).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

/// Answers whether a root-relative path is ignored.
pub struct Ignores {
    root: PathBuf,
    config: Gitignore,
    /// `.gitignore` of each folder met so far, by root-relative folder (`""`: the root).
    folders: RefCell<HashMap<String, Option<Gitignore>>>,
    /// `.gitignore` files of the folders above the root, nearest first.
    above: Vec<Gitignore>,
}

impl Ignores {
    /// The ignores of the handbook at `root` (canonical) with the `ignore:` patterns `patterns`.
    pub fn new(root: &Path, patterns: &[String]) -> Ignores {
        let mut b = GitignoreBuilder::new(root);
        for p in patterns {
            // Checked when the config was read.
            let _ = b.add_line(None, p);
        }
        let config = b.build().unwrap_or_else(|_| Gitignore::empty());
        let mut above = Vec::new();
        if let Some(top) = crate::worktree::root_of(root).filter(|t| t.as_path() != root) {
            for dir in root.ancestors().skip(1) {
                if let Some(g) = read_gitignore(dir) {
                    above.push(g);
                }
                if dir == top {
                    break;
                }
            }
        }
        Ignores {
            root: root.to_path_buf(),
            config,
            folders: RefCell::new(HashMap::new()),
            above,
        }
    }

    /// Whether the root-relative `rel` (a folder when `is_dir`) is left out.
    pub fn ignored(&self, rel: &str, is_dir: bool) -> bool {
        match self.config.matched(rel, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
        // The nearest folder first: a deeper `.gitignore` overrides a shallower one.
        let mut folder = rel;
        loop {
            folder = match folder.rsplit_once('/') {
                Some((parent, _)) => parent,
                None if folder.is_empty() => break,
                None => "",
            };
            let below = rel[folder.len()..].trim_start_matches('/');
            let mut cache = self.folders.borrow_mut();
            let g = cache
                .entry(folder.to_string())
                .or_insert_with(|| read_gitignore(&self.root.join(folder)));
            if let Some(g) = g {
                match g.matched(below, is_dir) {
                    Match::Ignore(_) => return true,
                    Match::Whitelist(_) => return false,
                    Match::None => {}
                }
            }
        }
        let abs = self.root.join(rel);
        for g in &self.above {
            match g.matched(&abs, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

/// The `.gitignore` of `dir`, when it is a regular file with at least one pattern.
fn read_gitignore(dir: &Path) -> Option<Gitignore> {
    let file = dir.join(".gitignore");
    let meta = std::fs::symlink_metadata(&file).ok()?;
    if !meta.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let mut b = GitignoreBuilder::new(dir);
    for line in text.lines() {
        // A line git would not read either is left out; the others still count.
        let _ = b.add_line(Some(file.clone()), line);
    }
    b.build().ok().filter(|g| !g.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::discover::temp_files as tree;

    #[test]
    fn config_patterns_and_gitignore_files_nearest_first() {
        let dir = tree(&[
            (".gitignore", "_site/\n*.tmp.md\n/drafts\n"),
            ("guide/.gitignore", "!keep.tmp.md\nlocal.md\n"),
        ]);
        let root = dir.path().canonicalize().unwrap();
        let ig = Ignores::new(&root, &["vendor/".into(), "!drafts".into()]);
        assert!(ig.ignored("_site", true));
        assert!(ig.ignored("guide/_site", true));
        assert!(
            !ig.ignored("_site", false),
            "a file named like the folder pattern"
        );
        assert!(ig.ignored("a.tmp.md", false));
        assert!(ig.ignored("guide/b.tmp.md", false));
        assert!(!ig.ignored("guide/keep.tmp.md", false));
        assert!(ig.ignored("guide/local.md", false));
        assert!(!ig.ignored("local.md", false));
        assert!(ig.ignored("vendor", true));
        // `ignore:` decides before `.gitignore`.
        assert!(!ig.ignored("drafts", true));
        assert!(!ig.ignored("guide/drafts", true));
        assert!(!ig.ignored("guide/a.md", false));
    }

    #[test]
    fn gitignore_above_the_root_counts_up_to_the_work_tree() {
        let dir = tree(&[
            ("repo/.gitignore", "docs/_build/\nout.md\n"),
            ("repo/.git/HEAD", "ref: refs/heads/main\n"),
            (".gitignore", "*\n"),
        ]);
        let root = dir.path().join("repo/docs");
        std::fs::create_dir_all(&root).unwrap();
        let root = root.canonicalize().unwrap();
        let ig = Ignores::new(&root, &[]);
        assert!(ig.ignored("_build", true));
        assert!(ig.ignored("out.md", false));
        assert!(
            !ig.ignored("guide.md", false),
            "nothing above the work tree is read"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_gitignore_is_not_read() {
        let dir = tree(&[("outside/.gitignore", "*.md\n"), ("hb/a.md", "")]);
        let root = dir.path().join("hb").canonicalize().unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("outside/.gitignore"),
            root.join(".gitignore"),
        )
        .unwrap();
        assert!(!Ignores::new(&root, &[]).ignored("a.md", false));
    }
}
