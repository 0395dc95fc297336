//! Processes: the catalogue with freshness badges, and one page per process.

use crate::error::Error;
use crate::kind::Kind;
use crate::validate::freshness::State;
use rayon::prelude::*;

use super::Site;
use super::href::Linker;
use super::org::raci_table;
use super::relations::get;
use super::view::{CatalogueView, Link, ProcessRow, ProcessView};

const CATALOGUE: &str = "processes/index.html";

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let ids = site.of_kind(Kind::PROCESS);
    let (all, pages) = rayon::join(
        || site.gathered(&[CATALOGUE], || catalogue(site, &ids)),
        || {
            ids.par_iter()
                .try_for_each(|&i| site.doc_or_skip(i, || page(site, i)))
        },
    );
    all.and(pages)
}

fn catalogue(site: &Site<'_, '_>, ids: &[usize]) -> Result<(), Error> {
    let hb = site.hb;
    let linker = Linker::for_page(CATALOGUE);
    let mut rows: Vec<ProcessRow> = ids
        .iter()
        .map(|&i| {
            let doc = &hb.docs[i];
            let p = doc.process().expect("a process");
            ProcessRow {
                link: linker.doc(doc),
                owner: p.owner.as_ref().map(|r| linker.reference(hb, r)),
                cadence: p.cadence.as_ref().map(|c| c.value.clone()),
                status: p.status().to_string(),
                freshness: site.freshness_view(doc),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.link
            .title
            .to_lowercase()
            .cmp(&b.link.title.to_lowercase())
    });
    let attention = ids
        .iter()
        .filter_map(|&i| site.freshness(&hb.docs[i]))
        .filter(|f| f.state != State::Fresh)
        .count();
    let view = CatalogueView { rows, attention };
    let page = site.generated(CATALOGUE, "processes", "Processes");
    site.page(CATALOGUE, "processes.html", page, "catalogue", view)
}

/// Links written in the document, then derived ones not already there.
fn union(mut written: Vec<Link>, derived: Vec<Link>) -> Vec<Link> {
    for l in derived {
        if !written.iter().any(|w| w.handle == l.handle) {
            written.push(l);
        }
    }
    written
}

fn page(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let hb = site.hb;
    let (doc, url, linker) = site.at(i);
    let p = doc.process().expect("a process");
    let links =
        |ids: &[usize]| -> Vec<Link> { ids.iter().map(|&d| linker.doc(&hb.docs[d])).collect() };
    let participants = p
        .participants
        .iter()
        .map(|r| linker.reference(hb, r))
        .collect();
    let view = ProcessView {
        owner: p.owner.as_ref().map(|r| linker.reference(hb, r)),
        status: p.status().to_string(),
        cadence: p.cadence.as_ref().map(|c| c.value.clone()),
        trigger: p.trigger.as_ref().map(|c| c.value.clone()),
        participants,
        inputs: p.inputs.clone(),
        outputs: p.outputs.clone(),
        tools: p.tools.clone(),
        upstream: union(
            linker.references(hb, &p.upstream),
            links(get(&site.rel.upstream_of, i)),
        ),
        downstream: union(
            linker.references(hb, &p.downstream),
            links(get(&site.rel.downstream_of, i)),
        ),
        raci: raci_table(site, &p.raci, &[], &linker),
        used_by: links(get(&site.rel.raci_process, i)),
    };
    let page = site.doc_page(i, "process", p.trigger.as_ref().map(|t| t.value.clone()));
    site.page(&url, "process.html", page, "process", view)
}
