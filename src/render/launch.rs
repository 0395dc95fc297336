//! Launches: the launch calendar (upcoming first, then past ones) and one page per launch with
//! its readiness and checklist; an item's page lists its launches.

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::kind::Kind;
use crate::model::Launch;

use super::Site;
use super::href::Linker;
use super::okr::{capitalize, percent};
use super::relations::{found, get};
use super::roadmap::card;
use super::view::{Card, Link};

const LAUNCHES: &str = "launches/index.html";

/// A launch in a list.
#[derive(Debug, Clone, Serialize)]
pub struct LaunchCard {
    pub link: Link,
    /// The roadmap item it launches.
    pub item: Option<Link>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// 1 (big launch) to 3 (quiet release).
    pub tier: Option<i64>,
    pub owner: Option<Link>,
    /// `planned`, `ready`, `launched`, `cancelled` (or `unknown`).
    pub status: String,
    pub status_label: String,
    /// Done tasks ÷ tasks, in percent (0–100); `None` without a checklist.
    pub readiness: Option<u32>,
    pub done: usize,
    pub tasks: usize,
    /// Open tasks past their due date.
    pub overdue: usize,
}

/// One task of a checklist.
#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    pub task: String,
    pub owner: Option<Link>,
    pub due: Option<String>,
    pub done: bool,
    /// Open and past its due date.
    pub overdue: bool,
}

/// `launch` in `launch.html`.
#[derive(Debug, Clone, Serialize)]
pub struct LaunchView {
    pub card: LaunchCard,
    /// The roadmap item it launches, as a card.
    pub item: Option<Card>,
    pub tasks: Vec<TaskView>,
}

/// `launches` in `launches.html`.
#[derive(Debug, Clone, Serialize)]
pub struct LaunchesView {
    /// Planned and ready launches, soonest first (undated last).
    pub upcoming: Vec<LaunchCard>,
    /// Launched and cancelled ones, newest first.
    pub past: Vec<LaunchCard>,
}

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let ids = site.of_kind(Kind::LAUNCH);
    ids.par_iter()
        .try_for_each(|&i| site.doc_or_skip(i, || page(site, i)))?;
    if ids.is_empty() {
        return Ok(());
    }
    site.gathered(&[LAUNCHES], || index(site, &ids))
}

fn launch<'a>(site: &Site<'a, '_>, i: usize) -> &'a Launch {
    site.hb.docs[i].launch().expect("a launch")
}

pub fn launch_card(site: &Site<'_, '_>, i: usize, linker: &Linker) -> LaunchCard {
    let hb = site.hb;
    let l = launch(site, i);
    let status = l.status().unwrap_or("unknown").to_string();
    let open = matches!(l.status(), Some("planned" | "ready"));
    LaunchCard {
        link: linker.doc(&hb.docs[i]),
        item: l.item.as_ref().map(|r| linker.reference(hb, r)),
        date: l.date.as_ref().map(|d| d.value.to_string()),
        tier: l.tier.as_ref().map(|t| t.value),
        owner: l.owner.as_ref().map(|r| linker.reference(hb, r)),
        status_label: capitalize(&status),
        status,
        readiness: l.readiness().map(percent),
        done: l.checklist.iter().filter(|t| t.done).count(),
        tasks: l.checklist.len(),
        overdue: l
            .checklist
            .iter()
            .filter(|t| open && !t.done && t.due.as_ref().is_some_and(|d| d.value < site.today))
            .count(),
    }
}

fn page(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let hb = site.hb;
    let (_, url, linker) = site.at(i);
    let l = launch(site, i);
    let card_view = launch_card(site, i, &linker);
    let open = matches!(l.status(), Some("planned" | "ready"));
    let view = LaunchView {
        item: l
            .item
            .as_ref()
            .and_then(|r| found(hb, r))
            .filter(|&d| hb.docs[d].kind == Kind::ROADMAP_ITEM)
            .map(|d| card(site, d, &linker)),
        tasks: l
            .checklist
            .iter()
            .map(|t| TaskView {
                task: t.label(),
                owner: t.owner.as_ref().map(|r| linker.reference(hb, r)),
                due: t.due.as_ref().map(|d| d.value.to_string()),
                done: t.done,
                overdue: open && !t.done && t.due.as_ref().is_some_and(|d| d.value < site.today),
            })
            .collect(),
        card: card_view,
    };
    let page = site.doc_page(i, "launch", None);
    site.page(&url, "launch.html", page, "launch", view)
}

fn index(site: &Site<'_, '_>, ids: &[usize]) -> Result<(), Error> {
    let linker = Linker::for_page(LAUNCHES);
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for &i in ids {
        let c = launch_card(site, i, &linker);
        if matches!(c.status.as_str(), "launched" | "cancelled") {
            past.push(c);
        } else {
            upcoming.push(c);
        }
    }
    let title = |c: &LaunchCard| (c.link.title.to_lowercase(), c.link.handle.clone());
    upcoming.sort_by_cached_key(|c| (c.date.is_none(), c.date.clone(), title(c)));
    past.sort_by_cached_key(|c| (std::cmp::Reverse(c.date.clone()), title(c)));
    let page = site.generated(LAUNCHES, "launches", "Launches");
    site.page(
        LAUNCHES,
        "launches.html",
        page,
        "launches",
        LaunchesView { upcoming, past },
    )
}

/// The launches of roadmap item `i`, for its page.
pub fn launches_of(site: &Site<'_, '_>, i: usize, linker: &Linker) -> Vec<LaunchCard> {
    let mut ids = get(&site.rel.launches, i).to_vec();
    ids.sort_unstable();
    ids.iter().map(|&l| launch_card(site, l, linker)).collect()
}
