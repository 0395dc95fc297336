//! Objectives and metrics: the objectives by period with their progress, one page per objective
//! (key results, contributing roadmap items), the metric catalogue and one page per metric (the
//! key results that use it).

use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::kind::Kind;
use crate::model::{Doc, FieldValue, KeyResult, Objective};
use crate::values::format_number;

use super::href::Linker;
use super::relations::found;
use super::roadmap::{COLUMNS, card};
use super::sparkline::{self, Sparkline};
use super::view::{Card, FreshnessView, Link};
use super::{Site, number};

const OBJECTIVES: &str = "objectives/index.html";
const METRICS: &str = "metrics/index.html";

/// An objective in a list: its status, period, owner and progress.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveCard {
    pub link: Link,
    /// `draft`, `active`, `achieved`, `missed`, `dropped` (or `unknown`).
    pub status: String,
    pub status_label: String,
    /// The period as written: `2026-Q3`.
    pub period: Option<String>,
    pub owner: Option<Link>,
    pub team: Option<Link>,
    /// The mean progress of its measured key results, in percent (0–100).
    pub progress: Option<u32>,
    pub key_results: usize,
}

/// A key result as the site shows it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyResultView {
    pub id: String,
    pub title: String,
    /// Its objective (on a metric's page).
    pub objective: Option<Link>,
    pub metric: Option<Link>,
    pub baseline: Option<String>,
    pub target: Option<String>,
    pub current: Option<String>,
    pub unit: Option<String>,
    /// `up` or `down`.
    pub direction: String,
    /// From baseline to target, in percent (0–100); `None` when it cannot be measured.
    pub progress: Option<u32>,
    /// As a percentage: `70%`.
    pub confidence: Option<String>,
    pub owner: Option<Link>,
    /// Roadmap items that say they move this key result.
    pub items: Vec<Card>,
    /// Its values of `current` over time, from git (two changes or more).
    pub sparkline: Option<Sparkline>,
}

/// Contributing roadmap items of one status.
#[derive(Debug, Clone, Serialize)]
pub struct ItemGroup {
    pub status: String,
    pub label: String,
    pub items: Vec<Card>,
}

/// `objective` in `objective.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    pub card: ObjectiveCard,
    pub key_results: Vec<KeyResultView>,
    /// Every roadmap item moving one of its key results, by status (Now, Next, Later,
    /// Shipped, Dropped).
    pub contributors: Vec<ItemGroup>,
}

/// Objectives of one period.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodGroup {
    /// `2026-Q3` (as written), or `No period`.
    pub label: String,
    pub objectives: Vec<ObjectiveCard>,
}

/// `objectives` in `objectives.html`: newest period first.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectivesView {
    pub groups: Vec<PeriodGroup>,
    pub total: usize,
}

/// A row of the metric catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct MetricRow {
    pub link: Link,
    pub definition: Option<String>,
    pub owner: Option<Link>,
    pub unit: Option<String>,
    /// `up` or `down`.
    pub direction: Option<String>,
    /// The dashboard, when it is an http(s) address.
    pub source: Option<String>,
    /// How many key results are measured by it.
    pub used_by: usize,
    pub freshness: Option<FreshnessView>,
}

/// `catalogue` in `metrics.html`.
#[derive(Debug, Clone, Serialize)]
pub struct MetricsView {
    pub rows: Vec<MetricRow>,
}

/// `metric` in `metric.html`.
#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    pub row: MetricRow,
    /// The key results that use it, with their objectives.
    pub key_results: Vec<KeyResultView>,
}

pub fn render(site: &Site<'_, '_>) -> Result<(), Error> {
    let objectives = site.of_kind(Kind::OBJECTIVE);
    let metrics = site.of_kind(Kind::METRIC);
    objectives
        .par_iter()
        .try_for_each(|&i| site.doc_or_skip(i, || objective_page(site, i)))?;
    metrics
        .par_iter()
        .try_for_each(|&i| site.doc_or_skip(i, || metric_page(site, i)))?;
    if !objectives.is_empty() {
        site.gathered(&[OBJECTIVES], || objectives_index(site, &objectives))?;
    }
    if !metrics.is_empty() {
        site.gathered(&[METRICS], || metric_catalogue(site, &metrics))?;
    }
    Ok(())
}

fn objective(doc: &Doc) -> &Objective {
    doc.objective().expect("an objective")
}

/// Percent, rounded: 0.425 → 43.
pub fn percent(p: f64) -> u32 {
    (p * 100.0).round().clamp(0.0, 100.0) as u32
}

/// A status word for people: `active` → `Active`.
pub fn capitalize(status: &str) -> String {
    let mut c = status.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_else(|| "Unknown".into())
}

/// A field's value as written (`2026-Q3` for a period).
fn written(doc: &Doc, field: &str) -> Option<String> {
    match doc.fields.get(field).map(|v| &v.value) {
        Some(FieldValue::Period(s, _)) => Some(s.clone()),
        Some(v) => Some(v.display()),
        None => None,
    }
}

pub fn objective_card(site: &Site<'_, '_>, i: usize, linker: &Linker) -> ObjectiveCard {
    let hb = site.hb;
    let doc = &hb.docs[i];
    let o = objective(doc);
    let status = o.status().unwrap_or("unknown").to_string();
    ObjectiveCard {
        link: linker.doc(doc),
        status_label: capitalize(&status),
        status,
        period: written(doc, "period"),
        owner: o.owner.as_ref().map(|r| linker.reference(hb, r)),
        team: o.team.as_ref().map(|r| linker.reference(hb, r)),
        progress: o.progress().map(percent),
        key_results: o.key_results.len(),
    }
}

/// The view of key result `kr` of objective `o` (document `i`).
fn key_result_view(
    site: &Site<'_, '_>,
    i: usize,
    kr: &KeyResult,
    linker: &Linker,
    with_objective: bool,
) -> KeyResultView {
    let hb = site.hb;
    let id = kr.id.as_ref().map(|s| s.value.clone()).unwrap_or_default();
    let items = site
        .rel
        .contributors
        .get(&i)
        .map(|v| {
            v.iter()
                .filter(|(_, k)| *k == id)
                .map(|(item, _)| card(site, *item, linker))
                .collect()
        })
        .unwrap_or_default();
    let sparkline = site
        .facts
        .trends
        .get(&i)
        .and_then(|t| t.get(&id))
        .and_then(sparkline::of);
    KeyResultView {
        title: kr
            .title
            .as_ref()
            .map_or_else(|| id.clone(), |t| t.value.clone()),
        id,
        objective: with_objective.then(|| linker.doc(&hb.docs[i])),
        metric: kr.metric.as_ref().map(|r| linker.reference(hb, r)),
        baseline: kr.baseline.as_ref().map(|v| format_number(v.value)),
        target: kr.target.as_ref().map(|v| format_number(v.value)),
        current: kr.current.as_ref().map(|v| format_number(v.value)),
        unit: kr.unit.clone(),
        direction: match kr.direction() {
            crate::model::product::Direction::Up => "up".into(),
            crate::model::product::Direction::Down => "down".into(),
        },
        progress: kr.progress().map(percent),
        confidence: kr
            .confidence
            .as_ref()
            .map(|c| format!("{}%", number(c.value * 100.0))),
        owner: kr.owner.as_ref().map(|r| linker.reference(hb, r)),
        items,
        sparkline,
    }
}

fn objective_page(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let (doc, url, linker) = site.at(i);
    let o = objective(doc);
    let mut contributors: Vec<usize> = site
        .rel
        .contributors
        .get(&i)
        .map(|v| v.iter().map(|(d, _)| *d).collect())
        .unwrap_or_default();
    contributors.sort_unstable();
    contributors.dedup();
    let status_of = |d: usize| site.hb.docs[d].roadmap().and_then(|x| x.status());
    let contributors = COLUMNS
        .iter()
        .filter_map(|(status, label, _)| {
            let mut ids: Vec<usize> = contributors
                .iter()
                .copied()
                .filter(|&d| status_of(d) == Some(status))
                .collect();
            super::roadmap::sort_column(site, status, &mut ids);
            (!ids.is_empty()).then(|| ItemGroup {
                status: status.to_string(),
                label: label.to_string(),
                items: ids.iter().map(|&d| card(site, d, &linker)).collect(),
            })
        })
        .collect();
    let view = ObjectiveView {
        card: objective_card(site, i, &linker),
        key_results: o
            .key_results
            .iter()
            .map(|kr| key_result_view(site, i, kr, &linker, false))
            .collect(),
        contributors,
    };
    let page = site.doc_page(i, "objective", None);
    site.page(&url, "objective.html", page, "objective", view)
}

fn objectives_index(site: &Site<'_, '_>, ids: &[usize]) -> Result<(), Error> {
    let linker = Linker::for_page(OBJECTIVES);
    let hb = site.hb;
    // Newest period first (by its end, then its start), objectives without one last.
    let mut sorted: Vec<usize> = ids.to_vec();
    let key = |i: usize| {
        let p = objective(&hb.docs[i]).period.as_ref().map(|p| p.value);
        (
            p.is_none(),
            std::cmp::Reverse(p.map(|p| (p.end, p.start))),
            hb.docs[i].title.to_lowercase(),
        )
    };
    sorted.sort_by_cached_key(|&i| key(i));
    let mut groups: Vec<PeriodGroup> = Vec::new();
    for i in sorted {
        let c = objective_card(site, i, &linker);
        let label = c.period.clone().unwrap_or_else(|| "No period".into());
        match groups.last_mut() {
            Some(g) if g.label == label => g.objectives.push(c),
            _ => groups.push(PeriodGroup {
                label,
                objectives: vec![c],
            }),
        }
    }
    let view = ObjectivesView {
        groups,
        total: ids.len(),
    };
    let page = site.generated(OBJECTIVES, "objectives", "Objectives");
    site.page(OBJECTIVES, "objectives.html", page, "objectives", view)
}

fn metric_row(site: &Site<'_, '_>, i: usize, linker: &Linker) -> MetricRow {
    let hb = site.hb;
    let doc = &hb.docs[i];
    let m = doc.metric().expect("a metric");
    MetricRow {
        link: linker.doc(doc),
        definition: m.definition.as_ref().map(|d| d.value.clone()),
        owner: m.owner.as_ref().map(|r| linker.reference(hb, r)),
        unit: m.unit.as_ref().map(|u| u.value.clone()),
        direction: m.direction.as_ref().map(|d| d.value.clone()),
        source: m
            .source
            .as_ref()
            .map(|s| s.value.clone())
            .filter(|s| super::href::is_safe_external(s)),
        used_by: site.rel.metric_uses.get(&i).map_or(0, Vec::len),
        freshness: site.freshness_view(doc),
    }
}

fn metric_catalogue(site: &Site<'_, '_>, ids: &[usize]) -> Result<(), Error> {
    let linker = Linker::for_page(METRICS);
    let mut rows: Vec<MetricRow> = ids.iter().map(|&i| metric_row(site, i, &linker)).collect();
    rows.sort_by(|a, b| {
        (a.link.title.to_lowercase(), &a.link.handle)
            .cmp(&(b.link.title.to_lowercase(), &b.link.handle))
    });
    let page = site.generated(METRICS, "metrics", "Metrics");
    site.page(
        METRICS,
        "metrics.html",
        page,
        "catalogue",
        MetricsView { rows },
    )
}

fn metric_page(site: &Site<'_, '_>, i: usize) -> Result<(), Error> {
    let hb = site.hb;
    let (_, url, linker) = site.at(i);
    let key_results = site
        .rel
        .metric_uses
        .get(&i)
        .map(|uses| {
            uses.iter()
                .filter_map(|&(o, n)| {
                    let kr = hb.docs[o].objective()?.key_results.get(n)?;
                    Some(key_result_view(site, o, kr, &linker, true))
                })
                .collect()
        })
        .unwrap_or_default();
    let view = MetricView {
        row: metric_row(site, i, &linker),
        key_results,
    };
    let description = view.row.definition.clone();
    let page = site.doc_page(i, "metric", description);
    site.page(&url, "metric.html", page, "metric", view)
}

/// The key results a roadmap item moves, for its page: the objective and the key result.
#[derive(Debug, Clone, Serialize)]
pub struct MovedKeyResult {
    pub objective: Link,
    /// The key result's title (its id when it names none of the objective's).
    pub title: String,
    pub progress: Option<u32>,
}

/// What roadmap item `i` says it moves.
pub fn moved_by(site: &Site<'_, '_>, i: usize, linker: &Linker) -> Vec<MovedKeyResult> {
    let hb = site.hb;
    let Some(item) = hb.docs[i].roadmap() else {
        return Vec::new();
    };
    item.key_results
        .iter()
        .filter_map(|k| {
            let o = found(hb, &k.objective)?;
            let id = k.key_result.as_deref()?;
            let kr = hb.docs[o].objective()?.key_result(id);
            Some(MovedKeyResult {
                objective: linker.doc(&hb.docs[o]),
                title: kr
                    .and_then(|kr| kr.title.as_ref())
                    .map_or_else(|| id.to_string(), |t| t.value.clone()),
                progress: kr.and_then(KeyResult::progress).map(percent),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_are_rounded_and_bounded() {
        assert_eq!(percent(0.425), 43);
        assert_eq!(percent(0.0), 0);
        assert_eq!(percent(1.0), 100);
        assert_eq!(capitalize("active"), "Active");
    }
}
