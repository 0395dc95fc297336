//! Rendering a site again after an edit, doing only what can have changed (`opsbook serve`).
//!
//! Two things are left out:
//!
//! - Pages of documents the caller's [`Select`] leaves out are not made at all. They are
//!   listed (for the sitemap, and so that two pages at one path are found as in a whole
//!   render), and what they gave the rest of the site (search index entries, the files their
//!   bodies link to) comes from the previous render.
//! - Every other page has its view made (what the template is given); when that view is the
//!   previous render's, byte for byte, the template is not run: the page is the same.
//!   Pages that gather many documents (boards, timeline, indexes) are made this way.
//!
//! A page kind that does not ask [`Select`] is always made (its view is still compared): a new
//! page kind is correct before it is fast.

use std::collections::{BTreeSet, HashMap};
use std::hash::Hasher;

use serde::Serialize;

use super::{Site, lock};
use crate::error::Error;

/// Which pages of documents a render makes.
pub trait Select: Sync {
    /// Whether to make the page of document `i` (an index into the handbook's documents),
    /// and the roadmap board filtered by it (a team's or an owner's board).
    fn doc(&self, i: usize) -> bool;
    /// Whether to make the roadmap board of a theme.
    fn theme(&self, theme: &str) -> bool;
    /// Whether to make the pages that gather documents: home, the roadmap board and
    /// timeline, the index of each kind, health, what changed.
    fn gathered(&self) -> bool;
    /// Whether to make the search page and index.
    fn search(&self) -> bool;
    /// Whether the card of document `i` may show something else than in the previous render
    /// (else the previous render's card is used again).
    fn card(&self, i: usize) -> bool;
}

/// A render that leaves out what did not change.
#[derive(Clone, Copy)]
pub struct Partial<'a> {
    /// Which pages of documents to make; `None`: every page.
    pub select: Option<&'a dyn Select>,
    /// The local files the bodies of the previous render's pages link to, by page path.
    pub linked: &'a HashMap<String, BTreeSet<String>>,
    /// The search index of the previous render, patched by this one (see
    /// [`KeptSearch`](super::KeptSearch)).
    pub search: &'a super::KeptSearch,
    /// The view of each page of the previous render, as a hash, by page path (empty when the
    /// templates changed).
    pub views: &'a HashMap<String, ViewHash>,
    /// The roadmap cards of the previous render (see [`FolderCards`](super::cards)).
    pub cards: &'a super::cards::KeptCards,
}

/// A page's template and view, hashed (two independent 64-bit hashes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ViewHash(u64, u64);

thread_local! {
    /// Whether this thread is serializing a value to hash it ([`ViewHash::of`]).
    static HASHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the value being serialized is being hashed: then a part whose hash is known (a
/// card) may stand for itself by that hash.
pub(super) fn hashing() -> bool {
    HASHING.get()
}

impl ViewHash {
    /// The hash of what a template is given.
    pub fn of(value: &impl Serialize) -> ViewHash {
        let was = HASHING.replace(true);
        let bytes = serde_json::to_vec(value);
        HASHING.set(was);
        // A view that cannot be serialized cannot be rendered either; it gets a hash no other
        // view has.
        let Ok(bytes) = bytes else {
            return ViewHash(0, 0);
        };
        let mut sip = std::collections::hash_map::DefaultHasher::new();
        sip.write(&bytes);
        // FNV-1a over 8-byte words, for a second, independent hash.
        let mut fnv: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            fnv = (fnv ^ u64::from_le_bytes(word)).wrapping_mul(0x0100_0000_01b3);
        }
        ViewHash(sip.finish(), fnv)
    }

    /// The hash of a value by its `Hash` (cheaper than [`ViewHash::of`] for a value made
    /// often, such as a card).
    pub fn of_hash(value: &impl std::hash::Hash) -> ViewHash {
        let mut h = Hasher128 {
            sip: std::collections::hash_map::DefaultHasher::new(),
            fnv: 0xcbf2_9ce4_8422_2325,
        };
        value.hash(&mut h);
        ViewHash(h.sip.finish(), h.fnv)
    }
}

/// Two independent 64-bit hashes of the same bytes: SipHash and FNV-1a.
struct Hasher128 {
    sip: std::collections::hash_map::DefaultHasher,
    fnv: u64,
}

impl Hasher for Hasher128 {
    fn write(&mut self, bytes: &[u8]) {
        self.sip.write(bytes);
        // FNV-1a over 8-byte words, as in `ViewHash::of` (the writes of a `Hash` say where
        // each value ends).
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.fnv = (self.fnv ^ u64::from_le_bytes(word)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.sip.finish()
    }
}

impl Site<'_, '_> {
    /// Make the page of document `i` with `make`, unless a partial render leaves it out:
    /// then the page is only listed.
    pub fn doc_or_skip(
        &self,
        i: usize,
        make: impl FnOnce() -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.partial.and_then(|p| p.select) {
            Some(s) if !s.doc(i) => {
                self.list(self.url(i))?;
                lock(&self.skipped).insert(i);
                Ok(())
            }
            _ => make(),
        }
    }

    /// Whether a partial render leaves out the board filtered by document `target`, by a
    /// theme, or (neither) by health or lateness.
    pub fn keeps_board(&self, target: Option<usize>, theme: Option<&str>) -> bool {
        match (self.partial.and_then(|p| p.select), target, theme) {
            (Some(s), Some(t), _) => !s.doc(t),
            (Some(s), None, Some(theme)) => !s.theme(theme),
            // Boards of a health or lateness: cards of items from anywhere, as gathering pages.
            (Some(s), None, None) => !s.gathered(),
            _ => false,
        }
    }

    /// Make the gathering pages at `urls` with `make`, unless a partial render leaves them out.
    pub fn gathered(
        &self,
        urls: &[&str],
        make: impl FnOnce() -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.partial.and_then(|p| p.select) {
            Some(s) if !s.gathered() => urls.iter().try_for_each(|u| self.list(u)),
            _ => make(),
        }
    }

    /// Make the search files at `urls` with `make`, unless a partial render leaves them out.
    pub fn searched(
        &self,
        urls: &[&str],
        make: impl FnOnce() -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self.partial.and_then(|p| p.select) {
            Some(s) if !s.search() => urls.iter().try_for_each(|u| self.list(u)),
            _ => make(),
        }
    }

    /// List a page of the site without making it (it stays as a previous render made it).
    pub fn list(&self, url: &str) -> Result<(), Error> {
        // A generated page of a hidden section is not written, unless a document takes its
        // place.
        if self.unwritten.contains(url)
            && self
                .hb
                .docs
                .iter()
                .all(|d| d.id.is_empty() || d.url() != url)
        {
            return Ok(());
        }
        self.claim(url)
    }

    /// In a partial render, whether the page at `url` has the view `view` it had in the
    /// previous render (then it is the same page). Records the view for the next render.
    pub(super) fn same_view(&self, url: &str, view: &impl Serialize) -> bool {
        let Some(p) = self.partial else {
            return false;
        };
        let hash = ViewHash::of(view);
        lock(&self.views).insert(url.to_string(), hash);
        p.views.get(url) == Some(&hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_hash_by_content() {
        let a = ViewHash::of(&("item.html", vec!["a", "b"]));
        assert_eq!(a, ViewHash::of(&("item.html", vec!["a", "b"])));
        assert_ne!(a, ViewHash::of(&("item.html", vec!["ab"])));
        assert_ne!(a, ViewHash::of(&("board.html", vec!["a", "b"])));
    }
}
