//! The roadmap timeline: one bar per item from its `start` to its target (or ship day) on one
//! scale, a line at today, and a late item's bar continued to today; grouped by theme and by
//! team. Positions are percentages of the scale, so the page reads at any width.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

use crate::error::Error;

use super::Site;
use super::cards::FolderCards;
use super::href::Linker;
use super::roadmap::{BOARD, card_in, period_text, team_of, theme_of};
use super::view::{Card, Link};

pub const TIMELINE: &str = "roadmap/timeline.html";

/// At most this many quarters are labelled one by one; a longer scale is labelled by years.
const QUARTER_TICKS: i32 = 16;
/// At most about this many year labels.
const YEAR_TICKS: i32 = 12;

/// `timeline` in `timeline.html`.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    /// The labels of the scale (quarters, or years on a long range), left to right.
    pub ticks: Vec<Tick>,
    /// Where today's line is, as a CSS length (`43.21%`); the scale always holds today.
    pub today: String,
    /// The same items grouped by theme, then by team (none when no item has a date).
    pub groupings: Vec<TimelineGrouping>,
    /// Items with neither a target nor a ship date (dropped items are left out).
    pub unscheduled: Vec<Card>,
    pub board_href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub label: String,
    /// Its place and width on the scale, as CSS lengths (`25%`).
    pub left: String,
    pub width: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineGrouping {
    /// `theme` or `team`.
    pub name: String,
    pub label: String,
    pub rows: Vec<TimelineRow>,
}

/// The items of one theme or team.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub label: String,
    pub link: Option<Link>,
    /// Soonest start first.
    pub bars: Vec<TimelineBar>,
}

/// One item on the scale.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineBar {
    pub card: Card,
    /// The bar, as CSS lengths on the scale.
    pub left: String,
    pub width: String,
    /// For a late item: the part from the end of its target to today.
    pub late_left: Option<String>,
    pub late_width: Option<String>,
    /// The first and last day of the bar.
    pub from: String,
    pub to: String,
    /// The dates as written: `2026-07 → 2026-Q3`, `target 2026-Q3`, `2026-Q2 → shipped 2026-10-02`.
    pub dates: String,
    /// The item has no `start`: the bar starts with its target period.
    pub no_start: bool,
}

/// The days an item spans: from its start (else the start of its target) to its ship day
/// (else the end of its target); `None` when it has neither.
fn span_of(site: &Site<'_, '_>, i: usize) -> Option<(Date, Date, bool)> {
    let x = site.hb.docs[i].roadmap()?;
    let end = match (&x.shipped, &x.target) {
        (Some(d), _) if x.status() == Some("shipped") => d.value,
        (_, Some(t)) => t.value.end,
        (Some(d), None) => d.value,
        (None, None) => return None,
    };
    let (start, no_start) = match (&x.start, &x.target) {
        (Some(s), _) => (s.value.start, false),
        (None, Some(t)) => (t.value.start, true),
        (None, None) => (quarter_start(end), true),
    };
    Some((start.min(end), end, no_start))
}

fn quarter_start(d: Date) -> Date {
    Date::new(d.year(), (d.month() - 1) / 3 * 3 + 1, 1).unwrap_or(d)
}

fn quarter_end(d: Date) -> Date {
    quarter_start(d)
        .checked_add(3.months())
        .and_then(|n| n.checked_sub(1.day()))
        .unwrap_or(Date::MAX)
}

fn days(from: Date, to: Date) -> i64 {
    i64::from(from.until(to).map_or(0, |s| s.get_days()))
}

/// A scale from the first to the last day of whole quarters.
struct Scale {
    first: Date,
    last: Date,
}

impl Scale {
    fn total(&self) -> f64 {
        (days(self.first, self.last) + 1) as f64
    }

    /// Where day `d` starts on the scale, in percent.
    fn at(&self, d: Date) -> f64 {
        days(self.first, d) as f64 * 100.0 / self.total()
    }

    /// The place and width of the days `from..=to`.
    fn bar(&self, from: Date, to: Date) -> (String, String) {
        let left = self.at(from);
        let width = (days(from, to) + 1) as f64 * 100.0 / self.total();
        (css(left), css(width))
    }

    fn ticks(&self) -> Vec<Tick> {
        let quarters = (i32::from(self.last.year()) - i32::from(self.first.year())) * 4
            + i32::from((self.last.month() - 1) / 3)
            - i32::from((self.first.month() - 1) / 3)
            + 1;
        let mut out = Vec::new();
        if quarters <= QUARTER_TICKS {
            let mut q = self.first;
            while q <= self.last {
                let end = quarter_end(q);
                let (left, width) = self.bar(q, end);
                out.push(Tick {
                    label: format!("{}-Q{}", q.year(), (q.month() - 1) / 3 + 1),
                    left,
                    width,
                });
                match end.checked_add(1.day()) {
                    Ok(n) => q = n,
                    Err(_) => break,
                }
            }
        } else {
            let (y0, y1) = (i32::from(self.first.year()), i32::from(self.last.year()));
            let stride = ((y1 - y0 + 1) + YEAR_TICKS - 1) / YEAR_TICKS;
            let mut y = y0;
            while y <= y1 {
                let from = Date::new(y as i16, 1, 1)
                    .unwrap_or(self.first)
                    .max(self.first);
                let last_year = (y + stride - 1).min(y1);
                let to = Date::new(last_year as i16, 12, 31)
                    .unwrap_or(self.last)
                    .min(self.last);
                let (left, width) = self.bar(from, to);
                out.push(Tick {
                    label: y.to_string(),
                    left,
                    width,
                });
                y += stride;
            }
        }
        out
    }
}

/// An item's dates as written.
fn dates_text(site: &Site<'_, '_>, i: usize) -> String {
    let Some(x) = site.hb.docs[i].roadmap() else {
        return String::new();
    };
    let start = x.start.as_ref().map(|p| period_text(site, i, "start", p));
    let end = match (&x.shipped, &x.target) {
        (Some(d), _) if x.status() == Some("shipped") => Some(format!("shipped {}", d.value)),
        (_, Some(t)) => Some(period_text(site, i, "target", t)),
        (Some(d), None) => Some(d.value.to_string()),
        (None, None) => None,
    };
    match (start, end) {
        (Some(s), Some(e)) => format!("{s} → {e}"),
        (None, Some(e)) if !e.starts_with("shipped") => format!("target {e}"),
        (None, Some(e)) | (Some(e), None) => e,
        (None, None) => String::new(),
    }
}

/// A percentage as a CSS length with two decimals: `12.5%`.
fn css(p: f64) -> String {
    let p = p.clamp(0.0, 100.0);
    format!(
        "{}%",
        crate::values::format_number((p * 100.0).round() / 100.0)
    )
}

pub fn render(site: &Site<'_, '_>, items: &[usize], cards: &[FolderCards]) -> Result<(), Error> {
    let linker = Linker::for_page(TIMELINE);
    let today = site.today;
    let live: Vec<usize> = items
        .iter()
        .copied()
        .filter(|&i| site.hb.docs[i].roadmap().and_then(|x| x.status()) != Some("dropped"))
        .collect();
    let spans: BTreeMap<usize, (Date, Date, bool)> = live
        .iter()
        .filter_map(|&i| span_of(site, i).map(|s| (i, s)))
        .collect();
    let first = spans
        .values()
        .map(|s| s.0)
        .chain([today])
        .min()
        .unwrap_or(today);
    let last = spans
        .values()
        .map(|s| s.1)
        .chain([today])
        .max()
        .unwrap_or(today);
    let scale = Scale {
        first: quarter_start(first),
        last: quarter_end(last),
    };
    // Each item's bar, made once: both groupings show it.
    let bars: Vec<TimelineBar> = spans
        .iter()
        .map(|(&i, &(from, to, no_start))| {
            let (left, width) = scale.bar(from, to);
            let late = site.hb.docs[i]
                .roadmap()
                .and_then(|x| x.late(today))
                .and_then(|end| end.checked_add(1.day()).ok())
                .map(|after| scale.bar(after, today));
            TimelineBar {
                dates: dates_text(site, i),
                left,
                width,
                late_left: late.as_ref().map(|l| l.0.clone()),
                late_width: late.map(|l| l.1),
                from: from.to_string(),
                to: to.to_string(),
                no_start,
                card: card_in(site, cards, i, &linker),
            }
        })
        .collect();
    let mut groupings = Vec::new();
    let sections: &[(&str, &str)] = if spans.is_empty() {
        &[]
    } else {
        &[("theme", "By theme"), ("team", "By team")]
    };
    for &(name, label) in sections {
        let mut rows: BTreeMap<(bool, String, String), TimelineRow> = BTreeMap::new();
        for (&i, bar) in spans.keys().zip(&bars) {
            // One row per theme or team (by its key: two teams may share a title), in the
            // order of their labels.
            let (row_label, link, key) = match name {
                "theme" => {
                    let (theme, key) = theme_of(site, i);
                    (theme, None, key)
                }
                _ => {
                    let (team, key) = team_of(site, i, &linker);
                    (team.as_ref().map(|t| t.title.clone()), team, key)
                }
            };
            let missing = row_label.is_none();
            let row_label = row_label.unwrap_or_else(|| format!("No {name}"));
            let row = rows
                .entry((missing, row_label.to_lowercase(), key))
                .or_insert_with(|| TimelineRow {
                    label: row_label,
                    link,
                    bars: Vec::new(),
                });
            row.bars.push(bar.clone());
        }
        let mut rows: Vec<TimelineRow> = rows.into_values().collect();
        for r in &mut rows {
            // A stable sort by cached keys: the same order as comparing the keys each time.
            r.bars.sort_by_cached_key(|b| {
                (b.from.clone(), b.to.clone(), b.card.title.to_lowercase())
            });
        }
        groupings.push(TimelineGrouping {
            name: name.to_string(),
            label: label.to_string(),
            rows,
        });
    }
    let view = TimelineView {
        ticks: if spans.is_empty() {
            Vec::new()
        } else {
            scale.ticks()
        },
        today: css(scale.at(today) + 50.0 / scale.total()),
        groupings,
        unscheduled: live
            .iter()
            .filter(|i| !spans.contains_key(i))
            .map(|&i| card_in(site, cards, i, &linker))
            .collect(),
        board_href: linker.href(BOARD),
    };
    let page = site.generated(TIMELINE, "timeline", "Roadmap timeline");
    site.page(TIMELINE, "timeline.html", page, "timeline", view)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::values::parse_date(s).unwrap()
    }

    #[test]
    fn bars_are_placed_by_day_on_whole_quarters() {
        let s = Scale {
            first: d("2026-01-01"),
            last: d("2026-12-31"),
        };
        // 365 days; Q3 starts on day 181 and has 92 days.
        assert_eq!(
            s.bar(d("2026-07-01"), d("2026-09-30")),
            ("49.59%".into(), "25.21%".into())
        );
        assert_eq!(
            s.bar(d("2026-01-01"), d("2026-12-31")),
            ("0%".into(), "100%".into())
        );
        let labels: Vec<String> = s.ticks().into_iter().map(|t| t.label).collect();
        assert_eq!(labels, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    }

    #[test]
    fn a_long_scale_is_labelled_by_years() {
        let s = Scale {
            first: d("2020-01-01"),
            last: d("2049-12-31"),
        };
        let ticks = s.ticks();
        assert_eq!(ticks.len(), 10);
        assert_eq!(ticks[0].label, "2020");
        assert_eq!(ticks[1].label, "2023");
        assert_eq!(quarter_end(d("2026-11-23")), d("2026-12-31"));
        assert_eq!(quarter_start(d("2026-11-23")), d("2026-10-01"));
    }
}
