//! Home, Markdown pages and their index, what changed (+ Atom feed), health, sitemap, 404.

use rayon::prelude::*;
use std::collections::BTreeMap;

use crate::diagnostic::Severity;
use crate::error::Error;
use crate::kind::Kind;
use crate::model::{Data, Ref};
use crate::validate::freshness::State;

use super::Site;
use super::href::{self, Linker};
use super::relations::found;
use super::roadmap::{self, BOARD, COLUMNS};
use super::view::{
    ChangeView, ChangesView, FeedView, HealthGroup, HealthView, HomeView, Link, ListEntry,
    ListGroup, ListView, SectionLink, SitemapView, StatusCount,
};

const HOME_NOW: usize = 12;
const HOME_REVIEW: usize = 15;
const HOME_RECENT: usize = 10;
const CHANGES: usize = 200;
const FEED: usize = 50;

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    site.of_kind(Kind::PAGE).par_iter().try_for_each(|&i| {
        site.doc_or_skip(i, || {
            let url = site.hb.docs[i].url();
            let page = site.doc_page(i, "page", None);
            site.page(&url, "page.html", page, "doc", ())
        })
    })?;
    // The root's `index.md` is the home page, in place of the generated one.
    let home_is_a_page = crate::model::links::home_page(site.hb).is_some();
    let gathered: Vec<&str> = [
        "pages.html",
        "index.html",
        "changes.html",
        "feed.xml",
        "health.html",
        "404.html",
    ]
    .into_iter()
    .filter(|u| !(home_is_a_page && *u == "index.html"))
    .collect();
    site.gathered(&gathered, || {
        pages_index(site)?;
        if !home_is_a_page {
            home(site)?;
        }
        changes(site)?;
        feed(site)?;
        health(site)?;
        let mut page = site.generated("404.html", "404", "Page not found");
        page.canonical = None;
        site.page("404.html", "404.html", page, "missing", ())
    })
}

fn pages_index(site: &Site<'_, '_>) -> Result<(), Error> {
    let url = "pages.html";
    let linker = Linker::for_page(url);
    let mut groups: BTreeMap<String, Vec<ListEntry>> = BTreeMap::new();
    for i in site.of_kind(Kind::PAGE) {
        let doc = &site.hb.docs[i];
        let folder = doc.path.rsplit_once('/').map_or("", |(f, _)| f);
        groups
            .entry(folder.to_string())
            .or_default()
            .push(ListEntry {
                link: linker.doc(doc),
                detail: None,
                freshness: site.freshness_view(doc),
            });
    }
    let total = groups.values().map(Vec::len).sum();
    let view = ListView {
        intro: None,
        total,
        groups: groups
            .into_iter()
            .map(|(label, mut entries)| {
                entries.sort_by_key(|e| e.link.title.to_lowercase());
                ListGroup {
                    label: if label.is_empty() {
                        "Top level".into()
                    } else {
                        format!("{label}/")
                    },
                    entries,
                }
            })
            .collect(),
    };
    let page = site.generated(url, "list", "Pages");
    site.page(url, "list.html", page, "list", view)
}

/// How far a team is from the top of the team tree (cycles are cut off).
fn depth(site: &Site<'_, '_>, team: usize) -> usize {
    let hb = site.hb;
    let mut at = team;
    for n in 0..hb.docs.len() {
        match hb.docs[at]
            .team()
            .and_then(|t| t.parent.as_ref())
            .and_then(|r| found(hb, r))
        {
            Some(parent) => at = parent,
            None => return n,
        }
    }
    usize::MAX
}

/// The mission of the charter of the highest team in the tree (else the first charter).
fn mission(site: &Site<'_, '_>, linker: &Linker) -> (Option<String>, Option<Link>) {
    let hb = site.hb;
    let chosen = site
        .of_kind(Kind::CHARTER)
        .into_iter()
        .filter(|&i| hb.docs[i].charter().is_some_and(|c| c.mission.is_some()))
        .min_by_key(|&i| {
            hb.docs[i]
                .charter()
                .and_then(|c| c.team.as_ref())
                .and_then(|r| found(hb, r))
                .map_or(usize::MAX, |t| depth(site, t))
        });
    match chosen.map(|i| &hb.docs[i]) {
        Some(doc) => (
            doc.charter()
                .and_then(|c| c.mission.as_ref())
                .map(|m| m.value.clone()),
            Some(linker.doc(doc)),
        ),
        None => (None, None),
    }
}

fn change_view(site: &Site<'_, '_>, c: &super::facts::Change, linker: &Linker) -> ChangeView {
    // A change to an entry of `org.yml` is the entry's; any other, the file's.
    let doc = match &c.handle {
        Some(handle) => handle.split_once(':').and_then(|(kind, id)| {
            let kind = site.cfg.kinds.parse(kind)?;
            site.hb.get(kind, id).filter(|d| d.path == c.path)
        }),
        None => site.hb.by_path(&c.path),
    }
    .filter(|_| !c.removed);
    let link = match doc {
        Some(d) => linker.doc(d),
        None => Link {
            title: c.title.clone().unwrap_or_else(|| c.path.clone()),
            href: None,
            kind: String::new(),
            handle: c.path.clone(),
        },
    };
    let url = doc.and_then(|d| {
        site.cfg
            .base_url
            .as_deref()
            .map(|b| href::absolute(b, &d.url()))
    });
    ChangeView {
        date: c.date.to_string(),
        timestamp: timestamp(c.time),
        approximate: c.approximate,
        author: c.author.clone(),
        commit_url: site.facts.commit_url(&c.commit),
        commit: c.commit.clone(),
        summary: c.summary.clone(),
        doc: link,
        url,
    }
}

/// Seconds since the epoch as an RFC 3339 UTC time (`2026-03-02T09:30:00Z`).
fn timestamp(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn home(site: &Site<'_, '_>) -> Result<(), Error> {
    let url = "index.html";
    let linker = Linker::for_page(url);
    let hb = site.hb;
    let items = site.of_kind(Kind::ROADMAP_ITEM);
    let status_of = |i: usize| hb.docs[i].roadmap().and_then(|x| x.status());
    let counts = COLUMNS
        .iter()
        .map(|(status, label, _)| StatusCount {
            status: status.to_string(),
            label: label.to_string(),
            count: items
                .iter()
                .filter(|&&i| status_of(i) == Some(status))
                .count(),
            href: linker.href(&format!("{BOARD}#col-{status}")),
        })
        .collect();
    let mut now: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| status_of(i) == Some("now"))
        .collect();
    roadmap::sort_column(site, "now", &mut now);
    let at_risk = at_risk(site, &items);
    let mut review: Vec<(jiff::civil::Date, usize)> = (0..hb.docs.len())
        .filter_map(|i| site.freshness(&hb.docs[i]).map(|f| (f, i)))
        .filter(|(f, _)| f.state != State::Fresh)
        .map(|(f, i)| (f.due, i))
        .collect();
    review.sort();
    let mut sections: Vec<(String, String, Kind)> = [
        ("Roadmap items", BOARD, Kind::ROADMAP_ITEM),
        ("Objectives", "objectives/index.html", Kind::OBJECTIVE),
        ("Metrics", "metrics/index.html", Kind::METRIC),
        ("Launches", "launches/index.html", Kind::LAUNCH),
        ("Charters", "charters/index.html", Kind::CHARTER),
        ("Processes", "processes/index.html", Kind::PROCESS),
        ("Teams", "teams/index.html", Kind::TEAM),
        ("Roles", "roles/index.html", Kind::ROLE),
        ("People", "people/index.html", Kind::PERSON),
    ]
    .into_iter()
    .map(|(l, t, k)| (l.to_string(), t.to_string(), k))
    .collect();
    sections.extend(
        site.cfg
            .kinds
            .custom()
            .map(|s| (s.plural.clone(), s.index_url(), s.kind)),
    );
    sections.push(("Pages".into(), "pages.html".into(), Kind::PAGE));
    let sections = sections
        .into_iter()
        .filter(|(_, target, kind)| {
            site.used.contains(kind) && site.cfg.shows_section(target, &site.used) != Some(false)
        })
        .map(|(label, target, kind)| SectionLink {
            label,
            href: linker.href(&target),
            count: site.of_kind(kind).len(),
        })
        .collect();
    let (mission, mission_source) = mission(site, &linker);
    let view = HomeView {
        mission,
        mission_source,
        roadmap: site.used.contains(&Kind::ROADMAP_ITEM),
        counts,
        now: now
            .iter()
            .take(HOME_NOW)
            .map(|&i| roadmap::card(site, i, &linker))
            .collect(),
        now_more: now.len().saturating_sub(HOME_NOW),
        at_risk_more: at_risk.len().saturating_sub(HOME_NOW),
        at_risk: at_risk
            .iter()
            .take(HOME_NOW)
            .map(|&i| roadmap::card(site, i, &linker))
            .collect(),
        recent: site
            .facts
            .recent
            .iter()
            .take(HOME_RECENT)
            .map(|c| change_view(site, c, &linker))
            .collect(),
        review: review
            .iter()
            .take(HOME_REVIEW)
            .map(|&(_, i)| ListEntry {
                link: linker.doc(&hb.docs[i]),
                detail: Some(super::kind_label(site.cfg, hb.docs[i].kind).to_string()),
                freshness: site.freshness_view(&hb.docs[i]),
            })
            .collect(),
        review_more: review.len().saturating_sub(HOME_REVIEW),
        sections,
        warnings: site
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count(),
        health_href: linker.href("health.html"),
        changes_href: linker.href("changes.html"),
    };
    let mut page = site.generated(url, "home", &site.cfg.title);
    page.description = view.mission.clone();
    site.page(url, "index.html", page, "home", view)
}

/// Items in Now or Next that are off track, at risk or late, the most worrying first.
fn at_risk(site: &Site<'_, '_>, items: &[usize]) -> Vec<usize> {
    let hb = site.hb;
    let mut out: Vec<(u8, Option<jiff::civil::Date>, String, usize)> = items
        .iter()
        .filter_map(|&i| {
            let x = hb.docs[i].roadmap()?;
            if !matches!(x.status(), Some("now" | "next")) {
                return None;
            }
            let rank = match x.health() {
                Some("off-track") => 0,
                Some("at-risk") => 1,
                _ => 2,
            };
            let late = x.late(site.today);
            (rank < 2 || late.is_some()).then(|| (rank, late, hb.docs[i].title.to_lowercase(), i))
        })
        .collect();
    // Late ones before on-time ones of the same health, the longest late first.
    out.sort_by_key(|(rank, late, title, i)| (*rank, late.is_none(), *late, title.clone(), *i));
    out.into_iter().map(|(.., i)| i).collect()
}

fn changes(site: &Site<'_, '_>) -> Result<(), Error> {
    let url = "changes.html";
    let linker = Linker::for_page(url);
    let all = &site.facts.changes;
    let view = ChangesView {
        entries: all
            .iter()
            .take(CHANGES)
            .map(|c| change_view(site, c, &linker))
            .collect(),
        more: all.len().saturating_sub(CHANGES),
        since: site.facts.since.map(|d| d.to_string()),
        history_cut: site.facts.history_cut,
        feed_href: linker.href("feed.xml"),
    };
    let page = site.generated(url, "changes", "What changed");
    site.page(url, "changes.html", page, "changes", view)
}

fn feed(site: &Site<'_, '_>) -> Result<(), Error> {
    let url = "feed.xml";
    let linker = Linker::for_page(url);
    let base = site.cfg.base_url.clone();
    // The newest change, else the build's today: never the clock.
    let updated = site.facts.changes.first().map_or_else(
        || format!("{}T00:00:00Z", site.today),
        |c| timestamp(c.time),
    );
    let view = FeedView {
        id: match &base {
            Some(b) => format!("{b}feed.xml"),
            None => format!("urn:opsbook:{}", crate::values::suggest_id(&site.cfg.title)),
        },
        updated,
        self_url: base.as_ref().map(|b| format!("{b}feed.xml")),
        site_url: base.unwrap_or_else(|| "index.html".into()),
        entries: site
            .facts
            .changes
            .iter()
            .take(FEED)
            .map(|c| change_view(site, c, &linker))
            .collect(),
    };
    let page = site.generated(url, "feed", "What changed");
    site.page(url, "feed.xml", page, "feed", view)
}

/// The owner a finding is grouped under: the item's or process's owner, the charter's team.
fn owner_of(site: &Site<'_, '_>, doc: usize) -> Option<usize> {
    let hb = site.hb;
    let r: Option<&Ref> = match &hb.docs[doc].data {
        Data::RoadmapItem(x) => x.owner.as_ref(),
        Data::Process(p) => p.owner.as_ref(),
        Data::Charter(c) => c.team.as_ref(),
        _ => None,
    };
    r.and_then(|r| found(hb, r))
}

fn health(site: &Site<'_, '_>) -> Result<(), Error> {
    let url = "health.html";
    let linker = Linker::for_page(url);
    // Group key: (no owner?, owner title, owner index).
    let mut groups: BTreeMap<(bool, String, usize), HealthGroup> = BTreeMap::new();
    let (mut warnings, mut notes) = (0, 0);
    for d in site.diagnostics {
        match d.severity {
            Severity::Error => continue,
            Severity::Warning => warnings += 1,
            Severity::Info => notes += 1,
        }
        let doc = super::doc_of(site.hb, d);
        let owner = doc.and_then(|i| owner_of(site, i));
        let key = match owner {
            Some(o) => (false, site.hb.docs[o].title.to_lowercase(), o),
            None => (true, String::new(), 0),
        };
        groups
            .entry(key)
            .or_insert_with(|| HealthGroup {
                owner: owner.map(|o| linker.doc(&site.hb.docs[o])),
                findings: Vec::new(),
            })
            .findings
            .push(site.finding(d, doc, &linker));
    }
    let view = HealthView {
        groups: groups.into_values().collect(),
        warnings,
        notes,
    };
    let page = site.generated(url, "health", "Health");
    site.page(url, "health.html", page, "health", view)
}

/// `sitemap.xml` over every page made so far (call it last).
pub fn sitemap(site: &Site<'_, '_>) -> Result<(), Error> {
    let base = site.cfg.base_url.clone();
    let urls = site
        .written()
        .iter()
        .filter(|u| u.ends_with(".html") && *u != "404.html")
        .map(|u| {
            let path = u.strip_suffix("index.html").unwrap_or(u);
            match &base {
                Some(b) => href::absolute(b, path),
                None => Linker::for_page("sitemap.xml").href(u),
            }
        })
        .collect();
    let url = "sitemap.xml";
    let page = site.generated(url, "sitemap", "Sitemap");
    site.page(url, "sitemap.xml", page, "sitemap", &SitemapView { urls })
}
