//! Which pages an edit can change, and which documents' findings.
//!
//! A document *mentions* another when a reference in its frontmatter names that document's id
//! (whatever the kind, so that an id that starts or stops resolving is seen), or a link in its
//! body leads to that document's file or page. Mentions are read from the document alone
//! (ids, and paths made root-relative), so they can be kept per document and looked up both
//! ways without resolving anything.
//!
//! A page of a document shows the document itself; how it names the documents it mentions and
//! those that mention it (their titles and pages), or their cards (a roadmap item's card also
//! names its owner and team, and counts the unshipped items it depends on); and where its
//! body's links lead. So:
//!
//! - When what others show of a document changes (its fields or title: its *summary*), or it
//!   comes or goes, the pages to make again are its own, those of the documents it mentions or
//!   that mention it, and those of the documents that mention, or are mentioned by, one that
//!   mentions it (they show its card); every page that gathers documents (boards, indexes)
//!   too. This is done in the handbook before the edit and in the one after it.
//! - When only its anchors change (headings), the pages that link to it too (a link to an
//!   anchor that is gone is dropped).
//! - When only its body or positions change, its own page (and the search index).
//! - When a document's findings change, its page and the pages that show its card; when its
//!   git facts change, its page; either way the gathering pages.
//!
//! - A person's page and a team's page also list what the roles they hold (or their members
//!   hold) own: when what others show of a document changes, the pages of the people holding
//!   a role that it, or a document showing its card, mentions or is mentioned by (or is),
//!   and of their teams, too.
//!
//! A board filtered by a team or an owner shows that document's items as its page does, and
//! goes with it; a theme's board shows cards, so it goes with the items whose summary or
//! findings changed, and those that mention such a document.
//!
//! The findings of the rules about one document can change when the document or one it
//! mentions changes: those documents are checked again, the others keep theirs.

mod entry;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::kind::Kind;
use crate::model::{Doc, Handbook};

use entry::{Entry, entry};

/// A document's identity across rebuilds: its page, or (without one) its place.
pub type Key = String;

/// The key of a document.
pub fn key_of(d: &Doc) -> Key {
    if d.id.is_empty() {
        format!("\0{}:{}:{}", d.path, d.start.line, d.start.col)
    } else {
        d.url()
    }
}

/// Every document of a handbook and what it mentions.
#[derive(Debug, Default)]
pub struct Index {
    docs: HashMap<Key, Entry>,
    by_path: HashMap<String, Vec<Key>>,
    by_id: HashMap<String, Vec<Key>>,
    by_url: HashMap<String, Key>,
    /// Documents that mention an id, a path.
    naming_id: HashMap<String, HashSet<Key>>,
    naming_path: HashMap<String, HashSet<Key>>,
}

/// What to make again.
#[derive(Debug, Default)]
pub struct Dirty {
    /// Pages of documents.
    pub urls: HashSet<String>,
    /// Theme boards.
    pub themes: HashSet<String>,
    /// Pages that gather documents (home, boards, timeline, indexes, health, what changed).
    pub gathered: bool,
    /// The search page and index.
    pub search: bool,
    /// Paths of documents to check again.
    pub check: HashSet<String>,
    /// Pages of the documents whose roadmap card may show something new (the others' cards
    /// are used again).
    pub cards: HashSet<String>,
}

/// How much of a document changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reach {
    /// Only its own page.
    Own,
    /// Its anchors: the pages linking to it too.
    Anchors,
    /// What others show of it, or it came or went.
    Summary,
}

impl Index {
    pub fn of(hb: &Handbook) -> Index {
        let mut index = Index::default();
        let entries: Vec<(Key, Entry)> = hb
            .docs
            .par_iter()
            .map(|d| (key_of(d), entry(hb, d)))
            .collect();
        for (k, e) in entries {
            index.insert(k, e);
        }
        index
    }

    /// Take in the documents of the `files` that changed (read again, added or removed; `hb`
    /// is the handbook after the change): what that makes dirty, in the handbook before the
    /// change and after it.
    pub fn update(&mut self, hb: &Handbook, files: &HashSet<String>, out: &mut Dirty) {
        let mut old: HashMap<Key, Entry> = HashMap::new();
        for f in files {
            for k in self.by_path.get(f).cloned().unwrap_or_default() {
                if let Some(e) = self.docs.get(&k) {
                    old.insert(k, e.clone());
                }
            }
        }
        let mut new: HashMap<Key, Entry> = HashMap::new();
        for f in files {
            for &i in hb.indexes_at(f) {
                let d = &hb.docs[i];
                new.insert(key_of(d), entry(hb, d));
            }
        }
        let mut reach: Vec<(Key, Reach)> = Vec::new();
        for (k, e) in &old {
            let r = match new.get(k) {
                None => Reach::Summary,
                Some(n) if n.shape.summary != e.shape.summary => Reach::Summary,
                Some(n) if n.shape.anchors != e.shape.anchors => Reach::Anchors,
                // Mentions may differ with the same summary (a body's links): the documents
                // mentioned before and after are checked again (orphans), by `mark`.
                Some(n) if n.shape.all != e.shape.all => Reach::Own,
                Some(_) => continue,
            };
            reach.push((k.clone(), r));
        }
        for k in new.keys().filter(|k| !old.contains_key(*k)) {
            reach.push((k.clone(), Reach::Summary));
        }
        // Files that are not documents: the documents linking to them.
        let others: Vec<&String> = files
            .iter()
            .filter(|f| !self.by_path.contains_key(*f) && hb.indexes_at(f).is_empty())
            .collect();
        self.mark(&reach, &others, out);
        for k in old.keys() {
            self.remove(k);
        }
        for (k, e) in new {
            self.insert(k, e);
        }
        self.mark(&reach, &others, out);
    }

    /// Mark what the documents whose findings changed (`findings`, by key) and those whose git
    /// facts changed (`facts`, by path) make dirty.
    pub fn findings_and_facts(
        &self,
        findings: &HashSet<Key>,
        facts: &HashSet<String>,
        out: &mut Dirty,
    ) {
        for k in findings {
            let Some(e) = self.docs.get(k) else { continue };
            out.gathered = true;
            out.themes.extend(e.theme.iter().cloned());
            // Its card counts its warnings.
            self.card(k, out);
            self.page(k, out);
            for n in self.near(k) {
                self.page(&n, out);
            }
            self.holders(k, out);
        }
        for p in facts {
            for k in self.by_path.get(p).into_iter().flatten() {
                out.gathered = true;
                self.page(k, out);
            }
        }
    }

    fn mark(&self, reach: &[(Key, Reach)], others: &[&String], out: &mut Dirty) {
        for (k, r) in reach {
            out.search = true;
            self.page(k, out);
            let near = self.near(k);
            for n in &near {
                // Their mentions of it: resolution, links, orphans.
                self.check(n, out);
            }
            self.check(k, out);
            if *r >= Reach::Anchors {
                for n in self.naming(k) {
                    self.page(&n, out);
                }
            }
            if *r == Reach::Summary {
                out.gathered = true;
                let cards: Vec<Key> = std::iter::once(k.clone()).chain(self.naming(k)).collect();
                for c in &cards {
                    if let Some(e) = self.docs.get(c) {
                        out.themes.extend(e.theme.iter().cloned());
                    }
                    self.card(c, out);
                    self.page(c, out);
                    for n in self.near(c) {
                        self.page(&n, out);
                    }
                    // Its card, or theirs, on the pages of the people holding their roles.
                    self.holders(c, out);
                }
                for n in &near {
                    self.page(n, out);
                }
            }
        }
        for p in others {
            out.search = true;
            for k in self.naming_path.get(*p).into_iter().flatten() {
                self.page(k, out);
                self.check(k, out);
            }
        }
    }

    /// The pages that roll up what roles own: of the people holding a role `k` mentions, is
    /// mentioned by or is, and of their teams.
    fn holders(&self, k: &Key, out: &mut Dirty) {
        let is = |x: &Key, kind: Kind| self.docs.get(x).is_some_and(|e| e.kind == kind);
        let mut roles = self.near(k);
        roles.push(k.clone());
        for r in roles.iter().filter(|r| is(r, Kind::ROLE)) {
            for p in self.naming(r).into_iter().filter(|p| is(p, Kind::PERSON)) {
                self.page(&p, out);
                for t in self.near(&p).into_iter().filter(|t| is(t, Kind::TEAM)) {
                    self.page(&t, out);
                }
            }
        }
    }

    fn page(&self, k: &Key, out: &mut Dirty) {
        if let Some(e) = self.docs.get(k)
            && !e.url.is_empty()
        {
            out.urls.insert(e.url.clone());
        }
    }

    fn card(&self, k: &Key, out: &mut Dirty) {
        if let Some(e) = self.docs.get(k)
            && !e.url.is_empty()
        {
            out.cards.insert(e.url.clone());
        }
    }

    fn check(&self, k: &Key, out: &mut Dirty) {
        if let Some(e) = self.docs.get(k) {
            out.check.insert(e.path.clone());
        }
    }

    /// The documents that mention `k`.
    fn naming(&self, k: &Key) -> Vec<Key> {
        let Some(e) = self.docs.get(k) else {
            return Vec::new();
        };
        let mut out: Vec<Key> = Vec::new();
        out.extend(self.naming_id.get(&e.id).into_iter().flatten().cloned());
        out.extend(self.naming_path.get(&e.path).into_iter().flatten().cloned());
        if !e.url.is_empty() {
            out.extend(self.naming_path.get(&e.url).into_iter().flatten().cloned());
        }
        out.retain(|x| x != k);
        out.sort();
        out.dedup();
        out
    }

    /// The documents `k` mentions, and those that mention it.
    fn near(&self, k: &Key) -> Vec<Key> {
        let Some(e) = self.docs.get(k) else {
            return Vec::new();
        };
        let mut out = self.naming(k);
        for id in &e.ids {
            out.extend(self.by_id.get(id).into_iter().flatten().cloned());
        }
        for p in &e.paths {
            out.extend(self.by_path.get(p).into_iter().flatten().cloned());
            out.extend(self.by_url.get(p).cloned());
        }
        out.retain(|x| x != k);
        out.sort();
        out.dedup();
        out
    }

    fn insert(&mut self, k: Key, e: Entry) {
        self.by_path
            .entry(e.path.clone())
            .or_default()
            .push(k.clone());
        if !e.id.is_empty() {
            self.by_id.entry(e.id.clone()).or_default().push(k.clone());
        }
        if !e.url.is_empty() {
            self.by_url.insert(e.url.clone(), k.clone());
        }
        for id in &e.ids {
            self.naming_id
                .entry(id.clone())
                .or_default()
                .insert(k.clone());
        }
        for p in &e.paths {
            self.naming_path
                .entry(p.clone())
                .or_default()
                .insert(k.clone());
        }
        self.docs.insert(k, e);
    }

    fn remove(&mut self, k: &Key) {
        let Some(e) = self.docs.remove(k) else { return };
        let drop_key = |list: &mut Vec<Key>| list.retain(|x| x != k);
        if let Some(l) = self.by_path.get_mut(&e.path) {
            drop_key(l);
        }
        if let Some(l) = self.by_id.get_mut(&e.id) {
            drop_key(l);
        }
        if self.by_url.get(&e.url) == Some(k) {
            self.by_url.remove(&e.url);
        }
        for id in &e.ids {
            if let Some(s) = self.naming_id.get_mut(id) {
                s.remove(k);
            }
        }
        for p in &e.paths {
            if let Some(s) = self.naming_path.get_mut(p) {
                s.remove(k);
            }
        }
    }
}
