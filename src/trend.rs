//! Key results over time, from git: for every key result, the history of its `current` — one
//! point per commit that changed it (the commit's author date and the new value) — read from
//! its objective's history, where each key result's `current` is tracked on its own
//! (`key_results#id`). The objective page draws it as a sparkline; `export` gives the points.
//! What a shallow clone cannot see (a value already there at its boundary) is marked
//! approximate.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::git::{Event, Facts, HistoryEntry, entry_of};
use crate::kind::Kind;
use crate::model::Handbook;

/// The field of an objective that holds its key results.
const KEY_RESULTS: &str = "key_results";

/// One value of `current`, from the commit that set it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    #[serde(serialize_with = "date_str")]
    pub date: Date,
    pub value: f64,
}

/// The history of one key result's `current`, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trend {
    pub points: Vec<Point>,
    /// The history may begin later than the value (a shallow clone's boundary: the first
    /// point's value may be older), or a version could not be read (a change may be missing).
    pub approximate: bool,
}

/// The trend of each key result of one objective, by key-result id.
pub type Trends = BTreeMap<String, Trend>;

/// The trends of an objective's key results from its history (oldest first). A commit that
/// sets a value that is not a number, or removes it, adds no point.
pub fn of_history(entries: &[HistoryEntry]) -> Trends {
    let mut out = Trends::new();
    let mut unreadable = false;
    for e in entries {
        if e.unavailable || e.state.is_none() {
            unreadable = true;
        }
        if e.event == Event::Removed {
            continue;
        }
        for (key, [_, after]) in &e.changes {
            let Some((KEY_RESULTS, id)) = entry_of(key) else {
                continue;
            };
            let Some(value) = after
                .as_deref()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| v.is_finite())
            else {
                continue;
            };
            let trend = out.entry(id.to_string()).or_default();
            if trend.points.is_empty() && (e.commit.boundary || e.approximate) {
                trend.approximate = true;
            }
            trend.points.push(Point {
                date: e.commit.date,
                value,
            });
        }
    }
    if unreadable {
        out.values_mut().for_each(|t| t.approximate = true);
    }
    out
}

/// The trends of every objective of the handbook with a history, by document index.
pub fn of_handbook(facts: &Facts, hb: &Handbook) -> BTreeMap<usize, Trends> {
    hb.docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == Kind::OBJECTIVE)
        .map(|(i, d)| (i, of_history(facts.history_of(&d.path))))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

fn date_str<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::{CommitInfo, ItemState};

    fn entry(
        day: &str,
        event: Event,
        changes: &[(&str, Option<&str>)],
        boundary: bool,
    ) -> HistoryEntry {
        HistoryEntry {
            commit: CommitInfo {
                id: day.into(),
                date: crate::values::parse_date(day).unwrap(),
                author: "Ana".into(),
                time: 0,
                boundary,
            },
            event,
            path: "objectives/o.md".into(),
            renamed_from: None,
            changes: changes
                .iter()
                .map(|(k, v)| (k.to_string(), [None, v.map(str::to_string)]))
                .collect(),
            state: Some(ItemState::default()),
            kind: Kind::OBJECTIVE,
            approximate: boundary,
            unavailable: false,
        }
    }

    fn points(t: &Trend) -> Vec<(String, f64)> {
        t.points
            .iter()
            .map(|p| (p.date.to_string(), p.value))
            .collect()
    }

    #[test]
    fn each_change_of_current_is_a_point_of_its_key_result() {
        let history = [
            entry(
                "2026-01-05",
                Event::Added,
                &[
                    ("status", Some("active")),
                    ("key_results#activation", Some("30")),
                    ("key_results#nps", Some("41.5")),
                ],
                false,
            ),
            entry(
                "2026-02-01",
                Event::Modified,
                &[("key_results#activation", Some("34"))],
                false,
            ),
            // Not a number, or removed: no point.
            entry(
                "2026-02-15",
                Event::Modified,
                &[("key_results#nps", Some("n/a"))],
                false,
            ),
            entry(
                "2026-03-01",
                Event::Modified,
                &[("key_results#nps", None)],
                false,
            ),
            entry(
                "2026-03-02",
                Event::Modified,
                &[("key_results#activation", Some("38"))],
                false,
            ),
        ];
        let t = of_history(&history);
        assert_eq!(t.keys().collect::<Vec<_>>(), ["activation", "nps"]);
        assert_eq!(
            points(&t["activation"]),
            [
                ("2026-01-05".into(), 30.0),
                ("2026-02-01".into(), 34.0),
                ("2026-03-02".into(), 38.0)
            ]
        );
        assert_eq!(points(&t["nps"]), [("2026-01-05".into(), 41.5)]);
        assert!(!t["activation"].approximate);
    }

    #[test]
    fn a_value_first_seen_at_a_boundary_is_approximate() {
        let history = [
            entry(
                "2026-02-01",
                Event::Added,
                &[("key_results#a", Some("1"))],
                true,
            ),
            entry(
                "2026-03-01",
                Event::Modified,
                &[("key_results#a", Some("2")), ("key_results#b", Some("5"))],
                false,
            ),
        ];
        let t = of_history(&history);
        assert!(t["a"].approximate);
        assert!(!t["b"].approximate, "set after the boundary: exact");
        // A version that could not be read may hide a change of any of them.
        let mut unreadable = history.to_vec();
        unreadable[1].unavailable = true;
        unreadable[1].changes.clear();
        unreadable.push(entry(
            "2026-04-01",
            Event::Modified,
            &[("key_results#b", Some("6"))],
            false,
        ));
        assert!(of_history(&unreadable)["b"].approximate);
    }
}
