//! The typed views of the built-in kinds (roadmap item, charter, process, person, role,
//! team; objectives, metrics and launches in `product`), made from the fields their specs declare; the built-in rules and pages read them.

use jiff::civil::Date;

use super::fields::{Ref, Spanned};
use super::product::{KeyResultRef, Launch, Metric, Objective};
use super::typed::{FieldValue, Fields};
use crate::kind::Kind;
use crate::values::Period;

pub use super::structures::{CADENCES, ExternalLink, RICE_IMPACTS, RaciRow, Rice};

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
