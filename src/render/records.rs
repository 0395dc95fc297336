//! Pages of the kinds a handbook declares itself (`kinds:` in opsbook.yml): an index table per
//! kind with the spec's columns, and a page per document. Also what every document page shows
//! of fields its kind's own template does not know (a custom kind's fields, a field added to a
//! built-in kind) and of the documents whose custom fields point at it.

use rayon::prelude::*;

use crate::error::Error;
use crate::kind::Kind;
use crate::kinds::{FieldType, KindSpec};
use crate::model::{Doc, FieldValue};

use super::Site;
use super::href::Linker;
use super::view::{FieldView, RefGroup, TableRow, TableView};

/// `start_date` → `Start date`.
pub fn label(name: &str) -> String {
    let words = name.replace(['_', '-'], " ");
    let mut c = words.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The view of the value of field `name` of a document of `kind`.
pub(crate) fn field_view(
    site: &Site<'_, '_>,
    kind: Kind,
    name: &str,
    value: &FieldValue,
    linker: &Linker,
) -> FieldView {
    let mut view = FieldView {
        name: name.to_string(),
        label: label(name),
        text: String::new(),
        links: Vec::new(),
        urls: Vec::new(),
    };
    let is_url = site.cfg.kinds.spec(kind).field(name).is_some_and(|f| {
        matches!(&f.ty, FieldType::Url)
            || matches!(&f.ty, FieldType::List(of) if **of == FieldType::Url)
    });
    let items: Vec<&FieldValue> = match value {
        FieldValue::List(items) => items.iter().map(|i| &i.value).collect(),
        v => vec![v],
    };
    let mut texts = Vec::new();
    for v in items {
        match v {
            FieldValue::Ref(r) => view.links.push(linker.reference(site.hb, r)),
            v if is_url => view.urls.push(v.display()),
            v => texts.push(v.display()),
        }
    }
    view.text = texts.join(", ");
    view
}

/// Fields of `doc` that its kind's page does not show by itself: every field of a custom
/// kind, the fields a handbook added to a built-in kind.
pub(crate) fn extra_fields(site: &Site<'_, '_>, doc: &Doc, linker: &Linker) -> Vec<FieldView> {
    let spec = site.cfg.kinds.spec(doc.kind);
    doc.fields
        .iter()
        .filter(|(name, _)| !spec.field(name).is_some_and(|f| f.builtin))
        .map(|(name, v)| field_view(site, doc.kind, name, &v.value, linker))
        .collect()
}

/// Documents whose declared (non built-in) fields point at document `i`.
pub(crate) fn referenced_by(site: &Site<'_, '_>, i: usize, linker: &Linker) -> Vec<RefGroup> {
    let Some(refs) = site.rel.referenced_by.get(&i) else {
        return Vec::new();
    };
    let mut groups: Vec<RefGroup> = Vec::new();
    for (from, field) in refs {
        let doc = &site.hb.docs[*from];
        let plural = &site.cfg.kinds.spec(doc.kind).plural;
        let label = format!("{plural} ({})", label(field).to_lowercase());
        let link = linker.doc(doc);
        match groups.iter_mut().find(|g| g.label == label) {
            Some(g) => g.links.push(link),
            None => groups.push(RefGroup {
                label,
                links: vec![link],
            }),
        }
    }
    groups
}

/// Every custom kind's index page and document pages.
pub(crate) fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    for spec in site.cfg.kinds.custom() {
        let docs = site.of_kind(spec.kind);
        docs.par_iter()
            .try_for_each(|&i| site.doc_or_skip(i, || page(site, i)))?;
        site.gathered(&[&spec.index_url()], || index(site, spec, &docs))?;
    }
    Ok(())
}

fn page(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let doc = &site.hb.docs[i];
    let url = doc.url();
    let page = site.doc_page(i, "record", None);
    site.page(&url, "record.html", page, "record", ())
}

/// The columns of a kind's table: the spec's, else its first three fields.
fn columns(spec: &KindSpec) -> Vec<String> {
    if spec.columns.is_empty() {
        spec.fields
            .iter()
            .take(3)
            .map(|f| f.name.to_string())
            .collect()
    } else {
        spec.columns
            .iter()
            .filter(|c| *c != "title")
            .cloned()
            .collect()
    }
}

fn index(site: &Site<'_, '_>, spec: &KindSpec, docs: &[usize]) -> Result<(), Error> {
    let url = spec.index_url();
    let linker = Linker::for_page(&url);
    let columns = columns(spec);
    let mut rows: Vec<TableRow> = docs
        .iter()
        .map(|&i| {
            let doc = &site.hb.docs[i];
            let cells = columns
                .iter()
                .map(|c| match c.as_str() {
                    "id" => text_cell(c, &doc.id),
                    "tags" => text_cell(c, &doc.tags.join(", ")),
                    _ => doc.fields.get(c).map_or_else(
                        || text_cell(c, ""),
                        |v| field_view(site, doc.kind, c, &v.value, &linker),
                    ),
                })
                .collect();
            TableRow {
                link: linker.doc(doc),
                cells,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.link.title.to_lowercase(), &a.link.handle)
            .cmp(&(b.link.title.to_lowercase(), &b.link.handle))
    });
    let view = TableView {
        description: spec.description.clone(),
        columns: columns.iter().map(|c| label(c)).collect(),
        rows,
    };
    let page = site.generated(&url, "table", &spec.plural);
    site.page(&url, "table.html", page, "table", view)
}

fn text_cell(name: &str, text: &str) -> FieldView {
    FieldView {
        name: name.to_string(),
        label: label(name),
        text: text.to_string(),
        links: Vec::new(),
        urls: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_words() {
        assert_eq!(label("start_date"), "Start date");
        assert_eq!(label("health"), "Health");
        assert_eq!(label("pr-links"), "Pr links");
    }
}
