//! Which pages an edit can change.
//!
//! A page of a document shows the document itself and what it says about the documents within
//! two steps of it: a roadmap item's page shows the cards of the items it depends on, and each
//! card counts the unshipped items *those* depend on; a person's page shows the cards of the
//! items they own, with each item's team. A step is any mention, in either direction: a
//! reference in the frontmatter (to every document with that id, whatever its kind, so that an
//! id that starts or stops resolving is seen) or a link in the body (to the document or file it
//! resolves to, or fails to resolve to). [`Graph`] holds these steps for one handbook; the pages
//! to render again are those of the documents within two steps of what changed, in the
//! handbook before the edit and in the one after it. A board filtered by a team or an owner
//! shows what that document's page shows about its items, and goes with it; a theme's board
//! shows cards, so it goes with the items one step from what changed.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::model::links::{Broken, Dest, Links, Resolved};
use crate::model::{Doc, Handbook};

/// The steps between the documents of one handbook.
#[derive(Debug, Default)]
pub struct Graph {
    /// Per document (by index): its page path, empty when it has none.
    urls: Vec<String>,
    /// Per document: its theme, for roadmap items.
    themes: Vec<Option<String>>,
    /// Documents by file path.
    by_path: HashMap<String, Vec<u32>>,
    /// Documents by page path.
    by_url: HashMap<String, u32>,
    /// Per document: the documents one step away, either way.
    near: Vec<Vec<u32>>,
    /// Files that are not documents, by path: the documents whose bodies link to them.
    files: HashMap<String, Vec<u32>>,
}

/// What changed since the last render.
#[derive(Debug)]
pub struct Changed<'a> {
    /// Files read again, added or removed (documents or not).
    pub paths: &'a HashSet<String>,
    /// Pages whose findings or git facts changed.
    pub urls: &'a HashSet<String>,
}

/// What to render again.
#[derive(Debug, Default)]
pub struct Dirty {
    pub urls: HashSet<String>,
    pub themes: HashSet<String>,
}

impl Graph {
    pub fn of(hb: &Handbook, cfg: &Config) -> Graph {
        let links = Links::new(hb, cfg);
        let steps: Vec<(Vec<u32>, Vec<String>)> = hb
            .docs
            .par_iter()
            .map(|d| steps_from(hb, &links, d))
            .collect();
        let n = hb.docs.len();
        let mut g = Graph {
            urls: hb
                .docs
                .iter()
                .map(|d| {
                    if d.id.is_empty() {
                        String::new()
                    } else {
                        d.url()
                    }
                })
                .collect(),
            themes: hb
                .docs
                .iter()
                .map(|d| {
                    d.roadmap()
                        .and_then(|x| x.theme.as_ref())
                        .map(|t| t.value.clone())
                })
                .collect(),
            near: vec![Vec::new(); n],
            ..Graph::default()
        };
        for (i, d) in hb.docs.iter().enumerate() {
            g.by_path.entry(d.path.clone()).or_default().push(i as u32);
            if !g.urls[i].is_empty() {
                g.by_url.entry(g.urls[i].clone()).or_insert(i as u32);
            }
        }
        for (i, (docs, files)) in steps.into_iter().enumerate() {
            for j in docs {
                if j as usize != i {
                    g.near[i].push(j);
                    g.near[j as usize].push(i as u32);
                }
            }
            for f in files {
                g.files.entry(f).or_default().push(i as u32);
            }
        }
        for list in &mut g.near {
            list.sort_unstable();
            list.dedup();
        }
        g
    }

    /// The pages and theme boards within reach of `changed`.
    pub fn dirty(&self, changed: &Changed, out: &mut Dirty) {
        let mut seeds: Vec<u32> = Vec::new();
        for p in changed.paths {
            seeds.extend(self.by_path.get(p).into_iter().flatten());
            seeds.extend(self.files.get(p).into_iter().flatten());
        }
        seeds.extend(changed.urls.iter().filter_map(|u| self.by_url.get(u)));
        let mut seen = vec![false; self.urls.len()];
        let mut ring: Vec<u32> = Vec::new();
        for s in seeds {
            if !std::mem::replace(&mut seen[s as usize], true) {
                ring.push(s);
            }
        }
        for step in 0..2 {
            let mut next = Vec::new();
            for &i in &ring {
                for &j in &self.near[i as usize] {
                    if !std::mem::replace(&mut seen[j as usize], true) {
                        next.push(j);
                    }
                }
            }
            if step == 0 {
                // One step from what changed: the cards that can change.
                let near = ring.iter().chain(&next);
                out.themes
                    .extend(near.filter_map(|&i| self.themes[i as usize].clone()));
            }
            ring = next;
        }
        for (i, seen) in seen.into_iter().enumerate() {
            if seen && !self.urls[i].is_empty() {
                out.urls.insert(self.urls[i].clone());
            }
        }
    }
}

/// The documents (by index) and other files one step from `d`.
fn steps_from(hb: &Handbook, links: &Links, d: &Doc) -> (Vec<u32>, Vec<String>) {
    let mut docs = Vec::new();
    let mut files = Vec::new();
    for r in d.refs() {
        for spec in hb.kinds.all() {
            docs.extend(hb.index_of(spec.kind, &r.id).map(|i| i as u32));
        }
    }
    for link in &d.outline().links {
        let dest = match links.resolve(&link.url, d) {
            Ok(Resolved { dest, .. }) => dest,
            Err(Broken::Anchor { page, .. }) => page,
            Err(Broken::Missing(p) | Broken::Unpublished { path: p, .. }) => Dest::Asset(p),
            Err(Broken::NoDoc { .. } | Broken::Outside) => continue,
        };
        match dest {
            Dest::Doc(e) => docs.extend(index_of(hb, e)),
            // Also a path that is a document without a page (`org.yml`, a page without an
            // id): a change to that file reaches the documents that link to it.
            Dest::Asset(p) => files.push(p),
            _ => {}
        }
    }
    (docs, files)
}

/// The index of a document of `hb` (documents are compared by identity).
fn index_of(hb: &Handbook, d: &Doc) -> Option<u32> {
    let base = hb.docs.as_ptr() as usize;
    let at = (d as *const Doc as usize).wrapping_sub(base) / std::mem::size_of::<Doc>().max(1);
    hb.docs
        .get(at)
        .filter(|x| std::ptr::eq(*x, d))
        .map(|_| at as u32)
}
