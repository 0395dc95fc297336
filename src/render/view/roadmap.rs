//! Views of the roadmap: cards, the board, the timeline, an item and its history.

use serde::Serialize;

use super::*;

pub use super::super::cards::{Card, CardHtml};

/// A roadmap item as a card (board, timeline, lists). Templates get it as a [`Card`], made
/// once and handed to every page as it is.
#[derive(Debug, Clone, Serialize, Hash)]
pub struct ItemCard {
    pub id: String,
    pub title: String,
    pub href: String,
    /// `now`, `next`, `later`, `shipped`, `dropped` (or `unknown`).
    pub status: String,
    pub status_label: String,
    pub owner: Option<Link>,
    pub team: Option<Link>,
    pub theme: Option<String>,
    /// The target period as written, e.g. `2026-Q4`.
    pub target: Option<String>,
    pub shipped: Option<String>,
    /// The RICE score, rounded: whole from 10 up, one decimal below.
    pub rice: Option<String>,
    /// Number of items it depends on, and how many of them have not shipped.
    pub depends: usize,
    pub blocked_by: usize,
    /// Warnings of the build in this item.
    pub warnings: usize,
    /// The key results it moves: `Objective title: key result title`.
    pub key_results: Vec<String>,
    /// `on-track`, `at-risk` or `off-track`, as written.
    pub health: Option<String>,
    /// `On track`, `At risk`, `Off track`.
    pub health_label: Option<String>,
    /// How sure the team is, as a percentage: `60%`.
    pub confidence: Option<String>,
    /// For an item in Now or Next whose target has ended: how long ago, `4 months`.
    pub late: Option<String>,
    /// The day its target ended, when `late`.
    pub late_since: Option<String>,
    /// Filter keys: `health:at-risk`, `late:late` (empty when absent).
    pub health_key: String,
    pub late_key: String,
    /// Filter keys for the board script: `team:growth`, `theme:enterprise-readiness`,
    /// `owner:person-maya-chen` (empty when absent).
    pub team_key: String,
    pub theme_key: String,
    pub owner_key: String,
    /// On a holdings page (`partials/holdings.html`): the role it is held through, or null
    /// when held directly. Absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Option<Link>>,
    /// The card as `partials/card.html` renders it (safe HTML): what pages print. Empty while
    /// the partial renders it.
    pub html: CardHtml,
}

/// `board` in `board.html`.
#[derive(Debug, Clone, Serialize)]
pub struct BoardView {
    /// Now, Next, Later (open), then Shipped and Dropped (`collapsed`).
    pub columns: Vec<Column>,
    /// On a filtered board (`roadmap/team/growth.html`): what it is filtered by.
    pub filter: Option<ActiveFilter>,
    /// Filter links (main board only): team, theme, owner.
    pub filters: Vec<FilterGroup>,
    pub all_href: String,
    pub timeline_href: String,
    pub total: usize,
    /// How the columns are sorted, in words.
    pub sorted_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub status: String,
    pub label: String,
    pub collapsed: bool,
    pub items: Vec<Card>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActiveFilter {
    /// `team`, `theme` or `owner`.
    pub name: String,
    pub label: String,
    pub value: String,
    /// The team or owner page, when the filter is one.
    pub link: Option<Link>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterGroup {
    pub name: String,
    pub label: String,
    pub options: Vec<FilterOption>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FilterOption {
    pub label: String,
    /// The filtered board page (works without JavaScript).
    pub href: String,
    /// `team:growth`: matches `ItemCard::team_key` and friends.
    pub key: String,
    pub count: usize,
}

/// `item` in `item.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub card: Card,
    pub start: Option<String>,
    pub target: Option<String>,
    pub shipped: Option<String>,
    pub dropped_reason: Option<String>,
    pub outcome: Option<String>,
    pub rice: Option<RiceView>,
    pub depends_on: Vec<Card>,
    pub needed_by: Vec<Card>,
    pub links: Vec<ExternalLink>,
    /// The key results it moves, with their objectives.
    pub key_results: Vec<super::super::okr::MovedKeyResult>,
    /// Its launches, with their readiness.
    pub launches: Vec<super::super::launch::LaunchCard>,
    /// Time in each status and cycle time, from its status history (git).
    pub flow: Option<super::super::flow_page::ItemFlowView>,
    /// Status, target, owner and score changes from git, oldest first.
    pub history: Vec<HistoryEntry>,
    pub board_href: String,
}

/// RICE = reach × impact × confidence ÷ effort, each part formatted.
#[derive(Debug, Clone, Serialize)]
pub struct RiceView {
    pub reach: String,
    pub impact: String,
    /// As a percentage: `80%`.
    pub confidence: String,
    pub effort: String,
    pub score: String,
    /// The score rounded as cards show it: whole from 10 up, one decimal below.
    pub rounded: String,
    /// `180 × 3 × 80% ÷ 4 = 108`.
    pub formula: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    pub title: String,
    /// `None` when the URL is not http(s) or mailto (never a `javascript:` URL).
    pub href: Option<String>,
    pub url: String,
}

/// One commit in a document's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub date: String,
    /// The date may be wrong: the oldest commit of a shallow clone.
    pub approximate: bool,
    pub author: String,
    pub commit: String,
    pub commit_url: Option<String>,
    /// `created`, `changed`, `renamed`, `removed`, or `earliest` (the oldest commit a shallow
    /// clone has: the values then, not a creation).
    pub event: String,
    /// The previous path, for `renamed`.
    pub renamed_from: Option<String>,
    /// Changes of the history fields: a roadmap item's `status`, `target`, `owner`, `score`, in
    /// that order, another kind's in its spec's order (for `created` and `earliest`, `from` is
    /// empty).
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}
