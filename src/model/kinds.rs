//! The typed views of the built-in kinds (roadmap item, charter, process, person, role,
//! team; objectives, metrics and launches in `product`), made from the fields their specs declare, and the readers of the structures only
//! built-in kinds have: RICE scores, links, scopes, RACI rows and cadences.

use std::sync::{Arc, OnceLock};

use jiff::civil::Date;

use super::fields::{Reader, Ref, Spanned};
use super::product::{KeyResultRef, Launch, Metric, Objective};
use super::typed::{FieldValue, Fields};
use crate::diagnostic::{Diagnostic, Span};
use crate::frontmatter::{Node, Value};
use crate::kind::Kind;
use crate::rules::Rule;
use crate::values::Period;

pub const CADENCES: &[&str] = &[
    "weekly",
    "biweekly",
    "monthly",
    "quarterly",
    "annually",
    "per-release",
    "on-demand",
    "continuous",
];
pub const RICE_IMPACTS: &[f64] = &[0.25, 0.5, 1.0, 2.0, 3.0];

/// Who may be a party of a RACI row.
fn party_kinds() -> &'static Arc<[Kind]> {
    static KINDS: OnceLock<Arc<[Kind]>> = OnceLock::new();
    KINDS.get_or_init(|| Arc::from([Kind::ROLE, Kind::PERSON, Kind::TEAM]))
}

fn process_kind() -> &'static Arc<[Kind]> {
    static KINDS: OnceLock<Arc<[Kind]>> = OnceLock::new();
    KINDS.get_or_init(|| Arc::from([Kind::PROCESS]))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rice {
    pub reach: f64,
    pub impact: f64,
    pub confidence: f64,
    pub effort: f64,
    pub span: Span,
}

impl Rice {
    /// reach × impact × confidence ÷ effort.
    pub fn score(&self) -> f64 {
        self.reach * self.impact * self.confidence / self.effort
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExternalLink {
    pub title: String,
    pub url: Spanned<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoadmapItem {
    pub status: Option<Spanned<String>>,
    pub owner: Option<Ref>,
    pub team: Option<Ref>,
    pub theme: Option<Spanned<String>>,
    pub start: Option<Spanned<Period>>,
    pub target: Option<Spanned<Period>>,
    pub shipped: Option<Spanned<Date>>,
    pub dropped_reason: Option<Spanned<String>>,
    pub depends_on: Vec<Ref>,
    pub rice: Option<Rice>,
    pub outcome: Option<Spanned<String>>,
    pub links: Vec<ExternalLink>,
    /// `on-track`, `at-risk` or `off-track`.
    pub health: Option<Spanned<String>>,
    pub confidence: Option<Spanned<f64>>,
    /// The key results the item moves.
    pub key_results: Vec<KeyResultRef>,
}

impl RoadmapItem {
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.value.as_str())
    }
    pub fn health(&self) -> Option<&str> {
        self.health.as_ref().map(|s| s.value.as_str())
    }
    /// The end of its target, when the item is in Now or Next and that day has passed.
    pub fn late(&self, today: Date) -> Option<Date> {
        let end = self.target.as_ref()?.value.end;
        (matches!(self.status(), Some("now" | "next")) && end < today).then_some(end)
    }
}

/// One RACI row of a charter or a process.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RaciRow {
    pub id: Option<Spanned<String>>,
    pub activity: Option<Spanned<String>>,
    /// Position of the row (its first key).
    pub span: Span,
    /// Field prefix for messages: `responsibilities[2]`.
    pub field: String,
    pub r: Vec<Ref>,
    /// Accountable parties: exactly one is expected.
    pub a: Vec<Ref>,
    /// Position of the `A` value, when written.
    pub a_span: Option<Span>,
    pub c: Vec<Ref>,
    pub i: Vec<Ref>,
    pub process: Option<Ref>,
}

impl RaciRow {
    /// A name for messages: the row's id, else its activity, else its index field.
    pub fn label(&self) -> String {
        self.id
            .as_ref()
            .or(self.activity.as_ref())
            .map(|s| s.value.clone())
            .unwrap_or_else(|| self.field.clone())
    }
    /// Every party with its letter.
    pub fn parties(&self) -> impl Iterator<Item = (char, &Ref)> {
        self.r
            .iter()
            .map(|r| ('R', r))
            .chain(self.a.iter().map(|r| ('A', r)))
            .chain(self.c.iter().map(|r| ('C', r)))
            .chain(self.i.iter().map(|r| ('I', r)))
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Charter {
    pub team: Option<Ref>,
    pub mission: Option<Spanned<String>>,
    pub scope_in: Vec<String>,
    pub scope_out: Vec<String>,
    pub roles: Vec<Ref>,
    pub responsibilities: Vec<RaciRow>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Process {
    pub owner: Option<Ref>,
    pub status: Option<Spanned<String>>,
    pub cadence: Option<Spanned<String>>,
    pub trigger: Option<Spanned<String>>,
    pub participants: Vec<Ref>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub tools: Vec<String>,
    pub raci: Vec<RaciRow>,
    pub upstream: Vec<Ref>,
    pub downstream: Vec<Ref>,
}

impl Process {
    pub fn status(&self) -> &str {
        self.status.as_ref().map_or("active", |s| s.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Person {
    pub name: Option<Spanned<String>>,
    pub roles: Vec<Ref>,
    pub teams: Vec<Ref>,
    pub manager: Option<Ref>,
    pub email: Option<Spanned<String>>,
    pub status: Option<Spanned<String>>,
}

impl Person {
    pub fn status(&self) -> &str {
        self.status.as_ref().map_or("active", |s| s.value.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Role {
    pub responsibilities: Vec<String>,
    pub reports_to: Option<Ref>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Team {
    pub name: Option<Spanned<String>>,
    pub lead: Option<Ref>,
    pub parent: Option<Ref>,
}

/// What a document is: the typed view of a built-in kind's fields, which the built-in rules
/// and pages read; custom kinds and pages have none (their fields are in `Doc::fields`).
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    RoadmapItem(RoadmapItem),
    Charter(Charter),
    Process(Process),
    Person(Person),
    Role(Role),
    Team(Team),
    Objective(Objective),
    Metric(Metric),
    Launch(Launch),
    Page,
}

impl Data {
    /// The typed view of `fields` for a built-in kind.
    pub fn from_fields(kind: Kind, f: &Fields) -> Data {
        match kind {
            Kind::ROADMAP_ITEM => Data::RoadmapItem(RoadmapItem {
                status: f.text("status"),
                owner: f.reference("owner"),
                team: f.reference("team"),
                theme: f.text("theme"),
                start: f.period("start"),
                target: f.period("target"),
                shipped: f.date("shipped"),
                dropped_reason: f.text("dropped_reason"),
                depends_on: f.references("depends_on"),
                rice: match f.get("score").map(|v| &v.value) {
                    Some(FieldValue::Rice(r)) => Some(r.clone()),
                    _ => None,
                },
                outcome: f.text("outcome"),
                links: match f.get("links").map(|v| &v.value) {
                    Some(FieldValue::Links(l)) => l.clone(),
                    _ => Vec::new(),
                },
                health: f.text("health"),
                confidence: f.number("confidence"),
                key_results: f
                    .items("key_results")
                    .into_iter()
                    .filter_map(|v| match v {
                        FieldValue::KeyResult(k) => Some(k.clone()),
                        _ => None,
                    })
                    .collect(),
            }),
            Kind::CHARTER => {
                let (scope_in, scope_out) = match f.get("scope").map(|v| &v.value) {
                    Some(FieldValue::Scope {
                        scope_in,
                        scope_out,
                    }) => (scope_in.clone(), scope_out.clone()),
                    _ => (Vec::new(), Vec::new()),
                };
                Data::Charter(Charter {
                    team: f.reference("team"),
                    mission: f.text("mission"),
                    scope_in,
                    scope_out,
                    roles: f.references("roles"),
                    responsibilities: raci_of(f, "responsibilities"),
                })
            }
            Kind::PROCESS => Data::Process(Process {
                owner: f.reference("owner"),
                status: f.text("status"),
                cadence: f.text("cadence"),
                trigger: f.text("trigger"),
                participants: f.references("participants"),
                inputs: f.texts("inputs"),
                outputs: f.texts("outputs"),
                tools: f.texts("tools"),
                raci: raci_of(f, "raci"),
                upstream: f.references("upstream"),
                downstream: f.references("downstream"),
            }),
            Kind::PERSON => Data::Person(Person {
                name: f.text("name"),
                roles: f.references("roles"),
                teams: f.references("teams"),
                manager: f.reference("manager"),
                email: f.text("email"),
                status: f.text("status"),
            }),
            Kind::ROLE => Data::Role(Role {
                responsibilities: f.texts("responsibilities"),
                reports_to: f.reference("reports_to"),
            }),
            Kind::TEAM => Data::Team(Team {
                name: f.text("name"),
                lead: f.reference("lead"),
                parent: f.reference("parent"),
            }),
            Kind::OBJECTIVE => Data::Objective(Objective {
                period: f.period("period"),
                owner: f.reference("owner"),
                team: f.reference("team"),
                status: f.text("status"),
                key_results: match f.get("key_results").map(|v| &v.value) {
                    Some(FieldValue::KeyResults(k)) => k.clone(),
                    _ => Vec::new(),
                },
            }),
            Kind::METRIC => Data::Metric(Metric {
                owner: f.reference("owner"),
                definition: f.text("definition"),
                unit: f.text("unit"),
                direction: f.text("direction"),
                source: f.text("source"),
            }),
            Kind::LAUNCH => Data::Launch(Launch {
                item: f.reference("item"),
                date: f.date("date"),
                tier: match f.get("tier") {
                    Some(Spanned {
                        value: FieldValue::Integer(t),
                        span,
                    }) => Some(Spanned::new(*t, *span)),
                    _ => None,
                },
                owner: f.reference("owner"),
                status: f.text("status"),
                checklist: match f.get("checklist").map(|v| &v.value) {
                    Some(FieldValue::Checklist(t)) => t.clone(),
                    _ => Vec::new(),
                },
            }),
            _ => Data::Page,
        }
    }
}

fn raci_of(f: &Fields, name: &str) -> Vec<RaciRow> {
    match f.get(name).map(|v| &v.value) {
        Some(FieldValue::Raci(rows)) => rows.clone(),
        _ => Vec::new(),
    }
}

/// A process cadence: one of the words, or a duration like `6w`.
pub fn cadence_at(r: &mut Reader, field: &str, node: &Node) -> Option<Spanned<String>> {
    let c = r.string_at(field, node)?;
    if !CADENCES.contains(&c.value.as_str()) && crate::values::parse_duration(&c.value).is_err() {
        let d = Diagnostic::new(Rule::FieldEnum, r.path(), Some(c.span))
            .message(format!(
                "cadence `{}` is not one of {} or a duration like `6w`",
                c.value,
                CADENCES.join(", ")
            ))
            .help_opt(crate::diagnostic::did_you_mean(
                &c.value,
                CADENCES.iter().copied(),
            ));
        r.push(d);
        return None;
    }
    Some(c)
}

/// `scope: {in: [...], out: [...]}`.
pub fn read_scope(r: &mut Reader, key: &str) -> Option<(Vec<String>, Vec<String>)> {
    let node = r.node(key)?;
    if !matches!(node.value, Value::Map(_)) {
        r.type_error(key, node, "a mapping `{in: [...], out: [...]}`");
        return None;
    }
    let mut sr = r.nested(node, format!("{key}."), node.span);
    let scope_in = sr.strings("in").into_iter().map(|s| s.value).collect();
    let scope_out = sr.strings("out").into_iter().map(|s| s.value).collect();
    sr.finish(&["in", "out"], "a scope");
    Some((scope_in, scope_out))
}

pub fn read_score(r: &mut Reader, key: &str) -> Option<Rice> {
    let node = r.node(key)?;
    if !matches!(node.value, Value::Map(_)) {
        r.type_error(
            key,
            node,
            "a mapping like `{rice: {reach, impact, confidence, effort}}`",
        );
        return None;
    }
    let path = r.path();
    let at = node.span;
    let mut score = r.nested(node, format!("{key}."), at);
    let rice_node = score.node("rice");
    let rice_span = score.key_span("rice");
    score.finish(&["rice"], "a score");
    let rice_node = rice_node?;
    if !matches!(rice_node.value, Value::Map(_)) {
        let d = Diagnostic::new(Rule::FieldType, path, Some(rice_node.span)).message(format!(
            "`score.rice` must be a mapping of reach, impact, confidence and effort, found {}",
            rice_node.type_name()
        ));
        r.push(d);
        return None;
    }
    let at = rice_span.unwrap_or(rice_node.span);
    let mut rr = r.nested(rice_node, format!("{key}.rice."), at);
    let reach = rr.number("reach", false);
    let impact = rr.number("impact", false);
    let confidence = rr.number("confidence", true);
    let effort = rr.number("effort", false);
    let mut missing = Vec::new();
    for (name, v) in [
        ("reach", &reach),
        ("impact", &impact),
        ("confidence", &confidence),
        ("effort", &effort),
    ] {
        if v.is_none() && rr.key_span(name).is_none() {
            missing.push(name);
        }
    }
    rr.finish(&["reach", "impact", "confidence", "effort"], "a RICE score");
    if !missing.is_empty() {
        let d = Diagnostic::new(Rule::FieldRequired, path, Some(at))
            .message(format!(
                "RICE score has no {}",
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .help("a RICE score needs reach, impact, confidence and effort");
        r.push(d);
    }
    let (reach, impact, confidence, effort) = (reach?, impact?, confidence?, effort?);
    let mut ok = true;
    let mut range = |span: Span, message: String, help: &str| {
        ok = false;
        r.push(
            Diagnostic::new(Rule::FieldRange, path, Some(span))
                .message(message)
                .help(help.to_string()),
        );
    };
    if reach.value < 0.0 || !reach.value.is_finite() {
        range(
            reach.span,
            format!("RICE reach {} is negative", reach.value),
            "reach counts people or events per period: 0 or more",
        );
    }
    if effort.value <= 0.0 || !effort.value.is_finite() {
        range(
            effort.span,
            format!("RICE effort {} must be greater than 0", effort.value),
            "effort is in person-months, e.g. 0.5 or 3",
        );
    }
    if !(confidence.value > 0.0 && confidence.value <= 1.0) {
        range(
            confidence.span,
            format!("RICE confidence {} is outside (0, 1]", confidence.value),
            "write a fraction like 0.8 or a percentage like 80%",
        );
    }
    if impact.value <= 0.0 || !impact.value.is_finite() {
        range(
            impact.span,
            format!("RICE impact {} must be greater than 0", impact.value),
            "use 0.25, 0.5, 1, 2 or 3",
        );
    } else if !RICE_IMPACTS.contains(&impact.value) {
        let d = Diagnostic::new(Rule::RiceImpactScale, path, Some(impact.span))
            .message(format!(
                "RICE impact {} is off the usual scale",
                impact.value
            ))
            .help("use 0.25 (minimal), 0.5 (low), 1 (medium), 2 (high) or 3 (massive)");
        r.push(d);
    }
    let score = reach.value * impact.value * confidence.value / effort.value;
    if ok && !score.is_finite() {
        ok = false;
        r.push(
            Diagnostic::new(Rule::FieldRange, path, Some(effort.span))
                .message(format!(
                    "RICE score is too large to compute (effort {} is too small)",
                    effort.value
                ))
                .help("effort is in person-months, e.g. 0.5 or 3"),
        );
    }
    ok.then_some(Rice {
        reach: reach.value,
        impact: impact.value,
        confidence: confidence.value,
        effort: effort.value,
        span: at,
    })
}

pub fn read_links(r: &mut Reader, key: &str) -> Vec<ExternalLink> {
    let Some(node) = r.node(key) else {
        return Vec::new();
    };
    let Value::Seq(items) = &node.value else {
        r.type_error(key, node, "a list of `{title, url}`");
        return Vec::new();
    };
    let path = r.path();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !matches!(item.value, Value::Map(_)) {
            let d = Diagnostic::new(Rule::FieldType, path, Some(item.span)).message(format!(
                "`links[{i}]` must be a mapping `{{title, url}}`, found {}",
                item.type_name()
            ));
            r.push(d);
            continue;
        }
        let mut lr = r.nested(item, format!("{key}[{i}]."), item.span);
        let title = lr.required_string("title", "link");
        let url = lr.required_string("url", "link");
        lr.finish(&["title", "url"], "a link");
        if let (Some(title), Some(url)) = (title, url) {
            out.push(ExternalLink {
                title: title.value,
                url,
            });
        }
    }
    out
}

pub fn read_raci(r: &mut Reader, key: &str) -> Vec<RaciRow> {
    let Some(node) = r.node(key) else {
        return Vec::new();
    };
    let Value::Seq(items) = &node.value else {
        r.type_error(
            key,
            node,
            "a list of RACI rows `{id, activity, R, A, C, I}`",
        );
        return Vec::new();
    };
    let path = r.path();
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("{key}[{i}]");
        if !matches!(item.value, Value::Map(_)) {
            let d = Diagnostic::new(Rule::FieldType, path, Some(item.span)).message(format!(
                "`{field}` must be a mapping `{{id, activity, R, A, C, I}}`, found {}",
                item.type_name()
            ));
            r.push(d);
            continue;
        }
        rows.push(read_row(r, item, field));
    }
    rows
}

fn read_row<'a>(r: &mut Reader<'a, '_>, item: &'a Node, field: String) -> RaciRow {
    let path = r.path();
    let mut rr = r.nested(item, format!("{field}."), item.span);
    let id = rr.string("id");
    if let Some(id) = &id
        && let Err(m) = crate::values::check_id(&id.value)
    {
        rr.push(Diagnostic::new(Rule::IdSyntax, path, Some(id.span)).message(m));
    }
    let activity = rr.required_string("activity", "RACI row");
    let a_span = rr.node("A").map(|n| n.span);
    let row = RaciRow {
        id,
        activity,
        span: item.span,
        r: rr.references("R", party_kinds()),
        a: rr.references("A", party_kinds()),
        a_span,
        c: rr.references("C", party_kinds()),
        i: rr.references("I", party_kinds()),
        process: rr.reference("process", process_kind()),
        field,
    };
    rr.finish(
        &["id", "activity", "R", "A", "C", "I", "process"],
        "a RACI row",
    );
    row
}
