//! Every rule, run over a whole handbook. Rules append diagnostics; severities from the config
//! are applied at the end.

mod document;
pub mod freshness;
pub mod links;
pub mod product;
mod refs;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Data, Handbook};
use crate::rules::Rule;

/// Rules that `--strict` turns into errors: a calendar that moved is a warning by default.
const STRICT_FRESHNESS: &[Rule] = &[Rule::ReviewOverdue, Rule::ReviewStale];

/// Run every rule over the handbook.
pub fn run(hb: &Handbook, cfg: &Config, today: Date) -> Vec<Diagnostic> {
    run_with_git(hb, cfg, today, None)
}

/// Which documents findings are wanted for (by root-relative path).
pub type Selection<'a> = dyn Fn(&str) -> bool + Sync + 'a;

/// Run every rule, with review dates from git for documents without `last_reviewed`.
pub fn run_with_git(
    hb: &Handbook,
    cfg: &Config,
    today: Date,
    git: Option<&crate::git::Facts>,
) -> Vec<Diagnostic> {
    run_selected(hb, cfg, today, git, &|_| true)
}

/// Run the rules whose findings can land in `selected` documents. Rules over the whole
/// handbook (ids, cycles, collisions) always run, since they are cheap; rules about one
/// document run only for selected ones, so a check of one file parses one body, not all.
pub fn run_selected(
    hb: &Handbook,
    cfg: &Config,
    today: Date,
    git: Option<&crate::git::Facts>,
    selected: &Selection<'_>,
) -> Vec<Diagnostic> {
    run_split(hb, cfg, today, git, selected).flatten()
}

/// The findings of [`run_split`]: of the rules over the whole handbook, and of each selected
/// document (its `orphan-page` finding, and those of the rules about one document).
#[derive(Debug, Default)]
pub struct Split {
    pub whole: Vec<Diagnostic>,
    /// Document index, orphan finding, its own findings; in document order.
    pub docs: Vec<(usize, Vec<Diagnostic>, Vec<Diagnostic>)>,
}

impl Split {
    /// Every finding, in the order of a whole run.
    pub fn flatten(self) -> Vec<Diagnostic> {
        let mut out = self.whole;
        let mut own = Vec::new();
        for (_, orphan, mine) in self.docs {
            out.extend(orphan);
            own.extend(mine);
        }
        out.extend(own);
        out
    }
}

/// [`run_selected`], with the findings of each selected document apart.
pub fn run_split(
    hb: &Handbook,
    cfg: &Config,
    today: Date,
    git: Option<&crate::git::Facts>,
    selected: &Selection<'_>,
) -> Split {
    let mut whole = Vec::new();
    if let Some(g) = git {
        freshness::history_cut(g, &mut whole);
    }
    let held = refs::held_roles(hb);
    let supported = product::supported(hb);
    refs::duplicate_ids(hb, &mut whole);
    refs::dependencies(hb, &mut whole);
    refs::registry_cycles(hb, &mut whole);
    links::url_collisions(hb, cfg, &mut whole);
    let link_model = crate::model::links::Links::new(hb, cfg);
    let mut orphans = Vec::new();
    links::orphans(&link_model, cfg, selected, &mut orphans);
    let mut docs: Vec<(usize, Vec<Diagnostic>, Vec<Diagnostic>)> = hb
        .docs
        .par_iter()
        .enumerate()
        .filter(|(_, doc)| selected(&doc.path))
        .map(|(i, doc)| {
            let mut out = Vec::new();
            refs::unresolved(hb, doc, &mut out);
            links::check(&link_model, doc, &mut out);
            if !doc.broken {
                refs::registry_health(hb, doc, &held, &mut out);
                freshness::check(doc, cfg, today, freshness::git_date(doc, git), &mut out);
                match &doc.data {
                    Data::RoadmapItem(item) => {
                        document::roadmap(doc, item, today, &mut out);
                        product::key_result_refs(hb, doc, item, &mut out);
                    }
                    Data::Launch(l) => product::launch(hb, doc, l, today, &mut out),
                    Data::Objective(o) => {
                        let at = hb.index_of(doc.kind, &doc.id);
                        let backed = at.is_some_and(|at| supported.contains(&at));
                        product::objective(doc, o, today, backed, &mut out);
                    }
                    Data::Charter(c) => document::raci_rows(doc, &c.responsibilities, &mut out),
                    Data::Process(p) => {
                        document::process(doc, p, &mut out);
                        document::raci_rows(doc, &p.raci, &mut out);
                    }
                    _ => {}
                }
            }
            (i, Vec::new(), out)
        })
        .collect();
    // An orphan finding is about a page: a Markdown file, one document.
    let slot: std::collections::HashMap<usize, usize> = docs
        .iter()
        .enumerate()
        .map(|(n, (i, _, _))| (*i, n))
        .collect();
    for d in orphans {
        let at = hb.indexes_at(&d.path.to_string_lossy()).first().copied();
        match at.and_then(|i| slot.get(&i)) {
            Some(&n) => docs[n].1.push(d),
            None => whole.push(d),
        }
    }
    Split { whole, docs }
}

/// The roles some person holds: the rules about one document read it, so a change to it can
/// change the findings of any document.
pub fn held_roles(hb: &Handbook) -> std::collections::BTreeSet<String> {
    refs::held_roles(hb)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Apply configured severities (dropping rules turned off), `--strict`, and sort.
pub fn finish(mut diags: Vec<Diagnostic>, cfg: &Config, strict: bool) -> Vec<Diagnostic> {
    diags.retain_mut(|d| match cfg.severity(d.rule, d.severity) {
        Some(sev) => {
            d.severity = sev;
            if strict && STRICT_FRESHNESS.contains(&d.rule) {
                d.severity = Severity::Error;
            }
            true
        }
        None => false,
    });
    diags.sort_by_key(|d| d.sort_key());
    diags.dedup();
    diags
}
