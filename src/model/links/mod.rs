//! The link model: what a link in a body points at, and where it leads on the site.
//!
//! `check` reports every link [`Links::resolve`] cannot resolve, and the site writes only the
//! links it resolves, where it says: the two read one model, so a link `check` accepts leads to
//! a page, an anchor or a file the site has, and the site writes no link that leads nowhere.

mod paths;
mod target;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use crate::config::{Config, LinkOptions};
pub use crate::config::{INDEX_NAMES, is_index_page};
use crate::kind::Kind;
use crate::publish::{NotPublished, Published};

use super::{Doc, Handbook};
pub use target::{Target, classify};

/// Pages the site generates itself; a document may not take their place (unless its section
/// is hidden and the page not written: see [`Config::unwritten_pages`]).
pub const GENERATED: &[&str] = &[
    "index.html",
    "search.html",
    "health.html",
    "changes.html",
    "404.html",
    "pages.html",
    "flow.html",
    "ownership.html",
    "roadmap/index.html",
    "roadmap/timeline.html",
    "processes/index.html",
    "charters/index.html",
    "people/index.html",
    "roles/index.html",
    "teams/index.html",
    "objectives/index.html",
    "metrics/index.html",
    "launches/index.html",
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
    /// The index page of a custom kind.
    KindIndex(String),
}

/// Documents compare by identity: one handbook holds each once.
impl PartialEq for Dest<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Dest::External, Dest::External) | (Dest::SameDoc, Dest::SameDoc) => true,
            (Dest::Doc(a), Dest::Doc(b)) => std::ptr::eq(*a, *b),
            (Dest::Generated(a), Dest::Generated(b)) => a == b,
            (Dest::Asset(a), Dest::Asset(b)) | (Dest::KindIndex(a), Dest::KindIndex(b)) => a == b,
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
            Dest::Asset(p) | Dest::KindIndex(p) => Some(p.clone()),
        }
    }
}

/// A link that resolves: where it leads, and its anchor (which that page has: the page's own
/// id, which differs from the link's in case only when anchors are matched ignoring case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'h, 'u> {
    pub dest: Dest<'h>,
    pub anchor: Option<Cow<'u, str>>,
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
    /// How links are written (extension-less, site URLs, anchors ignoring case).
    opts: LinkOptions,
    /// Generated pages the site does not write (hidden sections).
    unwritten: BTreeSet<String>,
    /// The index page of each kind with one, by the folders its documents live in.
    indexes: Vec<(String, String)>,
    /// Document index by the path of its page (made on the first `.html` link).
    by_url: OnceLock<HashMap<String, usize>>,
}

impl<'h> Links<'h> {
    pub fn new(hb: &'h Handbook, cfg: &Config) -> Links<'h> {
        let indexes = cfg
            .folders
            .iter()
            .filter(|(_, k)| **k != Kind::PAGE)
            .map(|(f, k)| (f.clone(), cfg.kinds.spec(*k).index_url()))
            .collect();
        Links {
            hb,
            files: Published::new(&cfg.root, &cfg.output_dir()).with_ignore(&cfg.ignore),
            raw_html: cfg.raw_html,
            opts: cfg.links.clone(),
            unwritten: cfg.unwritten_pages(&hb.used_kinds()),
            indexes,
            by_url: OnceLock::new(),
        }
    }

    /// The files the site publishes as they are.
    pub fn files(&self) -> &Published {
        &self.files
    }

    /// Where `url`, written in `from`, leads on the site, or why it leads nowhere.
    pub fn resolve<'u>(&self, url: &'u str, from: &Doc) -> Result<Resolved<'h, 'u>, Broken<'h>> {
        let rebased = self.rebased(url);
        let (dest, anchor) = match &rebased {
            None => self
                .target(url, &from.path)
                .map(|(d, a)| (d, a.map(Cow::Borrowed)))?,
            Some(moved) => match self.target(moved, &from.path) {
                Ok((d, a)) => (d, a.map(|a| Cow::Owned(a.to_string()))),
                // A link that names the folder the site publishes itself (`/content/x.md`).
                Err(_) if self.opts.site_root.is_some() => self
                    .target(url, &from.path)
                    .map(|(d, a)| (d, a.map(Cow::Borrowed)))?,
                Err(e) => return Err(e),
            },
        };
        let page: Option<&Doc> = match &dest {
            Dest::SameDoc => Some(from),
            Dest::Doc(d) => Some(*d),
            _ => None,
        };
        let anchor = match anchor {
            Some(a) if !a.is_empty() => {
                let known = match (&dest, page) {
                    (_, Some(doc)) => doc
                        .outline()
                        .anchor(&a, self.raw_html, self.opts.anchors_ignore_case)
                        .map(|id| {
                            if id == a {
                                a.clone()
                            } else {
                                Cow::Owned(id.to_string())
                            }
                        }),
                    // A generated page's ids come from its template: not something to link
                    // into.
                    (Dest::Generated(_) | Dest::KindIndex(_), _) => None,
                    // A file's fragment is the file's business (`plan.pdf#page=2`).
                    _ => Some(a.clone()),
                };
                match known {
                    Some(id) => Some(id),
                    None => {
                        return Err(Broken::Anchor {
                            anchor: a.into_owned(),
                            page: dest,
                        });
                    }
                }
            }
            other => other,
        };
        Ok(Resolved { dest, anchor })
    }

    /// The document whose page `url`, written in the file at `from` (a root-relative path,
    /// e.g. a navigation data file), leads to; its anchor is not looked at.
    pub fn doc_at(&self, url: &str, from: &str) -> Option<&'h Doc> {
        let found = |u: &str| match self.target(u, from) {
            Ok((Dest::Doc(d), _)) => Some(d),
            _ => None,
        };
        match self.rebased(url) {
            Some(moved) => {
                found(&moved).or_else(|| found(url).filter(|_| self.opts.site_root.is_some()))
            }
            None => found(url),
        }
    }

    /// A link written with the path the site is published under, read from the root:
    /// `/handbook/guide/` → `/guide/` (`None`: the link as it is).
    /// With `site_root`, a link from the site root is read from that folder:
    /// `/guide/setup` → `/content/guide/setup`.
    fn rebased(&self, url: &str) -> Option<String> {
        let url = url.trim();
        let from_base = self.opts.base_path.as_deref().and_then(|base| {
            let rest = url.strip_prefix(base.trim_end_matches('/'))?;
            (rest.is_empty() || rest.starts_with(['/', '#', '?']))
                .then(|| format!("/{}", rest.trim_start_matches('/')))
        });
        let Some(root) = self.opts.site_root.as_deref() else {
            return from_base;
        };
        let path = from_base.as_deref().unwrap_or(url);
        if !path.starts_with('/') || path.starts_with("//") {
            return from_base;
        }
        Some(format!("/{root}{}", path.trim_start_matches('/')))
    }

    /// Where `url` leads, before its anchor is looked at.
    fn target<'u>(
        &self,
        url: &'u str,
        from: &str,
    ) -> Result<(Dest<'h>, Option<&'u str>), Broken<'h>> {
        let slash = url
            .trim()
            .split(['#', '?'])
            .next()
            .is_some_and(|p| p.ends_with('/'));
        Ok(match classify(url, from, &self.hb.kinds) {
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
            Target::File { path, anchor } => {
                let dest = match path {
                    Some(path) => self.file(&path, slash),
                    None => Err(Broken::Outside),
                };
                match dest {
                    Ok(dest) => (dest, anchor),
                    Err(e) => (
                        self.relative_to_page_url(url, from, slash).ok_or(e)?,
                        anchor,
                    ),
                }
            }
        })
    }

    /// With `pretty_urls`, a relative link may be written from the page's published URL
    /// (`guide/setup/` for `guide/setup.md`), as it works on the site: `../onboarding/` there
    /// is `guide/onboarding/`. Tried when the link leads nowhere from the file's folder.
    fn relative_to_page_url(&self, url: &str, from: &str, slash: bool) -> Option<Dest<'h>> {
        if !self.opts.pretty_urls || url.trim().starts_with('/') || is_index_page(from) {
            return None;
        }
        let page_folder = format!("{}/index.md", from.strip_suffix(".md")?);
        match classify(url, &page_folder, &self.hb.kinds) {
            Target::File {
                path: Some(path), ..
            } => self.file(&path, slash).ok(),
            _ => None,
        }
    }
}

/// The source files a link to the root-relative `path` may lead to, by the rules of
/// [`Links::resolve`]: the path itself, `PATH.md` (for `PATH.html`, `PATH/` or `PATH`), and the
/// index pages of the folder `PATH` (for `PATH/index.html` too).
pub fn sources_of(path: &str) -> Vec<String> {
    let mut out = vec![path.to_string()];
    let stem = path.strip_suffix(".html").unwrap_or(path);
    out.push(format!("{stem}.md"));
    let folder = match stem.strip_suffix("index") {
        Some(f) if f.is_empty() || f.ends_with('/') => f.trim_end_matches('/'),
        _ => path,
    };
    if folder != path && !folder.is_empty() {
        out.push(format!("{folder}.md"));
    }
    for name in INDEX_NAMES {
        out.push(if folder.is_empty() {
            name.to_string()
        } else {
            format!("{folder}/{name}")
        });
    }
    out
}

/// The root's `index.md`, which is the site's home page in place of the generated one.
pub fn home_page(hb: &Handbook) -> Option<&Doc> {
    hb.by_path("index.md")
        .filter(|d| d.kind == Kind::PAGE && has_page(d))
}

/// Whether a document gets a page of its own.
fn has_page(doc: &Doc) -> bool {
    !doc.id.is_empty()
}

#[cfg(test)]
mod tests;
