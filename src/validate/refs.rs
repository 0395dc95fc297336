//! Rules across documents: ids, references, cycles, column order, registry health.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::kind::Kind;
use crate::model::{Doc, Handbook, Ref, Resolved, with_article};
use crate::rules::Rule;

/// Two documents of one kind with one id.
pub(super) fn duplicate_ids(hb: &Handbook, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<(Kind, &str), &Doc> = HashMap::new();
    for doc in &hb.docs {
        if doc.id.is_empty() {
            continue;
        }
        match first.get(&(doc.kind, doc.id.as_str())) {
            Some(prev) => out.push(
                Diagnostic::new(Rule::DuplicateId, doc.path.as_str(), Some(doc.id_span))
                    .message(format!(
                        "{} id `{}` is already used by {}",
                        doc.kind, doc.id, prev.path
                    ))
                    .help("give one of them another id (the file name, or `id:`)"),
            ),
            None => {
                first.insert((doc.kind, doc.id.as_str()), doc);
            }
        }
    }
}

fn kinds_text(kinds: &[Kind]) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

/// Every reference must name exactly one document of an allowed kind.
pub(super) fn unresolved(hb: &Handbook, doc: &Doc, out: &mut Vec<Diagnostic>) {
    for r in doc.refs() {
        let path = doc.path.as_str();
        let field = r.field.as_str();
        match hb.resolve_ref(r) {
            Resolved::Found(_) => {}
            Resolved::Missing => {
                let kinds = r.kind.map_or(r.allowed.to_vec(), |k| vec![k]);
                out.push(
                    Diagnostic::new(Rule::UnresolvedRef, path, Some(r.span))
                        .message(format!(
                            "{field} `{}` is not {}",
                            r.text(),
                            with_article(&kinds_text(&kinds))
                        ))
                        .help_opt(did_you_mean(&r.id, hb.ids_of(&kinds))),
                );
            }
            Resolved::WrongKind(found) => out.push(
                Diagnostic::new(Rule::UnresolvedRef, path, Some(r.span))
                    .message(format!(
                        "{field} `{}` points at {}, but {field} takes {}",
                        r.text(),
                        with_article(&kinds_text(&found)),
                        with_article(&kinds_text(&r.allowed))
                    ))
                    .help_opt(did_you_mean(&r.id, hb.ids_of(&r.allowed))),
            ),
            Resolved::Ambiguous(kinds) => out.push(
                Diagnostic::new(Rule::AmbiguousRef, path, Some(r.span))
                    .message(format!(
                        "{field} `{}` matches {}",
                        r.id,
                        with_article(&kinds_text(&kinds))
                    ))
                    .help(format!(
                        "say which one: {}",
                        kinds
                            .iter()
                            .map(|k| format!("`{k}:{}`", r.id))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )),
            ),
        }
    }
}

/// Column order: shipped < now < next < later (dropped is outside the board).
fn column(status: Option<&str>) -> Option<u8> {
    match status? {
        "shipped" => Some(0),
        "now" => Some(1),
        "next" => Some(2),
        "later" => Some(3),
        _ => None,
    }
}

/// Dependency cycles (printed) and dependencies in a later column than their dependent.
pub(super) fn dependencies(hb: &Handbook, out: &mut Vec<Diagnostic>) {
    let mut edges: BTreeMap<usize, Vec<(usize, &Ref)>> = BTreeMap::new();
    for (i, doc) in hb.docs.iter().enumerate() {
        let Some(item) = doc.roadmap() else { continue };
        for r in &item.depends_on {
            let Some(j) = hb.target(r).and_then(|t| hb.index_of(t.kind, &t.id)) else {
                continue;
            };
            edges.entry(i).or_default().push((j, r));
            let dep = hb.docs[j].roadmap().and_then(|d| d.status());
            if let (Some(a), Some(b)) = (column(item.status()), column(dep))
                && b > a
            {
                out.push(
                    Diagnostic::new(Rule::DependencyOrder, doc.path.as_str(), Some(r.span))
                        .message(format!(
                            "`{}` is in {} but depends on `{}`, which is only in {}",
                            doc.id,
                            item.status().unwrap_or_default(),
                            r.id,
                            dep.unwrap_or_default()
                        ))
                        .help("move the dependency forward, or this item back"),
                );
            }
            if dep == Some("dropped") && item.status() != Some("dropped") {
                out.push(
                    Diagnostic::new(Rule::DependencyOrder, doc.path.as_str(), Some(r.span))
                        .message(format!(
                            "`{}` depends on `{}`, which was dropped",
                            doc.id, r.id
                        ))
                        .help("remove the dependency or revive the dropped item"),
                );
            }
        }
    }
    for cycle in cycles(hb.docs.len(), &edges) {
        let ids: Vec<&str> = cycle.iter().map(|&i| hb.docs[i].id.as_str()).collect();
        let first = cycle[0];
        let next = cycle[1 % cycle.len()];
        let span = edges[&first]
            .iter()
            .find(|(j, _)| *j == next)
            .map(|(_, r)| r.span);
        let mut shown = ids.clone();
        shown.push(ids[0]);
        out.push(
            Diagnostic::new(Rule::DependencyCycle, hb.docs[first].path.as_str(), span)
                .message(format!("dependency cycle: {}", shown.join(" → ")))
                .help("remove one `depends_on` entry to break the cycle"),
        );
    }
}

/// Elementary cycles found by depth-first search, each reported once starting at its smallest
/// node. Graphs here are small per component, and each back edge yields one cycle.
fn cycles<T>(n: usize, edges: &BTreeMap<usize, Vec<(usize, T)>>) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut mark = vec![Mark::New; n];
    let mut found: Vec<Vec<usize>> = Vec::new();
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // Iterative DFS: stack of (node, next edge index); `path` mirrors the active nodes.
        let mut stack = vec![(start, 0usize)];
        let mut path = vec![start];
        mark[start] = Mark::Active;
        while let Some(&mut (node, ref mut k)) = stack.last_mut() {
            let next = edges.get(&node).and_then(|e| e.get(*k)).map(|(j, _)| *j);
            *k += 1;
            match next {
                Some(j) if mark[j] == Mark::New => {
                    mark[j] = Mark::Active;
                    stack.push((j, 0));
                    path.push(j);
                }
                Some(j) if mark[j] == Mark::Active => {
                    let pos = path.iter().position(|&p| p == j).unwrap_or(0);
                    let mut cycle = path[pos..].to_vec();
                    let min = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, v)| **v)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(min);
                    if seen.insert(cycle.clone()) {
                        found.push(cycle);
                    }
                }
                Some(_) => {}
                None => {
                    mark[node] = Mark::Done;
                    stack.pop();
                    path.pop();
                }
            }
        }
    }
    found.sort();
    found
}

/// Cycles in `manager`, `parent` and `reports_to`.
pub(super) fn registry_cycles(hb: &Handbook, out: &mut Vec<Diagnostic>) {
    type Pick = fn(&Doc) -> Option<&Ref>;
    let relations: [(&str, Pick); 3] = [
        ("manager", |d| d.person().and_then(|p| p.manager.as_ref())),
        ("parent", |d| d.team().and_then(|t| t.parent.as_ref())),
        ("reports_to", |d| {
            d.role().and_then(|r| r.reports_to.as_ref())
        }),
    ];
    for (name, pick) in relations {
        let mut edges: BTreeMap<usize, Vec<(usize, &Ref)>> = BTreeMap::new();
        for (i, doc) in hb.docs.iter().enumerate() {
            if let Some(r) = pick(doc)
                && let Some(j) = hb.target(r).and_then(|t| hb.index_of(t.kind, &t.id))
            {
                edges.entry(i).or_default().push((j, r));
            }
        }
        for cycle in cycles(hb.docs.len(), &edges) {
            let first = &hb.docs[cycle[0]];
            let mut ids: Vec<&str> = cycle.iter().map(|&i| hb.docs[i].id.as_str()).collect();
            ids.push(ids[0]);
            let span = pick(first).map(|r| r.span);
            out.push(
                Diagnostic::new(Rule::RegistryCycle, first.path.as_str(), span)
                    .message(format!(
                        "`{name}` goes round in a cycle: {}",
                        ids.join(" → ")
                    ))
                    .help(format!("one of them needs another `{name}`, or none")),
            );
        }
    }
}

/// Owners who left, roles held by nobody, charter roles that are never A or R.
pub(super) fn registry_health(
    hb: &Handbook,
    doc: &Doc,
    held: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let path = doc.path.as_str();
    let owner = doc
        .roadmap()
        .and_then(|i| i.owner.as_ref())
        .or(doc.process().and_then(|p| p.owner.as_ref()));
    let mut parties: Vec<&Ref> = owner.into_iter().collect();
    let rows = doc
        .charter()
        .map(|c| c.responsibilities.as_slice())
        .or(doc.process().map(|p| p.raci.as_slice()));
    for row in rows.unwrap_or_default() {
        parties.extend(row.parties().map(|(_, r)| r));
    }
    let active = doc
        .roadmap()
        .is_none_or(|i| !matches!(i.status(), Some("shipped" | "dropped")))
        && doc.process().is_none_or(|p| p.status() != "deprecated");
    for r in parties {
        let Some(target) = hb.target(r) else { continue };
        if target.person().is_some_and(|p| p.status() == "left") && active {
            out.push(
                Diagnostic::new(Rule::OwnerLeft, path, Some(r.span))
                    .message(format!("{} `{}` has left the company", r.field, r.id))
                    .help("hand it to someone who is here"),
            );
        }
        if target.kind == Kind::ROLE && !held.contains(target.id.as_str()) {
            out.push(
                Diagnostic::new(Rule::VacantRole, path, Some(r.span))
                    .message(format!("{} `{}` is a role nobody holds", r.field, r.id))
                    .help(format!("add `{}` to the `roles` of an active person", r.id)),
            );
        }
    }
    if let Some(charter) = doc.charter() {
        for role in &charter.roles {
            let in_roles =
                |r: &Ref| hb.target(r).map(|d| d.handle()) == hb.target(role).map(|d| d.handle());
            let a_or_r = charter
                .responsibilities
                .iter()
                .any(|row| row.r.iter().chain(row.a.iter()).any(in_roles));
            if !a_or_r && hb.target(role).is_some() {
                out.push(
                    Diagnostic::new(Rule::CharterRoleUnused, path, Some(role.span))
                        .message(format!(
                            "charter role `{}` is neither A nor R in any activity",
                            role.id
                        ))
                        .help("give the role an activity, or drop it from `roles`"),
                );
            }
        }
        let roles: HashSet<String> = charter
            .roles
            .iter()
            .filter_map(|r| hb.target(r))
            .map(|d| d.handle())
            .collect();
        // A charter that lists no roles at all has nothing to compare parties with.
        let rows = if charter.roles.is_empty() {
            &[][..]
        } else {
            &charter.responsibilities[..]
        };
        for row in rows {
            for (letter, party) in row.parties() {
                let Some(t) = hb.target(party) else { continue };
                if !roles.contains(&t.handle()) {
                    out.push(
                        Diagnostic::new(Rule::RaciPartyNotInRoles, path, Some(party.span))
                            .message(format!(
                                "{letter} party `{}` of activity `{}` is not among the charter's `roles`",
                                party.id,
                                row.label()
                            ))
                            .help(format!("add `{}` to `roles`, or use one of the charter's roles", party.id)),
                    );
                }
            }
        }
    }
}

/// Ids of roles held by at least one person who has not left.
pub(super) fn held_roles(hb: &Handbook) -> HashSet<&str> {
    let mut held = HashSet::new();
    for doc in &hb.docs {
        let Some(p) = doc.person() else { continue };
        if p.status() == "left" {
            continue;
        }
        for r in &p.roles {
            if let Some(t) = hb.target(r) {
                held.insert(t.id.as_str());
            }
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_cycle_once() {
        let mut e: BTreeMap<usize, Vec<(usize, ())>> = BTreeMap::new();
        e.insert(0, vec![(1, ())]);
        e.insert(1, vec![(2, ())]);
        e.insert(2, vec![(0, ())]);
        e.insert(3, vec![(3, ())]);
        e.insert(4, vec![(0, ())]);
        assert_eq!(cycles(5, &e), vec![vec![0, 1, 2], vec![3]]);
        let none: BTreeMap<usize, Vec<(usize, ())>> = [(0, vec![(1, ())])].into_iter().collect();
        assert!(cycles(2, &none).is_empty());
    }
}
