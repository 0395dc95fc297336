//! The typed views of objectives, metrics and launches, and the readers of their structures:
//! key results (with their progress), references to a key result (`objective#kr`), launch
//! checklists (with their readiness), and fractions.

use std::sync::{Arc, OnceLock};

use jiff::civil::Date;

use super::fields::{Reader, Ref, Spanned};
use crate::diagnostic::{Diagnostic, Span};
use crate::frontmatter::{Node, Value};
use crate::kind::Kind;
use crate::rules::Rule;
use crate::values::Period;

fn kinds(cell: &'static OnceLock<Arc<[Kind]>>, of: &[Kind]) -> &'static Arc<[Kind]> {
    cell.get_or_init(|| Arc::from(of))
}

/// Who may own a key result or a checklist task.
fn owner_kinds() -> &'static Arc<[Kind]> {
    static K: OnceLock<Arc<[Kind]>> = OnceLock::new();
    kinds(&K, &[Kind::PERSON, Kind::ROLE, Kind::TEAM])
}

fn metric_kind() -> &'static Arc<[Kind]> {
    static K: OnceLock<Arc<[Kind]>> = OnceLock::new();
    kinds(&K, &[Kind::METRIC])
}

/// The kind a key-result reference points at.
pub fn objective_kind() -> &'static Arc<[Kind]> {
    static K: OnceLock<Arc<[Kind]>> = OnceLock::new();
    kinds(&K, &[Kind::OBJECTIVE])
}

/// Which way a key result (or a metric) should move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// One key result of an objective.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyResult {
    pub id: Option<Spanned<String>>,
    pub title: Option<Spanned<String>>,
    pub metric: Option<Ref>,
    pub baseline: Option<Spanned<f64>>,
    pub target: Option<Spanned<f64>>,
    pub current: Option<Spanned<f64>>,
    pub unit: Option<String>,
    /// `up` or `down` as written; without it, the way from baseline to target.
    pub direction: Option<Spanned<String>>,
    pub confidence: Option<Spanned<f64>>,
    pub owner: Option<Ref>,
    /// Where the key result starts (its first key).
    pub span: Span,
    /// `key_results[1]`, for messages.
    pub field: String,
}

impl KeyResult {
    /// A name for messages: the id, else the title, else the field.
    pub fn label(&self) -> String {
        self.id
            .as_ref()
            .or(self.title.as_ref())
            .map(|s| s.value.clone())
            .unwrap_or_else(|| self.field.clone())
    }

    /// The way the number should move: as written, else from baseline to target.
    pub fn direction(&self) -> Direction {
        match self.direction.as_ref().map(|d| d.value.as_str()) {
            Some("down") => Direction::Down,
            Some(_) => Direction::Up,
            None => match (&self.baseline, &self.target) {
                (Some(b), Some(t)) if t.value < b.value => Direction::Down,
                _ => Direction::Up,
            },
        }
    }

    /// How far from baseline to target `current` is, from 0 to 1; `None` when a number is
    /// missing, target equals baseline, or the written direction contradicts them.
    pub fn progress(&self) -> Option<f64> {
        self.progress_at(self.current.as_ref()?.value)
    }

    /// The progress a value of `current` would mean.
    pub fn progress_at(&self, current: f64) -> Option<f64> {
        let (b, t) = (self.baseline.as_ref()?.value, self.target.as_ref()?.value);
        if self.contradicts() {
            return None;
        }
        progress(b, t, current)
    }

    /// The written direction goes against the way from baseline to target.
    pub fn contradicts(&self) -> bool {
        let (Some(b), Some(t), Some(d)) = (&self.baseline, &self.target, &self.direction) else {
            return false;
        };
        (d.value == "up" && t.value < b.value) || (d.value == "down" && t.value > b.value)
    }
}

/// (current − baseline) ÷ (target − baseline), clamped to 0..1: the same for a number that
/// should go up and one that should go down. `None` when target equals baseline.
pub fn progress(baseline: f64, target: f64, current: f64) -> Option<f64> {
    let range = target - baseline;
    if range == 0.0 || !range.is_finite() {
        return None;
    }
    let p = (current - baseline) / range;
    p.is_finite().then(|| p.clamp(0.0, 1.0))
}

/// A roadmap item's reference to a key result: `objective-id#key-result-id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyResultRef {
    /// The objective (its `field` is the roadmap item's `key_results[n]`).
    pub objective: Ref,
    /// The key result's id after `#`; `None` when the reference names no key result.
    pub key_result: Option<String>,
}

impl KeyResultRef {
    pub fn text(&self) -> String {
        match &self.key_result {
            Some(kr) => format!("{}#{kr}", self.objective.text()),
            None => self.objective.text(),
        }
    }
}

/// One task of a launch checklist.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Task {
    pub task: Option<Spanned<String>>,
    pub owner: Option<Ref>,
    pub due: Option<Spanned<Date>>,
    pub done: bool,
    pub span: Span,
    /// `checklist[2]`, for messages.
    pub field: String,
}

impl Task {
    pub fn label(&self) -> String {
        self.task
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_else(|| self.field.clone())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Objective {
    pub period: Option<Spanned<Period>>,
    pub owner: Option<Ref>,
    pub team: Option<Ref>,
    pub status: Option<Spanned<String>>,
    pub key_results: Vec<KeyResult>,
}

impl Objective {
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.value.as_str())
    }

    /// The mean progress of the key results that have one.
    pub fn progress(&self) -> Option<f64> {
        mean(self.key_results.iter().filter_map(KeyResult::progress))
    }

    pub fn key_result(&self, id: &str) -> Option<&KeyResult> {
        self.key_results
            .iter()
            .find(|k| k.id.as_ref().is_some_and(|i| i.value == id))
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metric {
    pub owner: Option<Ref>,
    pub definition: Option<Spanned<String>>,
    pub unit: Option<Spanned<String>>,
    pub direction: Option<Spanned<String>>,
    pub source: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Launch {
    pub item: Option<Ref>,
    pub date: Option<Spanned<Date>>,
    pub tier: Option<Spanned<i64>>,
    pub owner: Option<Ref>,
    pub status: Option<Spanned<String>>,
    pub checklist: Vec<Task>,
}

impl Launch {
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.value.as_str())
    }

    /// Done tasks ÷ tasks; `None` without a checklist.
    pub fn readiness(&self) -> Option<f64> {
        let total = self.checklist.len();
        let done = self.checklist.iter().filter(|t| t.done).count();
        (total > 0).then(|| done as f64 / total as f64)
    }
}

/// A number from 0 to 1, or a percentage (`70%`); outside that range is `field-range`.
pub fn fraction_at(r: &mut Reader, field: &str, node: &Node) -> Option<Spanned<f64>> {
    let v = r.number_at(field, node, true)?;
    if !(0.0..=1.0).contains(&v.value) {
        r.push(
            Diagnostic::new(Rule::FieldRange, r.path(), Some(v.span))
                .message(format!(
                    "`{field}` {} is outside 0 to 1",
                    crate::values::format_number(v.value)
                ))
                .help("write a fraction like 0.7 or a percentage like 70%"),
        );
        return None;
    }
    Some(v)
}

/// `objective-id#key-result-id` (the objective may be written `objective:id`).
pub fn key_result_ref_at(r: &mut Reader, field: &str, node: &Node) -> Option<KeyResultRef> {
    let text = r.string_at(field, node)?.value;
    let (objective, kr) = match text.split_once('#') {
        Some((o, k)) => (o, Some(k.trim().to_string()).filter(|k| !k.is_empty())),
        None => (text.as_str(), None),
    };
    let objective = r.ref_from_text(field.to_string(), objective, node.span, objective_kind())?;
    Some(KeyResultRef {
        objective,
        key_result: kr,
    })
}

/// The items of a list of mappings under `key`, each with its field name (`key[2]`); anything
/// else is a type error.
fn rows<'a>(r: &mut Reader<'a, '_>, key: &str, shape: &str) -> Vec<(&'a Node, String)> {
    let Some(node) = r.node(key) else {
        return Vec::new();
    };
    let Value::Seq(items) = &node.value else {
        r.type_error(key, node, &format!("a list of {shape}"));
        return Vec::new();
    };
    let base = r.field_name(key);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("{base}[{i}]");
        if matches!(item.value, Value::Map(_)) {
            out.push((item, field));
        } else {
            r.type_error_at(&field, item, &format!("a mapping {shape}"));
        }
    }
    out
}

const KR_KEYS: &[&str] = &[
    "id",
    "title",
    "metric",
    "baseline",
    "target",
    "current",
    "unit",
    "direction",
    "confidence",
    "owner",
];

/// A number that must be there: missing is `field-required` at the key result.
fn required_number(kr: &mut Reader, name: &str, at: Span, field: &str) -> Option<Spanned<f64>> {
    let v = kr.number(name, false);
    if v.is_none() && kr.key_span(name).is_none() {
        let d = Diagnostic::new(Rule::FieldRequired, kr.path(), Some(at))
            .message(format!("key result has no `{field}.{name}`"))
            .help(format!("add `{name}:` with a number"));
        kr.push(d);
    }
    v
}

pub fn read_key_results(r: &mut Reader, key: &str) -> Vec<KeyResult> {
    let shape = "`{id, title, baseline, target, current}`";
    let path = r.path();
    let mut out = Vec::new();
    for (item, field) in rows(r, key, shape) {
        let mut kr = r.nested(item, format!("{field}."), item.span);
        let id = kr.required_string("id", "key result");
        if let Some(id) = &id
            && let Err(m) = crate::values::check_id(&id.value)
        {
            kr.push(Diagnostic::new(Rule::IdSyntax, path, Some(id.span)).message(m));
        }
        let title = kr.required_string("title", "key result");
        let baseline = required_number(&mut kr, "baseline", item.span, &field);
        let target = required_number(&mut kr, "target", item.span, &field);
        let current = kr.number("current", false);
        let unit = kr.string("unit").map(|u| u.value);
        let direction = kr.one_of("direction", &["up", "down"]);
        let confidence = kr
            .node("confidence")
            .and_then(|n| fraction_at(&mut kr, &format!("{field}.confidence"), n));
        let row = KeyResult {
            id,
            title,
            metric: kr.reference("metric", metric_kind()),
            baseline,
            target,
            current,
            unit,
            direction,
            confidence,
            owner: kr.reference("owner", owner_kinds()),
            span: item.span,
            field,
        };
        kr.finish(KR_KEYS, "a key result");
        if row.contradicts()
            && let (Some(d), Some(b), Some(t)) = (&row.direction, &row.baseline, &row.target)
        {
            r.push(
                Diagnostic::new(Rule::FieldRange, path, Some(d.span))
                    .message(format!(
                        "key result `{}` should go {} but its target {} is {} its baseline {}",
                        row.label(),
                        d.value,
                        crate::values::format_number(t.value),
                        if t.value < b.value { "below" } else { "above" },
                        crate::values::format_number(b.value)
                    ))
                    .help("fix the direction, or swap baseline and target"),
            );
        }
        out.push(row);
    }
    out
}

pub fn read_checklist(r: &mut Reader, key: &str) -> Vec<Task> {
    let shape = "`{task, owner, due, done}`";
    let mut out = Vec::new();
    for (item, field) in rows(r, key, shape) {
        let mut t = r.nested(item, format!("{field}."), item.span);
        let task = t.required_string("task", "checklist task");
        let owner = t.reference("owner", owner_kinds());
        let due = t.date("due");
        let done = match t.node("done") {
            Some(n) => match n.value {
                Value::Bool(b) => b,
                _ => {
                    t.type_error("done", n, "true or false");
                    false
                }
            },
            None => false,
        };
        t.finish(&["task", "owner", "due", "done"], "a checklist task");
        out.push(Task {
            task,
            owner,
            due,
            done,
            span: item.span,
            field,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(baseline: f64, target: f64, current: Option<f64>, dir: Option<&str>) -> KeyResult {
        let s = |v: f64| Some(Spanned::new(v, Span::START));
        KeyResult {
            baseline: s(baseline),
            target: s(target),
            current: current.and_then(s),
            direction: dir.map(|d| Spanned::new(d.to_string(), Span::START)),
            ..KeyResult::default()
        }
    }

    #[test]
    fn progress_is_direction_aware_and_clamped() {
        assert_eq!(kr(10.0, 20.0, Some(15.0), None).progress(), Some(0.5));
        assert_eq!(kr(10.0, 20.0, Some(25.0), None).progress(), Some(1.0));
        assert_eq!(kr(10.0, 20.0, Some(5.0), None).progress(), Some(0.0));
        // Down: from 800 ms to 400 ms, at 700 ms a quarter of the way.
        let down = kr(800.0, 400.0, Some(700.0), Some("down"));
        assert_eq!(down.progress(), Some(0.25));
        assert_eq!(down.direction(), Direction::Down);
        assert_eq!(
            kr(800.0, 400.0, Some(700.0), None).direction(),
            Direction::Down
        );
        // A written direction against baseline → target has no progress.
        assert_eq!(kr(800.0, 400.0, Some(700.0), Some("up")).progress(), None);
        assert_eq!(kr(5.0, 5.0, Some(5.0), None).progress(), None);
        assert_eq!(kr(5.0, 10.0, None, None).progress(), None);
    }

    #[test]
    fn an_objective_is_the_mean_of_its_measured_key_results() {
        let o = Objective {
            key_results: vec![
                kr(0.0, 10.0, Some(10.0), None),
                kr(0.0, 10.0, Some(5.0), None),
                kr(0.0, 10.0, None, None),
            ],
            ..Objective::default()
        };
        assert_eq!(o.progress(), Some(0.75));
        assert_eq!(Objective::default().progress(), None);
    }

    #[test]
    fn readiness_is_done_over_tasks() {
        let task = |done| Task {
            done,
            ..Task::default()
        };
        let l = Launch {
            checklist: vec![task(true), task(false), task(true), task(true)],
            ..Launch::default()
        };
        assert_eq!(l.readiness(), Some(0.75));
        assert_eq!(Launch::default().readiness(), None);
    }
}
