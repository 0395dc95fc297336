//! Client-side search: a JSON index (`search-index.json`), the same index as a script that sets
//! a global (`search-index.js`, because `fetch()` of a file fails on `file://`), and the page.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::model::{Data, Doc, FieldValue, Handbook};

use super::view::SearchView;
use super::{Site, kind_label};

/// One document in the index. Short keys keep the file small.
#[derive(Debug, Serialize)]
struct Entry {
    /// Title.
    t: String,
    /// Page, relative to the site root.
    u: String,
    /// Kind label.
    k: String,
    /// Headings, tags and key fields.
    h: String,
    /// Plain text of the body (truncated).
    x: String,
}

/// Field values worth finding a document by.
fn fields(hb: &Handbook, doc: &Doc) -> Vec<String> {
    let title = |r: &crate::model::Ref| hb.target(r).map_or_else(|| r.text(), |d| d.title.clone());
    let mut out: Vec<String> = doc.tags.clone();
    match &doc.data {
        Data::RoadmapItem(x) => {
            out.extend(x.status.iter().map(|s| s.value.clone()));
            out.extend(x.theme.iter().map(|s| s.value.clone()));
            out.extend(x.outcome.iter().map(|s| s.value.clone()));
            out.extend(x.owner.iter().map(title));
            out.extend(x.team.iter().map(title));
        }
        Data::Charter(c) => {
            out.extend(c.mission.iter().map(|s| s.value.clone()));
            out.extend(c.scope_in.iter().cloned());
        }
        Data::Process(p) => {
            out.extend(p.cadence.iter().map(|s| s.value.clone()));
            out.extend(p.owner.iter().map(title));
            out.extend(p.tools.iter().cloned());
        }
        Data::Person(p) => {
            out.extend(p.email.iter().map(|s| s.value.clone()));
            out.extend(p.roles.iter().map(title));
            out.extend(p.teams.iter().map(title));
        }
        Data::Role(r) => out.extend(r.responsibilities.iter().cloned()),
        Data::Team(t) => out.extend(t.lead.iter().map(title)),
        Data::Page => {}
    }
    // Fields a handbook declares itself (custom kinds, extensions of built-in ones).
    let spec = hb.kinds.spec(doc.kind);
    for (name, v) in doc.fields.iter() {
        if spec.field(name).is_some_and(|f| f.builtin) {
            continue;
        }
        match &v.value {
            FieldValue::Ref(r) => out.push(title(r)),
            FieldValue::List(items) => out.extend(items.iter().map(|i| match &i.value {
                FieldValue::Ref(r) => title(r),
                other => other.display(),
            })),
            other => out.push(other.display()),
        }
    }
    out
}

/// The files [`render`] makes.
pub const FILES: [&str; 3] = ["search-index.js", "search-index.json", "search.html"];

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let hb = site.hb;
    let linker = super::href::Linker::for_page("search.html");
    // Each document's entry as JSON (a partial render takes those of the pages it leaves out
    // from the previous one), then the index `{"docs":[…]}` as serde would write it.
    let docs: Vec<String> = hb
        .docs
        .par_iter()
        .enumerate()
        .filter(|(_, d)| !d.id.is_empty())
        .map(|(i, doc)| {
            site.search_entry(i, || {
                let mut h: Vec<String> = doc
                    .outline()
                    .headings
                    .iter()
                    .filter(|x| x.level <= 3)
                    .map(|x| x.text.clone())
                    .collect();
                h.extend(fields(hb, doc));
                let entry = Entry {
                    t: doc.title.clone(),
                    u: linker.href(&doc.url()),
                    k: kind_label(site.cfg, doc.kind).to_string(),
                    h: h.join(" · "),
                    x: site.text_of(i),
                };
                serde_json::to_string(&entry).unwrap_or_default()
            })
        })
        .collect();
    let count = docs.len();
    let json = format!("{{\"docs\":[{}]}}", docs.join(","));
    site.add_file(
        "search-index.js",
        format!("window.OPSBOOK_SEARCH = {json};\n").into_bytes(),
    )?;
    site.add_file("search-index.json", format!("{json}\n").into_bytes())?;
    let view = SearchView {
        index_href: "search-index.js".into(),
        script_href: "assets/search.js".into(),
        docs: count,
    };
    let page = site.generated("search.html", "search", "Search");
    site.page("search.html", "search.html", page, "search", view)
}
