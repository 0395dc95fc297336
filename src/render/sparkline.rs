//! A key result's history as a sparkline: an inline SVG line through its values of `current`,
//! one step per change (no script), with a label that says the same in words.

use serde::Serialize;

use crate::trend::Trend;
use crate::values::format_number;

/// The drawing's size, in CSS pixels, and the room kept around the line.
const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;
const PAD: f64 = 3.0;

/// `sparkline` of a key result in `objective.html`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sparkline {
    pub width: u32,
    pub height: u32,
    /// The SVG `points` of the line: `3,25 60,14 117,3`.
    pub points: String,
    /// The last point, marked with a dot.
    pub last_x: String,
    pub last_y: String,
    /// What the line shows: `current from 30 to 38 over 5 changes, 2026-01-05 to 2026-03-02`.
    pub label: String,
    /// How many changes it shows, and the day of the first.
    pub changes: usize,
    pub since: String,
    /// The first value may be older than the history shows (a shallow clone).
    pub approximate: bool,
}

/// The sparkline of a trend; `None` with fewer than two points (nothing to draw).
pub fn of(trend: &Trend) -> Option<Sparkline> {
    let points = &trend.points;
    let (first, last) = (points.first()?, points.last()?);
    if points.len() < 2 {
        return None;
    }
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        });
    let step = (WIDTH - 2.0 * PAD) / (points.len() - 1) as f64;
    // Halves, so that the distance between two finite numbers never overflows.
    let y = |v: f64| {
        if hi > lo {
            let t = (hi / 2.0 - v / 2.0) / (hi / 2.0 - lo / 2.0);
            PAD + t.clamp(0.0, 1.0) * (HEIGHT - 2.0 * PAD)
        } else {
            HEIGHT / 2.0
        }
    };
    let xy: Vec<(String, String)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (coord(PAD + i as f64 * step), coord(y(p.value))))
        .collect();
    let mut label = format!(
        "current from {} to {} over {} changes, {} to {}",
        format_number(first.value),
        format_number(last.value),
        points.len(),
        first.date,
        last.date
    );
    if trend.approximate {
        label.push_str(" (approximate: the history is cut, the first value may be older)");
    }
    let (last_x, last_y) = xy.last()?.clone();
    Some(Sparkline {
        width: WIDTH as u32,
        height: HEIGHT as u32,
        points: xy
            .iter()
            .map(|(x, y)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" "),
        last_x,
        last_y,
        label,
        changes: points.len(),
        since: first.date.to_string(),
        approximate: trend.approximate,
    })
}

/// A coordinate with at most one decimal: `3`, `14.5`.
fn coord(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trend::Point;

    fn trend(values: &[(&str, f64)], approximate: bool) -> Trend {
        Trend {
            points: values
                .iter()
                .map(|(d, v)| Point {
                    date: crate::values::parse_date(d).unwrap(),
                    value: *v,
                })
                .collect(),
            approximate,
        }
    }

    #[test]
    fn points_span_the_box_and_the_label_says_it() {
        let s = of(&trend(
            &[
                ("2026-01-05", 30.0),
                ("2026-02-01", 34.0),
                ("2026-03-02", 38.0),
            ],
            false,
        ))
        .unwrap();
        assert_eq!(s.points, "3,25 60,14 117,3");
        assert_eq!((s.last_x.as_str(), s.last_y.as_str()), ("117", "3"));
        assert_eq!(
            s.label,
            "current from 30 to 38 over 3 changes, 2026-01-05 to 2026-03-02"
        );
        assert_eq!((s.changes, s.since.as_str()), (3, "2026-01-05"));
    }

    #[test]
    fn a_flat_or_single_point_trend() {
        let flat = of(&trend(&[("2026-01-05", 5.0), ("2026-01-06", 5.0)], true)).unwrap();
        assert_eq!(flat.points, "3,14 117,14");
        assert!(
            flat.label
                .ends_with("(approximate: the history is cut, the first value may be older)")
        );
        assert_eq!(of(&trend(&[("2026-01-05", 5.0)], false)), None);
        // Far-apart numbers still give coordinates.
        let wide = of(&trend(
            &[("2026-01-05", -f64::MAX), ("2026-01-06", f64::MAX)],
            false,
        ));
        assert_eq!(wide.unwrap().points, "3,25 117,3");
        assert_eq!(of(&Trend::default()), None);
    }
}
