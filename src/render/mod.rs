//! Handbook → site files. The only module that touches tera; it returns plain files and the
//! site module writes them.

mod body;
mod cards;
pub mod facts;
mod findings;
mod flow_page;
mod frame;
mod history;
pub mod href;
mod launch;
mod okr;
mod org;
mod ownership;
mod pages;
pub mod partial;
mod process;
pub mod records;
mod relations;
mod roadmap;
mod search;
mod search_index;
mod sparkline;
pub mod templates;
mod text;
pub mod themes;
mod timeline;
pub mod view;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Mutex;

use jiff::civil::Date;
use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::kind::Kind;
use crate::model::links::Links;
use crate::model::{Doc, Handbook};
use crate::validate::freshness::{self, Freshness, Source, State};

pub use cards::KeptCards;
pub use facts::SiteFacts;
pub(crate) use findings::doc_of;
use href::Linker;
pub use partial::{Partial, Select, ViewHash};
use relations::Relations;
pub use search_index::KeptSearch;
pub use templates::Templates;
pub use text::{code_spans, escape_html, number};
use view::{FreshnessView, PageView};

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path from the site root, `/`-separated.
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go, one at a time (so a large site is never held in memory): the site
/// module writes them to disk. Pages render in parallel, so a sink takes files from any thread.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> Result<(), Error>;
}

/// What the renderer needs.
pub struct RenderInput<'a> {
    pub hb: &'a Handbook,
    /// The config, with `base_url` as the build uses it.
    pub cfg: &'a Config,
    /// The build's diagnostics (warnings and notes; the build stops on errors).
    pub diagnostics: &'a [Diagnostic],
    pub today: Date,
    pub facts: &'a SiteFacts,
    pub templates: &'a Templates,
    /// Render only some pages (see [`partial`]); `None` renders every page.
    pub partial: Option<Partial<'a>>,
}

/// What a render made besides its files.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Paths of the files given to the sink.
    pub files: BTreeSet<String>,
    /// Root-relative paths of handbook files to copy into the site at the same path.
    pub assets: BTreeSet<String>,
    /// The local files each body rendered this time links to, by page path.
    pub linked: HashMap<String, BTreeSet<String>>,
    /// In a partial render, the view of each page made or compared this time, by page path.
    pub views: HashMap<String, ViewHash>,
    /// In a partial render, the roadmap cards made or used again this time.
    pub cards: cards::KeptCards,
}

/// Render every page of the site into `sink`.
pub fn render(input: &RenderInput, sink: &dyn Sink) -> Result<Rendered, Error> {
    input.templates.cards.begin();
    let made = render_site(input, sink);
    input.templates.cards.end();
    made
}

fn render_site(input: &RenderInput, sink: &dyn Sink) -> Result<Rendered, Error> {
    let site = Site::new(input, sink);
    crate::timing::phase("render: setup");
    // Every page but the search index and the sitemap, in parallel: a big single page (the
    // board, the timeline, the catalogue) renders on one thread while the others take
    // document pages. Every page showing roadmap cards is made here.
    let (roadmap, (processes, (org, (pages, (records, product))))) = rayon::join(
        || roadmap::render(&site),
        || {
            rayon::join(
                || process::render(&site),
                || {
                    rayon::join(
                        || org::render(&site),
                        || {
                            rayon::join(
                                || pages::render(&site),
                                || rayon::join(|| records::render(&site), || product_pages(&site)),
                            )
                        },
                    )
                },
            )
        },
    );
    product?;
    records?;
    roadmap?;
    processes?;
    org?;
    pages?;
    if let Some((_, e)) = lock(&site.card_error).take() {
        return Err(e);
    }
    if input.partial.is_none() {
        // A build renders once: its cards are not needed past its pages.
        input.templates.cards.release();
    }
    crate::timing::phase("render: pages");
    site.searched(&search::FILES, || search::render(&site))?;
    crate::timing::phase("render: search");
    for (name, text) in &input.templates.assets {
        site.add_file(&format!("assets/{name}"), text.clone().into_bytes())?;
    }
    pages::sitemap(&site)?;
    let hb = input.hb;
    let linked: HashMap<String, BTreeSet<String>> = site
        .linked
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|(i, b)| (hb.docs[i].url(), b))
        .collect();
    let mut assets: BTreeSet<String> = linked.values().flatten().cloned().collect();
    if let Some(p) = input.partial {
        for i in site.skipped.into_inner().unwrap_or_else(|e| e.into_inner()) {
            if let Some(b) = p.linked.get(&hb.docs[i].url()) {
                assets.extend(b.iter().cloned());
            }
        }
    }
    Ok(Rendered {
        files: site.out.into_inner().unwrap_or_else(|e| e.into_inner()),
        assets,
        linked,
        views: site.views.into_inner().unwrap_or_else(|e| e.into_inner()),
        cards: site.kept.into_inner().unwrap_or_else(|e| e.into_inner()),
    })
}

/// The pages of objectives, metrics and launches, and the Ownership and Flow pages.
fn product_pages(site: &Site<'_, '_>) -> Result<(), Error> {
    okr::render(site)?;
    launch::render(site)?;
    site.gathered(&[ownership::OWNERSHIP], || ownership::render(site))?;
    site.gathered(&[flow_page::FLOW], || flow_page::render(site))
}

/// The state of one render: inputs, lookups, and the files made so far. Pages render in
/// parallel from a shared `&Site`; what they add goes through its locks.
pub(crate) struct Site<'a, 's> {
    pub hb: &'a Handbook,
    pub cfg: &'a Config,
    pub today: Date,
    pub facts: &'a SiteFacts,
    pub tera: &'a Tera,
    pub rel: Relations,
    /// Where links in bodies lead: the link model `check` reads too.
    pub links: Links<'a>,
    /// The page slug of each roadmap theme.
    pub themes: themes::ThemeSlugs,
    pub diagnostics: &'a [Diagnostic],
    /// Diagnostics (indexes) by the document they are in.
    pub findings: HashMap<usize, Vec<usize>>,
    /// Paths written so far (or left as they are, in a partial render).
    out: Mutex<BTreeSet<String>>,
    sink: &'s dyn Sink,
    /// The local files each rendered body links to, by document index.
    linked: Mutex<HashMap<usize, BTreeSet<String>>>,
    /// The search entry and word weights of each rendered body, by document index.
    words: Mutex<HashMap<usize, search::DocWords>>,
    /// The HTML of the roadmap cards, kept with the templates.
    cards: &'a cards::CardStore,
    /// The roadmap cards of a partial render, for the next.
    kept: Mutex<cards::KeptCards>,
    /// Each document's page (its [`Doc::url`]), made when first asked for.
    urls: Vec<std::sync::OnceLock<String>>,
    /// The `site` value of the pages, by root and current sections.
    site_values: Mutex<HashMap<(String, Vec<bool>), tera::Value>>,
    /// An error of the card partial (see [`Site::make_card`]).
    card_error: Mutex<Option<(ViewHash, Error)>>,
    /// The kinds the handbook has documents of: the sections the navigation shows.
    pub used: BTreeSet<Kind>,
    /// The main navigation: label and page.
    nav: Vec<(String, String)>,
    /// Pages of hidden sections without documents: not written (unless a document's page
    /// takes their place).
    unwritten: BTreeSet<String>,
    partial: Option<Partial<'a>>,
    /// Documents whose page a partial render left as it is.
    skipped: Mutex<HashSet<usize>>,
    /// The views of the pages of a partial render.
    views: Mutex<HashMap<String, ViewHash>>,
}

impl<'a, 's> Site<'a, 's> {
    fn new(input: &RenderInput<'a>, sink: &'s dyn Sink) -> Site<'a, 's> {
        let hb = input.hb;
        // Warnings go on reader pages (cards, document pages) only for an internal site
        // (`site: {findings: true}`); the Health page always lists them.
        let mut findings: HashMap<usize, Vec<usize>> = HashMap::new();
        let on_pages = input.cfg.site_findings;
        for (n, d) in input.diagnostics.iter().enumerate().filter(|_| on_pages) {
            if d.severity == Severity::Error {
                continue;
            }
            if let Some(i) = doc_of(hb, d) {
                findings.entry(i).or_default().push(n);
            }
        }
        let used = hb.used_kinds();
        Site {
            hb,
            cfg: input.cfg,
            today: input.today,
            facts: input.facts,
            tera: &input.templates.tera,
            rel: Relations::of(hb),
            links: Links::new(hb, input.cfg),
            themes: themes::ThemeSlugs::of(hb),
            diagnostics: input.diagnostics,
            findings,
            out: Mutex::new(BTreeSet::new()),
            sink,
            linked: Mutex::new(HashMap::new()),
            words: Mutex::new(HashMap::new()),
            cards: &input.templates.cards,
            card_error: Mutex::new(None),
            site_values: Mutex::new(HashMap::new()),
            urls: (0..hb.docs.len()).map(|_| Default::default()).collect(),
            kept: Mutex::new(HashMap::new()),
            nav: Site::nav(&used, input.cfg),
            unwritten: input.cfg.unwritten_pages(&used),
            used,
            partial: input.partial,
            skipped: Mutex::new(HashSet::new()),
            views: Mutex::new(HashMap::new()),
        }
    }

    /// Take `url` for one page; two pages at one path are an error, never a silent overwrite.
    pub(crate) fn claim(&self, url: &str) -> Result<(), Error> {
        if !lock(&self.out).insert(url.to_string()) {
            return Err(Error::Usage(format!(
                "two pages of the site would be written to `{url}`; rename the document that \
                 takes the place of a generated page"
            )));
        }
        Ok(())
    }

    /// Add a file; two files at one path are an error, never a silent overwrite.
    pub fn add_file(&self, url: &str, bytes: Vec<u8>) -> Result<(), Error> {
        self.claim(url)?;
        self.sink.put(OutputFile {
            rel_path: url.to_string(),
            bytes,
        })
    }

    /// Render `template` to `url` with `site`, `page` and the view under `name` (given by
    /// value, so it is freed once the template context has its copy).
    pub fn page<V: Serialize>(
        &self,
        url: &str,
        template: &str,
        page: PageView,
        name: &'static str,
        view: V,
    ) -> Result<(), Error> {
        // A generated page of a hidden section is not written; a document's page at its place
        // is.
        if page.meta.is_none() && self.unwritten.contains(url) {
            return Ok(());
        }
        let linker = Linker::for_page(url);
        // The 404 page is served at any depth: with a base URL, it links from the site's path.
        let root = match (url, self.cfg.base_url.as_deref()) {
            ("404.html", Some(base)) => href::path_of(base),
            _ => linker.root.clone(),
        };
        let mut cx = Context::new();
        cx.insert_value("site", self.site_value(url, &root));
        cx.insert("page", &page);
        cx.insert(name, &view);
        if self.partial.is_some() {
            let site = self.site_view(url, &root);
            if self.same_view(url, &(template, &site, &page, name, &view)) {
                return self.list(url);
            }
        }
        // The context holds its own copy: free the view before rendering (a board's cards
        // would otherwise be held twice while its page is written).
        drop((page, view));
        let text = self.render_template(template, &cx)?;
        self.add_file(url, text.into_bytes())
    }

    /// Render the template `name` with `cx`; an error names the template.
    fn render_template(&self, name: &str, cx: &Context) -> Result<String, Error> {
        self.tera
            .render(name, cx)
            .map_err(|source| Error::Template {
                name: name.to_string(),
                source,
            })
    }

    /// The freshness of a document, with the git date when it has no `last_reviewed`.
    pub fn freshness(&self, doc: &Doc) -> Option<Freshness> {
        let git_date = self.facts.doc(&doc.path).and_then(|g| g.updated);
        freshness::of(doc, self.cfg, self.today, git_date)
    }

    /// [`Site::freshness`] for templates: a git date from a cut history is marked approximate.
    pub fn freshness_view(&self, doc: &Doc) -> Option<FreshnessView> {
        let f = self.freshness(doc)?;
        let approximate =
            f.source == Source::Git && self.facts.doc(&doc.path).is_some_and(|g| g.approximate);
        Some(freshness_view(&f, approximate))
    }

    /// The paths of the files made so far, sorted.
    pub fn written(&self) -> Vec<String> {
        lock(&self.out).iter().cloned().collect()
    }

    /// The plain text of document `i`'s rendered body, rendered again for it (for a page a
    /// partial render leaves out that the previous render gave no search words).
    pub fn text_of(&self, i: usize) -> String {
        let doc = &self.hb.docs[i];
        if doc.body().trim().is_empty() {
            return String::new();
        }
        let cx = body::BodyContext {
            links: &self.links,
            linker: &Linker::for_page(&doc.url()),
        };
        body::render(doc, &cx).text
    }

    /// The page of document `i`.
    pub fn url(&self, i: usize) -> &str {
        self.urls[i].get_or_init(|| self.hb.docs[i].url())
    }

    /// A document, its page and a linker for that page.
    pub fn at(&self, i: usize) -> (&'a Doc, String, Linker) {
        let doc = &self.hb.docs[i];
        let url = doc.url();
        let linker = Linker::for_page(&url);
        (doc, url, linker)
    }

    /// Indexes of the documents of a kind, in path order.
    pub fn of_kind(&self, kind: Kind) -> Vec<usize> {
        (0..self.hb.docs.len())
            .filter(|&i| self.hb.docs[i].kind == kind && !self.hb.docs[i].id.is_empty())
            .collect()
    }
}

/// A lock's value, also after a panic elsewhere (the data stays consistent: every update is
/// one insert).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn kind_label(cfg: &Config, kind: Kind) -> &str {
    &cfg.kinds.spec(kind).label
}

pub fn freshness_view(f: &Freshness, approximate: bool) -> FreshnessView {
    let label = match f.state {
        State::Fresh => "Fresh",
        State::DueSoon => "Due soon",
        State::Overdue => "Overdue",
        State::Stale => "Stale",
    };
    FreshnessView {
        state: f.state.as_str().to_string(),
        label: label.to_string(),
        reviewed: f.reviewed.to_string(),
        due: f.due.to_string(),
        from_git: f.source == Source::Git,
        approximate,
    }
}
