//! Where a build may write: never outside the handbook root on the config's word alone, never
//! into the handbook root itself or over files opsbook did not make; and the lock that keeps it
//! to one build at a time.

use std::fs;
use std::path::Path;

use super::{MARKER, swap};
use crate::config::Config;
use crate::discover::walk::resolved;
use crate::error::Error;

/// Check the output folder `out`, then lock it when its parent folder exists (a second build
/// then stops at once); otherwise the lock is taken just before writing, so that a build
/// stopped by findings creates nothing. `from_config`: `out` comes from the config file, not
/// from `--out`.
pub(super) fn prepare(
    cfg: &Config,
    out: &Path,
    from_config: bool,
) -> Result<Option<swap::Lock>, Error> {
    if from_config {
        configured_output_inside(cfg, out)?;
    }
    refuse_unsafe_output(&cfg.root, out)?;
    match out.parent() {
        Some(parent) if parent.is_dir() => lock(&cfg.root, out).map(Some),
        _ => Ok(None),
    }
}

/// Lock the output folder `out` (creating its parent folder), then check it again: taking the
/// lock may have put back a site that a killed build had moved aside, and the folder may have
/// changed since the first check.
pub(super) fn lock(root: &Path, out: &Path) -> Result<swap::Lock, Error> {
    let parent = out.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(super::write_err(parent))?;
    let lock = swap::lock(out)?;
    refuse_unsafe_output(root, out)?;
    Ok(lock)
}

/// An `output` set in the config file must lead to a folder inside the handbook root (after
/// following symbolic links): a committed config cannot send a build elsewhere; `--out` can.
fn configured_output_inside(cfg: &Config, out: &Path) -> Result<(), Error> {
    let Some(file) = &cfg.path else {
        return Ok(());
    };
    let target = resolved(out);
    if target.starts_with(resolved(&cfg.root)) {
        return Ok(());
    }
    Err(Error::Config {
        path: file.clone(),
        span: cfg.output_at,
        message: format!(
            "`output: {}` leads outside the handbook root, to {}",
            cfg.output.display(),
            target.display()
        ),
        help: Some(
            "a committed config may only build into a folder inside the handbook; to build \
             elsewhere, say so on the command line with `--out DIR`"
                .into(),
        ),
    })
}

/// Refuse an output folder that is the handbook root, contains it, is not a folder, or holds
/// files opsbook did not generate.
pub fn refuse_unsafe_output(root: &Path, out: &Path) -> Result<(), Error> {
    let refuse = |reason: &str| {
        Err(Error::Output {
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    let root = resolved(root);
    let target = resolved(out);
    if target == root {
        return refuse("it is the handbook root");
    }
    if root.starts_with(&target) {
        return refuse("it contains the handbook root");
    }
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(()); // a new folder
    };
    if meta.file_type().is_symlink() {
        return refuse("it is a symbolic link");
    }
    if !meta.is_dir() {
        return refuse("it is a file, not a folder");
    }
    let mut entries = fs::read_dir(out).map_err(|source| Error::Read {
        path: out.to_path_buf(),
        source,
    })?;
    if entries.next().is_some() && !out.join(MARKER).is_file() {
        return refuse(&format!(
            "it holds files opsbook did not generate (no {MARKER} marker); choose a new or \
             empty folder, or empty this one"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_and_its_parents() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        fs::create_dir_all(&root).unwrap();
        assert!(refuse_unsafe_output(&root, &root).is_err());
        assert!(refuse_unsafe_output(&root, dir.path()).is_err());
        assert!(refuse_unsafe_output(&root, &root.join("site/..")).is_err());
        assert!(refuse_unsafe_output(&root, &root.join("site")).is_ok());
        fs::create_dir_all(root.join("site")).unwrap();
        fs::write(root.join("site/notes.txt"), "mine").unwrap();
        let e = refuse_unsafe_output(&root, &root.join("site")).unwrap_err();
        assert!(e.to_string().contains("did not generate"), "{e}");
        fs::write(root.join("site").join(MARKER), "").unwrap();
        assert!(refuse_unsafe_output(&root, &root.join("site")).is_ok());
    }
}
