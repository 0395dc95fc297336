//! Views of the site-wide pages: index lists and tables, home, changes, feed, health, search,
//! sitemap.

use serde::Serialize;

use super::*;

/// `list` in `list.html`: the index pages of charters, people, roles, teams and pages.
#[derive(Debug, Clone, Serialize)]
pub struct ListView {
    pub intro: Option<String>,
    pub groups: Vec<ListGroup>,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListGroup {
    /// Empty when the list has a single group.
    pub label: String,
    pub entries: Vec<ListEntry>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListEntry {
    pub link: Link,
    pub detail: Option<String>,
    pub freshness: Option<FreshnessView>,
}

/// `home` in `index.html`.
#[derive(Debug, Clone, Serialize)]
pub struct HomeView {
    pub mission: Option<String>,
    pub mission_source: Option<Link>,
    /// Whether the handbook has roadmap items (the home page shows its Roadmap and Now
    /// sections only then).
    pub roadmap: bool,
    /// Item counts per status, with links to the board.
    pub counts: Vec<StatusCount>,
    /// Items in Now (at most a dozen).
    pub now: Vec<Card>,
    pub now_more: usize,
    /// Items in Now or Next that are off track, at risk or late (at most a dozen): off track
    /// first, then at risk, then late only; the longest late first.
    pub at_risk: Vec<Card>,
    pub at_risk_more: usize,
    /// Documents whose last commit is newest (files holding several documents, like `org.yml`,
    /// left out); `summary` is `created` or `updated`.
    pub recent: Vec<ChangeView>,
    /// Documents due soon, overdue or stale (at most 15), soonest due first.
    pub review: Vec<ListEntry>,
    pub review_more: usize,
    /// The index pages with their sizes.
    pub sections: Vec<SectionLink>,
    pub warnings: usize,
    pub health_href: String,
    pub changes_href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusCount {
    pub status: String,
    pub label: String,
    pub count: usize,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionLink {
    pub label: String,
    pub href: String,
    pub count: usize,
}

/// One change from git (what-changed page, feed, home).
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub date: String,
    /// The commit time in UTC, RFC 3339 (`2026-03-02T09:30:00Z`), for the feed.
    pub timestamp: String,
    /// The date may be wrong (shallow clone).
    pub approximate: bool,
    pub author: String,
    pub commit: String,
    pub commit_url: Option<String>,
    /// `status next → now; target slipped 2026-Q3 → 2026-Q4` (what-changed, feed), or
    /// `created` / `updated` (home page's recently changed documents).
    pub summary: String,
    pub doc: Link,
    /// Absolute URL of the document, when `base_url` is set (feed).
    pub url: Option<String>,
}

/// `changes` in `changes.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ChangesView {
    /// Newest first.
    pub entries: Vec<ChangeView>,
    /// The first day of the window shown, `YYYY-MM-DD` (git facts only).
    pub since: Option<String>,
    /// The clone's history is cut (shallow or partial clone): older changes are unknown.
    pub history_cut: bool,
    /// Changes left out (the page shows the most recent ones).
    pub more: usize,
    pub feed_href: String,
}

/// `feed` in `feed.xml` (Atom).
#[derive(Debug, Clone, Serialize)]
pub struct FeedView {
    pub id: String,
    pub updated: String,
    pub self_url: Option<String>,
    pub site_url: String,
    pub entries: Vec<ChangeView>,
}

/// `health` in `health.html`: every warning of the build, grouped by owner.
#[derive(Debug, Clone, Serialize)]
pub struct HealthView {
    pub groups: Vec<HealthGroup>,
    pub warnings: usize,
    pub notes: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct HealthGroup {
    /// `None` for findings in documents without an owner.
    pub owner: Option<Link>,
    pub findings: Vec<Finding>,
}

/// `search` in `search.html`.
#[derive(Debug, Clone, Serialize)]
pub struct SearchView {
    pub index_href: String,
    pub script_href: String,
    pub docs: usize,
}

/// `sitemap` in `sitemap.xml`.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapView {
    /// Absolute when `base_url` is set, else relative to the site root.
    pub urls: Vec<String>,
}
