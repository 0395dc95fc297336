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
    let mut out = Vec::new();
    if let Some(g) = git {
        freshness::history_cut(g, &mut out);
    }
    let held = refs::held_roles(hb);
    let supported = product::supported(hb);
    refs::duplicate_ids(hb, &mut out);
    refs::dependencies(hb, &mut out);
    refs::registry_cycles(hb, &mut out);
    links::url_collisions(hb, &mut out);
    links::orphans(hb, selected, &mut out);
    let link_model = crate::model::links::Links::new(hb, cfg);
    let per_doc: Vec<Vec<Diagnostic>> = hb
        .docs
        .par_iter()
        .filter(|doc| selected(&doc.path))
        .map(|doc| {
            let mut out = Vec::new();
            refs::unresolved(hb, doc, &mut out);
            links::check(&link_model, doc, &mut out);
            if doc.broken {
                return out;
            }
            refs::registry_health(hb, doc, &held, &mut out);
            freshness::check(doc, cfg, today, freshness::git_date(doc, git), &mut out);
            match &doc.data {
                Data::RoadmapItem(item) => {
                    document::roadmap(doc, item, today, &mut out);
                    product::key_result_refs(hb, doc, item, &mut out);
                }
                Data::Launch(l) => product::launch(hb, doc, l, today, &mut out),
                Data::Objective(o) => {
                    let i = hb.index_of(doc.kind, &doc.id);
                    let backed = i.is_some_and(|i| supported.contains(&i));
                    product::objective(doc, o, today, backed, &mut out);
                }
                Data::Charter(c) => document::raci_rows(doc, &c.responsibilities, &mut out),
                Data::Process(p) => {
                    document::process(doc, p, &mut out);
                    document::raci_rows(doc, &p.raci, &mut out);
                }
                _ => {}
            }
            out
        })
        .collect();
    out.extend(per_doc.into_iter().flatten());
    out
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
