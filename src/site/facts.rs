//! The git stage's facts turned into what the site shows ([`SiteFacts`]): per document its last
//! commit and edit link, its history (of its file, or of its entry of `org.yml`), the
//! what-changed list (from
//! [`changes::collect`]) and the recently changed documents. Everything is looked up by path in
//! maps built once; nothing scans all changes per page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::changes::{self, ChangeType};
use crate::config::Config;
use crate::git::{self, Event, Facts, FileFacts, HistoryEntry, REGISTRY};
use crate::kind::Kind;
use crate::model::{Handbook, Resolved};
use crate::render::facts::{Change, DocFacts, RepoLinks, Revision, RevisionEvent, SiteFacts};

/// The what-changed page and the feed cover this many days before `today`.
pub const WINDOW_DAYS: i32 = 90;
/// Recently changed documents on the home page.
pub const RECENT: usize = 10;
/// The fields of a roadmap item's status history, in display order (other kinds show their
/// fields with `history: true` in the order the spec declares them).
const ROADMAP_FIELDS: &[&str] = &["status", "health", "target", "owner", "score"];

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
        .filter_map(|(&path, &held)| {
            Some((path.to_string(), file_facts(facts, hb, cfg, path, held)?))
        })
        .collect();
    let entries = entries(facts, hb, cfg);
    let since = today.checked_sub(WINDOW_DAYS.days()).unwrap_or(Date::MIN);
    SiteFacts {
        available: true,
        docs,
        entries,
        changes: what_changed(facts, hb, cfg, since, today),
        since: Some(since),
        history_cut: facts.history_cut(),
        recent: recent(facts, &per_path, today),
        repo,
        flow: crate::flow::Flow::of(facts, hb, today),
        trends: crate::trend::of_handbook(facts, hb),
    }
}

/// The site's facts again for the documents of the files at `paths` (their documents changed,
/// or what git says of them), the recently changed documents, the flow and the key-result
/// trends: the same as [`site_facts`] makes when nothing else changed (the history, the date,
/// the config). An edit to a person, role or team (or a file that is gone) may rename an owner
/// that histories and the what-changed list show by name: then every file's facts are made
/// again. Returns the paths whose facts changed.
pub fn update(
    site: &mut SiteFacts,
    facts: &Facts,
    hb: &Handbook,
    cfg: &Config,
    today: Date,
    paths: &BTreeSet<String>,
) -> Vec<String> {
    let per_path = per_path(hb);
    let names = paths.iter().any(|p| {
        per_path
            .get(p.as_str())
            .is_none_or(|(_, kind)| [Kind::PERSON, Kind::ROLE, Kind::TEAM].contains(kind))
    });
    let all: BTreeSet<String>;
    let paths = if names {
        all = per_path
            .keys()
            .map(|p| p.to_string())
            .chain(site.docs.keys().cloned())
            .collect();
        &all
    } else {
        paths
    };
    let mut changed = Vec::new();
    if names {
        let new = entries(facts, hb, cfg);
        if new != site.entries {
            site.entries = new;
            changed.push(REGISTRY.to_string());
        }
        if let Some(since) = site.since {
            site.changes = what_changed(facts, hb, cfg, since, today);
        }
    }
    for path in paths {
        let new = per_path
            .get(path.as_str())
            .and_then(|&held| file_facts(facts, hb, cfg, path, held));
        if site.docs.get(path) != new.as_ref() {
            if !changed.contains(path) {
                changed.push(path.clone());
            }
            match new {
                Some(d) => site.docs.insert(path.clone(), d),
                None => site.docs.remove(path),
            };
        }
    }
    site.recent = recent(facts, &per_path, today);
    site.flow = crate::flow::Flow::of(facts, hb, today);
    site.trends = crate::trend::of_handbook(facts, hb);
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
fn file_facts(
    facts: &Facts,
    hb: &Handbook,
    cfg: &Config,
    path: &str,
    (count, kind): (usize, Kind),
) -> Option<DocFacts> {
    let shared = count > 1;
    match facts.files.get(path) {
        Some(f) => Some(doc_facts(
            facts,
            hb,
            path,
            f,
            shared,
            history_fields(cfg, kind),
        )),
        None if facts.new_files.contains(path) => Some(DocFacts {
            modified_locally: true,
            shared,
            ..DocFacts::default()
        }),
        None => None,
    }
}

/// The history of each entry of `org.yml`, by `kind:id`.
fn entries(facts: &Facts, hb: &Handbook, cfg: &Config) -> BTreeMap<String, Vec<Revision>> {
    facts
        .registry
        .iter()
        .filter_map(|(handle, history)| {
            let kind = cfg.kinds.parse(handle.split_once(':')?.0)?;
            let fields = history_fields(cfg, kind);
            let revisions = history
                .iter()
                .filter_map(|e| revision(hb, e, &fields))
                .collect();
            Some((handle.clone(), revisions))
        })
        .collect()
}

/// A field a history shows, and for a list tracked per entry the key of each entry's value.
type Field<'a> = (&'a str, Option<&'static str>);

/// The fields a kind's history shows on the site.
fn history_fields(cfg: &Config, kind: Kind) -> Vec<Field<'_>> {
    if kind == Kind::ROADMAP_ITEM {
        return ROADMAP_FIELDS.iter().map(|&f| (f, None)).collect();
    }
    cfg.kinds
        .spec(kind)
        .fields
        .iter()
        .filter(|f| f.history)
        .map(|f| (&*f.name, f.ty.entry_value()))
        .collect()
}

fn doc_facts(
    facts: &Facts,
    hb: &Handbook,
    path: &str,
    f: &FileFacts,
    shared: bool,
    fields: Vec<Field<'_>>,
) -> DocFacts {
    DocFacts {
        updated: Some(f.last.date),
        author: Some(f.last.author.clone()),
        commit: Some(f.last.id.clone()),
        // The same rule as review dates from git (`validate::freshness::git_date`).
        approximate: f.last.boundary,
        repo_path: Some(format!("{}{path}", facts.prefix)),
        modified_locally: f.modified_locally,
        shared,
        registry: path == REGISTRY,
        history: if path == REGISTRY || fields.is_empty() {
            Vec::new()
        } else {
            let history = facts.history_of(path).iter();
            history.filter_map(|e| revision(hb, e, &fields)).collect()
        },
    }
}

/// One entry of a document's history, when it changed one of `fields` (or created, moved or
/// first saw the document); owners shown by name.
fn revision(hb: &Handbook, e: &HistoryEntry, fields: &[Field<'_>]) -> Option<Revision> {
    let event = match e.event {
        Event::Added if e.commit.boundary => RevisionEvent::Earliest,
        Event::Added => RevisionEvent::Created,
        Event::Renamed => RevisionEvent::Renamed,
        Event::Modified => RevisionEvent::Changed,
        Event::Removed => RevisionEvent::Removed,
    };
    let changes: Vec<_> = fields
        .iter()
        .flat_map(|&(field, entry_value)| {
            let shown = |v: &Option<String>| v.as_deref().map(|v| shown(hb, field, v));
            let own = e
                .changes
                .get(field)
                .map(|[a, b]| (field.to_string(), shown(a), shown(b)));
            // A list tracked per entry: each entry whose value changed (`activation: current`).
            let entries = entry_value.into_iter().flat_map(move |value| {
                e.changes.iter().filter_map(move |(key, [a, b])| {
                    let (_, id) = git::entry_of(key).filter(|(f, _)| *f == field)?;
                    Some((changes::entry_label(id, value), a.clone(), b.clone()))
                })
            });
            own.into_iter().chain(entries)
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

/// A value of a history field as people read it: an owner by its name (`role:product-manager`
/// → `Product Manager`), when it names a document of the handbook; anything else as written.
fn shown(hb: &Handbook, field: &str, value: &str) -> String {
    if field != "owner" {
        return value.to_string();
    }
    let Ok((kind, id)) = crate::model::fields::parse_ref(value, Some(&hb.kinds)) else {
        return value.to_string();
    };
    match hb.resolve(kind, &id, &[Kind::PERSON, Kind::ROLE, Kind::TEAM]) {
        Resolved::Found(i) => hb.docs[i].title.clone(),
        _ => value.to_string(),
    }
}

/// The changes in `since..=today`, one entry per commit and document, newest first.
fn what_changed(
    facts: &Facts,
    hb: &Handbook,
    cfg: &Config,
    since: Date,
    today: Date,
) -> Vec<Change> {
    let found = changes::collect(facts, cfg, |c| c.date >= since && c.date <= today);
    let mut out: Vec<Change> = Vec::new();
    for c in &found.changes {
        let mut named = c.clone();
        if c.change == ChangeType::Owner {
            named.from = c.from.as_deref().map(|v| shown(hb, "owner", v));
            named.to = c.to.as_deref().map(|v| shown(hb, "owner", v));
        }
        let summary = changes::describe(&named);
        let handle = (c.path == REGISTRY).then(|| format!("{}:{}", c.kind, c.id));
        match out.last_mut() {
            // `collect` sorts by commit, path, then entry: one commit's changes to a document
            // are adjacent.
            Some(last)
                if last.commit == c.commit.id && last.path == c.path && last.handle == handle =>
            {
                last.summary.push_str("; ");
                last.summary.push_str(&summary);
            }
            _ => out.push(Change {
                handle,
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
                handle: None,
                date: f.last.date,
                time: f.last.time,
                author: f.last.author.clone(),
                commit: f.last.id.clone(),
                path: path.to_string(),
                title: None,
                summary: if created { "created" } else { "updated" }.into(),
                approximate: f.last.boundary,
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
