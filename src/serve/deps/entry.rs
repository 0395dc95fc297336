//! What a document is to the others: what it mentions, and hashes of its parts.

use std::hash::{Hash, Hasher};

use crate::frontmatter::{Node, Value};
use crate::kind::Kind;
use crate::model::links::{Target, classify, sources_of};
use crate::model::{Doc, Handbook};

/// Hashes of what others show of a document, of its anchors, and of all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape {
    pub summary: u64,
    pub anchors: u64,
    pub all: u64,
}

/// One document, as far as other pages are concerned.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// Its page; empty when it has none.
    pub url: String,
    pub path: String,
    pub id: String,
    pub kind: Kind,
    pub theme: Option<String>,
    pub shape: Shape,
    /// Ids its references name, and paths its links lead to.
    pub ids: Vec<String>,
    pub paths: Vec<String>,
}

pub(super) fn entry(hb: &Handbook, d: &Doc) -> Entry {
    let mut ids: Vec<String> = d.refs().iter().map(|r| r.id.clone()).collect();
    let mut paths = Vec::new();
    for link in &d.outline().links {
        match classify(&link.url, &d.path, &hb.kinds) {
            Target::Handle { id, .. } => ids.push(id.to_string()),
            // A page's `.html` path, a folder or a path without `.md` also name the files
            // they may lead to.
            Target::File { path: Some(p), .. } => paths.extend(sources_of(&p)),
            _ => {}
        }
    }
    ids.sort();
    ids.dedup();
    paths.sort();
    paths.dedup();
    Entry {
        url: if d.id.is_empty() {
            String::new()
        } else {
            d.url()
        },
        path: d.path.clone(),
        id: d.id.clone(),
        kind: d.kind,
        theme: d
            .roadmap()
            .and_then(|x| x.theme.as_ref())
            .map(|t| t.value.clone()),
        shape: shape(d),
        ids,
        paths,
    }
}

fn shape(d: &Doc) -> Shape {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (d.kind.as_str(), &d.id, &d.title, &d.tags, d.broken).hash(&mut h);
    if let Some(n) = &d.frontmatter {
        node(n, &mut h);
    }
    let summary = h.finish();
    let o = d.outline();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for x in &o.headings {
        x.slug.hash(&mut h);
    }
    (&o.footnotes, &o.html_ids).hash(&mut h);
    let anchors = h.finish();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (summary, anchors, d.body(), d.start, d.body_line, d.id_span).hash(&mut h);
    Shape {
        summary,
        anchors,
        all: h.finish(),
    }
}

/// Hash a frontmatter value as written, without where it is written.
fn node(n: &Node, h: &mut impl Hasher) {
    n.raw.hash(h);
    match &n.value {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Int(i) => (2u8, i).hash(h),
        Value::Float(f) => (3u8, f.to_bits()).hash(h),
        Value::Str(s) => (4u8, s).hash(h),
        Value::Seq(items) => {
            (5u8, items.len()).hash(h);
            items.iter().for_each(|i| node(i, h));
        }
        Value::Map(entries) => {
            (6u8, entries.len()).hash(h);
            for (k, v) in entries {
                k.name.hash(h);
                node(v, h);
            }
        }
    }
}
