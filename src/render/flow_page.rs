//! The Flow page: cycle times (first day in Now → shipped) per quarter and per team with their
//! median and 85th percentile, throughput per quarter, the items stuck in Now longer than
//! their team's 85th percentile, and every item's time per status — all from git.

use serde::Serialize;

use crate::error::Error;
use crate::flow::{CycleStats, ItemFlow};

use super::Site;
use super::href::Linker;
use super::roadmap::{card, status_label};
use super::view::{Card, Link};

pub const FLOW: &str = "flow.html";

/// Cycle-time figures of a quarter, a team, or all items.
#[derive(Debug, Clone, Serialize)]
pub struct StatsRow {
    /// `2026-Q3`, a team's name, `No team`, `All items`.
    pub label: String,
    pub link: Option<Link>,
    /// Items shipped (throughput).
    pub shipped: usize,
    /// Days, one decimal at most.
    pub median: String,
    pub p85: String,
    pub approximate: bool,
}

/// Days in one status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusDays {
    pub status: String,
    pub label: String,
    pub days: i64,
}

/// One item's flow, for its page and the Flow page.
#[derive(Debug, Clone, Serialize)]
pub struct ItemFlowView {
    pub time_in_status: Vec<StatusDays>,
    /// First day in Now, the day it shipped, and the days between.
    pub started: Option<String>,
    pub shipped: Option<String>,
    pub cycle_days: Option<i64>,
    /// The history starts at a shallow clone's boundary: the first status may be longer.
    pub approximate: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlowItem {
    pub card: Card,
    pub flow: ItemFlowView,
}

/// An item in Now for longer than its team usually takes from Now to shipped.
#[derive(Debug, Clone, Serialize)]
pub struct StuckItem {
    pub card: Card,
    /// Days in Now so far.
    pub days: i64,
    /// The 85th percentile it exceeds, in days.
    pub p85: String,
    /// Whose percentile: the team's name, or `all items`.
    pub against: String,
}

/// `flow` in `flow.html`.
#[derive(Debug, Clone, Serialize)]
pub struct FlowView {
    /// Built with git facts (without them the page says so, and every list is empty).
    pub available: bool,
    /// The history is cut (shallow clone): figures are approximate.
    pub approximate: bool,
    /// Oldest quarter first.
    pub quarters: Vec<StatsRow>,
    pub teams: Vec<StatsRow>,
    pub overall: Option<StatsRow>,
    pub stuck: Vec<StuckItem>,
    /// Shipped items with their cycle time, most recently shipped first (at most 100).
    pub shipped: Vec<FlowItem>,
    /// Cycle times needed before a percentile is used to call an item stuck.
    pub min_samples: usize,
}

const SHIPPED_MAX: usize = 100;

fn days(x: f64) -> String {
    super::number((x * 10.0).round() / 10.0)
}

fn row(label: String, link: Option<Link>, s: &CycleStats) -> StatsRow {
    StatsRow {
        label,
        link,
        shipped: s.shipped,
        median: days(s.median),
        p85: days(s.p85),
        approximate: s.approximate,
    }
}

pub fn item_flow_view(f: &ItemFlow) -> ItemFlowView {
    ItemFlowView {
        time_in_status: f
            .time_in_status
            .iter()
            .map(|(s, d)| StatusDays {
                label: status_label(s),
                status: s.clone(),
                days: *d,
            })
            .collect(),
        started: f.started.map(|d| d.to_string()),
        shipped: f.shipped.map(|d| d.to_string()),
        cycle_days: f.cycle_days,
        approximate: f.approximate,
    }
}

/// The flow of roadmap item `i`, when git knows its history.
pub fn of_item(site: &Site<'_, '_>, i: usize) -> Option<ItemFlowView> {
    site.facts.flow.items.get(&i).map(item_flow_view)
}

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let hb = site.hb;
    let flow = &site.facts.flow;
    let linker = Linker::for_page(FLOW);
    let team = |t: Option<usize>| match t {
        Some(t) => (hb.docs[t].title.clone(), Some(linker.doc(&hb.docs[t]))),
        None => ("No team".to_string(), None),
    };
    let mut teams: Vec<StatsRow> = flow
        .teams
        .iter()
        .map(|(t, s)| {
            let (label, link) = team(*t);
            row(label, link, s)
        })
        .collect();
    teams.sort_by_key(|r| (r.link.is_none(), r.label.to_lowercase()));
    let mut stuck = Vec::new();
    for (&i, f) in &flow.items {
        let Some(in_now) = f.days_in("now") else {
            continue;
        };
        if hb.docs[i].roadmap().and_then(|x| x.status()) != Some("now") {
            continue;
        }
        let t = crate::flow::team_of(hb, i);
        let Some(p85) = flow.threshold(t) else {
            continue;
        };
        if in_now as f64 > p85 {
            let own = flow
                .teams
                .iter()
                .any(|(x, s)| *x == t && t.is_some() && s.shipped >= crate::flow::MIN_SAMPLES);
            stuck.push(StuckItem {
                card: card(site, i, &linker),
                days: in_now,
                p85: days(p85),
                against: if own { team(t).0 } else { "all items".into() },
            });
        }
    }
    stuck.sort_by(|a, b| {
        b.days
            .cmp(&a.days)
            .then_with(|| a.card.title.cmp(&b.card.title))
    });
    let mut shipped: Vec<(&usize, &ItemFlow)> = flow
        .items
        .iter()
        .filter(|(_, f)| f.cycle_days.is_some())
        .collect();
    shipped.sort_by(|a, b| b.1.shipped.cmp(&a.1.shipped).then(a.0.cmp(b.0)));
    let view = FlowView {
        available: site.facts.available,
        approximate: flow.approximate,
        quarters: flow
            .quarters
            .iter()
            .map(|(q, s)| row(q.clone(), None, s))
            .collect(),
        teams,
        overall: flow
            .overall
            .as_ref()
            .map(|s| row("All items".into(), None, s)),
        stuck,
        shipped: shipped
            .into_iter()
            .take(SHIPPED_MAX)
            .map(|(&i, f)| FlowItem {
                card: card(site, i, &linker),
                flow: item_flow_view(f),
            })
            .collect(),
        min_samples: crate::flow::MIN_SAMPLES,
    };
    let page = site.generated(FLOW, "flow", "Flow");
    site.page(FLOW, "flow.html", page, "flow", view)
}
