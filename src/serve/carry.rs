//! What one render hands to the next: what it made of each page (findings, views, linked
//! files), and the pages a partial render makes.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;

use crate::diagnostic::Diagnostic;
use crate::model::Handbook;
use crate::render::facts::SiteFacts;
use crate::render::{self, KeptCards, Select, ViewHash};

use super::deps::{Dirty, Key, key_of};

/// The last render that succeeded: what the next one compares with.
pub(super) struct Last {
    /// Findings by the document they are in.
    pub findings: HashMap<Key, Vec<Diagnostic>>,
    /// What every page shows from git: facts available, the repository's web address.
    pub global: (bool, Option<String>),
    pub themes: HashMap<String, String>,
    /// The local files each page's body links to.
    pub linked: HashMap<String, BTreeSet<String>>,
    /// The view of every page (see [`render::partial`]).
    pub views: HashMap<String, ViewHash>,
    /// The roadmap cards made (see [`render::KeptCards`]).
    pub cards: KeptCards,
    pub today: Date,
}

/// The site's git facts, and what they were made whole from: the history (whole git passes so
/// far), whether there is one, the date.
pub(super) struct SiteFactsOf {
    pub of: (u64, bool, Date),
    pub facts: SiteFacts,
}

/// Findings by the document they are in.
pub(super) fn findings_by_doc(
    hb: &Handbook,
    diags: &[Diagnostic],
) -> HashMap<Key, Vec<Diagnostic>> {
    let mut out: HashMap<Key, Vec<Diagnostic>> = HashMap::new();
    for d in diags {
        if let Some(i) = render::doc_of(hb, d) {
            out.entry(key_of(&hb.docs[i])).or_default().push(d.clone());
        }
    }
    out
}

pub(super) fn global_facts(f: &SiteFacts) -> (bool, Option<String>) {
    (f.available, f.repo.as_ref().map(|r| r.url.clone()))
}

/// What a render made per page of a document, with what the previous one made for the pages
/// it left out: this render's for the pages it made (`made`), else the previous one's.
pub(super) fn merge<T>(
    hb: &Handbook,
    mut new: HashMap<String, T>,
    mut old: HashMap<String, T>,
    made: &dyn Fn(&str) -> bool,
) -> HashMap<String, T> {
    let mut out = HashMap::with_capacity(hb.docs.len());
    for d in hb.docs.iter().filter(|d| !d.id.is_empty()) {
        let url = d.url();
        let this = if made(&url) {
            new.remove(&url)
        } else {
            old.remove(&url)
        };
        if let Some(x) = this {
            out.insert(url, x);
        }
    }
    out
}

/// The cards to hand to the next render: those this one made or used again (`new`), and the
/// previous ones of the documents whose cards show nothing new (`dirty`: the others).
pub(super) fn cards(new: KeptCards, old: KeptCards, dirty: &Dirty) -> KeptCards {
    let mut out = new;
    for (folder, old) in old {
        let kept = out.entry(folder).or_default();
        for (url, c) in old {
            if !dirty.cards.contains(&url) {
                kept.entry(url).or_insert(c);
            }
        }
    }
    out
}

/// The pages of a partial render.
pub(super) struct Selected<'a> {
    pub dirty: &'a Dirty,
    /// Whether each document's page is made, and whether its card may show something new.
    docs: Vec<(bool, bool)>,
}

impl<'a> Selected<'a> {
    pub fn new(hb: &Handbook, dirty: &'a Dirty) -> Selected<'a> {
        let docs = hb
            .docs
            .iter()
            .map(|d| {
                let url = d.url();
                (dirty.urls.contains(&url), dirty.cards.contains(&url))
            })
            .collect();
        Selected { dirty, docs }
    }
}

impl Select for Selected<'_> {
    fn doc(&self, i: usize) -> bool {
        self.docs.get(i).is_some_and(|d| d.0)
    }

    fn theme(&self, theme: &str) -> bool {
        self.dirty.themes.contains(theme)
    }

    fn gathered(&self) -> bool {
        self.dirty.gathered
    }

    fn search(&self) -> bool {
        self.dirty.search || self.dirty.gathered
    }

    fn card(&self, i: usize) -> bool {
        self.docs.get(i).is_none_or(|d| d.1)
    }
}
