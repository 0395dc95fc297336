//! The frame of every page: the main navigation, the `site` value templates get, and the
//! page views of generated pages and of documents (body and meta).

use std::collections::BTreeSet;

use super::href::{self, Linker};
use super::view::{Body, DocMeta, NavLink, PageView, SiteView};
use super::{Site, body, history, kind_label, lock, records, search};
use crate::config::Config;
use crate::kind::Kind;

/// The main navigation: label, page, and the kind whose documents the section shows (a
/// section with none of them is left out of the navigation, unless `sections:` shows it; its
/// page is still written, unless `sections:` hides it).
const NAV: &[(&str, &str, Option<Kind>)] = &[
    ("Roadmap", "roadmap/index.html", Some(Kind::ROADMAP_ITEM)),
    (
        "Timeline",
        "roadmap/timeline.html",
        Some(Kind::ROADMAP_ITEM),
    ),
    ("Flow", "flow.html", Some(Kind::ROADMAP_ITEM)),
    ("Objectives", "objectives/index.html", Some(Kind::OBJECTIVE)),
    ("Metrics", "metrics/index.html", Some(Kind::METRIC)),
    ("Launches", "launches/index.html", Some(Kind::LAUNCH)),
    ("Charters", "charters/index.html", Some(Kind::CHARTER)),
    ("Processes", "processes/index.html", Some(Kind::PROCESS)),
    ("Teams", "teams/index.html", Some(Kind::TEAM)),
    ("Roles", "roles/index.html", Some(Kind::ROLE)),
    ("People", "people/index.html", Some(Kind::PERSON)),
    ("Ownership", "ownership.html", None),
    ("Pages", "pages.html", Some(Kind::PAGE)),
    ("Changes", "changes.html", None),
    ("Health", "health.html", None),
];

impl<'a, 's> Site<'a, 's> {
    /// The main navigation: the built-in sections, with the handbook's own kinds before
    /// "Pages" (worked out once per site: it is the same on every page).
    pub(super) fn nav(used: &BTreeSet<Kind>, cfg: &Config) -> Vec<(String, String)> {
        let mut nav: Vec<(String, String)> = Vec::new();
        for (label, target, kind) in NAV {
            if *label == "Pages" {
                nav.extend(
                    cfg.kinds
                        .custom()
                        .filter(|s| {
                            cfg.shows_section(&s.index_url(), used)
                                .unwrap_or(used.contains(&s.kind))
                        })
                        .map(|s| (s.plural.clone(), s.index_url())),
                );
            }
            let by_kind = kind.is_none_or(|k| used.contains(&k));
            if cfg.shows_section(target, used).unwrap_or(by_kind) {
                nav.push((label.to_string(), target.to_string()));
            }
        }
        nav
    }

    /// Which sections of the navigation the page at `url` is in.
    fn current(&self, url: &str) -> Vec<bool> {
        let nav = &self.nav;
        let exact = nav.iter().any(|(_, u)| *u == url);
        nav.iter()
            .map(|(_, target)| {
                let folder = target.strip_suffix("index.html").filter(|f| !f.is_empty());
                *target == url || (!exact && folder.is_some_and(|f| url.starts_with(f)))
            })
            .collect()
    }

    pub(super) fn site_view(&self, url: &str, root: &str) -> SiteView {
        let nav = self
            .nav
            .iter()
            .zip(self.current(url))
            .map(|((label, target), current)| NavLink {
                label: label.to_string(),
                href: format!("{root}{target}"),
                current,
            })
            .collect();
        SiteView {
            title: self.cfg.title.clone(),
            root: root.to_string(),
            base_url: self.cfg.base_url.clone(),
            repo_url: self.facts.repo.as_ref().map(|r| r.url.clone()),
            today: self.today.to_string(),
            git: self.facts.available,
            nav,
            css_href: format!("{root}assets/style.css"),
            search_href: format!("{root}search.html"),
            home_href: format!("{root}index.html"),
            generator: format!("opsbook {}", env!("CARGO_PKG_VERSION")),
        }
    }

    /// [`Site::site_view`] as the template value: made once for each root and current section
    /// (all it depends on), and shared by the pages that have them.
    pub(super) fn site_value(&self, url: &str, root: &str) -> tera::Value {
        let key = (root.to_string(), self.current(url));
        if let Some(v) = lock(&self.site_values).get(&key) {
            return v.clone();
        }
        let v = tera::Value::from_serializable(&self.site_view(url, root));
        lock(&self.site_values).insert(key, v.clone());
        v
    }

    /// A page view for a generated page.
    pub fn generated(&self, url: &str, template: &str, title: &str) -> PageView {
        PageView {
            title: title.to_string(),
            url: url.to_string(),
            canonical: self.canonical(url),
            description: None,
            template: template.to_string(),
            body: None,
            meta: None,
        }
    }

    pub fn canonical(&self, url: &str) -> Option<String> {
        self.cfg
            .base_url
            .as_deref()
            .map(|b| href::absolute(b, url.strip_suffix("index.html").unwrap_or(url)))
    }

    /// The page view of a document: its body rendered, its meta filled in.
    pub fn doc_page(&self, i: usize, template: &str, description: Option<String>) -> PageView {
        let doc = &self.hb.docs[i];
        let url = doc.url();
        let linker = Linker::for_page(&url);
        let body = (!doc.body().trim().is_empty()).then(|| self.body(i, &linker));
        PageView {
            title: doc.title.clone(),
            canonical: self.canonical(&url),
            url,
            description,
            template: template.to_string(),
            body,
            meta: Some(self.meta(i, &linker)),
        }
    }

    fn body(&self, i: usize, linker: &Linker) -> Body {
        let doc = &self.hb.docs[i];
        let cx = body::BodyContext {
            links: &self.links,
            linker,
        };
        let r = body::render(doc, &cx);
        let words = search::doc_words(self, i, &r.text);
        lock(&self.words).insert(i, words);
        lock(&self.linked).insert(i, r.assets);
        r.body
    }

    fn meta(&self, i: usize, linker: &Linker) -> DocMeta {
        let doc = &self.hb.docs[i];
        let git = self.facts.doc(&doc.path);
        let committed = git.filter(|g| g.updated.is_some());
        let edit_url = match (
            &self.facts.repo,
            committed.and_then(|g| g.repo_path.as_deref()),
        ) {
            (Some(repo), Some(path)) => {
                let shared = committed.is_some_and(|g| g.shared);
                Some(repo.edit(path, shared.then_some(doc.start.line)))
            }
            _ => None,
        };
        let commit = committed.and_then(|g| g.commit.clone());
        DocMeta {
            path: doc.path.clone(),
            kind: doc.kind.as_str().to_string(),
            kind_label: kind_label(self.cfg, doc.kind).to_string(),
            id: doc.id.clone(),
            handle: doc.handle(),
            tags: doc.tags.clone(),
            updated: committed.and_then(|g| g.updated).map(|d| d.to_string()),
            approximate: committed.is_some_and(|g| g.approximate),
            author: committed.and_then(|g| g.author.clone()),
            commit_url: commit.as_deref().and_then(|c| self.facts.commit_url(c)),
            commit,
            modified_locally: git.is_some_and(|g| g.modified_locally),
            shared: git.is_some_and(|g| g.shared),
            edit_url,
            freshness: self.freshness_view(doc),
            findings: self.findings_of(i, linker),
            fields: records::extra_fields(self, doc, linker),
            referenced_by: records::referenced_by(self, i, linker),
            history: history::of(self, doc),
        }
    }
}
