//! The reverse of every relation, computed once: each relation is written in one place and the
//! site shows it from both ends (an item's `depends_on` is the other item's "needed by", a
//! process's `upstream` the other's `downstream`).

use std::collections::HashMap;

use crate::model::{Data, Handbook, RaciRow, Ref, Resolved};

/// Document indexes (into `Handbook::docs`) by the document they relate to.
#[derive(Debug, Default)]
pub struct Relations {
    /// item → items that depend on it.
    pub needed_by: HashMap<usize, Vec<usize>>,
    /// owner (person, role or team) → roadmap items it owns.
    pub owned_items: HashMap<usize, Vec<usize>>,
    /// team → roadmap items naming it as `team`.
    pub team_items: HashMap<usize, Vec<usize>>,
    /// owner → processes it owns.
    pub owned_processes: HashMap<usize, Vec<usize>>,
    /// party → processes it takes part in.
    pub participates: HashMap<usize, Vec<usize>>,
    /// party → (charter or process, RACI row index, letters).
    pub raci: HashMap<usize, Vec<(usize, usize, String)>>,
    /// process → charters and processes whose RACI rows name it.
    pub raci_process: HashMap<usize, Vec<usize>>,
    /// role → people holding it.
    pub holders: HashMap<usize, Vec<usize>>,
    /// team → its members.
    pub members: HashMap<usize, Vec<usize>>,
    /// person → people they manage.
    pub reports: HashMap<usize, Vec<usize>>,
    /// role → roles reporting to it.
    pub reporting_roles: HashMap<usize, Vec<usize>>,
    /// team → its sub-teams.
    pub subteams: HashMap<usize, Vec<usize>>,
    /// person → teams they lead.
    pub leads: HashMap<usize, Vec<usize>>,
    /// team → charters naming it.
    pub charters: HashMap<usize, Vec<usize>>,
    /// process → processes naming it as downstream (so it is their downstream: they are its
    /// upstream), and the reverse.
    pub upstream_of: HashMap<usize, Vec<usize>>,
    pub downstream_of: HashMap<usize, Vec<usize>>,
    /// owner → objectives it owns; team → objectives naming it as `team`.
    pub owned_objectives: HashMap<usize, Vec<usize>>,
    pub team_objectives: HashMap<usize, Vec<usize>>,
    /// objective → (roadmap item, key result id) for every item that moves one of its key
    /// results.
    pub contributors: HashMap<usize, Vec<(usize, String)>>,
    /// metric → (objective, key result index) for every key result measured by it.
    pub metric_uses: HashMap<usize, Vec<(usize, usize)>>,
    /// owner → (objective, key result index) for key results it owns.
    pub owned_key_results: HashMap<usize, Vec<(usize, usize)>>,
    /// owner → metrics it owns.
    pub owned_metrics: HashMap<usize, Vec<usize>>,
    /// roadmap item → launches of it.
    pub launches: HashMap<usize, Vec<usize>>,
    /// owner → launches it runs.
    pub owned_launches: HashMap<usize, Vec<usize>>,
    /// document → (document, field) for every field a handbook declares itself (custom kinds,
    /// fields added to built-in kinds) that points at it.
    pub referenced_by: HashMap<usize, Vec<(usize, String)>>,
}

pub fn found(hb: &Handbook, r: &Ref) -> Option<usize> {
    match hb.resolve_ref(r) {
        Resolved::Found(i) => Some(i),
        _ => None,
    }
}

fn add(map: &mut HashMap<usize, Vec<usize>>, hb: &Handbook, r: Option<&Ref>, from: usize) {
    if let Some(t) = r.and_then(|r| found(hb, r)) {
        let list = map.entry(t).or_default();
        if list.last() != Some(&from) {
            list.push(from);
        }
    }
}

impl Relations {
    pub fn of(hb: &Handbook) -> Relations {
        let mut rel = Relations::default();
        for (i, doc) in hb.docs.iter().enumerate() {
            match &doc.data {
                Data::RoadmapItem(x) => {
                    for d in &x.depends_on {
                        add(&mut rel.needed_by, hb, Some(d), i);
                    }
                    add(&mut rel.owned_items, hb, x.owner.as_ref(), i);
                    add(&mut rel.team_items, hb, x.team.as_ref(), i);
                }
                Data::Charter(x) => {
                    add(&mut rel.charters, hb, x.team.as_ref(), i);
                    rel.raci_rows(hb, &x.responsibilities, i);
                }
                Data::Process(x) => {
                    add(&mut rel.owned_processes, hb, x.owner.as_ref(), i);
                    for p in &x.participants {
                        add(&mut rel.participates, hb, Some(p), i);
                    }
                    for p in &x.downstream {
                        add(&mut rel.upstream_of, hb, Some(p), i);
                    }
                    for p in &x.upstream {
                        add(&mut rel.downstream_of, hb, Some(p), i);
                    }
                    rel.raci_rows(hb, &x.raci, i);
                }
                Data::Person(x) => {
                    for r in &x.roles {
                        add(&mut rel.holders, hb, Some(r), i);
                    }
                    for t in &x.teams {
                        add(&mut rel.members, hb, Some(t), i);
                    }
                    add(&mut rel.reports, hb, x.manager.as_ref(), i);
                }
                Data::Role(x) => add(&mut rel.reporting_roles, hb, x.reports_to.as_ref(), i),
                Data::Team(x) => {
                    add(&mut rel.subteams, hb, x.parent.as_ref(), i);
                    add(&mut rel.leads, hb, x.lead.as_ref(), i);
                }
                Data::Objective(x) => {
                    add(&mut rel.owned_objectives, hb, x.owner.as_ref(), i);
                    add(&mut rel.team_objectives, hb, x.team.as_ref(), i);
                    for (n, kr) in x.key_results.iter().enumerate() {
                        if let Some(m) = kr.metric.as_ref().and_then(|r| found(hb, r)) {
                            rel.metric_uses.entry(m).or_default().push((i, n));
                        }
                        if let Some(o) = kr.owner.as_ref().and_then(|r| found(hb, r)) {
                            rel.owned_key_results.entry(o).or_default().push((i, n));
                        }
                    }
                }
                Data::Metric(x) => add(&mut rel.owned_metrics, hb, x.owner.as_ref(), i),
                Data::Launch(x) => {
                    add(&mut rel.launches, hb, x.item.as_ref(), i);
                    add(&mut rel.owned_launches, hb, x.owner.as_ref(), i);
                }
                Data::Page => {}
            }
            if let Some(x) = doc.roadmap() {
                for k in &x.key_results {
                    if let (Some(o), Some(kr)) = (found(hb, &k.objective), &k.key_result) {
                        let list = rel.contributors.entry(o).or_default();
                        if !list.iter().any(|(d, id)| *d == i && id == kr) {
                            list.push((i, kr.clone()));
                        }
                    }
                }
            }
            let spec = hb.kinds.spec(doc.kind);
            for (name, v) in doc.fields.iter() {
                if spec.field(name).is_some_and(|f| f.builtin) {
                    continue;
                }
                let refs = crate::model::Fields(vec![(name.into(), v.clone())]);
                for r in refs.refs() {
                    if let Some(t) = found(hb, r) {
                        let list = rel.referenced_by.entry(t).or_default();
                        if !list.iter().any(|(d, f)| *d == i && f == name) {
                            list.push((i, name.to_string()));
                        }
                    }
                }
            }
        }
        rel
    }

    fn raci_rows(&mut self, hb: &Handbook, rows: &[RaciRow], doc: usize) {
        for (n, row) in rows.iter().enumerate() {
            add(&mut self.raci_process, hb, row.process.as_ref(), doc);
            let mut held: Vec<(usize, Vec<char>)> = Vec::new();
            for (letter, r) in row.parties() {
                let Some(t) = found(hb, r) else { continue };
                match held.iter_mut().find(|(p, _)| *p == t) {
                    Some((_, l)) => l.push(letter),
                    None => held.push((t, vec![letter])),
                }
            }
            for (party, l) in held {
                let text = letters(&l);
                self.raci.entry(party).or_default().push((doc, n, text));
            }
        }
    }
}

/// The documents of `map` for `key`, or none.
pub fn get(map: &HashMap<usize, Vec<usize>>, key: usize) -> &[usize] {
    map.get(&key).map_or(&[], Vec::as_slice)
}

/// Letters in the order A, R, C, I, space-separated: `A R`.
pub fn letters(held: &[char]) -> String {
    "ARCI"
        .chars()
        .filter(|l| held.contains(l))
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ")
}
