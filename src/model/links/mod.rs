//! The link model: what a link in a body points at, and where it leads on the site.
//!
//! `check` reports every link [`Links::resolve`] cannot resolve, and the site writes only the
//! links it resolves, where it says: the two read one model, so a link `check` accepts leads to
//! a page, an anchor or a file the site has, and the site writes no link that leads nowhere.

mod target;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::config::Config;
use crate::kind::Kind;
use crate::publish::{Entry, NotPublished, Published};

use super::{Doc, Handbook};
pub use target::{Target, classify};

/// Pages the site generates itself; a document may not take their place.
pub const GENERATED: &[&str] = &[
    "index.html",
    "search.html",
    "health.html",
    "changes.html",
    "404.html",
    "pages.html",
    "roadmap/index.html",
    "roadmap/timeline.html",
    "processes/index.html",
    "charters/index.html",
    "people/index.html",
    "roles/index.html",
    "teams/index.html",
];

/// Where a link leads on the site.
#[derive(Debug, Clone)]
pub enum Dest<'h> {
    /// Not the site's (`https:`, `mailto:`…).
    External,
    /// The linking document's own page.
    SameDoc,
    /// A document's page.
    Doc(&'h Doc),
    /// A page the site generates.
    Generated(&'static str),
    /// A handbook file the build copies to the same path.
    Asset(String),
}

/// Documents compare by identity: one handbook holds each once.
impl PartialEq for Dest<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Dest::External, Dest::External) | (Dest::SameDoc, Dest::SameDoc) => true,
            (Dest::Doc(a), Dest::Doc(b)) => std::ptr::eq(*a, *b),
            (Dest::Generated(a), Dest::Generated(b)) => a == b,
            (Dest::Asset(a), Dest::Asset(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Dest<'_> {}

impl Dest<'_> {
    /// The path from the site root; `None` for an external URL or the page itself.
    pub fn site_path(&self) -> Option<String> {
        match self {
            Dest::External | Dest::SameDoc => None,
            Dest::Doc(d) => Some(d.url()),
            Dest::Generated(p) => Some((*p).to_string()),
            Dest::Asset(p) => Some(p.clone()),
        }
    }
}

/// A link that resolves: where it leads, and its anchor (which that page has).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'h, 'u> {
    pub dest: Dest<'h>,
    pub anchor: Option<&'u str>,
}

/// Why something at a path has no place on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    /// A folder without a page of its own.
    Folder,
    /// `org.yml`: its entries have pages, the file has none.
    Registry,
    /// A document without an id, which gets no page.
    NoPage,
    /// A file the build does not copy.
    File(NotPublished),
}

/// Why a link does not resolve on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken<'h> {
    /// The path climbs out of the handbook root.
    Outside,
    /// Nothing is at the path.
    Missing(String),
    /// `kind:id` names no document.
    NoDoc { kind: Kind, id: String },
    /// Something is at the path, but the site does not publish it.
    Unpublished { path: String, why: Unpublished },
    /// The page exists, the anchor does not (or cannot be known: a generated page's). The
    /// page is [`Dest::SameDoc`] for the linking document's own.
    Anchor { anchor: String, page: Dest<'h> },
}

/// Resolves links for one handbook: shared by `check` and the site.
pub struct Links<'h> {
    pub hb: &'h Handbook,
    files: Published,
    /// Raw HTML is rendered, so ids written in it are anchors.
    pub raw_html: bool,
    /// Document index by the path of its page (made on the first `.html` link).
    by_url: OnceLock<HashMap<String, usize>>,
}

impl<'h> Links<'h> {
    pub fn new(hb: &'h Handbook, cfg: &Config) -> Links<'h> {
        Links {
            hb,
            files: Published::new(&cfg.root, &cfg.output_dir()),
            raw_html: cfg.raw_html,
            by_url: OnceLock::new(),
        }
    }

    /// The files the site publishes as they are.
    pub fn files(&self) -> &Published {
        &self.files
    }

    /// Where `url`, written in `from`, leads on the site, or why it leads nowhere.
    pub fn resolve<'u>(&self, url: &'u str, from: &Doc) -> Result<Resolved<'h, 'u>, Broken<'h>> {
        let (dest, anchor) = match classify(url, &from.path, &self.hb.kinds) {
            Target::External => (Dest::External, None),
            Target::SameDoc(anchor) => (Dest::SameDoc, Some(anchor)),
            Target::Handle { kind, id, anchor } => match self.hb.get(kind, id) {
                Some(doc) if has_page(doc) => (Dest::Doc(doc), anchor),
                _ => {
                    return Err(Broken::NoDoc {
                        kind,
                        id: id.to_string(),
                    });
                }
            },
            Target::File { path: None, .. } => return Err(Broken::Outside),
            Target::File {
                path: Some(path),
                anchor,
            } => (self.file(&path)?, anchor),
        };
        let page: Option<&Doc> = match &dest {
            Dest::SameDoc => Some(from),
            Dest::Doc(d) => Some(*d),
            _ => None,
        };
        if let Some(a) = anchor.filter(|a| !a.is_empty()) {
            let known = match (&dest, page) {
                (_, Some(doc)) => doc.outline().has_anchor(a, self.raw_html),
                // A generated page's ids come from its template: not something to link into.
                (Dest::Generated(_), _) => false,
                // A file's fragment is the file's business (`plan.pdf#page=2`).
                _ => true,
            };
            if !known {
                return Err(Broken::Anchor {
                    anchor: a.to_string(),
                    page: dest,
                });
            }
        }
        Ok(Resolved { dest, anchor })
    }

    /// Where a root-relative path leads.
    fn file(&self, path: &str) -> Result<Dest<'h>, Broken<'h>> {
        let unpublished = |why| {
            Err(Broken::Unpublished {
                path: path.to_string(),
                why,
            })
        };
        if let Some(doc) = self.hb.by_path(path) {
            return if path == "org.yml" {
                unpublished(Unpublished::Registry)
            } else if has_page(doc) {
                Ok(Dest::Doc(doc))
            } else {
                unpublished(Unpublished::NoPage)
            };
        }
        if let Some(dest) = self.page(path) {
            return Ok(dest);
        }
        if let Some(dest) = self.folder_page(path) {
            return Ok(dest);
        }
        match self.files.entry(path) {
            Entry::File(_) => Ok(Dest::Asset(path.to_string())),
            Entry::Folder => unpublished(Unpublished::Folder),
            Entry::NotPublished(why) => unpublished(Unpublished::File(why)),
            Entry::Missing => Err(Broken::Missing(path.to_string())),
        }
    }

    /// A link to a page of the site by its `.html` path: a document's page, a generated page,
    /// or the page of the document `PATH.md` for `PATH.html`.
    fn page(&self, path: &str) -> Option<Dest<'h>> {
        let stem = path.strip_suffix(".html")?;
        let by_url = self.by_url.get_or_init(|| {
            let docs = self.hb.docs.iter().enumerate();
            docs.filter(|(_, d)| has_page(d))
                .map(|(i, d)| (d.url(), i))
                .collect()
        });
        if let Some(&i) = by_url.get(path) {
            return Some(Dest::Doc(&self.hb.docs[i]));
        }
        if let Some(g) = GENERATED.iter().find(|g| **g == path) {
            return Some(Dest::Generated(g));
        }
        self.hb
            .by_path(&format!("{stem}.md"))
            .filter(|d| has_page(d))
            .map(Dest::Doc)
    }

    /// The page a link to a folder leads to. This is the one place that decides it: today the
    /// root and the folders the site generates an index for (`roadmap/`, `people/`…) have one,
    /// other folders none.
    fn folder_page(&self, folder: &str) -> Option<Dest<'h>> {
        GENERATED
            .iter()
            .find(|g| {
                g.strip_suffix("index.html")
                    .is_some_and(|f| f.trim_end_matches('/') == folder)
            })
            .map(|g| Dest::Generated(g))
    }
}

/// Whether a document gets a page of its own.
fn has_page(doc: &Doc) -> bool {
    !doc.id.is_empty()
}

#[cfg(test)]
mod tests;
