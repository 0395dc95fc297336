//! The roadmap: board (with filtered boards), timeline by quarter, and one page per item.

use rayon::prelude::*;
use std::collections::BTreeMap;

use crate::error::Error;
use crate::kind::Kind;
use crate::model::{Handbook, Rice, RoadmapItem, Spanned};
use crate::values;

use super::cards::{Card, CardHtml, FolderCards};
use super::href::{Linker, is_safe_external};
use super::relations::{found, get};
use super::view::Link;
use super::view::{
    ActiveFilter, BoardView, Column, ExternalLink, FilterGroup, FilterOption, ItemCard, ItemView,
    RiceView,
};
use super::{Site, number};

/// Board columns in order: status, label, collapsed.
pub const COLUMNS: &[(&str, &str, bool)] = &[
    ("now", "Now", false),
    ("next", "Next", false),
    ("later", "Later", false),
    ("shipped", "Shipped", true),
    ("dropped", "Dropped", true),
];

pub const BOARD: &str = "roadmap/index.html";
/// The board of the late items, beside the health boards.
const LATE: &str = "roadmap/health/late.html";
/// A page in the folder of each kind of filtered board. A card links to the pages of an item,
/// a person, a role or a team, each `<kind>/<id>.html`: the same way up from each of these
/// folders, so a card is the same on every filtered board.
const FILTERED: &[&str] = &[
    LATE,
    "roadmap/team/-.html",
    "roadmap/theme/-.html",
    "roadmap/owner/-.html",
];

use super::timeline::TIMELINE;

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let items = site.of_kind(Kind::ROADMAP_ITEM);
    let filters = filters(site, &items);
    let folders = [
        FolderCards::new(&[BOARD], site.hb.docs.len()),
        FolderCards::new(FILTERED, site.hb.docs.len()),
    ];
    let cards = &folders;
    // The two biggest pages beside each other (they share their cards) and the rest.
    let (big, rest) = rayon::join(
        || {
            site.gathered(&[BOARD, TIMELINE], || {
                let (b, t) = rayon::join(
                    || board(site, &items, None, BOARD, cards),
                    || super::timeline::render(site, &items, cards),
                );
                b.and(t)
            })
        },
        || {
            filters.par_iter().try_for_each(|f| {
                let theme = (f.name == "theme").then_some(f.value.as_str());
                if site.keeps_board(f.target, theme) {
                    site.list(&f.url)
                } else {
                    board(site, &f.items, Some(f), &f.url, cards)
                }
            })?;
            items
                .par_iter()
                .try_for_each(|&i| site.doc_or_skip(i, || item_page(site, i, cards)))
        },
    );
    for f in folders {
        f.keep(site);
    }
    big.and(rest)
}

fn item<'a>(site: &Site<'a, '_>, i: usize) -> &'a RoadmapItem {
    site.hb.docs[i].roadmap().expect("a roadmap item")
}

/// The delivery health words, in order, with their labels.
pub const HEALTH: &[(&str, &str)] = &[
    ("on-track", "On track"),
    ("at-risk", "At risk"),
    ("off-track", "Off track"),
];

pub fn health_label(health: &str) -> String {
    HEALTH
        .iter()
        .find(|h| h.0 == health)
        .map_or_else(|| health.to_string(), |h| h.1.to_string())
}

pub fn status_label(status: &str) -> String {
    COLUMNS
        .iter()
        .find(|c| c.0 == status)
        .map_or_else(|| "Unknown".to_string(), |c| c.1.to_string())
}

/// The card of item `i`, with links relative to `linker`'s page.
pub fn card(site: &Site<'_, '_>, i: usize, linker: &Linker) -> Card {
    site.make_card(card_facts(site, i, linker, None))
}

/// [`card`], made once per render of the roadmap for the pages in the folders of `folders`
/// (the board's: the board, the timeline, the item pages; the filtered boards').
pub fn card_in(site: &Site<'_, '_>, folders: &[FolderCards], i: usize, linker: &Linker) -> Card {
    match folders.iter().find(|f| f.holds(linker)) {
        Some(f) => f.get_or(site, i, || card(site, i, linker)),
        None => card(site, i, linker),
    }
}

/// The card of item `i` on a holdings page, held through the role `via` (`None`: directly).
pub fn held_card(site: &Site<'_, '_>, i: usize, via: Option<Link>, linker: &Linker) -> Card {
    site.make_card(card_facts(site, i, linker, Some(via)))
}

/// The team of item `i` and its filter key (`team:growth`), with links relative to `linker`.
pub fn team_of(site: &Site<'_, '_>, i: usize, linker: &Linker) -> (Option<Link>, String) {
    let team = item(site, i)
        .team
        .as_ref()
        .map(|r| linker.reference(site.hb, r));
    let key = team.as_ref().map_or(String::new(), |t| {
        format!("team:{}", t.handle.rsplit(':').next().unwrap_or_default())
    });
    (team, key)
}

/// The theme of item `i` and its filter key (`theme:enterprise-readiness`).
pub fn theme_of(site: &Site<'_, '_>, i: usize) -> (Option<String>, String) {
    let theme = item(site, i).theme.as_ref().map(|t| t.value.clone());
    let key = theme
        .as_deref()
        .map_or(String::new(), |t| format!("theme:{}", site.themes.slug(t)));
    (theme, key)
}

/// The facts of item `i`'s card, with links relative to `linker`'s page; `via` on a holdings
/// page.
fn card_facts(
    site: &Site<'_, '_>,
    i: usize,
    linker: &Linker,
    via: Option<Option<Link>>,
) -> ItemCard {
    let hb = site.hb;
    let doc = &hb.docs[i];
    let x = item(site, i);
    let status = x.status().unwrap_or("unknown").to_string();
    let blocked_by = x
        .depends_on
        .iter()
        .filter_map(|d| hb.target(d))
        .filter(|d| d.roadmap().and_then(RoadmapItem::status) != Some("shipped"))
        .count();
    let owner = x.owner.as_ref().map(|r| linker.reference(hb, r));
    let (team, team_key) = team_of(site, i, linker);
    let (theme, theme_key) = theme_of(site, i);
    let late = x.late(site.today);
    ItemCard {
        id: doc.id.clone(),
        title: doc.title.clone(),
        href: linker.href(&doc.url()),
        status_label: status_label(&status),
        status,
        team_key,
        theme_key,
        owner_key: owner.as_ref().map_or(String::new(), |o| {
            format!("owner:{}", o.handle.replace(':', "-"))
        }),
        owner,
        team,
        theme,
        target: x.target.as_ref().map(|t| period_text(site, i, "target", t)),
        shipped: x.shipped.as_ref().map(|d| d.value.to_string()),
        rice: x.rice.as_ref().map(|r| rounded_score(r.score())),
        depends: x.depends_on.len(),
        blocked_by,
        warnings: site.warnings_in(i),
        key_results: super::okr::moved_by(site, i, linker)
            .into_iter()
            .map(|k| format!("{}: {}", k.objective.title, k.title))
            .collect(),
        health_label: x.health().map(health_label),
        health_key: x.health().map_or(String::new(), |h| format!("health:{h}")),
        health: x.health().map(str::to_string),
        confidence: x
            .confidence
            .as_ref()
            .map(|c| format!("{}%", number(c.value * 100.0))),
        late: late.map(|d| values::how_long(d, site.today)),
        late_since: late.map(|d| d.to_string()),
        late_key: late.map_or(String::new(), |_| "late:late".into()),
        via,
        html: CardHtml::default(),
    }
}

/// A period as written in the frontmatter (`2026-Q4`), else its end date.
pub fn period_text(
    site: &Site<'_, '_>,
    i: usize,
    field: &str,
    p: &Spanned<values::Period>,
) -> String {
    site.hb.docs[i]
        .frontmatter
        .as_ref()
        .and_then(|n| n.get(field))
        .and_then(|n| n.scalar_text())
        .unwrap_or_else(|| p.value.end.to_string())
}

/// Sort cards of one column: by RICE score (highest first), then title; shipped by date.
pub fn sort_column(site: &Site<'_, '_>, status: &str, items: &mut [usize]) {
    // Keys computed once per item, not per comparison.
    let title = |i: usize| site.hb.docs[i].title.to_lowercase();
    if status == "shipped" {
        let shipped = |i: usize| item(site, i).shipped.as_ref().map(|d| d.value);
        items.sort_by_cached_key(|&i| (std::cmp::Reverse(shipped(i)), title(i)));
    } else {
        let mut keyed: Vec<(Option<f64>, String, usize)> = items
            .iter()
            .map(|&i| (item(site, i).rice.as_ref().map(Rice::score), title(i), i))
            .collect();
        keyed.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.1.cmp(&b.1))
        });
        for (slot, (_, _, i)) in items.iter_mut().zip(keyed) {
            *slot = i;
        }
    }
}

/// A filtered board: by one team, theme, owner, health, or the late items.
struct Filter {
    /// Groups in order: team, theme, owner, health (late items with the health).
    order: u8,
    /// Within a group: health words in their order, others by label.
    rank: usize,
    name: &'static str,
    label: String,
    value: String,
    key: String,
    url: String,
    /// The team or owner document.
    target: Option<usize>,
    items: Vec<usize>,
}

/// Every filter with at least one item: teams, themes, owners.
fn filters(site: &Site<'_, '_>, items: &[usize]) -> Vec<Filter> {
    let hb = site.hb;
    let mut by: BTreeMap<(u8, String), Filter> = BTreeMap::new();
    for &i in items {
        let x = item(site, i);
        let mut entries = Vec::new();
        if let Some(t) = x.team.as_ref().and_then(|r| found(hb, r)) {
            let d = &hb.docs[t];
            entries.push((0, "team", "Team", d.title.clone(), d.id.clone(), Some(t)));
        }
        if let Some(t) = &x.theme {
            let slug = site.themes.slug(&t.value);
            entries.push((1, "theme", "Theme", t.value.clone(), slug, None));
        }
        if let Some(o) = x.owner.as_ref().and_then(|r| found(hb, r)) {
            let d = &hb.docs[o];
            let slug = d.handle().replace(':', "-");
            entries.push((2, "owner", "Owner", d.title.clone(), slug, Some(o)));
        }
        if let Some(h) = x.health() {
            entries.push((3, "health", "Health", health_label(h), h.to_string(), None));
        }
        if x.late(site.today).is_some() {
            entries.push((4, "late", "Health", "Late".into(), "late".into(), None));
        }
        for (order, name, label, value, slug, target) in entries {
            let f = by.entry((order, slug.clone())).or_insert_with(|| Filter {
                order,
                rank: HEALTH
                    .iter()
                    .position(|h| h.0 == slug)
                    .unwrap_or(HEALTH.len()),
                name,
                label: label.to_string(),
                key: format!("{name}:{slug}"),
                // The late items' board sits with the health boards (`late` is no health word).
                url: if name == "late" {
                    LATE.to_string()
                } else {
                    format!("roadmap/{name}/{slug}.html")
                },
                value,
                target,
                items: Vec::new(),
            });
            f.items.push(i);
        }
    }
    let mut out: Vec<Filter> = by.into_values().collect();
    out.sort_by_cached_key(|f| (f.order, f.rank, f.value.to_lowercase()));
    out
}

fn board(
    site: &Site<'_, '_>,
    items: &[usize],
    filter: Option<&Filter>,
    url: &str,
    cards: &[FolderCards],
) -> Result<(), Error> {
    let linker = Linker::for_page(url);
    let mut columns = Vec::new();
    for (status, label, collapsed) in COLUMNS {
        let mut ids: Vec<usize> = items
            .iter()
            .copied()
            .filter(|&i| item(site, i).status() == Some(status))
            .collect();
        sort_column(site, status, &mut ids);
        columns.push(Column {
            status: status.to_string(),
            label: label.to_string(),
            collapsed: *collapsed,
            items: ids
                .iter()
                .map(|&i| card_in(site, cards, i, &linker))
                .collect(),
        });
    }
    let groups = if filter.is_none() {
        filter_groups(site, items, &linker)
    } else {
        Vec::new()
    };
    let view = BoardView {
        columns,
        filter: filter.map(|f| ActiveFilter {
            name: f.name.to_string(),
            label: f.label.clone(),
            value: f.value.clone(),
            link: f.target.map(|t| linker.doc(&site.hb.docs[t])),
        }),
        filters: groups,
        all_href: linker.href(BOARD),
        timeline_href: linker.href(TIMELINE),
        total: items.len(),
        sorted_by: "Each column is sorted by RICE score, highest first (items without a score \
                    last, then by title); Shipped by ship date, newest first."
            .into(),
    };
    let title = match filter {
        Some(f) => format!("Roadmap: {}", f.value),
        None => "Roadmap".to_string(),
    };
    let page = site.generated(url, "board", &title);
    site.page(url, "board.html", page, "board", view)
}

fn filter_groups(site: &Site<'_, '_>, items: &[usize], linker: &Linker) -> Vec<FilterGroup> {
    let mut groups: Vec<FilterGroup> = Vec::new();
    for f in filters(site, items) {
        // Late items are listed with the health words.
        if groups.last().is_none_or(|g| g.label != f.label) {
            groups.push(FilterGroup {
                name: f.name.to_string(),
                label: f.label.clone(),
                options: Vec::new(),
            });
        }
        if let Some(g) = groups.last_mut() {
            g.options.push(FilterOption {
                label: f.value.clone(),
                href: linker.href(&f.url),
                key: f.key.clone(),
                count: f.items.len(),
            });
        }
    }
    groups
}

/// A RICE score as a card shows it: whole from 10 up, one decimal below (`266.67` → `267`,
/// `2.45` → `2.5`).
pub fn rounded_score(x: f64) -> String {
    if x.abs() >= 10.0 {
        number(x.round())
    } else {
        number((x * 10.0).round() / 10.0)
    }
}

fn rice_view(r: &Rice) -> RiceView {
    let confidence = format!("{}%", number(r.confidence * 100.0));
    let (reach, impact, effort, score) = (
        number(r.reach),
        number(r.impact),
        number(r.effort),
        number(r.score()),
    );
    RiceView {
        formula: format!("{reach} × {impact} × {confidence} ÷ {effort} = {score}"),
        rounded: rounded_score(r.score()),
        reach,
        impact,
        confidence,
        effort,
        score,
    }
}

fn item_page(site: &Site<'_, '_>, i: usize, cards: &[FolderCards]) -> Result<(), Error> {
    let hb: &Handbook = site.hb;
    let (doc, url, linker) = site.at(i);
    let x = item(site, i);
    let history = super::history::of(site, doc);
    let view = ItemView {
        card: card_in(site, cards, i, &linker),
        start: x.start.as_ref().map(|p| period_text(site, i, "start", p)),
        target: x.target.as_ref().map(|p| period_text(site, i, "target", p)),
        shipped: x.shipped.as_ref().map(|d| d.value.to_string()),
        dropped_reason: x.dropped_reason.as_ref().map(|s| s.value.clone()),
        outcome: x.outcome.as_ref().map(|s| s.value.clone()),
        rice: x.rice.as_ref().map(rice_view),
        depends_on: x
            .depends_on
            .iter()
            .filter_map(|d| found(hb, d))
            .map(|d| card_in(site, cards, d, &linker))
            .collect(),
        needed_by: get(&site.rel.needed_by, i)
            .iter()
            .map(|&d| card_in(site, cards, d, &linker))
            .collect(),
        links: x
            .links
            .iter()
            .map(|l| ExternalLink {
                title: l.title.clone(),
                href: is_safe_external(&l.url.value).then(|| l.url.value.clone()),
                url: l.url.value.clone(),
            })
            .collect(),
        history,
        key_results: super::okr::moved_by(site, i, &linker),
        launches: super::launch::launches_of(site, i, &linker),
        flow: super::flow_page::of_item(site, i),
        board_href: linker.href(BOARD),
    };
    let description = x.outcome.as_ref().map(|s| s.value.clone());
    let page = site.doc_page(i, "item", description);
    site.page(&url, "item.html", page, "item", view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rice_arithmetic() {
        let r = Rice {
            reach: 180.0,
            impact: 3.0,
            confidence: 0.8,
            effort: 4.0,
            span: crate::diagnostic::Span::START,
        };
        assert_eq!(rice_view(&r).formula, "180 × 3 × 80% ÷ 4 = 108");
        assert_eq!(rounded_score(266.666), "267");
        assert_eq!(rounded_score(2.45), "2.5");
        assert_eq!(rounded_score(0.04), "0");
    }
}
