//! Rendering part of a site again: `opsbook serve` re-renders only the pages an edit can
//! change. The other pages of documents are listed (for the sitemap, and so that two pages at
//! one path are found as in a whole render) but not rendered; what their bodies gave the rest
//! of the site (search text, linked files) comes from the previous render.
//!
//! Pages that gather many documents (home, boards, timeline, indexes, health, search, sitemap)
//! are always rendered. A page that is not asked about here is always rendered too: a new page
//! kind is correct before it is fast.

use std::collections::{BTreeSet, HashMap};

/// Which pages of documents a render writes.
pub trait Select: Sync {
    /// Whether to render the page of document `i` (an index into the handbook's documents),
    /// and the roadmap board filtered by it (a team's or an owner's board).
    fn doc(&self, i: usize) -> bool;
    /// Whether to render the roadmap board of a theme.
    fn theme(&self, theme: &str) -> bool;
}

/// What a document's body gave the rest of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyInfo {
    /// Plain text for the search index (truncated).
    pub text: String,
    /// Root-relative paths of local files the body links to.
    pub assets: BTreeSet<String>,
}

/// A render of some pages only.
#[derive(Clone, Copy)]
pub struct Partial<'a> {
    pub select: &'a dyn Select,
    /// What the bodies of the pages left out gave the previous render, by page path.
    pub bodies: &'a HashMap<String, BodyInfo>,
}
