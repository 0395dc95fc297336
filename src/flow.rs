//! Flow from git: how long each roadmap item spent in each status, read from its status history
//! (the commits that changed `status`), its cycle time (the first day in `now` to the day it
//! became `shipped`), and per quarter and per team the median and 85th percentile of cycle
//! times and the throughput. Dates are the commits' author dates; what a shallow clone cannot
//! see (an item already there at its boundary) is marked approximate.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::git::{Event, Facts, HistoryEntry};
use crate::kind::Kind;
use crate::model::Handbook;

/// The statuses in board order, for the time-in-status breakdown.
pub const STATUSES: &[&str] = &["later", "next", "now", "shipped", "dropped"];

/// A stretch of time an item spent in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stint {
    pub status: String,
    #[serde(serialize_with = "date_str")]
    pub from: Date,
    /// The day it left the status; `None` while it is still in it.
    #[serde(serialize_with = "opt_date_str")]
    pub to: Option<Date>,
    /// Days from `from` to `to` (or to today).
    pub days: i64,
}

/// The flow of one roadmap item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemFlow {
    /// Oldest first.
    pub stints: Vec<Stint>,
    /// The first day in `now`.
    #[serde(serialize_with = "opt_date_str")]
    pub started: Option<Date>,
    /// The day it became `shipped` (the first time after `started`).
    #[serde(serialize_with = "opt_date_str")]
    pub shipped: Option<Date>,
    /// Days from `started` to `shipped`.
    pub cycle_days: Option<i64>,
    /// Days per status, summed over its stints, in board order (statuses it never had left
    /// out).
    pub time_in_status: Vec<(String, i64)>,
    /// The history may begin later than the item (a shallow clone's boundary, or versions that
    /// could not be read): the first stint, and what is counted from it, may be longer.
    pub approximate: bool,
}

impl ItemFlow {
    /// Days in its current stint, when it is in `status` now.
    pub fn days_in(&self, status: &str) -> Option<i64> {
        self.stints
            .last()
            .filter(|s| s.status == status && s.to.is_none())
            .map(|s| s.days)
    }
}

fn days(from: Date, to: Date) -> i64 {
    i64::from(from.until(to).map_or(0, |s| s.get_days())).max(0)
}

/// The flow of an item from its history (oldest first), as of `today`; `None` without a
/// history that says its status.
pub fn item_flow(entries: &[HistoryEntry], today: Date) -> Option<ItemFlow> {
    // (day, status) each time the status changed, in commit order.
    let mut changes: Vec<(Date, Option<String>)> = Vec::new();
    let mut approximate = false;
    for (n, e) in entries.iter().enumerate() {
        let status = match e.event {
            Event::Removed => None,
            _ => e
                .state
                .as_ref()
                .and_then(|s| s.get("status").map(str::to_string)),
        };
        if n == 0 && (e.commit.boundary || e.approximate) {
            approximate = true;
        }
        if (e.approximate || e.unavailable) && e.state.is_none() {
            // A version that could not be read: its status is unknown.
            approximate = true;
            continue;
        }
        if changes.last().is_none_or(|(_, s)| *s != status) {
            changes.push((e.commit.date, status));
        }
    }
    let mut stints: Vec<Stint> = Vec::new();
    for (k, (from, status)) in changes.iter().enumerate() {
        let Some(status) = status else { continue };
        let to = changes.get(k + 1).map(|(d, _)| *d);
        stints.push(Stint {
            status: status.clone(),
            from: *from,
            to,
            days: days(*from, to.unwrap_or(today)),
        });
    }
    if stints.is_empty() {
        return None;
    }
    let started = stints.iter().find(|s| s.status == "now").map(|s| s.from);
    let shipped = started.and_then(|st| {
        stints
            .iter()
            .find(|s| s.status == "shipped" && s.from >= st)
            .map(|s| s.from)
    });
    let time_in_status = STATUSES
        .iter()
        .filter_map(|&st| {
            let mine: Vec<&Stint> = stints.iter().filter(|s| s.status == st).collect();
            (!mine.is_empty()).then(|| (st.to_string(), mine.iter().map(|s| s.days).sum()))
        })
        .collect();
    Some(ItemFlow {
        cycle_days: started.zip(shipped).map(|(a, b)| days(a, b)),
        stints,
        started,
        shipped,
        time_in_status,
        approximate,
    })
}

/// Cycle-time figures of a group of items (a quarter, a team).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CycleStats {
    /// Items shipped (the throughput).
    pub shipped: usize,
    /// Median and 85th percentile of their cycle times, in days.
    pub median: f64,
    pub p85: f64,
    /// Some of the cycle times are approximate.
    pub approximate: bool,
}

/// The `p`-th quantile (0..1) of sorted values, interpolated between the closest two.
pub fn quantile(sorted: &[i64], p: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0] as f64,
        n => {
            let h = (n - 1) as f64 * p;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] as f64 + (h - lo as f64) * (sorted[hi] - sorted[lo]) as f64
        }
    }
}

fn stats(samples: &[(i64, bool)]) -> CycleStats {
    let mut v: Vec<i64> = samples.iter().map(|s| s.0).collect();
    v.sort_unstable();
    CycleStats {
        shipped: v.len(),
        median: quantile(&v, 0.5),
        p85: quantile(&v, 0.85),
        approximate: samples.iter().any(|s| s.1),
    }
}

/// The flow of every roadmap item of the handbook, and the figures of the Flow page.
#[derive(Debug, Clone, Default)]
pub struct Flow {
    /// By document index.
    pub items: BTreeMap<usize, ItemFlow>,
    /// By the quarter items shipped in (`2026-Q3`), oldest first.
    pub quarters: Vec<(String, CycleStats)>,
    /// By team document index (`None`: items without a team).
    pub teams: Vec<(Option<usize>, CycleStats)>,
    /// Over every shipped item.
    pub overall: Option<CycleStats>,
    /// The history is cut (shallow or partial clone).
    pub approximate: bool,
}

/// Quarters with an item take part in the figures; fewer cycle times than this give no 85th
/// percentile to compare a stuck item with.
pub const MIN_SAMPLES: usize = 3;

impl Flow {
    pub fn of(facts: &Facts, hb: &Handbook, today: Date) -> Flow {
        let mut items = BTreeMap::new();
        for (i, doc) in hb.docs.iter().enumerate() {
            if doc.kind != Kind::ROADMAP_ITEM {
                continue;
            }
            if let Some(f) = item_flow(facts.history_of(&doc.path), today) {
                items.insert(i, f);
            }
        }
        let mut by_quarter: BTreeMap<(i16, i8), Vec<(i64, bool)>> = BTreeMap::new();
        let mut by_team: BTreeMap<Option<usize>, Vec<(i64, bool)>> = BTreeMap::new();
        let mut all = Vec::new();
        for (&i, f) in &items {
            let (Some(days), Some(shipped)) = (f.cycle_days, f.shipped) else {
                continue;
            };
            let sample = (days, f.approximate);
            by_quarter
                .entry((shipped.year(), (shipped.month() - 1) / 3 + 1))
                .or_default()
                .push(sample);
            by_team.entry(team_of(hb, i)).or_default().push(sample);
            all.push(sample);
        }
        Flow {
            quarters: by_quarter
                .into_iter()
                .map(|((y, q), s)| (format!("{y}-Q{q}"), stats(&s)))
                .collect(),
            teams: by_team.into_iter().map(|(t, s)| (t, stats(&s))).collect(),
            overall: (!all.is_empty()).then(|| stats(&all)),
            items,
            approximate: facts.history_cut(),
        }
    }

    /// The 85th percentile an item in `now` is compared with: its team's, when the team has
    /// enough cycle times, else everyone's.
    pub fn threshold(&self, team: Option<usize>) -> Option<f64> {
        self.teams
            .iter()
            .find(|(t, s)| *t == team && team.is_some() && s.shipped >= MIN_SAMPLES)
            .map(|(_, s)| s.p85)
            .or_else(|| {
                self.overall
                    .as_ref()
                    .filter(|s| s.shipped >= MIN_SAMPLES)
                    .map(|s| s.p85)
            })
    }
}

/// The team document of roadmap item `i`.
pub fn team_of(hb: &Handbook, i: usize) -> Option<usize> {
    let r = hb.docs[i].roadmap()?.team.as_ref()?;
    match hb.resolve_ref(r) {
        crate::model::Resolved::Found(t) => Some(t),
        _ => None,
    }
}

fn date_str<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn opt_date_str<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::{CommitInfo, ItemState};

    fn entry(day: &str, event: Event, status: Option<&str>, boundary: bool) -> HistoryEntry {
        HistoryEntry {
            commit: CommitInfo {
                id: day.into(),
                date: crate::values::parse_date(day).unwrap(),
                author: "A".into(),
                time: 0,
                boundary,
            },
            event,
            path: "roadmap/x.md".into(),
            renamed_from: None,
            changes: Default::default(),
            state: status.map(|s| ItemState {
                values: [("status".to_string(), s.to_string())].into(),
                ..ItemState::default()
            }),
            kind: crate::kind::Kind::ROADMAP_ITEM,
            approximate: boundary,
            unavailable: false,
        }
    }

    fn d(s: &str) -> Date {
        crate::values::parse_date(s).unwrap()
    }

    #[test]
    fn stints_and_cycle_time_from_the_status_history() {
        let h = [
            entry("2026-01-10", Event::Added, Some("later"), false),
            entry("2026-02-01", Event::Modified, Some("next"), false),
            // A commit that changed something else: no new stint.
            entry("2026-02-15", Event::Modified, Some("next"), false),
            entry("2026-03-01", Event::Modified, Some("now"), false),
            entry("2026-03-20", Event::Modified, Some("next"), false),
            entry("2026-04-01", Event::Modified, Some("now"), false),
            entry("2026-05-11", Event::Modified, Some("shipped"), false),
        ];
        let f = item_flow(&h, d("2026-06-01")).unwrap();
        let stints: Vec<(&str, i64)> = f
            .stints
            .iter()
            .map(|s| (s.status.as_str(), s.days))
            .collect();
        assert_eq!(
            stints,
            [
                ("later", 22),
                ("next", 28),
                ("now", 19),
                ("next", 12),
                ("now", 40),
                ("shipped", 21)
            ]
        );
        assert_eq!(f.started, Some(d("2026-03-01")));
        assert_eq!(f.shipped, Some(d("2026-05-11")));
        // From the first day in Now, whatever happened between.
        assert_eq!(f.cycle_days, Some(71));
        assert_eq!(
            f.time_in_status,
            [
                ("later".to_string(), 22),
                ("next".into(), 40),
                ("now".into(), 59),
                ("shipped".into(), 21)
            ]
        );
        assert!(!f.approximate);
        assert_eq!(f.days_in("shipped"), Some(21));
        assert_eq!(f.days_in("now"), None);
    }

    #[test]
    fn a_shallow_boundary_makes_it_approximate() {
        let h = [
            entry("2026-03-01", Event::Added, Some("now"), true),
            entry("2026-03-31", Event::Modified, Some("shipped"), false),
        ];
        let f = item_flow(&h, d("2026-04-10")).unwrap();
        assert_eq!(f.cycle_days, Some(30));
        assert!(f.approximate);
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[10, 20, 30, 40], 0.5), 25.0);
        assert_eq!(quantile(&[10, 20, 30, 40], 0.85), 35.5);
        assert_eq!(quantile(&[7], 0.85), 7.0);
        assert_eq!(quantile(&[], 0.5), 0.0);
    }
}
