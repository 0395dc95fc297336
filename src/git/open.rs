//! Finding the repository a handbook lives in.
//!
//! The search goes upward from the handbook root (the root may be a subfolder of a bigger
//! repository), stopping at `GIT_CEILING_DIRECTORIES` as git does. An enclosing repository is
//! only taken when the handbook is really part of it, so a handbook folder that merely sits
//! somewhere below an unrelated repository (a dotfiles repo in `$HOME`, a project checkout that
//! does not track it) is not credited with that repository's history:
//! - the repository must have a work tree (a bare repository holds no handbook);
//! - when the handbook is a subfolder of the work tree, that folder must not be ignored, and HEAD
//!   or the index must hold at least one file under it.
//!
//! A repository that git refuses to open because another user owns it ("dubious ownership", as
//! in CI containers) is an error that explains the `safe.directory` fix.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use git2::{ErrorCode, ObjectType, Repository, RepositoryOpenFlags};

use super::Repo;
use crate::error::Error;

/// The repository whose work tree holds the handbook at `root`, if any.
pub(super) fn open(root: &Path) -> Result<Option<Repo>, Error> {
    // Reading only: like git itself, do not re-hash every object read (a third of the pass).
    git2::opts::strict_hash_verification(false);
    let ceilings: Vec<OsString> = std::env::var_os("GIT_CEILING_DIRECTORIES")
        .map(|v| {
            std::env::split_paths(&v)
                .map(PathBuf::into_os_string)
                .collect()
        })
        .unwrap_or_default();
    let repo = match Repository::open_ext(root, RepositoryOpenFlags::empty(), &ceilings) {
        Ok(r) => r,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
        Err(e) if e.code() == ErrorCode::Owner => return Err(dubious_ownership(root, &e)),
        Err(e) => {
            return Err(Error::Git {
                path: root.to_path_buf(),
                message: format!("cannot open the git repository: {}", e.message()),
                help: Some("pass --no-git to work without git dates".into()),
            });
        }
    };
    let Some(workdir) = repo.workdir() else {
        return Ok(None);
    };
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !root.starts_with(&workdir) {
        return Ok(None);
    }
    // `docs/handbook/`, or `""` when the handbook is the whole work tree.
    let prefix = crate::discover::relative(&workdir, &root)
        .map(|p| format!("{p}/"))
        .unwrap_or_default();
    if !prefix.is_empty() && !holds_handbook(&repo, &prefix) {
        return Ok(None);
    }
    Ok(Some(Repo {
        repo,
        workdir,
        prefix,
    }))
}

/// Whether the subfolder `prefix` of the work tree is part of the repository: not ignored, and
/// HEAD or the index holds a file under it.
fn holds_handbook(repo: &Repository, prefix: &str) -> bool {
    if repo.is_path_ignored(prefix).unwrap_or(false) {
        return false;
    }
    let folder = Path::new(prefix.trim_end_matches('/'));
    let in_head = repo
        .head()
        .and_then(|h| h.peel_to_tree())
        .and_then(|t| t.get_path(folder))
        .is_ok_and(|e| e.kind() == Some(ObjectType::Tree));
    in_head
        || repo
            .index()
            .is_ok_and(|index| index.iter().any(|e| e.path.starts_with(prefix.as_bytes())))
}

/// git refuses a repository owned by another user: say how to allow it.
fn dubious_ownership(root: &Path, e: &git2::Error) -> Error {
    let dir = root
        .ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(root)
        .to_path_buf();
    Error::Git {
        message: format!(
            "git refuses to read this repository because another user owns it (\"dubious \
             ownership\": {})",
            e.message()
        ),
        help: Some(format!(
            "if you trust it, run `git config --global --add safe.directory {}` (usual in CI \
             containers, where the checkout belongs to another user), or pass --no-git to work \
             without git dates",
            dir.display()
        )),
        path: dir,
    }
}
