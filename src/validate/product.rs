//! Rules of objectives and their key results, of the roadmap items that move them, and of
//! launches.

use std::collections::HashSet;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::model::{Doc, FieldValue, Handbook, Launch, Objective, Resolved, RoadmapItem};
use crate::rules::Rule;
use crate::values::{Period, format_number, how_long};

/// Objectives (by document index) that at least one roadmap item still in play contributes to.
pub(super) fn supported(hb: &Handbook) -> HashSet<usize> {
    let mut out = HashSet::new();
    for doc in &hb.docs {
        let Some(item) = doc.roadmap() else { continue };
        if item.status() == Some("dropped") {
            continue;
        }
        for k in &item.key_results {
            if let Resolved::Found(i) = hb.resolve_ref(&k.objective) {
                out.insert(i);
            }
        }
    }
    out
}

/// The period as written (`2026-Q3`), else its dates.
fn period_text(doc: &Doc, p: &Period) -> String {
    match doc.fields.get("period").map(|v| &v.value) {
        Some(FieldValue::Period(s, _)) => s.clone(),
        _ => format!("{} to {}", p.start, p.end),
    }
}

/// The day half of the period has passed.
pub fn midpoint(p: &Period) -> Date {
    let days = p.start.until(p.end).map_or(0, |s| s.get_days());
    p.start
        .checked_add((i64::from(days) / 2).days())
        .unwrap_or(p.end)
}

pub(super) fn objective(
    doc: &Doc,
    o: &Objective,
    today: Date,
    supported: bool,
    out: &mut Vec<Diagnostic>,
) {
    let path = doc.path.as_str();
    for (i, kr) in o.key_results.iter().enumerate() {
        if let Some(id) = &kr.id
            && let Some(first) = o.key_results[..i]
                .iter()
                .filter_map(|k| k.id.as_ref())
                .find(|f| f.value == id.value)
        {
            out.push(
                Diagnostic::new(Rule::DuplicateKeyResult, path, Some(id.span))
                    .message(format!(
                        "key result id `{}` is used twice (first on line {})",
                        id.value, first.span.line
                    ))
                    .help("give each key result its own id: roadmap items name them by it"),
            );
        }
        if let (Some(b), Some(t)) = (&kr.baseline, &kr.target)
            && b.value == t.value
        {
            out.push(
                Diagnostic::new(Rule::KeyResultNoRange, path, Some(t.span))
                    .message(format!(
                        "key result `{}` has target {} equal to its baseline: its progress cannot be measured",
                        kr.label(),
                        format_number(t.value)
                    ))
                    .help("set the target to where the number should get to"),
            );
        }
    }
    if o.status() != Some("active") {
        return;
    }
    let status_span = o.status.as_ref().map(|s| s.span);
    if let Some(p) = &o.period {
        let period = period_text(doc, &p.value);
        if today > p.value.end {
            out.push(
                Diagnostic::new(Rule::ObjectivePeriodEnded, path, status_span)
                    .message(format!(
                        "objective is still `active`, but its period {period} ended on {}",
                        p.value.end
                    ))
                    .help("close it: set `status:` to achieved, missed or dropped"),
            );
        } else if today > midpoint(&p.value) {
            for kr in o.key_results.iter().filter(|k| k.current.is_none()) {
                out.push(
                    Diagnostic::new(Rule::KeyResultNotMeasured, path, Some(kr.span))
                        .message(format!(
                            "key result `{}` has no `current`, and half of {period} has passed",
                            kr.label()
                        ))
                        .help("add `current:` with the latest value of the number"),
                );
            }
        }
    }
    if !supported {
        out.push(
            Diagnostic::new(Rule::ObjectiveUnsupported, path, status_span)
                .message("active objective has no roadmap item contributing to it")
                .help(format!(
                    "list it in the items that move it: `key_results: [{}#KEY-RESULT]`",
                    doc.id
                )),
        );
    }
}

/// `key_results` of a roadmap item: the key result after `#` must be one of the objective's
/// (the objective itself is checked with every other reference).
pub(super) fn key_result_refs(
    hb: &Handbook,
    doc: &Doc,
    item: &RoadmapItem,
    out: &mut Vec<Diagnostic>,
) {
    for k in &item.key_results {
        let Some(o) = hb.target(&k.objective).and_then(Doc::objective) else {
            continue;
        };
        let ids: Vec<&str> = o
            .key_results
            .iter()
            .filter_map(|kr| kr.id.as_ref().map(|i| i.value.as_str()))
            .collect();
        let listed = if ids.is_empty() {
            "it has no key results yet".to_string()
        } else {
            format!("its key results are {}", ids.join(", "))
        };
        let r = &k.objective;
        let d = match &k.key_result {
            None => Diagnostic::new(Rule::UnresolvedRef, doc.path.as_str(), Some(r.span))
                .message(format!(
                    "{} `{}` names an objective but no key result",
                    r.field,
                    r.text()
                ))
                .help(format!("write `{}#KEY-RESULT`; {listed}", r.text())),
            Some(kr) if !ids.contains(&kr.as_str()) => {
                Diagnostic::new(Rule::UnresolvedRef, doc.path.as_str(), Some(r.span))
                    .message(format!(
                        "{} `{}`: objective `{}` has no key result `{kr}`",
                        r.field,
                        k.text(),
                        r.id
                    ))
                    .help(did_you_mean(kr, ids.iter().copied()).unwrap_or(listed))
            }
            Some(_) => continue,
        };
        out.push(d);
    }
}

pub(super) fn launch(hb: &Handbook, doc: &Doc, l: &Launch, today: Date, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_str();
    let status_span = l.status.as_ref().map(|s| s.span);
    if let Some(t) = &l.tier
        && !(1..=3).contains(&t.value)
    {
        out.push(
            Diagnostic::new(Rule::FieldRange, path, Some(t.span))
                .message(format!("launch tier {} is not 1, 2 or 3", t.value))
                .help("1 is a big launch, 3 a quiet release"),
        );
    }
    let open: Vec<_> = l.checklist.iter().filter(|t| !t.done).collect();
    if matches!(l.status(), Some("planned" | "ready")) {
        for t in &open {
            if let Some(due) = t.due.as_ref().filter(|d| d.value < today) {
                out.push(
                    Diagnostic::new(Rule::LaunchTaskOverdue, path, Some(due.span))
                        .message(format!(
                            "task `{}` is open and was due {} ({} ago)",
                            t.label(),
                            due.value,
                            how_long(due.value, today)
                        ))
                        .help("do it and set `done: true`, or move `due`"),
                );
            }
        }
    }
    if l.status() == Some("ready") && !open.is_empty() {
        let names: Vec<String> = open.iter().map(|t| format!("`{}`", t.label())).collect();
        out.push(
            Diagnostic::new(Rule::LaunchReadyOpenTasks, path, status_span)
                .message(format!(
                    "launch is `ready` but {} of {} tasks {} open: {}",
                    open.len(),
                    l.checklist.len(),
                    if open.len() == 1 { "is" } else { "are" },
                    names.join(", ")
                ))
                .help("finish them (`done: true`), or keep the launch `planned`"),
        );
    }
    let Some(item) = l.item.as_ref().and_then(|r| hb.target(r)) else {
        return;
    };
    let Some(x) = item.roadmap() else { return };
    if let (Some(date), Some(target)) = (&l.date, &x.target)
        && date.value > target.value.end
        && !matches!(l.status(), Some("launched" | "cancelled"))
    {
        out.push(
            Diagnostic::new(Rule::LaunchAfterTarget, path, Some(date.span))
                .message(format!(
                    "launch on {} is after the target of `{}`, which ends {}",
                    date.value, item.id, target.value.end
                ))
                .help("move the launch earlier, or the item's `target` later"),
        );
    }
    if x.status() == Some("shipped") && !matches!(l.status(), Some("launched" | "cancelled")) {
        let shipped = x
            .shipped
            .as_ref()
            .map_or(String::new(), |d| format!(" on {}", d.value));
        out.push(
            Diagnostic::new(Rule::LaunchNotLaunched, path, status_span)
                .message(format!(
                    "`{}` shipped{shipped}, but this launch is `{}`",
                    item.id,
                    l.status().unwrap_or_default()
                ))
                .help("set `status: launched` (or `cancelled` if there will be no launch)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_middle_of_a_period() {
        let q = crate::values::parse_period("2026-Q3").unwrap();
        assert_eq!(midpoint(&q).to_string(), "2026-08-15");
        let day = crate::values::parse_period("2026-05-17").unwrap();
        assert_eq!(midpoint(&day).to_string(), "2026-05-17");
    }
}
