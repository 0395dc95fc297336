//! Who owns what: what a person, role or team owns or holds — directly, and through the roles a
//! person holds (or a team's members hold), each such entry marked with the role — and the
//! Ownership page: every owner with counts, the people with nothing, the things with nobody.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::Error;
use crate::kind::Kind;
use crate::model::{Data, Ref};

use super::Site;
use super::href::Linker;
use super::launch::{LaunchCard, launch_card};
use super::okr::{ObjectiveCard, objective_card};
use super::relations::{found, get};
use super::roadmap::card;
use super::view::{ItemCard, Link};

pub const OWNERSHIP: &str = "ownership.html";

/// One thing held, and the role it is held through (`None`: held directly).
#[derive(Debug, Clone, Serialize)]
pub struct Held<T> {
    #[serde(flatten)]
    pub value: T,
    pub via: Option<Link>,
}

/// What a person, role or team owns or holds. On a person's page this includes what the roles
/// they hold own (marked with `via`); on a team's page, what the roles its members hold own.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Holdings {
    /// Roadmap items it owns (or, for a team, that name it as `team`).
    pub items: Vec<Held<ItemCard>>,
    pub processes: Vec<Held<Link>>,
    /// Processes it takes part in.
    pub participates: Vec<Held<Link>>,
    /// Its RACI letters, one entry per activity.
    pub raci: Vec<Held<RaciLetters>>,
    /// Objectives it owns (or, for a team, pursues).
    pub objectives: Vec<Held<ObjectiveCard>>,
    /// Key results it owns: `{objective, title}`.
    pub key_results: Vec<Held<OwnedKeyResult>>,
    pub metrics: Vec<Held<Link>>,
    pub launches: Vec<Held<LaunchCard>>,
    /// How many things in all (RACI letters included).
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RaciLetters {
    pub letters: String,
    pub activity: String,
    /// The charter or process the activity belongs to.
    pub source: Link,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnedKeyResult {
    pub objective: Link,
    pub title: String,
}

/// Add `value` to `list` unless the same thing (by `key`) is there already: what is held
/// directly wins over the same thing held through a role, and one role's over another's.
fn add<T, K: PartialEq>(
    list: &mut Vec<Held<T>>,
    value: T,
    via: Option<&Link>,
    key: impl Fn(&T) -> K,
) {
    let k = key(&value);
    if !list.iter().any(|h| key(&h.value) == k) {
        list.push(held(value, via));
    }
}

/// What party `i` owns or holds itself, each entry marked `via`.
fn direct(site: &Site<'_, '_>, i: usize, via: Option<&Link>, linker: &Linker, out: &mut Holdings) {
    let hb = site.hb;
    let rel = &site.rel;
    let mut items: Vec<usize> = get(&rel.owned_items, i).to_vec();
    items.extend(get(&rel.team_items, i));
    let mut objectives: Vec<usize> = get(&rel.owned_objectives, i).to_vec();
    objectives.extend(get(&rel.team_objectives, i));
    let handle = |l: &Link| l.handle.clone();
    for d in sorted(items) {
        add(&mut out.items, card(site, d, linker), via, |c| c.id.clone());
    }
    for (ids, list) in [
        (get(&rel.owned_processes, i), &mut out.processes),
        (get(&rel.participates, i), &mut out.participates),
        (get(&rel.owned_metrics, i), &mut out.metrics),
    ] {
        for &d in ids {
            add(list, linker.doc(&hb.docs[d]), via, handle);
        }
    }
    for d in sorted(objectives) {
        add(
            &mut out.objectives,
            objective_card(site, d, linker),
            via,
            |c| handle(&c.link),
        );
    }
    for &(o, n) in rel.owned_key_results.get(&i).map_or(&[][..], Vec::as_slice) {
        let Some(kr) = hb.docs[o].objective().and_then(|x| x.key_results.get(n)) else {
            continue;
        };
        let title = kr
            .title
            .as_ref()
            .map_or_else(|| kr.label(), |t| t.value.clone());
        let objective = linker.doc(&hb.docs[o]);
        add(
            &mut out.key_results,
            OwnedKeyResult { objective, title },
            via,
            |k| (k.objective.handle.clone(), k.title.clone()),
        );
    }
    for &d in get(&rel.owned_launches, i) {
        add(&mut out.launches, launch_card(site, d, linker), via, |c| {
            handle(&c.link)
        });
    }
    for (d, n, letters) in rel.raci.get(&i).map_or(&[][..], Vec::as_slice) {
        let source = &hb.docs[*d];
        let rows = match &source.data {
            Data::Charter(c) => &c.responsibilities,
            Data::Process(p) => &p.raci,
            _ => continue,
        };
        let Some(row) = rows.get(*n) else { continue };
        let activity = row
            .activity
            .as_ref()
            .map_or_else(|| row.label(), |a| a.value.clone());
        let source = linker.doc(source);
        add(
            &mut out.raci,
            RaciLetters {
                letters: letters.clone(),
                activity,
                source,
            },
            via,
            |r| (r.source.handle.clone(), r.activity.clone()),
        );
    }
}

fn held<T>(value: T, via: Option<&Link>) -> Held<T> {
    Held {
        value,
        via: via.cloned(),
    }
}

fn sorted(mut ids: Vec<usize>) -> Vec<usize> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The roles party `i` holds: a person's own; a team's members' (each once).
fn roles_of(site: &Site<'_, '_>, i: usize) -> Vec<usize> {
    let hb = site.hb;
    let people: Vec<usize> = match hb.docs[i].kind {
        Kind::PERSON => vec![i],
        Kind::TEAM => get(&site.rel.members, i).to_vec(),
        _ => Vec::new(),
    };
    let mut roles = Vec::new();
    for p in people {
        let Some(person) = hb.docs[p].person() else {
            continue;
        };
        for r in &person.roles {
            if let Some(t) = found(hb, r).filter(|&t| hb.docs[t].kind == Kind::ROLE)
                && !roles.contains(&t)
            {
                roles.push(t);
            }
        }
    }
    roles
}

/// Everything party `i` owns or holds: directly, then through roles.
pub fn holdings(site: &Site<'_, '_>, i: usize, linker: &Linker) -> Holdings {
    let mut out = Holdings::default();
    direct(site, i, None, linker, &mut out);
    for r in roles_of(site, i) {
        let via = linker.doc(&site.hb.docs[r]);
        direct(site, r, Some(&via), linker, &mut out);
    }
    out.total = out.items.len()
        + out.processes.len()
        + out.raci.len()
        + out.objectives.len()
        + out.key_results.len()
        + out.metrics.len()
        + out.launches.len();
    out
}

/// One owner on the Ownership page.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerRow {
    pub owner: Link,
    /// Counts, direct and through roles together.
    pub items: usize,
    pub objectives: usize,
    pub key_results: usize,
    pub metrics: usize,
    pub launches: usize,
    pub processes: usize,
    /// RACI activities where it is accountable or responsible.
    pub accountable: usize,
    pub total: usize,
    /// Of `total`, how many are held through roles.
    pub via_roles: usize,
}

/// A thing nobody answers for.
#[derive(Debug, Clone, Serialize)]
pub struct Orphan {
    pub link: Link,
    /// `Roadmap item`, `Objective`…
    pub kind_label: String,
    /// Why: `no owner`, `owner Analyst is a role nobody holds`, `owner Bo has left`.
    pub reason: String,
}

/// `ownership` in `ownership.html`.
#[derive(Debug, Clone, Serialize)]
pub struct OwnershipView {
    /// People, roles and teams that own or hold something, the most first.
    pub owners: Vec<OwnerRow>,
    /// Active people who own or hold nothing, not even through a role.
    pub idle: Vec<Link>,
    /// Roadmap items in Now or Next, objectives, metrics, launches and processes in play that
    /// nobody answers for.
    pub orphans: Vec<Orphan>,
}

fn row(site: &Site<'_, '_>, i: usize, linker: &Linker) -> OwnerRow {
    let h = holdings(site, i, linker);
    let accountable = h
        .raci
        .iter()
        .filter(|r| r.value.letters.contains('A') || r.value.letters.contains('R'))
        .count();
    let via_roles = [
        h.items.iter().filter(|x| x.via.is_some()).count(),
        h.processes.iter().filter(|x| x.via.is_some()).count(),
        h.raci.iter().filter(|x| x.via.is_some()).count(),
        h.objectives.iter().filter(|x| x.via.is_some()).count(),
        h.key_results.iter().filter(|x| x.via.is_some()).count(),
        h.metrics.iter().filter(|x| x.via.is_some()).count(),
        h.launches.iter().filter(|x| x.via.is_some()).count(),
    ]
    .iter()
    .sum();
    OwnerRow {
        owner: linker.doc(&site.hb.docs[i]),
        items: h.items.len(),
        objectives: h.objectives.len(),
        key_results: h.key_results.len(),
        metrics: h.metrics.len(),
        launches: h.launches.len(),
        processes: h.processes.len(),
        accountable,
        total: h.total,
        via_roles,
    }
}

/// Why nobody answers for a thing owned by `owner` (`None`: somebody does).
fn nobody(site: &Site<'_, '_>, owner: Option<&Ref>, held: &HashSet<usize>) -> Option<String> {
    let hb = site.hb;
    let Some(r) = owner else {
        return Some("no owner".into());
    };
    let t = found(hb, r)?;
    let doc = &hb.docs[t];
    match doc.kind {
        Kind::ROLE if !held.contains(&t) => {
            Some(format!("owner {} is a role nobody holds", doc.title))
        }
        Kind::PERSON if doc.person().is_some_and(|p| p.status() == "left") => {
            Some(format!("owner {} has left", doc.title))
        }
        _ => None,
    }
}

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let hb = site.hb;
    let linker = Linker::for_page(OWNERSHIP);
    let parties: Vec<usize> = [Kind::PERSON, Kind::ROLE, Kind::TEAM]
        .iter()
        .flat_map(|&k| site.of_kind(k))
        .collect();
    let mut owners = Vec::new();
    let mut idle = Vec::new();
    for &i in &parties {
        let r = row(site, i, &linker);
        if r.total > 0 {
            owners.push(r);
        } else if hb.docs[i].person().is_some_and(|p| p.status() == "active") {
            idle.push(r.owner);
        }
    }
    owners.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| {
                a.owner
                    .title
                    .to_lowercase()
                    .cmp(&b.owner.title.to_lowercase())
            })
            .then_with(|| a.owner.handle.cmp(&b.owner.handle))
    });
    idle.sort_by_key(|l| (l.title.to_lowercase(), l.handle.clone()));
    // Roles held by somebody who has not left.
    let held: HashSet<usize> = (0..hb.docs.len())
        .filter(|&i| hb.docs[i].person().is_some_and(|p| p.status() != "left"))
        .flat_map(|p| roles_of(site, p))
        .collect();
    let mut orphans = Vec::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        let owner = match &doc.data {
            Data::RoadmapItem(x) if matches!(x.status(), Some("now" | "next")) => &x.owner,
            Data::Objective(o) if matches!(o.status(), Some("draft" | "active")) => {
                if o.owner.is_none() && o.team.is_some() {
                    &o.team
                } else {
                    &o.owner
                }
            }
            Data::Metric(m) => &m.owner,
            Data::Launch(l) if matches!(l.status(), Some("planned" | "ready")) => &l.owner,
            Data::Process(p) if p.status() != "deprecated" => &p.owner,
            _ => continue,
        };
        if doc.id.is_empty() {
            continue;
        }
        if let Some(reason) = nobody(site, owner.as_ref(), &held) {
            orphans.push(Orphan {
                link: linker.doc(&hb.docs[i]),
                kind_label: super::kind_label(site.cfg, doc.kind).to_string(),
                reason,
            });
        }
    }
    orphans.sort_by_key(|o| (o.kind_label.clone(), o.link.title.to_lowercase()));
    let view = OwnershipView {
        owners,
        idle,
        orphans,
    };
    let page = site.generated(OWNERSHIP, "ownership", "Ownership");
    site.page(OWNERSHIP, "ownership.html", page, "ownership", view)
}
