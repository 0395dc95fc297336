//! Charters with their RACI matrix, and the registry: person, role and team pages, each listing
//! everything it owns or holds, plus their index pages.

use crate::error::Error;
use crate::kind::Kind;
use crate::model::{Data, RaciRow};
use rayon::prelude::*;

use super::Site;
use super::href::Linker;
use super::relations::{found, get};
use super::view::{
    CharterView, Link, ListEntry, ListGroup, ListView, PersonView, RaciRowView, RaciTable,
    RoleView, TeamView,
};

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let page: fn(&Site<'_, '_>, usize) -> Result<(), Error> = |site, i| match site.hb.docs[i].kind {
        Kind::CHARTER => charter(site, i),
        Kind::PERSON => person(site, i),
        Kind::ROLE => role(site, i),
        _ => team(site, i),
    };
    [Kind::CHARTER, Kind::PERSON, Kind::ROLE, Kind::TEAM]
        .iter()
        .flat_map(|&k| site.of_kind(k))
        .collect::<Vec<_>>()
        .par_iter()
        .try_for_each(|&i| site.doc_or_skip(i, || page(site, i)))?;
    let indexes = [
        (Kind::CHARTER, "Charters"),
        (Kind::PERSON, "People"),
        (Kind::ROLE, "Roles"),
        (Kind::TEAM, "Teams"),
    ];
    let urls: Vec<String> = indexes
        .iter()
        .map(|(k, _)| format!("{}/index.html", k.folder()))
        .collect();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    site.gathered(&urls, || {
        indexes
            .iter()
            .try_for_each(|&(kind, title)| index(site, kind, title))
    })
}

/// A RACI matrix: parties as columns (`first` in order, then others as they appear).
pub fn raci_table(
    site: &Site<'_, '_>,
    rows: &[RaciRow],
    first: &[Link],
    linker: &Linker,
) -> RaciTable {
    let hb = site.hb;
    let mut parties: Vec<Link> = first.to_vec();
    for row in rows {
        for (_, r) in row.parties() {
            let link = linker.reference(hb, r);
            if !parties.iter().any(|p| p.handle == link.handle) {
                parties.push(link);
            }
        }
    }
    let rows = rows
        .iter()
        .map(|row| {
            let cells = parties
                .iter()
                .map(|p| {
                    let held: Vec<char> = row
                        .parties()
                        .filter(|(_, r)| linker.reference(hb, r).handle == p.handle)
                        .map(|(l, _)| l)
                        .collect();
                    super::relations::letters(&held)
                })
                .collect();
            RaciRowView {
                id: row.id.as_ref().map(|s| s.value.clone()),
                activity: activity(row),
                process: row.process.as_ref().map(|r| linker.reference(hb, r)),
                cells,
            }
        })
        .collect();
    RaciTable { parties, rows }
}

/// What a RACI row is about: its activity, else its id.
fn activity(row: &RaciRow) -> String {
    row.activity
        .as_ref()
        .map_or_else(|| row.label(), |a| a.value.clone())
}

fn charter(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let (doc, url, linker) = site.at(i);
    let Data::Charter(c) = &doc.data else {
        return Ok(());
    };
    let roles = linker.references(site.hb, &c.roles);
    let view = CharterView {
        team: c.team.as_ref().map(|r| linker.reference(site.hb, r)),
        mission: c.mission.as_ref().map(|m| m.value.clone()),
        scope_in: c.scope_in.clone(),
        scope_out: c.scope_out.clone(),
        raci: raci_table(site, &c.responsibilities, &roles, &linker),
        roles,
    };
    let description = view.mission.clone();
    let page = site.doc_page(i, "charter", description);
    site.page(&url, "charter.html", page, "charter", view)
}

fn doc_links(site: &Site<'_, '_>, ids: &[usize], linker: &Linker) -> Vec<Link> {
    ids.iter().map(|&d| linker.doc(&site.hb.docs[d])).collect()
}

fn person(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let hb = site.hb;
    let (doc, url, linker) = site.at(i);
    let Data::Person(p) = &doc.data else {
        return Ok(());
    };
    let view = PersonView {
        name: p
            .name
            .as_ref()
            .map_or_else(|| doc.title.clone(), |n| n.value.clone()),
        email: p.email.as_ref().map(|e| e.value.clone()),
        status: p.status().to_string(),
        roles: linker.references(hb, &p.roles),
        teams: linker.references(hb, &p.teams),
        manager: p.manager.as_ref().map(|r| linker.reference(hb, r)),
        reports: doc_links(site, get(&site.rel.reports, i), &linker),
        leads: doc_links(site, get(&site.rel.leads, i), &linker),
        holds: super::ownership::holdings(site, i, &linker),
    };
    let page = site.doc_page(i, "person", None);
    site.page(&url, "person.html", page, "person", view)
}

fn role(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let hb = site.hb;
    let (doc, url, linker) = site.at(i);
    let Data::Role(r) = &doc.data else {
        return Ok(());
    };
    let view = RoleView {
        responsibilities: r.responsibilities.clone(),
        reports_to: r.reports_to.as_ref().map(|x| linker.reference(hb, x)),
        reporting_roles: doc_links(site, get(&site.rel.reporting_roles, i), &linker),
        holders: doc_links(site, get(&site.rel.holders, i), &linker),
        holds: super::ownership::holdings(site, i, &linker),
    };
    let description = r.responsibilities.first().cloned();
    let page = site.doc_page(i, "role", description);
    site.page(&url, "role.html", page, "role", view)
}

fn team(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let hb = site.hb;
    let (doc, url, linker) = site.at(i);
    let Data::Team(t) = &doc.data else {
        return Ok(());
    };
    let has_items = !get(&site.rel.team_items, i).is_empty();
    let view = TeamView {
        name: t
            .name
            .as_ref()
            .map_or_else(|| doc.title.clone(), |n| n.value.clone()),
        lead: t.lead.as_ref().map(|r| linker.reference(hb, r)),
        parent: t.parent.as_ref().map(|r| linker.reference(hb, r)),
        subteams: doc_links(site, get(&site.rel.subteams, i), &linker),
        members: doc_links(site, get(&site.rel.members, i), &linker),
        charters: doc_links(site, get(&site.rel.charters, i), &linker),
        board_href: has_items.then(|| linker.href(&format!("roadmap/team/{}.html", doc.id))),
        holds: super::ownership::holdings(site, i, &linker),
    };
    let page = site.doc_page(i, "team", None);
    site.page(&url, "team.html", page, "team", view)
}

/// One line about an entry on its kind's index page.
fn detail(site: &Site<'_, '_>, i: usize) -> Option<String> {
    let hb = site.hb;
    let doc = &hb.docs[i];
    let title = |r: &Option<crate::model::Ref>| {
        r.as_ref()
            .and_then(|r| hb.target(r))
            .map(|d| d.title.clone())
    };
    let titles = |refs: &[crate::model::Ref]| {
        refs.iter()
            .filter_map(|r| found(hb, r))
            .map(|d| hb.docs[d].title.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let text = match &doc.data {
        Data::Charter(c) => title(&c.team).map(|t| format!("Team: {t}")),
        Data::Person(p) => Some(
            [titles(&p.roles), titles(&p.teams)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
        ),
        Data::Role(_) => {
            let n = get(&site.rel.holders, i).len();
            Some(format!("{n} {}", if n == 1 { "holder" } else { "holders" }))
        }
        Data::Team(t) => title(&t.lead).map(|l| format!("Lead: {l}")),
        _ => None,
    };
    text.filter(|s| !s.is_empty())
}

fn index(site: &Site<'_, '_>, kind: Kind, title: &str) -> Result<(), Error> {
    let url = format!("{}/index.html", kind.folder());
    let linker = Linker::for_page(&url);
    let mut entries: Vec<ListEntry> = site
        .of_kind(kind)
        .into_iter()
        .map(|i| {
            let doc = &site.hb.docs[i];
            ListEntry {
                link: linker.doc(doc),
                detail: detail(site, i),
                freshness: site.freshness_view(doc),
            }
        })
        .collect();
    entries.sort_by(|a, b| {
        a.link
            .title
            .to_lowercase()
            .cmp(&b.link.title.to_lowercase())
    });
    let view = ListView {
        intro: None,
        total: entries.len(),
        groups: vec![ListGroup {
            label: String::new(),
            entries,
        }],
    };
    let page = site.generated(&url, "list", title);
    site.page(&url, "list.html", page, "list", view)
}
