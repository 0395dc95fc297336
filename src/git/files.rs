//! Reading the small files the history pass looks at besides objects (`.git/shallow`,
//! `.git-blame-ignore-revs`, `.mailmap`, attributes, pack indexes, the cache): only regular
//! files, and never more than a cap, so a FIFO (which would block forever), a device such as
//! `/dev/zero` (which never ends) or a huge file put in their place cannot hang or exhaust the
//! run. Anything else reads as "no file".

use std::collections::HashSet;
use std::path::Path;

use git2::Oid;

/// Files the user writes by hand (`.mailmap`, ignore-revs, attributes, `shallow`).
pub(super) const SMALL: u64 = 16 << 20;

/// The bytes of a regular file of at most `cap` bytes (see [`crate::cache_file`]).
pub(super) use crate::cache_file::read_regular;

/// A regular file of at most `cap` bytes, as text (invalid UTF-8 is replaced).
pub(super) fn read_text(path: &Path, cap: u64) -> Option<String> {
    read_regular(path, cap).map(|b| match String::from_utf8(b) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Commits whose changes are not reviews: `.git-blame-ignore-revs` at the top of the work tree,
/// plus every file named by `blame.ignoreRevsFile`. Lines are full commit ids; `#` starts a
/// comment; anything else is skipped.
pub(super) fn ignored_revs(repo: &git2::Repository, workdir: &Path) -> HashSet<Oid> {
    let mut files = vec![workdir.join(".git-blame-ignore-revs")];
    if let Ok(cfg) = repo.config()
        && let Ok(mut entries) = cfg.multivar("blame.ignoreRevsFile", None)
    {
        while let Some(Ok(e)) = entries.next() {
            if let Some(v) = e.value().ok().filter(|v| !v.is_empty()) {
                files.push(workdir.join(v));
            }
        }
    }
    let mut out = HashSet::new();
    for f in files {
        let Some(text) = read_text(&f, SMALL) else {
            continue;
        };
        for line in text.lines() {
            let id = line.split('#').next().unwrap_or_default().trim();
            if let Ok(oid) = Oid::from_str(id)
                && id.len() >= 40
            {
                out.insert(oid);
            }
        }
    }
    out
}

/// The boundary commits of a shallow clone, from `shallow` in the git folder.
pub(super) fn shallow_boundary(repo: &git2::Repository) -> HashSet<Oid> {
    read_text(&repo.commondir().join("shallow"), SMALL)
        .map(|t| {
            t.lines()
                .filter_map(|l| Oid::from_str(l.trim()).ok())
                .collect()
        })
        .unwrap_or_default()
}
