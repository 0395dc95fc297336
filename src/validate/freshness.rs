//! Review freshness: a document is due soon within `due_soon` of its review date plus its
//! interval, overdue after it, and stale after twice the interval.

use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Doc;
use crate::rules::Rule;
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

/// A review date taken from git: the last commit date, and whether the history is cut there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GitDate {
    pub date: Date,
    pub approximate: bool,
}

/// The git review date of a document, from the facts of the history pass: approximate when
/// the last commit is where the history is cut (a shallow clone's boundary, a missing parent).
pub fn git_date(doc: &Doc, git: Option<&crate::git::Facts>) -> Option<GitDate> {
    let last = git?.last(&doc.path)?;
    Some(GitDate {
        date: last.date,
        approximate: last.boundary,
    })
}

/// What the history lacks, said once each: the cut (`shallow-clone`) and what missing file
/// contents cost (`missing-objects`).
pub(super) fn history_cut(git: &crate::git::Facts, out: &mut Vec<Diagnostic>) {
    for n in git.notices() {
        out.push(
            Diagnostic::new(n.rule, ".", None)
                .message(n.message)
                .help(n.help),
        );
    }
}

pub(super) fn check(
    doc: &Doc,
    cfg: &Config,
    today: Date,
    git: Option<GitDate>,
    out: &mut Vec<Diagnostic>,
) {
    let path = doc.path.as_str();
    if let Some(d) = &doc.last_reviewed
        && d.value > today
    {
        out.push(
            Diagnostic::new(Rule::ReviewedInFuture, path, Some(d.span))
                .message(format!(
                    "`last_reviewed` {} is after today ({today})",
                    d.value
                ))
                .help("write the day the review actually happened"),
        );
        return;
    }
    let Some(f) = of(doc, cfg, today, git.map(|g| g.date)) else {
        return;
    };
    let span = doc.last_reviewed.as_ref().map_or(doc.start, |d| d.span);
    let approximate = git.is_some_and(|g| g.approximate) && f.source == Source::Git;
    let what = match f.source {
        Source::Frontmatter => format!("last reviewed {}, every {}", f.reviewed, f.interval),
        Source::Git => format!(
            "last commit {}{} (from git), every {}",
            if approximate { "about " } else { "" },
            f.reviewed,
            f.interval
        ),
    };
    if f.source == Source::Git {
        out.push(
            Diagnostic::new(Rule::ReviewFromGit, path, Some(span))
                .message(format!(
                    "review date taken from git: last commit {}{}",
                    f.reviewed,
                    if approximate {
                        " (approximate: the history is cut, see shallow-clone)"
                    } else {
                        ""
                    }
                ))
                .help(format!(
                    "add `last_reviewed: YYYY-MM-DD` to record reviews explicitly (next due {})",
                    f.due
                )),
        );
    }
    match f.state {
        State::Overdue => out.push(
            Diagnostic::new(Rule::ReviewOverdue, path, Some(span))
                .message(format!("review was due {} ({what})", f.due))
                .help("review the document and update `last_reviewed`"),
        ),
        State::Stale => out.push(
            Diagnostic::new(Rule::ReviewStale, path, Some(span))
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
