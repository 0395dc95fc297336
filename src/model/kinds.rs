//! The typed fields of each kind (DESIGN §4.1–4.5) and how they are read.

use jiff::civil::Date;

use super::fields::{Reader, Ref, Spanned};
use crate::diagnostic::{Diagnostic, Span};
use crate::frontmatter::{Node, Value};
use crate::kind::Kind;
use crate::rules::Rule;
use crate::values::Period;

pub const OWNER_KINDS: &[Kind] = &[Kind::Person, Kind::Role, Kind::Team];
pub const PARTY_KINDS: &[Kind] = &[Kind::Role, Kind::Person, Kind::Team];
const ITEM: &[Kind] = &[Kind::RoadmapItem];
const TEAM: &[Kind] = &[Kind::Team];
const PERSON: &[Kind] = &[Kind::Person];
const ROLE: &[Kind] = &[Kind::Role];
const PROCESS: &[Kind] = &[Kind::Process];

/// Fields every document may have.
pub const COMMON: &[&str] = &[
    "kind",
    "id",
    "title",
    "tags",
    "last_reviewed",
    "review_every",
];

pub const ROADMAP_STATUSES: &[&str] = &["later", "next", "now", "shipped", "dropped"];
pub const PROCESS_STATUSES: &[&str] = &["draft", "active", "deprecated"];
pub const PERSON_STATUSES: &[&str] = &["active", "leave", "left"];
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

/// The fields of a kind besides [`COMMON`].
pub fn fields_of(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::RoadmapItem => &[
            "status",
            "owner",
            "team",
            "theme",
            "start",
            "target",
            "shipped",
            "dropped_reason",
            "depends_on",
            "score",
            "outcome",
            "links",
        ],
        Kind::Charter => &["team", "mission", "scope", "roles", "responsibilities"],
        Kind::Process => &[
            "owner",
            "status",
            "cadence",
            "trigger",
            "participants",
            "inputs",
            "outputs",
            "tools",
            "raci",
            "upstream",
            "downstream",
        ],
        Kind::Person => &["name", "roles", "teams", "manager", "email", "status"],
        Kind::Role => &["responsibilities", "reports_to"],
        Kind::Team => &["name", "lead", "parent"],
        Kind::Page => &[],
    }
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
}

impl RoadmapItem {
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|s| s.value.as_str())
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

/// What a document is, with its kind's fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    RoadmapItem(RoadmapItem),
    Charter(Charter),
    Process(Process),
    Person(Person),
    Role(Role),
    Team(Team),
    Page,
}

impl Data {
    /// Empty fields of a kind (for documents whose frontmatter could not be read).
    pub fn empty(kind: Kind) -> Data {
        match kind {
            Kind::RoadmapItem => Data::RoadmapItem(RoadmapItem::default()),
            Kind::Charter => Data::Charter(Charter::default()),
            Kind::Process => Data::Process(Process::default()),
            Kind::Person => Data::Person(Person::default()),
            Kind::Role => Data::Role(Role::default()),
            Kind::Team => Data::Team(Team::default()),
            Kind::Page => Data::Page,
        }
    }

    /// Read the fields of `kind` from `r`.
    pub fn read(kind: Kind, r: &mut Reader) -> Data {
        match kind {
            Kind::RoadmapItem => Data::RoadmapItem(read_roadmap(r)),
            Kind::Charter => Data::Charter(read_charter(r)),
            Kind::Process => Data::Process(read_process(r)),
            Kind::Person => Data::Person(Person {
                name: r.string("name"),
                roles: r.references("roles", ROLE),
                teams: r.references("teams", TEAM),
                manager: r.reference("manager", PERSON),
                email: r.string("email"),
                status: r.one_of("status", PERSON_STATUSES),
            }),
            Kind::Role => {
                let responsibilities: Vec<String> = r
                    .strings("responsibilities")
                    .into_iter()
                    .map(|s| s.value)
                    .collect();
                if responsibilities.is_empty() {
                    let at = r.key_span("responsibilities").unwrap_or(r.at);
                    let d = Diagnostic::new(Rule::FieldRequired, r.path(), Some(at))
                        .message(
                            "role has no `responsibilities`; list what the role is responsible for",
                        )
                        .help("add `responsibilities: [\"…\"]` with at least one item");
                    r.push(d);
                }
                Data::Role(Role {
                    responsibilities,
                    reports_to: r.reference("reports_to", ROLE),
                })
            }
            Kind::Team => Data::Team(Team {
                name: r.string("name"),
                lead: r.reference("lead", PERSON),
                parent: r.reference("parent", TEAM),
            }),
            Kind::Page => Data::Page,
        }
    }
}

fn read_roadmap(r: &mut Reader) -> RoadmapItem {
    let status = r.one_of("status", ROADMAP_STATUSES);
    if r.key_span("status").is_none() {
        let d = Diagnostic::new(Rule::FieldRequired, r.path(), Some(r.at))
            .message("roadmap item has no `status`")
            .help(format!(
                "add `status:` with one of {}",
                ROADMAP_STATUSES.join(", ")
            ));
        r.push(d);
    }
    let item = RoadmapItem {
        status,
        owner: r.reference("owner", OWNER_KINDS),
        team: r.reference("team", TEAM),
        theme: r.string("theme"),
        start: r.period("start"),
        target: r.period("target"),
        shipped: r.date("shipped"),
        dropped_reason: r.string("dropped_reason"),
        depends_on: r.references("depends_on", ITEM),
        rice: read_score(r),
        outcome: r.string("outcome"),
        links: read_links(r),
    };
    if let (Some(start), Some(target)) = (&item.start, &item.target)
        && start.value.start > target.value.end
    {
        let d = Diagnostic::new(Rule::FieldRange, r.path(), Some(start.span))
            .message(format!(
                "`start` ({}) is after `target` (ends {})",
                start.value.start, target.value.end
            ))
            .help("move `start` before `target`, or the target later");
        r.push(d);
    }
    item
}

fn read_score(r: &mut Reader) -> Option<Rice> {
    let node = r.node("score")?;
    if !matches!(node.value, Value::Map(_)) {
        r.type_error(
            "score",
            node,
            "a mapping like `{rice: {reach, impact, confidence, effort}}`",
        );
        return None;
    }
    let path = r.path();
    let at = node.span;
    let mut score = Reader::new(path, node, "score.".into(), at, r.diags);
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
    let mut rr = Reader::new(path, rice_node, "score.rice.".into(), at, r.diags);
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
    ok.then_some(Rice {
        reach: reach.value,
        impact: impact.value,
        confidence: confidence.value,
        effort: effort.value,
        span: at,
    })
}

fn read_links(r: &mut Reader) -> Vec<ExternalLink> {
    let Some(node) = r.node("links") else {
        return Vec::new();
    };
    let Value::Seq(items) = &node.value else {
        r.type_error("links", node, "a list of `{title, url}`");
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
        let mut lr = Reader::new(path, item, format!("links[{i}]."), item.span, r.diags);
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

fn read_charter(r: &mut Reader) -> Charter {
    let team = r.reference("team", TEAM);
    let mission = r.required_string("mission", "charter");
    let (mut scope_in, mut scope_out) = (Vec::new(), Vec::new());
    if let Some(node) = r.node("scope") {
        if matches!(node.value, Value::Map(_)) {
            let path = r.path();
            let mut sr = Reader::new(path, node, "scope.".into(), node.span, r.diags);
            scope_in = sr.strings("in").into_iter().map(|s| s.value).collect();
            scope_out = sr.strings("out").into_iter().map(|s| s.value).collect();
            sr.finish(&["in", "out"], "a scope");
        } else {
            r.type_error("scope", node, "a mapping `{in: [...], out: [...]}`");
        }
    }
    Charter {
        team,
        mission,
        scope_in,
        scope_out,
        roles: r.references("roles", PARTY_KINDS),
        responsibilities: read_raci(r, "responsibilities"),
    }
}

fn read_process(r: &mut Reader) -> Process {
    let owner = r.reference("owner", OWNER_KINDS);
    if owner.is_none() && r.key_span("owner").is_none() {
        let d = Diagnostic::new(Rule::FieldRequired, r.path(), Some(r.at))
            .message("process has no `owner`")
            .help("add `owner:` with a person, role or team");
        r.push(d);
    }
    let status = r.one_of("status", PROCESS_STATUSES);
    let cadence = r.string("cadence");
    if let Some(c) = &cadence
        && !CADENCES.contains(&c.value.as_str())
        && crate::values::parse_duration(&c.value).is_err()
    {
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
    }
    Process {
        owner,
        status,
        cadence,
        trigger: r.string("trigger"),
        participants: r.references("participants", PARTY_KINDS),
        inputs: r.strings("inputs").into_iter().map(|s| s.value).collect(),
        outputs: r.strings("outputs").into_iter().map(|s| s.value).collect(),
        tools: r.strings("tools").into_iter().map(|s| s.value).collect(),
        raci: read_raci(r, "raci"),
        upstream: r.references("upstream", PROCESS),
        downstream: r.references("downstream", PROCESS),
    }
}

fn read_raci(r: &mut Reader, key: &str) -> Vec<RaciRow> {
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
        rows.push(read_row(path, item, field, r.diags));
    }
    rows
}

fn read_row(path: &str, item: &Node, field: String, diags: &mut Vec<Diagnostic>) -> RaciRow {
    let mut rr = Reader::new(path, item, format!("{field}."), item.span, diags);
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
        r: rr.references("R", PARTY_KINDS),
        a: rr.references("A", PARTY_KINDS),
        a_span,
        c: rr.references("C", PARTY_KINDS),
        i: rr.references("I", PARTY_KINDS),
        process: rr.reference("process", PROCESS),
        field,
    };
    rr.finish(
        &["id", "activity", "R", "A", "C", "I", "process"],
        "a RACI row",
    );
    row
}
