//! The git stage's facts turned into what the site shows ([`SiteFacts`]): per document its last
//! commit and edit link, roadmap status history, the what-changed list (from
//! [`changes::collect`]) and the recently changed documents. Everything is looked up by path in
//! maps built once; nothing scans all changes per page.

use std::collections::{BTreeSet, HashMap};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::changes::{self, ChangeType};
use crate::config::Config;
use crate::git::{Event, Facts, FileFacts, HistoryEntry};
use crate::kind::Kind;
use crate::model::Handbook;
use crate::render::facts::{Change, DocFacts, RepoLinks, Revision, RevisionEvent, SiteFacts};

/// The what-changed page and the feed cover this many days before `today`.
pub const WINDOW_DAYS: i32 = 90;
/// Recently changed documents on the home page.
pub const RECENT: usize = 10;
/// The fields of a roadmap item's status history, in display order.
const HISTORY_FIELDS: &[&str] = &["status", "target", "owner", "score"];

/// What the site shows from git.
pub fn site_facts(facts: &Facts, hb: &Handbook, cfg: &Config, today: Date) -> SiteFacts {
    let repo = cfg
        .repo_url
        .as_deref()
        .map(RepoLinks::new)
        .or_else(|| facts.origin_url.as_deref().and_then(repo_from_origin));
    let per_path = per_path(hb);
    let docs = per_path
        .iter()
        .filter_map(|(&path, &held)| Some((path.to_string(), file_facts(facts, path, held)?)))
        .collect();
    let since = today.checked_sub(WINDOW_DAYS.days()).unwrap_or(Date::MIN);
    SiteFacts {
        available: true,
        docs,
        changes: what_changed(facts, cfg, since, today),
        since: Some(since),
        history_cut: facts.history_cut(),
        recent: recent(facts, &per_path, today),
        repo,
    }
}

/// The site's facts again for the documents of the files at `paths` (their documents changed,
/// or what git says of them), and the recently changed documents: the same as
/// [`site_facts`] makes when nothing else changed (the history, the date, the config).
/// Returns the paths whose facts changed.
pub fn update(
    site: &mut SiteFacts,
    facts: &Facts,
    hb: &Handbook,
    today: Date,
    paths: &BTreeSet<String>,
) -> Vec<String> {
    let per_path = per_path(hb);
    let mut changed = Vec::new();
    for path in paths {
        let new = per_path
            .get(path.as_str())
            .and_then(|&held| file_facts(facts, path, held));
        if site.docs.get(path) != new.as_ref() {
            changed.push(path.clone());
            match new {
                Some(d) => site.docs.insert(path.clone(), d),
                None => site.docs.remove(path),
            };
        }
    }
    site.recent = recent(facts, &per_path, today);
    changed
}

/// The files holding documents: how many each holds (`org.yml` holds many, and its facts are
/// the file's, not the entry's), and the kind of the first.
fn per_path(hb: &Handbook) -> HashMap<&str, (usize, Kind)> {
    let mut per_path: HashMap<&str, (usize, Kind)> = HashMap::new();
    for d in &hb.docs {
        per_path.entry(&d.path).or_insert((0, d.kind)).0 += 1;
    }
    per_path
}

/// The facts of a file holding documents; `None` when git knows nothing of it.
fn file_facts(facts: &Facts, path: &str, (count, kind): (usize, Kind)) -> Option<DocFacts> {
    let shared = count > 1;
    match facts.files.get(path) {
        Some(f) => Some(doc_facts(facts, path, f, shared, kind)),
        None if facts.new_files.contains(path) => Some(DocFacts {
            modified_locally: true,
            shared,
            ..DocFacts::default()
        }),
        None => None,
    }
}

fn doc_facts(facts: &Facts, path: &str, f: &FileFacts, shared: bool, kind: Kind) -> DocFacts {
    DocFacts {
        updated: Some(f.last.date),
        author: Some(f.last.author.clone()),
        commit: Some(f.last.id.clone()),
        // The same rule as review dates from git (`validate::freshness::git_date`).
        approximate: f.last.boundary || facts.missing_objects,
        repo_path: Some(format!("{}{path}", facts.prefix)),
        modified_locally: f.modified_locally,
        shared,
        history: if kind == Kind::ROADMAP_ITEM {
            facts.history_of(path).iter().filter_map(revision).collect()
        } else {
            Vec::new()
        },
    }
}

/// One entry of a roadmap item's history, when it changed a field the site shows (or created,
/// moved or first saw the file).
fn revision(e: &HistoryEntry) -> Option<Revision> {
    let event = match e.event {
        Event::Added if e.commit.boundary => RevisionEvent::Earliest,
        Event::Added => RevisionEvent::Created,
        Event::Renamed => RevisionEvent::Renamed,
        Event::Modified => RevisionEvent::Changed,
        Event::Removed => RevisionEvent::Removed,
    };
    let changes: Vec<_> = HISTORY_FIELDS
        .iter()
        .filter_map(|&field| {
            let [a, b] = e.changes.get(field)?;
            Some((field.to_string(), a.clone(), b.clone()))
        })
        .collect();
    if event == RevisionEvent::Changed && changes.is_empty() {
        return None;
    }
    Some(Revision {
        date: e.commit.date,
        author: e.commit.author.clone(),
        commit: e.commit.id.clone(),
        event,
        renamed_from: e.renamed_from.clone(),
        changes,
        approximate: e.approximate || e.commit.boundary,
    })
}

/// The changes in `since..=today`, one entry per commit and document, newest first.
fn what_changed(facts: &Facts, cfg: &Config, since: Date, today: Date) -> Vec<Change> {
    let found = changes::collect(facts, cfg, |c| c.date >= since && c.date <= today);
    let mut out: Vec<Change> = Vec::new();
    for c in &found.changes {
        let summary = changes::describe(c);
        match out.last_mut() {
            // `collect` sorts by commit, then path: one commit's changes to a file are adjacent.
            Some(last) if last.commit == c.commit.id && last.path == c.path => {
                last.summary.push_str("; ");
                last.summary.push_str(&summary);
            }
            _ => out.push(Change {
                date: c.commit.date,
                time: c.commit.time,
                author: c.commit.author.clone(),
                commit: c.commit.id.clone(),
                path: c.path.clone(),
                title: c.title.clone(),
                summary,
                approximate: c.commit.boundary,
                removed: c.change == ChangeType::Removed,
            }),
        }
    }
    out
}

/// The documents whose last commit is newest, up to `today` (files holding several documents
/// left out).
fn recent(facts: &Facts, per_path: &HashMap<&str, (usize, Kind)>, today: Date) -> Vec<Change> {
    let mut files: Vec<(&str, &FileFacts)> = per_path
        .iter()
        .filter(|(_, (count, _))| *count == 1)
        .filter_map(|(&p, _)| facts.files.get(p).map(|f| (p, f)))
        .filter(|(_, f)| f.last.date <= today)
        .collect();
    let newest_first = |a: &(&str, &FileFacts), b: &(&str, &FileFacts)| {
        (b.1.last.time, a.0).cmp(&(a.1.last.time, b.0))
    };
    if files.len() > RECENT {
        files.select_nth_unstable_by(RECENT, newest_first);
        files.truncate(RECENT);
    }
    files.sort_by(newest_first);
    files
        .into_iter()
        .map(|(path, f)| {
            let created = f.created.id == f.last.id && !f.approximate;
            Change {
                date: f.last.date,
                time: f.last.time,
                author: f.last.author.clone(),
                commit: f.last.id.clone(),
                path: path.to_string(),
                title: None,
                summary: if created { "created" } else { "updated" }.into(),
                approximate: f.last.boundary || facts.missing_objects,
                removed: false,
            }
        })
        .collect()
}

/// The web address of a GitHub or GitLab repository from its `origin` remote:
/// `https://github.com/o/r.git`, `git@github.com:o/r.git`, `ssh://git@gitlab.com/g/r`.
/// Credentials in the URL are dropped; other hosts give `None`.
fn repo_from_origin(url: &str) -> Option<RepoLinks> {
    let url = url.trim();
    let (host, path) = if let Some(rest) = url.strip_prefix("https://") {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        (host, path)
    } else if let Some(rest) = url.strip_prefix("ssh://") {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        // An ssh port is not the web port.
        (host.split_once(':').map_or(host, |(h, _)| h), path)
    } else {
        let (user_host, path) = url.split_once(':')?;
        let (_, host) = user_host.split_once('@')?;
        (host, path)
    };
    let host = host.to_ascii_lowercase();
    let known = ["github.", "gitlab."].iter().any(|p| host.starts_with(p));
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let safe = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
    };
    let host_ok = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-.:".contains(c));
    (known && host_ok && safe(path) && path.contains('/') && !path.contains(".."))
        .then(|| RepoLinks::new(&format!("https://{host}/{path}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(origin: &str) -> Option<String> {
        repo_from_origin(origin).map(|r| r.url)
    }

    #[test]
    fn origin_urls_of_github_and_gitlab_become_web_addresses() {
        let gh = Some("https://github.com/acme/handbook".to_string());
        assert_eq!(url("https://github.com/acme/handbook.git"), gh);
        assert_eq!(url("https://github.com/acme/handbook"), gh);
        assert_eq!(url("git@github.com:acme/handbook.git"), gh);
        assert_eq!(url("ssh://git@github.com/acme/handbook.git"), gh);
        assert_eq!(
            url("https://x-token:s3cret@github.com/acme/handbook.git"),
            gh
        );
        assert_eq!(
            url("git@gitlab.com:acme/product/handbook.git"),
            Some("https://gitlab.com/acme/product/handbook".into())
        );
        assert_eq!(
            url("ssh://git@gitlab.acme.io:2222/ops/handbook.git"),
            Some("https://gitlab.acme.io/ops/handbook".into())
        );
        assert_eq!(url("file:///tmp/handbook"), None);
        assert_eq!(url("/srv/git/handbook.git"), None);
        assert_eq!(url("https://git.example.com/acme/handbook.git"), None);
        assert_eq!(url("https://github.com/acme"), None);
        assert_eq!(url("https://github.com/acme/hand\"book"), None);
    }

    #[test]
    fn gitlab_links_use_its_paths() {
        let gl = RepoLinks::new("https://gitlab.com/acme/handbook/");
        assert_eq!(
            gl.edit("docs/a b.md", None),
            "https://gitlab.com/acme/handbook/-/blob/HEAD/docs/a%20b.md"
        );
        assert_eq!(
            gl.commit("abc"),
            "https://gitlab.com/acme/handbook/-/commit/abc"
        );
        let gh = RepoLinks::new("https://github.com/acme/handbook.git");
        assert_eq!(
            gh.edit("org.yml", Some(12)),
            "https://github.com/acme/handbook/blob/HEAD/org.yml#L12"
        );
        assert_eq!(
            gh.commit("abc"),
            "https://github.com/acme/handbook/commit/abc"
        );
    }
}
