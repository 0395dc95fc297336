//! `opsbook init [DIR]`: a small handbook that passes `opsbook check` as it is, plus a
//! pre-commit config and a GitHub Actions workflow.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::{NewFile, absolute, fill, write_all};
use crate::error::Error;
use crate::worktree;

/// The handbook, by path relative to the handbook root.
const HANDBOOK: &[(&str, &str)] = &[
    ("opsbook.yml", include_str!("init/opsbook.yml")),
    ("org.yml", include_str!("init/org.yml")),
    (
        "roadmap/handbook-in-git.md",
        include_str!("init/roadmap/handbook-in-git.md"),
    ),
    (
        "charters/product.md",
        include_str!("init/charters/product.md"),
    ),
    (
        "processes/roadmap-review.md",
        include_str!("init/processes/roadmap-review.md"),
    ),
    (
        "guides/getting-started.md",
        include_str!("init/guides/getting-started.md"),
    ),
];

/// Files that tools look for at the repository root, by path relative to that root.
const REPO: &[(&str, &str)] = &[
    (
        ".pre-commit-config.yaml",
        include_str!("init/pre-commit-config.yaml"),
    ),
    (
        ".github/workflows/handbook.yml",
        include_str!("init/handbook.yml"),
    ),
];

/// Written only when there is none yet: a repository often has its own, which `init` leaves
/// as it is.
const GITIGNORE: (&str, &str) = (".gitignore", include_str!("init/gitignore"));

/// What `init` did.
#[derive(Debug)]
pub struct Initialized {
    /// Every file written.
    pub written: Vec<PathBuf>,
    /// The `.gitignore` of the handbook folder, when one was there already (left untouched).
    pub kept_gitignore: Option<PathBuf>,
}

/// Write the starter handbook into `dir` (made absolute from `cwd`). The pre-commit config
/// and the workflow go to the root of the git work tree around `dir`, or into `dir` when there
/// is none. Writes nothing when any of the files exists (except `.gitignore`, which is then
/// kept as it is).
pub fn init(dir: &Path, cwd: &Path, today: Date) -> Result<Initialized, Error> {
    let dir = absolute(cwd, dir);
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{} is a file, not a folder",
            dir.display()
        )));
    }
    let repo_root = worktree::root_of(&dir).unwrap_or_else(|| dir.clone());
    let prefix = crate::discover::relative(&repo_root, &dir).unwrap_or_default();
    let root_args = if prefix.is_empty() {
        String::new()
    } else {
        format!(" --root {}", shell_word(&prefix))
    };
    let files_pattern =
        format!("^{}(.*\\.md|org\\.yml)$", regex_prefix(&prefix)).replace('\'', "''");
    let root_input = if prefix.is_empty() {
        ".".to_string()
    } else {
        super::yaml_scalar(&prefix)
    };
    let today_text = today.to_string();
    // The example item in Now targets the next quarter, so it is not late before the first
    // reviews fall due.
    let (year, q) = match (today.month() - 1) / 3 + 1 {
        4 => (i32::from(today.year()) + 1, 1),
        q => (i32::from(today.year()), q + 1),
    };
    let quarter = format!("{year}-Q{q}");
    let vars = [
        ("TODAY", today_text.as_str()),
        ("QUARTER", quarter.as_str()),
        ("ROOT_ARGS", root_args.as_str()),
        ("FILES", files_pattern.as_str()),
        ("VERSION", env!("CARGO_PKG_VERSION")),
        ("ROOT", root_input.as_str()),
    ];
    let gitignore = dir.join(GITIGNORE.0);
    let kept_gitignore = std::fs::symlink_metadata(&gitignore)
        .is_ok()
        .then_some(gitignore);
    let optional = kept_gitignore.is_none().then_some(&GITIGNORE);
    let files: Vec<NewFile> = HANDBOOK
        .iter()
        .chain(optional)
        .map(|(rel, t)| (dir.join(rel), t))
        .chain(REPO.iter().map(|(rel, t)| (repo_root.join(rel), t)))
        .map(|(path, template)| NewFile {
            path,
            text: fill(template, &vars),
        })
        .collect();
    Ok(Initialized {
        written: write_all(&files, cwd)?,
        kept_gitignore,
    })
}

/// `prefix/` with regex metacharacters escaped; empty for the repository root.
fn regex_prefix(prefix: &str) -> String {
    if prefix.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    for c in prefix.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('/');
    out
}

/// A path as one shell word (pre-commit splits `entry` like a shell does).
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_for_a_handbook_in_a_subfolder() {
        assert_eq!(regex_prefix(""), "");
        assert_eq!(regex_prefix("docs/hand.book"), "docs/hand\\.book/");
        assert_eq!(shell_word("docs/handbook"), "docs/handbook");
        assert_eq!(shell_word("my docs"), "'my docs'");
    }

    #[test]
    fn every_yaml_file_parses() {
        for (name, text) in HANDBOOK.iter().chain(REPO) {
            let yaml = if name.ends_with(".md") {
                crate::frontmatter::split(text).unwrap().yaml.unwrap()
            } else {
                text
            };
            let filled = fill(
                yaml,
                &[
                    ("TODAY", "2026-11-23"),
                    ("QUARTER", "2026-Q4"),
                    ("ROOT", "."),
                ],
            );
            crate::frontmatter::parse_yaml(&filled, 1).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
    }
}
