//! `opsbook schema`: JSON Schema (draft 2020-12) of each kind's frontmatter, for editors
//! (`# yaml-language-server: $schema=…`) and other tools.
//!
//! Field names and word lists come from `model::kinds`, the lists the checker reads with, so the
//! schema and the checker cannot drift apart: a field without a schema here fails a unit test.

use serde_json::{Map, Value, json};

use crate::diagnostic::did_you_mean;
use crate::error::Error;
use crate::kind::Kind;
use crate::model::kinds::{
    CADENCES, COMMON, OWNER_KINDS, PARTY_KINDS, PERSON_STATUSES, PROCESS_STATUSES,
    ROADMAP_STATUSES, fields_of,
};

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const ID_PATTERN: &str = "[a-z0-9]+(-[a-z0-9]+)*";

fn def(name: &str) -> Value {
    json!({"$ref": format!("#/$defs/{name}")})
}

fn text(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn words(list: &[&str], description: &str) -> Value {
    json!({"enum": list, "description": description})
}

/// A reference to a document of one of `kinds`: a bare `id` or `kind:id`.
fn reference(kinds: &[Kind]) -> Value {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    json!({
        "type": "string",
        "pattern": format!("^(({}):)?{ID_PATTERN}$", names.join("|")),
        "description": format!("a {}: `id` or `kind:id`", names.join(", ")),
    })
}

/// One value or a list of them (the checker reads a single value as a list of one).
fn one_or_list(item: Value) -> Value {
    json!({"anyOf": [item.clone(), {"type": "array", "items": item}]})
}

/// The schema of field `name` of `kind`; `None` for a field this module does not know.
fn field(kind: Kind, name: &str) -> Option<Value> {
    use Kind::*;
    let v = match (kind, name) {
        (_, "kind") => {
            json!({"const": kind.as_str(), "description": "the document kind (default: from the folder)"})
        }
        (_, "id") => def("id"),
        (_, "title") => text("a short human name"),
        (_, "tags") => one_or_list(json!({"type": "string"})),
        (_, "last_reviewed") => def("date"),
        (_, "review_every") => def("duration"),
        (RoadmapItem, "status") => words(ROADMAP_STATUSES, "the roadmap column"),
        (RoadmapItem | Process, "owner") => reference(OWNER_KINDS),
        (RoadmapItem | Charter, "team") | (Team, "parent") => reference(&[Team]),
        (RoadmapItem, "theme") => text("the theme the item serves"),
        (RoadmapItem, "start" | "target") => def("period"),
        (RoadmapItem, "shipped") => def("date"),
        (RoadmapItem, "dropped_reason") => text("why the item was dropped"),
        (RoadmapItem, "depends_on") => one_or_list(reference(&[RoadmapItem])),
        (RoadmapItem, "score") => def("score"),
        (RoadmapItem, "outcome") => text("what changes when the item ships"),
        (RoadmapItem, "links") => json!({"type": "array", "items": def("link")}),
        (Charter, "mission") => {
            json!({"type": "string", "minLength": 1, "description": "why the team exists"})
        }
        (Charter, "scope") => def("scope"),
        (Charter, "roles") | (Process, "participants") => one_or_list(reference(PARTY_KINDS)),
        (Charter, "responsibilities") | (Process, "raci") => {
            json!({"type": "array", "items": def("raci-row")})
        }
        (Process, "status") => words(PROCESS_STATUSES, "default: active"),
        (Process, "cadence") => json!({"anyOf": [
            words(CADENCES, "how often the process runs"),
            def("duration"),
        ]}),
        (Process, "trigger") => text("what starts an on-demand process"),
        (Process, "inputs" | "outputs" | "tools") => one_or_list(json!({"type": "string"})),
        (Process, "upstream" | "downstream") => one_or_list(reference(&[Process])),
        (Person | Team, "name") => text("the full name"),
        (Person, "roles") => one_or_list(reference(&[Role])),
        (Role, "reports_to") => reference(&[Role]),
        (Person, "teams") => one_or_list(reference(&[Team])),
        (Person, "manager") | (Team, "lead") => reference(&[Person]),
        (Person, "email") => json!({"type": "string", "format": "email"}),
        (Person, "status") => words(PERSON_STATUSES, "default: active"),
        (Role, "responsibilities") => json!({"anyOf": [
            {"type": "string", "minLength": 1},
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
        ], "description": "what the role is responsible for"}),
        _ => return None,
    };
    Some(v)
}

/// Required fields and the document rules a schema can say (an item in `now` needs an owner).
fn constraints(kind: Kind) -> Map<String, Value> {
    let when = |field: &str, value: &str, then: &[&str]| {
        json!({"if": {"properties": {field: {"const": value}}, "required": [field]},
               "then": {"required": then}})
    };
    let v = match kind {
        Kind::RoadmapItem => json!({"required": ["title", "status"], "allOf": [
            when("status", "now", &["owner"]),
            when("status", "shipped", &["shipped"]),
        ]}),
        Kind::Charter => json!({"required": ["title", "mission"]}),
        Kind::Process => json!({"required": ["title", "owner"], "allOf": [
            when("cadence", "on-demand", &["trigger"]),
        ]}),
        Kind::Role => json!({"required": ["title", "responsibilities"]}),
        Kind::Person | Kind::Team => {
            json!({"anyOf": [{"required": ["name"]}, {"required": ["title"]}]})
        }
        Kind::Page => json!({}),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The schema of one kind's frontmatter.
fn kind_schema(kind: Kind) -> Value {
    let properties: Map<String, Value> = COMMON
        .iter()
        .chain(fields_of(kind))
        .map(|name| (name.to_string(), field(kind, name).unwrap_or(json!({}))))
        .collect();
    let mut schema = Map::new();
    schema.insert("title".into(), json!(format!("opsbook {kind}")));
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("additionalProperties".into(), json!(false));
    schema.extend(constraints(kind));
    Value::Object(schema)
}

/// Value formats and nested shapes shared by the kinds.
fn shared_defs() -> Map<String, Value> {
    let party = reference(PARTY_KINDS);
    let parties = one_or_list(party.clone());
    let defs = json!({
        "id": {"type": "string", "pattern": format!("^{ID_PATTERN}$"), "maxLength": 63,
               "description": "lowercase letters and digits in words joined by `-`"},
        "date": {"type": "string", "format": "date",
                 "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
                 "description": "YYYY-MM-DD"},
        "period": {"type": "string",
                   "pattern": "^[0-9]{4}(-([Hh][12]|[Qq][1-4]|(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?))?$",
                   "description": "YYYY, YYYY-H1, YYYY-Q3, YYYY-MM or YYYY-MM-DD"},
        "duration": {"type": "string", "pattern": "^0*[1-9][0-9]*[dwmqy]$",
                     "description": "a number and d, w, m (months), q or y, e.g. 90d or 6m"},
        "score": {"type": "object", "additionalProperties": false, "properties": {
            "rice": {"type": "object", "additionalProperties": false,
                     "required": ["reach", "impact", "confidence", "effort"],
                     "description": "RICE = reach × impact × confidence ÷ effort",
                     "properties": {
                "reach": {"type": "number", "minimum": 0},
                "impact": {"type": "number", "exclusiveMinimum": 0,
                           "description": "0.25, 0.5, 1, 2 or 3"},
                "confidence": {"anyOf": [
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                    {"type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*%\\s*$"},
                ], "description": "a fraction like 0.8 or a percentage like 80%"},
                "effort": {"type": "number", "exclusiveMinimum": 0,
                           "description": "person-months"},
            }},
        }},
        "link": {"type": "object", "additionalProperties": false, "required": ["title", "url"],
                 "properties": {"title": {"type": "string"}, "url": {"type": "string"}}},
        "scope": {"type": "object", "additionalProperties": false, "properties": {
            "in": one_or_list(json!({"type": "string"})),
            "out": one_or_list(json!({"type": "string"})),
        }},
        "raci-row": {"type": "object", "additionalProperties": false,
                     "required": ["activity", "A"],
                     "properties": {
            "id": def("id"),
            "activity": {"type": "string", "minLength": 1},
            "R": parties.clone(),
            "A": {"anyOf": [party.clone(), {"type": "array", "items": party, "minItems": 1, "maxItems": 1}],
                  "description": "exactly one accountable party"},
            "C": parties.clone(),
            "I": parties,
            "process": reference(&[Kind::Process]),
        }},
    });
    match defs {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `org.yml`: lists of people, roles and teams, each entry with an `id`.
fn org_schema() -> Value {
    let list = |kind: Kind| json!({"type": "array", "items": {"$ref": format!("#/$defs/{kind}"), "required": ["id"]}});
    json!({
        "title": "opsbook org.yml",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "people": list(Kind::Person),
            "roles": list(Kind::Role),
            "teams": list(Kind::Team),
        },
    })
}

/// Every kind under `$defs`, plus `org`; the root accepts the frontmatter of any kind.
fn all_defs() -> Map<String, Value> {
    let mut defs = shared_defs();
    for kind in Kind::ALL {
        defs.insert(kind.as_str().into(), kind_schema(kind));
    }
    defs.insert("org".into(), org_schema());
    defs
}

/// The schema document: one kind (or `org`) at the root, or every kind when `kind` is `None`.
pub fn document(kind: Option<&str>) -> Result<Value, Error> {
    let mut defs = all_defs();
    let mut root = match kind {
        None => json!({
            "title": "opsbook frontmatter",
            "description": "The frontmatter of any opsbook document; each kind is under $defs, org.yml is $defs/org.",
            "anyOf": Kind::ALL.map(|k| def(k.as_str())),
        }),
        Some(name) => {
            let Some(schema) = defs.remove(name) else {
                let mut names: Vec<&str> = Kind::ALL.map(Kind::as_str).to_vec();
                names.push("org");
                return Err(Error::Usage(format!(
                    "`{name}` is not a kind\n    help: {}",
                    did_you_mean(name, names.iter().copied())
                        .unwrap_or_else(|| format!("use one of {}", names.join(", ")))
                )));
            };
            if name == "org" {
                // Its lists refer to the registry kinds.
                for k in [Kind::Person, Kind::Role, Kind::Team] {
                    defs.insert(k.as_str().into(), kind_schema(k));
                }
            }
            for k in Kind::ALL {
                if name != "org" || !k.is_registry() {
                    defs.remove(k.as_str());
                }
            }
            defs.remove("org");
            schema
        }
    };
    if let Value::Object(m) = &mut root {
        let mut head = Map::new();
        head.insert("$schema".into(), json!(DRAFT));
        head.extend(std::mem::take(m));
        head.insert("$defs".into(), Value::Object(defs));
        *m = head;
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_checker_reads_has_a_schema() {
        for kind in Kind::ALL {
            for name in COMMON.iter().chain(fields_of(kind)) {
                assert!(field(kind, name).is_some(), "{kind}.{name} has no schema");
            }
        }
    }

    #[test]
    fn word_lists_come_from_the_model() {
        let doc = document(Some("roadmap-item")).unwrap();
        assert_eq!(doc["properties"]["status"]["enum"], json!(ROADMAP_STATUSES));
        assert_eq!(doc["$schema"], DRAFT);
        assert!(doc["$defs"]["date"].is_object());
        assert!(doc["$defs"].get("charter").is_none());
    }

    #[test]
    fn unknown_kind_is_a_usage_error_with_a_suggestion() {
        let e = document(Some("proces")).unwrap_err().to_string();
        assert!(e.contains("did you mean `process`?"), "{e}");
    }

    #[test]
    fn every_ref_in_the_document_resolves() {
        fn refs(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r.clone());
                    }
                    m.values().for_each(|x| refs(x, out));
                }
                Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
                _ => {}
            }
        }
        for kind in [None, Some("org"), Some("charter"), Some("person")] {
            let doc = document(kind).unwrap();
            let mut found = Vec::new();
            refs(&doc, &mut found);
            for r in found {
                let name = r.strip_prefix("#/$defs/").unwrap();
                assert!(doc["$defs"].get(name).is_some(), "{kind:?}: {r}");
            }
        }
    }
}
