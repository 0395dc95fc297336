//! Who owns what: what a person, role or team owns or holds — directly, and through the roles a
//! person holds (or a team's members hold), each such entry marked with the role — and the
//! Ownership page: every owner with counts, the people with nothing, the things with nobody.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::error::Error;
use crate::kind::Kind;
use crate::model::{Data, Ref};

use super::Site;
use super::href::Linker;
use super::launch::{LaunchCard, launch_card};
use super::okr::{ObjectiveCard, objective_card};
use super::relations::{found, get};
use super::roadmap::held_card;
use super::view::{Card, Link};

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
    /// Roadmap items it owns (or, for a team, that name it as `team`): cards with `via`.
    pub items: Vec<Card>,
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

/// A list of things held, each once, with the role it is held through (`None`: directly).
/// What is held directly wins over the same thing held through a role, and one role's over
/// another's.
struct HeldList<K> {
    list: Vec<(K, Option<usize>)>,
    seen: HashSet<K>,
}

impl<K: Copy + Eq + std::hash::Hash> Default for HeldList<K> {
    fn default() -> Self {
        HeldList {
            list: Vec::new(),
            seen: HashSet::new(),
        }
    }
}

impl<K: Copy + Eq + std::hash::Hash> HeldList<K> {
    fn add(&mut self, k: K, via: Option<usize>) {
        if self.seen.insert(k) {
            self.list.push((k, via));
        }
    }
    fn len(&self) -> usize {
        self.list.len()
    }
    fn via_roles(&self) -> usize {
        self.list.iter().filter(|(_, v)| v.is_some()).count()
    }
}

/// What a party holds, by document index: `(objective, key result)` and `(charter or process,
/// RACI row, letters)` for the nested ones.
#[derive(Default)]
struct HeldIds {
    items: HeldList<usize>,
    processes: HeldList<usize>,
    participates: HeldList<usize>,
    metrics: HeldList<usize>,
    objectives: HeldList<usize>,
    key_results: HeldList<(usize, usize)>,
    launches: HeldList<usize>,
    /// (document, row index, index into `Relations::raci` of the party).
    raci: HeldList<(usize, usize)>,
    /// The letters of each RACI row held, by (document, row).
    letters: HashMap<(usize, usize), String>,
}

impl HeldIds {
    fn total(&self) -> usize {
        self.items.len()
            + self.processes.len()
            + self.raci.len()
            + self.objectives.len()
            + self.key_results.len()
            + self.metrics.len()
            + self.launches.len()
    }
}

/// What party `i` owns or holds itself, each entry marked `via`.
fn direct(site: &Site<'_, '_>, i: usize, via: Option<usize>, out: &mut HeldIds) {
    let rel = &site.rel;
    let mut items: Vec<usize> = get(&rel.owned_items, i).to_vec();
    items.extend(get(&rel.team_items, i));
    for d in sorted(items) {
        out.items.add(d, via);
    }
    let mut objectives: Vec<usize> = get(&rel.owned_objectives, i).to_vec();
    objectives.extend(get(&rel.team_objectives, i));
    for d in sorted(objectives) {
        out.objectives.add(d, via);
    }
    for &d in get(&rel.owned_processes, i) {
        out.processes.add(d, via);
    }
    for &d in get(&rel.participates, i) {
        out.participates.add(d, via);
    }
    for &d in get(&rel.owned_metrics, i) {
        out.metrics.add(d, via);
    }
    for &d in get(&rel.owned_launches, i) {
        out.launches.add(d, via);
    }
    for &k in rel.owned_key_results.get(&i).map_or(&[][..], Vec::as_slice) {
        out.key_results.add(k, via);
    }
    for (d, n, letters) in rel.raci.get(&i).map_or(&[][..], Vec::as_slice) {
        if out.raci.seen.contains(&(*d, *n)) {
            continue;
        }
        out.raci.add((*d, *n), via);
        out.letters.insert((*d, *n), letters.clone());
    }
}

fn held<T>(value: T, via: Option<usize>, site: &Site<'_, '_>, linker: &Linker) -> Held<T> {
    Held {
        value,
        via: via.map(|r| linker.doc(&site.hb.docs[r])),
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

/// What party `i` owns or holds, by document index: directly, then through roles.
fn held_ids(site: &Site<'_, '_>, i: usize) -> HeldIds {
    let mut out = HeldIds::default();
    direct(site, i, None, &mut out);
    for r in roles_of(site, i) {
        direct(site, r, Some(r), &mut out);
    }
    out
}

/// Everything party `i` owns or holds: directly, then through roles.
pub fn holdings(site: &Site<'_, '_>, i: usize, linker: &Linker) -> Holdings {
    let hb = site.hb;
    let ids = held_ids(site, i);
    let links = |list: &HeldList<usize>| -> Vec<Held<Link>> {
        list.list
            .iter()
            .map(|&(d, via)| held(linker.doc(&hb.docs[d]), via, site, linker))
            .collect()
    };
    Holdings {
        items: ids
            .items
            .list
            .iter()
            .map(|&(d, via)| {
                let via = via.map(|r| linker.doc(&hb.docs[r]));
                held_card(site, d, via, linker)
            })
            .collect(),
        processes: links(&ids.processes),
        participates: links(&ids.participates),
        metrics: links(&ids.metrics),
        objectives: ids
            .objectives
            .list
            .iter()
            .map(|&(d, via)| held(objective_card(site, d, linker), via, site, linker))
            .collect(),
        key_results: ids
            .key_results
            .list
            .iter()
            .filter_map(|&((o, n), via)| {
                let kr = hb.docs[o].objective()?.key_results.get(n)?;
                let title = kr
                    .title
                    .as_ref()
                    .map_or_else(|| kr.label(), |t| t.value.clone());
                let objective = linker.doc(&hb.docs[o]);
                Some(held(OwnedKeyResult { objective, title }, via, site, linker))
            })
            .collect(),
        launches: ids
            .launches
            .list
            .iter()
            .map(|&(d, via)| held(launch_card(site, d, linker), via, site, linker))
            .collect(),
        raci: ids
            .raci
            .list
            .iter()
            .filter_map(|&((d, n), via)| {
                let source = &hb.docs[d];
                let rows = match &source.data {
                    Data::Charter(c) => &c.responsibilities,
                    Data::Process(p) => &p.raci,
                    _ => return None,
                };
                let row = rows.get(n)?;
                let activity = row
                    .activity
                    .as_ref()
                    .map_or_else(|| row.label(), |a| a.value.clone());
                let letters = ids.letters.get(&(d, n)).cloned().unwrap_or_default();
                let value = RaciLetters {
                    letters,
                    activity,
                    source: linker.doc(source),
                };
                Some(held(value, via, site, linker))
            })
            .collect(),
        total: ids.total(),
    }
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
    let h = held_ids(site, i);
    let accountable = h
        .raci
        .list
        .iter()
        .filter(|(k, _)| {
            h.letters
                .get(k)
                .is_some_and(|l| l.contains('A') || l.contains('R'))
        })
        .count();
    let via_roles = h.items.via_roles()
        + h.processes.via_roles()
        + h.raci.via_roles()
        + h.objectives.via_roles()
        + h.key_results.via_roles()
        + h.metrics.via_roles()
        + h.launches.via_roles();
    OwnerRow {
        owner: linker.doc(&site.hb.docs[i]),
        items: h.items.len(),
        objectives: h.objectives.len(),
        key_results: h.key_results.len(),
        metrics: h.metrics.len(),
        launches: h.launches.len(),
        processes: h.processes.len(),
        accountable,
        total: h.total(),
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
