//! The template API: plain, serialize-only structs. Templates see nothing else, and
//! docs/templates.md lists every field. Every `href` is ready to use as it is: relative to the
//! page being rendered, so the site works from `file://` and under any sub-path. Every string is
//! plain text that tera escapes, except `Body::html`, which the renderer made safe.

use serde::Serialize;

mod org;
mod pages;
mod roadmap;

pub use org::*;
pub use pages::*;
pub use roadmap::*;

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
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
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
    pub fields: Vec<FieldView>,
    /// Documents whose handbook-declared fields point at this one, by kind and field.
    pub referenced_by: Vec<RefGroup>,
    /// The commits that changed the document's history fields (its kind's fields with
    /// `history: true`; an entry of `org.yml` its own), oldest first; empty without git or for
    /// kinds without such fields. A roadmap item shows it as `item.history`.
    pub history: Vec<HistoryEntry>,
}

/// Review freshness: when a document was last reviewed and when it is due.
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

/// One field value on a page.
#[derive(Debug, Clone, Serialize)]
pub struct FieldView {
    /// The field's name as written in frontmatter: `health`.
    pub name: String,
    /// A label for people: `Start date` for `start_date`.
    pub label: String,
    /// The value as text (lists joined by `, `); empty for references.
    pub text: String,
    /// Documents the value points at (reference fields).
    pub links: Vec<Link>,
    /// Web addresses of `url` fields (only http(s), checked when read).
    pub urls: Vec<String>,
}

/// Documents whose field points at this one, grouped by kind and field.
#[derive(Debug, Clone, Serialize)]
pub struct RefGroup {
    /// `Experiments (owner)`.
    pub label: String,
    pub links: Vec<Link>,
}

/// The index page of a custom kind.
#[derive(Debug, Clone, Serialize)]
pub struct TableView {
    pub description: String,
    /// Column labels after the title.
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub link: Link,
    /// One cell per column.
    pub cells: Vec<FieldView>,
}
