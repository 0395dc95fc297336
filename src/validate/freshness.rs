//! Review freshness (DESIGN §4.6).

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Span};
use crate::model::Doc;
use crate::values::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Fresh,
    DueSoon,
    Overdue,
    Stale,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Fresh => "fresh",
            State::DueSoon => "due-soon",
            State::Overdue => "overdue",
            State::Stale => "stale",
        }
    }
}

/// Where the review date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Frontmatter,
    Git,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    pub state: State,
    pub reviewed: Date,
    pub due: Date,
    pub interval: Duration,
    pub source: Source,
}

/// The review interval of a document: its own `review_every`, else its kind's default.
pub fn interval(doc: &Doc, cfg: &Config) -> Option<Duration> {
    doc.review_every
        .as_ref()
        .map(|d| d.value)
        .or_else(|| cfg.freshness.get(&doc.kind).copied())
}

/// The freshness of a document reviewed on `reviewed`.
pub fn compute(
    reviewed: Date,
    interval: Duration,
    due_soon: Duration,
    today: Date,
    source: Source,
) -> Freshness {
    let due = interval.after(reviewed, 1);
    let stale_after = interval.after(reviewed, 2);
    let soon_from = Duration {
        amount: -due_soon.amount,
        unit: due_soon.unit,
    }
    .after(due, 1);
    let state = if today > stale_after {
        State::Stale
    } else if today > due {
        State::Overdue
    } else if today >= soon_from {
        State::DueSoon
    } else {
        State::Fresh
    };
    Freshness {
        state,
        reviewed,
        due,
        interval,
        source,
    }
}

/// The freshness of a document from `last_reviewed` (or the git date given as `git_date`).
pub fn of(doc: &Doc, cfg: &Config, today: Date, git_date: Option<Date>) -> Option<Freshness> {
    let interval = interval(doc, cfg)?;
    let (reviewed, source) = match (&doc.last_reviewed, git_date) {
        (Some(d), _) => (d.value, Source::Frontmatter),
        (None, Some(g)) => (g, Source::Git),
        (None, None) => return None,
    };
    Some(compute(reviewed, interval, cfg.due_soon, today, source))
}

pub(super) fn check(doc: &Doc, cfg: &Config, today: Date, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_str();
    if let Some(d) = &doc.last_reviewed
        && d.value > today
    {
        out.push(
            Diagnostic::new("reviewed-in-future", path, Some(d.span))
                .message(format!(
                    "`last_reviewed` {} is after today ({today})",
                    d.value
                ))
                .help("write the day the review actually happened"),
        );
        return;
    }
    let Some(f) = of(doc, cfg, today, None) else {
        return;
    };
    let span = doc.last_reviewed.as_ref().map_or(Span::START, |d| d.span);
    let what = format!("last reviewed {}, every {}", f.reviewed, f.interval);
    match f.state {
        State::Overdue => out.push(
            Diagnostic::new("review-overdue", path, Some(span))
                .message(format!("review was due {} ({what})", f.due))
                .help("review the document and update `last_reviewed`"),
        ),
        State::Stale => out.push(
            Diagnostic::new("review-stale", path, Some(span))
                .message(format!("review is long overdue: due {} ({what})", f.due))
                .help("review the document and update `last_reviewed`, or mark it deprecated"),
        ),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(reviewed: &str, today: &str) -> State {
        let d = |s: &str| crate::values::parse_date(s).unwrap();
        compute(
            d(reviewed),
            Duration::days(90),
            Duration::days(14),
            d(today),
            Source::Frontmatter,
        )
        .state
    }

    #[test]
    fn states_follow_the_interval() {
        assert_eq!(state("2026-10-01", "2026-11-23"), State::Fresh);
        assert_eq!(state("2026-09-01", "2026-11-23"), State::DueSoon); // due 2026-11-30
        assert_eq!(state("2026-08-20", "2026-11-23"), State::Overdue); // due 2026-11-18
        assert_eq!(state("2026-05-01", "2026-11-23"), State::Stale);
        // Due today is not yet overdue; the day after is.
        assert_eq!(state("2026-08-25", "2026-11-23"), State::DueSoon);
        assert_eq!(state("2026-08-24", "2026-11-23"), State::Overdue);
        // Exactly twice the interval is still overdue, one day more is stale.
        assert_eq!(state("2026-05-27", "2026-11-23"), State::Overdue);
        assert_eq!(state("2026-05-26", "2026-11-23"), State::Stale);
    }
}
