//! Objects the history pass needed and the repository does not have, and what that cost.
//!
//! - A shallow clone, or a missing commit or tree (a treeless partial clone, a damaged
//!   repository), **cuts** the history: nothing older is known, and what is credited to the
//!   commit at the cut is approximate (it may have happened earlier).
//! - Missing file contents (a blobless partial clone `--filter=blob:none`, a deleted blob) cut
//!   nothing: commits and trees give every date and author exactly. They cost only what needs
//!   them: a move with edits cannot be compared, so the file it made may be older than its
//!   created date; and the values of such a version (status, target, owner…) are unknown.
//!
//! Each is said once, with what it cost ([`Facts::notices`]).

use crate::rules::Rule;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use git2::Oid;

use super::history::Versions;
use super::objects::is_missing;
use super::tally::Lost;
use super::{Facts, FileFacts};

/// What was missing, and what it cost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MissingObjects {
    /// The remote that promises the missing objects, when the repository is a partial clone.
    pub promisor: Option<String>,
    /// Where a missing commit or tree cut the history.
    pub cut: Option<Cut>,
    /// Files at HEAD that may be older than their created date: a move with edits into them
    /// could not be compared, because a version's content is missing.
    pub unsure: BTreeSet<String>,
    /// History entries (and registry versions) whose values are unknown.
    pub versions: usize,
    /// Every missing object that cost something, by id.
    pub objects: BTreeSet<String>,
}

/// Where the history stops.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    /// The commit whose parent (or tree) is missing; `None` when the walk could not reach it.
    pub commit: Option<String>,
    /// The missing commit or tree.
    pub object: Option<String>,
}

/// A finding about the repository as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub rule: Rule,
    pub message: String,
    pub help: String,
}

impl MissingObjects {
    pub(super) fn new(
        repo: &git2::Repository,
        lost: &[Lost],
        versions: &Versions,
        files: &BTreeMap<String, FileFacts>,
    ) -> Self {
        let mut out = MissingObjects {
            promisor: promisor_remote(repo).ok().flatten(),
            versions: versions.unavailable,
            ..MissingObjects::default()
        };
        for l in lost {
            out.objects.extend(l.objects.iter().map(|o| o.to_string()));
            if l.cut && out.cut.is_none() {
                out.cut = Some(Cut {
                    commit: l.commit.map(|c| c.to_string()),
                    object: l.objects.first().map(|o| o.to_string()),
                });
            }
            let at_head = l.unsure.iter().filter(|k| files.contains_key(*k));
            out.unsure.extend(at_head.cloned());
        }
        out.objects
            .extend(versions.missing.iter().map(|o| o.to_string()));
        out
    }

    /// Missing file contents cost something (beyond a cut).
    fn costs(&self) -> bool {
        self.versions > 0 || !self.unsure.is_empty()
    }
}

impl Facts {
    /// What the whole history lacks, each said once: the cut (`shallow-clone`: a shallow
    /// clone, a missing commit or tree) and what missing file contents cost
    /// (`missing-objects`, only for a pass over the whole history: a pass that stopped early
    /// only used last commits, which they never change).
    pub fn notices(&self) -> Vec<Notice> {
        let mut out = Vec::new();
        let m = &self.missing;
        if self.shallow {
            out.push(Notice {
                rule: Rule::ShallowClone,
                message: "the repository is a shallow clone: dates from git at its boundary are \
                          approximate (marked so), and older history is unknown"
                    .into(),
                help: "fetch the whole history: `fetch-depth: 0` for actions/checkout in GitHub \
                       Actions, `GIT_DEPTH: 0` in GitLab CI, or `git fetch --unshallow`"
                    .into(),
            });
        } else if let Some(cut) = &m.cut {
            let object = cut
                .object
                .as_deref()
                .map_or("an object".into(), |o| format!("object {o}"));
            let at = match &cut.commit {
                Some(c) => format!("at commit {c}: it needs {object}, which is missing"),
                None => format!("where {object} is missing"),
            };
            out.push(Notice {
                rule: Rule::ShallowClone,
                message: format!(
                    "the history is cut {at}{}; older history is unknown, and dates from git \
                     at the cut are approximate (marked so)",
                    self.kind_of_clone()
                ),
                help: self.fetch_help(),
            });
        }
        if m.costs() && !self.partial {
            let contents =
                m.objects.len() - usize::from(m.cut.as_ref().is_some_and(|c| c.object.is_some()));
            let mut costs = Vec::new();
            if m.versions > 0 {
                costs.push(format!(
                    "the values (status, target, owner…) of {} in the history of documents \
                     are unknown (marked unavailable)",
                    plural(m.versions, "version")
                ));
            }
            if !m.unsure.is_empty() {
                let shown: Vec<&str> = m.unsure.iter().take(5).map(String::as_str).collect();
                let more = m.unsure.len() - shown.len();
                costs.push(format!(
                    "{} may be older than {} created date, because a move with edits could not \
                     be compared: {}{}",
                    plural(m.unsure.len(), "file"),
                    if m.unsure.len() == 1 { "its" } else { "their" },
                    shown.join(", "),
                    if more > 0 {
                        format!(", and {more} more")
                    } else {
                        String::new()
                    }
                ));
            }
            out.push(Notice {
                rule: Rule::MissingObjects,
                message: format!(
                    "{} of files {} missing from the repository{}: {}; dates and authors are \
                     exact",
                    plural(contents, "version"),
                    if contents == 1 { "is" } else { "are" },
                    self.kind_of_clone(),
                    costs.join("; ")
                ),
                help: self.fetch_help(),
            });
        }
        out
    }

    fn kind_of_clone(&self) -> &'static str {
        if self.missing.promisor.is_some() {
            " (a partial clone)"
        } else {
            ""
        }
    }

    /// How to get the missing objects.
    fn fetch_help(&self) -> String {
        let m = &self.missing;
        match &m.promisor {
            Some(remote) => format!(
                "fetch what the partial clone left out: `git fetch --refetch --no-filter \
                 {remote}` (Git 2.36 or later); in CI, clone without `--filter` (no `filter:` \
                 for actions/checkout) for jobs that export or build the site"
            ),
            None => {
                let ids: Vec<&str> = m
                    .objects
                    .iter()
                    .take(3)
                    .map(|o| &o[..o.len().min(12)])
                    .collect();
                format!(
                    "the repository is damaged ({} missing{}): `git fsck` lists what is wrong; \
                     fetch the objects again (`git fetch --refetch`) or clone anew",
                    plural(m.objects.len(), "object"),
                    if ids.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", ids.join(", "))
                    }
                )
            }
        }
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// What a pass sees in this repository may change as objects come (a shallow or partial clone,
/// or grafts): such a repository gets no cache, and no commit-graph shortcut, which would not
/// see the objects it lacks. When the configuration cannot be read, it may be one.
pub(super) fn may_lack_objects(r: &git2::Repository) -> bool {
    r.is_shallow()
        || promisor_remote(r).map_or(true, |p| p.is_some())
        || r.commondir().join("info/grafts").exists()
}

/// The remote a partial clone fetches missing objects from (`extensions.partialClone`, or a
/// `remote.<name>.promisor`); `None` for a full clone.
pub(super) fn promisor_remote(r: &git2::Repository) -> Result<Option<String>, git2::Error> {
    let cfg = r.config()?.snapshot()?;
    if let Ok(name) = cfg.get_string("extensions.partialclone") {
        return Ok(Some(if name.is_empty() {
            "origin".into()
        } else {
            name
        }));
    }
    let mut names = Vec::new();
    let mut promisors = cfg.entries(Some(r"remote\..*\.promisor"))?;
    while let Some(Ok(e)) = promisors.next() {
        names.extend(e.name().map(str::to_string));
    }
    Ok(names
        .iter()
        .filter(|n| cfg.get_bool(n).unwrap_or(true))
        .find_map(|n| {
            Some(
                n.strip_prefix("remote.")?
                    .strip_suffix(".promisor")?
                    .to_string(),
            )
        }))
}

/// The object id a libgit2 message names, if any.
pub(super) fn object_in(message: &str) -> Option<git2::Oid> {
    let bytes = message.as_bytes();
    (0..bytes.len().saturating_sub(39)).find_map(|i| {
        let word = &bytes[i..i + 40];
        let starts = i == 0 || !bytes[i - 1].is_ascii_hexdigit();
        let ends = bytes.get(i + 40).is_none_or(|b| !b.is_ascii_hexdigit());
        if !(starts && ends && word.iter().all(u8::is_ascii_hexdigit)) {
            return None;
        }
        git2::Oid::from_str(std::str::from_utf8(word).ok()?).ok()
    })
}

/// The cut where the revision walk could not go on (a missing commit), after `commits`.
pub(super) fn walk_cut(
    repo: &git2::Repository,
    e: &git2::Error,
    commits: &[Oid],
) -> Result<Lost, git2::Error> {
    if !is_missing(e) {
        return Err(git2::Error::new(
            e.code(),
            e.class(),
            format!("cannot walk the commits: {}", e.message()),
        ));
    }
    let object = object_in(e.message());
    // The commit that needs it, when it was walked.
    let child = object.and_then(|m| {
        commits.iter().copied().find(|c| {
            repo.find_commit(*c)
                .is_ok_and(|c| c.parent_ids().any(|p| p == m))
        })
    });
    Ok(Lost {
        pos: commits.len() + 1,
        commit: child,
        objects: object.into_iter().collect(),
        unsure: Vec::new(),
        cut: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_found_in_messages() {
        let id = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(
            object_in(&format!("object not found - no match for id ({id})")),
            Some(git2::Oid::from_str(id).unwrap())
        );
        assert_eq!(object_in("no id here"), None);
        assert_eq!(object_in(&format!("{id}0")), None, "41 digits are no id");
    }
}
