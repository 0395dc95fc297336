//! Roadmap cards, rendered once. A card's facts ([`ItemCard`]) are made for the page showing
//! it (its links are relative to that page); `partials/card.html` renders them once per
//! distinct card, and every page showing that card prints the same HTML (`card.html`) instead
//! of running the partial again. A board of 10,000 items is then 10,000 strings in a list.
//!
//! The HTML is kept by the card's content (a hash of its facts), with the templates that
//! rendered it ([`Templates::cards`](super::Templates)): a serve session keeps it between
//! rebuilds, so an edit renders again only the cards whose facts changed (a build drops it once
//! its pages are made). The cards of the board's folder (board, timeline, item pages) are
//! also made once per render of the roadmap.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

use serde::{Serialize, Serializer};
use tera::{Context, Value};

use crate::error::Error;

use super::href::Linker;
use super::partial::{ViewHash, hashing};
use super::view::ItemCard;
use super::{Site, lock};

/// The partial every card is rendered with.
pub const PARTIAL: &str = "partials/card.html";

/// A card as a template sees it: an [`ItemCard`] with its `html`, made once (the facts
/// turned into the template value once) and handed to every page's template as it is.
#[derive(Debug, Clone)]
pub struct Card {
    /// The card's facts and `html`, as the template value.
    value: Value,
    /// The hash of the facts: what the HTML is kept by, and what a page's view hash sees of
    /// the card.
    key: ViewHash,
    /// The item's title, for sorting.
    pub title: String,
}

impl Serialize for Card {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The HTML follows from the facts (and the templates, whose change makes every page
        // again): a page's view hash needs only the facts' hash.
        if hashing() {
            self.key.serialize(s)
        } else {
            self.value.serialize(s)
        }
    }
}

/// A card's HTML in its facts: a safe string (empty until rendered). It is no part of the
/// facts' hash.
#[derive(Debug, Clone)]
pub struct CardHtml(Value);

impl Default for CardHtml {
    fn default() -> CardHtml {
        CardHtml(Value::safe_string(""))
    }
}

impl Serialize for CardHtml {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Hash for CardHtml {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

/// The cards' HTML, by the hash of their facts, kept with the templates that rendered it.
#[derive(Debug, Default)]
pub struct CardStore {
    inner: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    /// HTML by facts, with the render that last used it.
    html: HashMap<ViewHash, (Value, u64)>,
    /// The render under way (counted from 1).
    render: u64,
    /// The most cards one render used.
    peak: usize,
}

/// Below this many cards the store is never trimmed.
const KEEP_AT_LEAST: usize = 1024;

impl CardStore {
    /// The HTML of the card whose facts hash to `key`: kept, else `make`'s (then kept).
    fn html(
        &self,
        key: ViewHash,
        make: impl FnOnce() -> Result<String, Error>,
    ) -> Result<Value, Error> {
        {
            let mut kept = lock(&self.inner);
            let render = kept.render;
            if let Some((html, used)) = kept.html.get_mut(&key) {
                *used = render;
                return Ok(html.clone());
            }
        }
        // Rendered outside the lock: another thread may render the same card meanwhile, to
        // the same bytes.
        let html = Value::safe_string(&make()?);
        let mut kept = lock(&self.inner);
        let render = kept.render;
        kept.html.insert(key, (html.clone(), render));
        Ok(html)
    }

    /// A render starts.
    pub(super) fn begin(&self) {
        lock(&self.inner).render += 1;
    }

    /// A render ended: when the store holds more than twice the cards the biggest render
    /// used, the cards used longest ago go (cards whose facts changed are never used again),
    /// so a serve session does not grow edit after edit.
    pub(super) fn end(&self) {
        let mut kept = lock(&self.inner);
        let render = kept.render;
        let used = kept.html.values().filter(|(_, r)| *r == render).count();
        kept.peak = kept.peak.max(used);
        let room = (2 * kept.peak).max(KEEP_AT_LEAST);
        if kept.html.len() <= room {
            return;
        }
        let mut ages: Vec<u64> = kept.html.values().map(|(_, r)| *r).collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        // Keep the `peak` most recently used (ties at the cut are kept too).
        let oldest_kept = ages[kept.peak.clamp(1, ages.len()) - 1];
        kept.html.retain(|_, (_, r)| *r >= oldest_kept);
    }

    /// Forget every card (a build's, once its pages are made).
    pub(super) fn release(&self) {
        let mut kept = lock(&self.inner);
        kept.html = HashMap::new();
    }

    /// How many cards are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        lock(&self.inner).html.len()
    }
}

impl Site<'_, '_> {
    /// The card of `facts` (whose `html` is empty): its HTML kept, else rendered.
    pub(super) fn make_card(&self, mut facts: ItemCard) -> Card {
        let key = ViewHash::of_hash(&facts);
        // The facts as the partial saw them, when it rendered them now.
        let mut rendered = None;
        let html = self
            .cards
            .html(key, || {
                let value = Value::from_serializable(&facts);
                let mut cx = Context::new();
                cx.insert_value("card", value.clone());
                let html = self.render_template(PARTIAL, &cx)?;
                rendered = Some(value);
                Ok(html)
            })
            .unwrap_or_else(|e| {
                self.card_failed(key, e);
                Value::safe_string("")
            });
        let value = match rendered.and_then(Value::into_map) {
            Some(mut map) => {
                map.insert("html".into(), html);
                Value::from(map)
            }
            None => {
                facts.html = CardHtml(html);
                Value::from_serializable(&facts)
            }
        };
        Card {
            value,
            key,
            title: facts.title,
        }
    }

    /// Keep an error of the card partial: the render fails at its end with the one of the
    /// card whose facts hash lowest (the same whatever the order pages render in).
    fn card_failed(&self, key: ViewHash, e: Error) {
        let mut failed = lock(&self.card_error);
        if failed.as_ref().is_none_or(|(k, _)| key < *k) {
            *failed = Some((key, e));
        }
    }
}

/// Cards kept from one render for the next, by folder (see [`FolderCards`]) and document page.
pub type KeptCards = HashMap<&'static str, HashMap<String, Card>>;

/// The cards of the pages of some folders where every card has the same links, by document:
/// made once in a render, or (in a partial render) kept from the previous one when the
/// document's card shows nothing new.
pub struct FolderCards {
    /// A page of each folder; the first names them.
    folders: &'static [&'static str],
    cards: Vec<OnceLock<Card>>,
}

impl FolderCards {
    pub fn new(folders: &'static [&'static str], docs: usize) -> FolderCards {
        FolderCards {
            folders,
            cards: (0..docs).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Whether a page linking as `linker` does is in one of the folders.
    pub fn holds(&self, linker: &Linker) -> bool {
        self.folders.iter().any(|f| linker.is_in_folder_of(f))
    }

    /// The card of document `i`: made once, kept from the previous render, else `make`'s.
    pub fn get_or(&self, site: &Site<'_, '_>, i: usize, make: impl FnOnce() -> Card) -> Card {
        match self.cards.get(i) {
            Some(c) => c
                .get_or_init(|| site.kept_card(i, self.folders[0]).unwrap_or_else(make))
                .clone(),
            None => make(),
        }
    }

    /// Hand the cards made to the next render (a partial render's only).
    pub fn keep(self, site: &Site<'_, '_>) {
        if site.partial.is_none() {
            return;
        }
        let mut kept = lock(&site.kept);
        let kept = kept.entry(self.folders[0]).or_default();
        for (i, c) in self.cards.into_iter().enumerate() {
            if let Some(c) = c.into_inner() {
                kept.insert(site.url(i).to_string(), c);
            }
        }
    }
}

impl Site<'_, '_> {
    /// The card of document `i` in `folder` kept from the previous render, when a partial
    /// render says its card shows nothing new.
    fn kept_card(&self, i: usize, folder: &'static str) -> Option<Card> {
        let p = self.partial?;
        if p.select?.card(i) || p.cards.is_empty() {
            return None;
        }
        p.cards.get(folder)?.get(self.url(i)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One render using the cards `keys`; returns how many it had to render.
    fn render(store: &CardStore, keys: impl Iterator<Item = u64>) -> usize {
        store.begin();
        let mut rendered = 0;
        for k in keys {
            let html = store
                .html(ViewHash::of_hash(&k), || {
                    rendered += 1;
                    Ok(format!("<li>{k}</li>"))
                })
                .unwrap();
            assert_eq!(html.as_str(), Some(format!("<li>{k}</li>").as_str()));
        }
        store.end();
        rendered
    }

    #[test]
    fn cards_render_once_and_a_session_does_not_grow_edit_after_edit() {
        let store = CardStore::default();
        assert_eq!(render(&store, 0..2000), 2000);
        assert_eq!(render(&store, 0..2000), 0, "every card is kept");
        // Each later render shows ten cards whose facts changed: the old ones are never used
        // again, and the store stays within twice the biggest render.
        for n in 0..500 {
            assert_eq!(render(&store, (0..10).map(|k| 10_000 + n * 10 + k)), 10);
            assert!(store.len() <= 4000, "{}", store.len());
        }
        // The most recently used are the ones kept.
        assert_eq!(render(&store, (0..10).map(|k| 10_000 + 499 * 10 + k)), 0);
        assert_eq!(render(&store, 0..10), 10, "the oldest went first");
    }
}
