//! Rules about one document at a time: roadmap states, RACI rows, processes.

use jiff::civil::Date;

use crate::diagnostic::Diagnostic;
use crate::model::{Doc, Process, RaciRow, RoadmapItem};
use crate::rules::Rule;

pub(super) fn roadmap(doc: &Doc, item: &RoadmapItem, today: Date, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_str();
    if let (Some(start), Some(target)) = (&item.start, &item.target)
        && start.value.start > target.value.end
    {
        out.push(
            Diagnostic::new(Rule::FieldRange, path, Some(start.span))
                .message(format!(
                    "`start` ({}) is after `target` (ends {})",
                    start.value.start, target.value.end
                ))
                .help("move `start` before `target`, or the target later"),
        );
    }
    let status_span = item.status.as_ref().map(|s| s.span);
    match item.status() {
        Some("shipped") => match &item.shipped {
            // A `shipped` value that is not a date is reported by `field-date` already.
            None if doc
                .frontmatter
                .as_ref()
                .and_then(|f| f.get("shipped"))
                .is_some() => {}
            None => out.push(
                Diagnostic::new(Rule::ShippedDate, path, status_span)
                    .message("item is shipped but has no `shipped` date")
                    .help("add `shipped: YYYY-MM-DD` with the day it shipped"),
            ),
            Some(d) if d.value > today => out.push(
                Diagnostic::new(Rule::ShippedDate, path, Some(d.span))
                    .message(format!(
                        "`shipped` date {} is in the future (today is {today})",
                        d.value
                    ))
                    .help("set the real ship date, or keep the item in `now` until it ships"),
            ),
            Some(_) => {}
        },
        Some("now") if item.owner.is_none() => out.push(
            Diagnostic::new(Rule::NowWithoutOwner, path, status_span)
                .message("item is in Now but has no `owner`")
                .help("add `owner:` with the person, role or team driving it"),
        ),
        Some("next") if item.owner.is_none() => out.push(
            Diagnostic::new(Rule::NextWithoutOwner, path, status_span)
                .message("item is in Next but has no `owner`")
                .help("add `owner:` before the item moves to Now"),
        ),
        Some("later") => {
            if let Some(t) = &item.target {
                out.push(
                    Diagnostic::new(Rule::LaterWithTarget, path, Some(t.span))
                        .message("item is in Later but already has a `target`")
                        .help("drop the target, or move the item to Next"),
                );
            }
        }
        Some("dropped")
            if item
                .dropped_reason
                .as_ref()
                .is_none_or(|r| r.value.trim().is_empty()) =>
        {
            out.push(
                Diagnostic::new(Rule::DroppedWithoutReason, path, status_span)
                    .message("item is dropped but does not say why")
                    .help("add `dropped_reason:` so the decision is not relitigated"),
            )
        }
        _ => {}
    }
    if let (Some(end), Some(t)) = (item.late(today), &item.target) {
        let written = match doc.fields.get("target").map(|v| &v.value) {
            Some(crate::model::FieldValue::Period(s, _)) => s.clone(),
            _ => end.to_string(),
        };
        out.push(
            Diagnostic::new(Rule::TargetPassed, path, Some(t.span))
                .message(format!(
                    "item is in {} but its target {written} ended {} ago ({end})",
                    if item.status() == Some("now") {
                        "Now"
                    } else {
                        "Next"
                    },
                    crate::values::how_long(end, today),
                ))
                .help("set `target` to when it will ship now, and `health` to say how it is going"),
        );
    }
    if item.status() != Some("shipped")
        && let Some(d) = &item.shipped
        && d.value > today
    {
        out.push(
            Diagnostic::new(Rule::ShippedDate, path, Some(d.span)).message(format!(
                "`shipped` date {} is in the future (today is {today})",
                d.value
            )),
        );
    }
}

/// The RACI rules that look at one row: exactly one `A`, at least one `R`, one letter per
/// party (A with R excepted).
pub(super) fn raci_rows(doc: &Doc, rows: &[RaciRow], out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_str();
    for row in rows {
        let label = row.label();
        match row.a.len() {
            1 => {}
            0 => out.push(
                Diagnostic::new(Rule::RaciAccountable, path, Some(row.span))
                    .message(format!(
                        "activity `{label}` has no accountable party; exactly one is required"
                    ))
                    .help("add `A:` with the one role that answers for the outcome"),
            ),
            n => out.push(
                Diagnostic::new(Rule::RaciAccountable, path, row.a_span)
                    .message(format!(
                        "activity `{label}` has {n} accountable parties; exactly one is required"
                    ))
                    .help("keep one `A`; make the others `R` or `C`"),
            ),
        }
        if row.r.is_empty() {
            out.push(
                Diagnostic::new(Rule::RaciNoResponsible, path, Some(row.span))
                    .message(format!("activity `{label}` has nobody responsible (`R`)"))
                    .help("add `R:` with who does the work"),
            );
        }
        let parties: Vec<(char, &crate::model::Ref)> = row.parties().collect();
        for (i, (letter, party)) in parties.iter().enumerate() {
            let earlier = parties[..i].iter().find(|(_, p)| p.text() == party.text());
            if let Some((first, _)) = earlier {
                let pair = [*first, *letter];
                let ar = pair.contains(&'A') && pair.contains(&'R');
                if !ar && first != letter {
                    out.push(
                        Diagnostic::new(Rule::RaciTwoLetters, path, Some(party.span))
                            .message(format!(
                                "`{}` is both {first} and {letter} in activity `{label}`",
                                party.text()
                            ))
                            .help("give each party one letter (A together with R is fine)"),
                    );
                }
            }
        }
    }
}

pub(super) fn process(doc: &Doc, p: &Process, out: &mut Vec<Diagnostic>) {
    let path = doc.path.as_str();
    if let Some(c) = &p.cadence
        && c.value == "on-demand"
        && p.trigger.as_ref().is_none_or(|t| t.value.trim().is_empty())
    {
        out.push(
            Diagnostic::new(Rule::TriggerMissing, path, Some(c.span))
                .message("an on-demand process must say what triggers it")
                .help("add `trigger:`, e.g. \"a Sev-1 incident is resolved\""),
        );
    }
    let has_steps = doc
        .outline()
        .headings
        .iter()
        .any(|h| h.level == 2 && h.text.eq_ignore_ascii_case("steps"));
    if p.status() == "active" && !has_steps {
        out.push(
            Diagnostic::new(Rule::StepsMissing, path, Some(doc.start))
                .message("active process has no `## Steps` section")
                .help("add a `## Steps` heading with an ordered list of what people do"),
        );
    }
}
