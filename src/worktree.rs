//! Where the handbook sits in its git work tree, found by walking up for `.git` (a folder, or a
//! file in a linked work tree or submodule). CI tools want paths from the repository root.

use std::path::{Path, PathBuf};

/// The nearest folder at or above `dir` that holds `.git`.
pub fn root_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The handbook root relative to its work tree root, `/`-separated; empty when the handbook is
/// the work tree root or is not in a work tree.
pub fn prefix(handbook_root: &Path) -> String {
    root_of(handbook_root)
        .and_then(|top| crate::discover::relative(&top, handbook_root))
        .unwrap_or_default()
}

/// A handbook-relative path as seen from the work tree root.
pub fn join(prefix: &str, path: &str) -> String {
    let path = path.replace('\\', "/");
    if prefix.is_empty() {
        path
    } else {
        format!("{prefix}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_is_the_path_below_the_git_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let book = tmp.path().join("docs/handbook");
        std::fs::create_dir_all(&book).unwrap();
        assert_eq!(prefix(&book), "");
        std::fs::create_dir(tmp.path().join(".git")).unwrap();
        assert_eq!(prefix(&book), "docs/handbook");
        assert_eq!(prefix(tmp.path()), "");
        assert_eq!(
            join("docs/handbook", "roadmap/a.md"),
            "docs/handbook/roadmap/a.md"
        );
        assert_eq!(join("", "roadmap/a.md"), "roadmap/a.md");
    }
}
