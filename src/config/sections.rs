//! `sections:`: the site's sections shown or hidden, and which generated pages a hidden section
//! leaves out.

use std::collections::{BTreeMap, BTreeSet};

use super::Config;
use super::options::{Bad, map, one_of};
use crate::diagnostic::did_you_mean;
use crate::frontmatter::{Node, Value};
use crate::kind::Kind;

/// Whether a section of the site is in its navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionMode {
    /// Shown when the handbook has documents for it (the default).
    Auto,
    /// Always shown.
    Show,
    /// Never shown; its pages are not written either when it has no documents.
    Hide,
}

/// A built-in section of the site: its name in `sections:`, the kind whose documents it shows
/// (none: it is about the whole handbook) and the pages it generates.
#[derive(Debug, Clone, Copy)]
pub struct SectionSpec {
    pub name: &'static str,
    pub kind: Option<Kind>,
    pub pages: &'static [&'static str],
}

/// The built-in sections, in navigation order. A custom kind's section is named by the kind.
pub const SECTIONS: &[SectionSpec] = &[
    section("roadmap", Some(Kind::ROADMAP_ITEM), &["roadmap/index.html"]),
    section(
        "timeline",
        Some(Kind::ROADMAP_ITEM),
        &["roadmap/timeline.html"],
    ),
    section("flow", Some(Kind::ROADMAP_ITEM), &["flow.html"]),
    section(
        "objectives",
        Some(Kind::OBJECTIVE),
        &["objectives/index.html"],
    ),
    section("metrics", Some(Kind::METRIC), &["metrics/index.html"]),
    section("launches", Some(Kind::LAUNCH), &["launches/index.html"]),
    section("charters", Some(Kind::CHARTER), &["charters/index.html"]),
    section("processes", Some(Kind::PROCESS), &["processes/index.html"]),
    section("teams", Some(Kind::TEAM), &["teams/index.html"]),
    section("roles", Some(Kind::ROLE), &["roles/index.html"]),
    section("people", Some(Kind::PERSON), &["people/index.html"]),
    section("ownership", None, &["ownership.html"]),
    section("pages", Some(Kind::PAGE), &["pages.html"]),
    section("changes", None, &["changes.html"]),
    section("health", None, &["health.html"]),
];

const fn section(
    name: &'static str,
    kind: Option<Kind>,
    pages: &'static [&'static str],
) -> SectionSpec {
    SectionSpec { name, kind, pages }
}

/// `sections:`: a section name → `show`, `hide` or `auto`. `custom` are the handbook's own
/// kinds, whose sections are named by the kind.
pub fn sections(node: &Node, custom: &[&str]) -> Result<BTreeMap<String, SectionMode>, Bad> {
    let mut names: Vec<&str> = SECTIONS.iter().map(|s| s.name).collect();
    names.extend(custom);
    let mut out = BTreeMap::new();
    for (name, span, value) in map(node, "sections")? {
        if !names.contains(&name.as_str()) {
            return Err((
                span,
                format!("`{name}` is not a section of the site"),
                did_you_mean(&name, names.iter().copied())
                    .or_else(|| Some(format!("the sections are {}", names.join(", ")))),
            ));
        }
        let mode = match &value.value {
            Value::Bool(true) => SectionMode::Show,
            Value::Bool(false) => SectionMode::Hide,
            _ => one_of(&value, &name, &["show", "hide", "auto"], |w| match w {
                "show" => Some(SectionMode::Show),
                "hide" => Some(SectionMode::Hide),
                "auto" => Some(SectionMode::Auto),
                _ => None,
            })?,
        };
        out.insert(name, mode);
    }
    Ok(out)
}

impl Config {
    /// Every section of the site: the built-in ones, then one per custom kind (named by the
    /// kind, with its index page): name, kind, pages.
    pub fn all_sections(&self) -> Vec<(String, Option<Kind>, Vec<String>)> {
        let mut out: Vec<(String, Option<Kind>, Vec<String>)> = SECTIONS
            .iter()
            .map(|s| {
                let pages = s.pages.iter().map(|p| p.to_string()).collect();
                (s.name.to_string(), s.kind, pages)
            })
            .collect();
        for spec in self.kinds.custom() {
            out.push((
                spec.kind.as_str().to_string(),
                Some(spec.kind),
                vec![spec.index_url()],
            ));
        }
        out
    }

    /// Whether the site's navigation shows the section whose first page is `page`, given the
    /// kinds the handbook has documents of (`auto`: when it has documents of the section's
    /// kind); `None` when no section starts at `page`.
    pub fn shows_section(&self, page: &str, used: &BTreeSet<Kind>) -> Option<bool> {
        let (name, kind, _) = self
            .all_sections()
            .into_iter()
            .find(|(_, _, pages)| pages.first().is_some_and(|p| p == page))?;
        Some(match self.section(&name) {
            SectionMode::Show => true,
            SectionMode::Hide => false,
            SectionMode::Auto => kind.is_none_or(|k| used.contains(&k)),
        })
    }

    /// The generated pages the site does not write: those of hidden sections that have no
    /// documents (a section with documents keeps its pages, which its documents link to).
    pub fn unwritten_pages(&self, used: &BTreeSet<Kind>) -> BTreeSet<String> {
        self.all_sections()
            .into_iter()
            .filter(|(name, kind, _)| {
                self.section(name) == SectionMode::Hide && kind.is_some_and(|k| !used.contains(&k))
            })
            .flat_map(|(_, _, pages)| pages)
            .collect()
    }
}
