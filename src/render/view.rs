//! The template API: plain, serialize-only structs. Templates see nothing else, and the README
//! (docs/readme-site.md) lists every field. Every `href` is ready to use as it is: relative to the
//! page being rendered, so the site works from `file://` and under any sub-path. Every string is
//! plain text that tera escapes, except `Body::html`, which the renderer made safe.

use serde::Serialize;

/// What every page knows about the site: `site` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    /// Prefix from this page to the site root: `""`, `"../"`, `"../../"` (on `404.html`, the
    /// path of `base_url` when one is set, e.g. `/handbook/`).
    pub root: String,
    pub base_url: Option<String>,
    /// The repository on the web (`repo_url` from the config, else from the `origin` remote);
    /// `None` without git facts.
    pub repo_url: Option<String>,
    /// The build's today, `YYYY-MM-DD`.
    pub today: String,
    /// Whether git facts were available (updated dates, authors, history, changes).
    pub git: bool,
    /// The main navigation, with `current` set on the section of this page.
    pub nav: Vec<NavLink>,
    pub css_href: String,
    pub search_href: String,
    pub home_href: String,
    /// `opsbook <version>`.
    pub generator: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// A link to a document (or to a reference that did not resolve: then `href` is `None`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub href: Option<String>,
    /// The target's kind: `person`, `role`, `team`, `roadmap-item`, `process`, `charter`, `page`.
    pub kind: String,
    /// `kind:id`.
    pub handle: String,
}

/// Rendered Markdown of a document.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Body {
    /// Safe HTML: print it with `| safe`.
    pub html: String,
    /// Level 2 and 3 headings, for a table of contents.
    pub toc: Vec<TocEntry>,
    /// The id of the body's leading `# Title` heading, which the page title replaces.
    pub title_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub id: String,
}

/// `page` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub title: String,
    /// This page's path from the site root, e.g. `roadmap/sso.html`.
    pub url: String,
    /// Absolute URL, when `base_url` is set.
    pub canonical: Option<String>,
    pub description: Option<String>,
    /// Which template renders it: `board`, `item`, `page`, … (useful as a CSS class).
    pub template: String,
    pub body: Option<Body>,
    /// Facts shared by every document page; `None` on generated pages.
    pub meta: Option<DocMeta>,
}

/// Facts about one document page.
#[derive(Debug, Clone, Serialize)]
pub struct DocMeta {
    /// Source path relative to the handbook root.
    pub path: String,
    pub kind: String,
    pub kind_label: String,
    pub id: String,
    pub handle: String,
    pub tags: Vec<String>,
    /// Last commit date (git), `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// `updated` may be wrong: a shallow clone cuts the history at that commit (show it as
    /// "about 2026-10-02").
    pub approximate: bool,
    /// Last commit author (git).
    pub author: Option<String>,
    /// Last commit id (git).
    pub commit: Option<String>,
    /// The commit's page in the repository, when its web address is known.
    pub commit_url: Option<String>,
    /// Uncommitted changes in the work tree (git); with no `updated`, the file was never
    /// committed.
    pub modified_locally: bool,
    /// The source file holds other documents too (`org.yml`): `updated`, `author` and `commit`
    /// are the whole file's last change, not necessarily this entry's.
    pub shared: bool,
    /// Link to the source file in the repository (on the default branch), when git facts and
    /// the repository's web address are known.
    pub edit_url: Option<String>,
    pub freshness: Option<FreshnessView>,
    /// Warnings and notes of the build located in this document.
    pub findings: Vec<Finding>,
    /// Fields the kind's own template does not show: all fields of a kind the handbook
    /// declares, fields a handbook added to a built-in kind.
    pub fields: Vec<super::records::FieldView>,
    /// Documents whose handbook-declared fields point at this one, by kind and field.
    pub referenced_by: Vec<super::records::RefGroup>,
}

/// Review freshness (DESIGN §4.6).
#[derive(Debug, Clone, Serialize)]
pub struct FreshnessView {
    /// `fresh`, `due-soon`, `overdue`, `stale`.
    pub state: String,
    /// `Fresh`, `Due soon`, `Overdue`, `Stale`.
    pub label: String,
    pub reviewed: String,
    pub due: String,
    /// The review date is the last commit date, not `last_reviewed`.
    pub from_git: bool,
    /// The git review date may be wrong (shallow clone): "about 2026-10-02".
    pub approximate: bool,
}

/// One diagnostic of the build.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `warning` or `info`.
    pub severity: String,
    pub rule: String,
    pub message: String,
    pub help: Option<String>,
    /// `message` and `help` as safe HTML, each `` `quoted` `` part as `<code>` (print them with
    /// `| safe`).
    pub message_html: String,
    pub help_html: Option<String>,
    /// `roadmap/sso.md:6:8`.
    pub location: String,
    /// The page of the document it is in.
    pub doc: Option<Link>,
}

/// A roadmap item as a card (board, timeline, lists).
#[derive(Debug, Clone, Serialize)]
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
    pub items: Vec<ItemCard>,
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
    pub card: ItemCard,
    pub start: Option<String>,
    pub target: Option<String>,
    pub shipped: Option<String>,
    pub dropped_reason: Option<String>,
    pub outcome: Option<String>,
    pub rice: Option<RiceView>,
    pub depends_on: Vec<ItemCard>,
    pub needed_by: Vec<ItemCard>,
    pub links: Vec<ExternalLink>,
    /// The key results it moves, with their objectives.
    pub key_results: Vec<super::okr::MovedKeyResult>,
    /// Its launches, with their readiness.
    pub launches: Vec<super::launch::LaunchCard>,
    /// Time in each status and cycle time, from its status history (git).
    pub flow: Option<super::flow_page::ItemFlowView>,
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

/// One commit in a roadmap item's history.
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
    /// Changes of `status`, `target`, `owner`, `score`, in that order (for `created` and
    /// `earliest`, `from` is empty).
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A RACI matrix: activities × parties.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RaciTable {
    /// Column headings: the charter's roles first, then any other party.
    pub parties: Vec<Link>,
    pub rows: Vec<RaciRowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RaciRowView {
    pub id: Option<String>,
    pub activity: String,
    pub process: Option<Link>,
    /// One cell per party, in the order of `parties`: `""`, `"R"`, `"A"`, `"A R"`, `"C"`, `"I"`…
    pub cells: Vec<String>,
}

/// `charter` in `charter.html`.
#[derive(Debug, Clone, Serialize)]
pub struct CharterView {
    pub team: Option<Link>,
    pub mission: Option<String>,
    pub scope_in: Vec<String>,
    pub scope_out: Vec<String>,
    pub roles: Vec<Link>,
    pub raci: RaciTable,
}

/// A row of the process catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessRow {
    pub link: Link,
    pub owner: Option<Link>,
    pub cadence: Option<String>,
    pub status: String,
    pub freshness: Option<FreshnessView>,
}

/// `catalogue` in `processes.html`.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueView {
    pub rows: Vec<ProcessRow>,
    /// How many are due soon, overdue or stale.
    pub attention: usize,
}

/// `process` in `process.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessView {
    pub owner: Option<Link>,
    pub status: String,
    pub cadence: Option<String>,
    pub trigger: Option<String>,
    pub participants: Vec<Link>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub tools: Vec<String>,
    /// Written here, plus processes that name this one as their downstream.
    pub upstream: Vec<Link>,
    /// Written here, plus processes that name this one as their upstream.
    pub downstream: Vec<Link>,
    pub raci: RaciTable,
    /// Charters and processes whose RACI rows point at this process.
    pub used_by: Vec<Link>,
}

pub use super::ownership::{Held, Holdings, RaciLetters};

/// `person` in `person.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    pub email: Option<String>,
    /// `active`, `leave`, `left`.
    pub status: String,
    pub roles: Vec<Link>,
    pub teams: Vec<Link>,
    pub manager: Option<Link>,
    pub reports: Vec<Link>,
    pub leads: Vec<Link>,
    pub holds: Holdings,
}

/// `role` in `role.html`.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    pub responsibilities: Vec<String>,
    pub reports_to: Option<Link>,
    pub reporting_roles: Vec<Link>,
    /// People who hold the role.
    pub holders: Vec<Link>,
    pub holds: Holdings,
}

/// `team` in `team.html`.
#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub name: String,
    pub lead: Option<Link>,
    pub parent: Option<Link>,
    pub subteams: Vec<Link>,
    pub members: Vec<Link>,
    pub charters: Vec<Link>,
    /// The filtered roadmap board of this team, when it has items.
    pub board_href: Option<String>,
    pub holds: Holdings,
}

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
    /// Item counts per status, with links to the board.
    pub counts: Vec<StatusCount>,
    /// Items in Now (at most a dozen).
    pub now: Vec<ItemCard>,
    pub now_more: usize,
    /// Items in Now or Next that are off track, at risk or late (at most a dozen): off track
    /// first, then at risk, then late only; the longest late first.
    pub at_risk: Vec<ItemCard>,
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
