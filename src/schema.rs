//! `opsbook schema`: JSON Schema (draft 2020-12) of each kind's frontmatter, for editors
//! (`# yaml-language-server: $schema=…`) and other tools.
//!
//! Every field, type and word list comes from the kind specs the checker reads with (custom
//! kinds and extensions from `opsbook.yml` included), so the schema and the checker cannot
//! drift apart.

use serde_json::{Map, Value, json};

use crate::diagnostic::did_you_mean;
use crate::error::Error;
use crate::kind::Kind;
use crate::kinds::{FieldType, KindSpec, Kinds, TitleRule};
use crate::model::kinds::CADENCES;

const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";
const ID_PATTERN: &str = "[a-z0-9]+(-[a-z0-9]+)*";

fn def(name: &str) -> Value {
    json!({"$ref": format!("#/$defs/{name}")})
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
fn one_or_list(item: Value, required: bool) -> Value {
    let mut list = json!({"type": "array", "items": item.clone()});
    if required {
        list["minItems"] = json!(1);
    }
    json!({"anyOf": [item, list]})
}

/// The schema of a value of type `ty`.
fn type_schema(ty: &FieldType, required: bool) -> Value {
    match ty {
        FieldType::String | FieldType::Text if required => {
            json!({"type": "string", "minLength": 1})
        }
        FieldType::String | FieldType::Text => json!({"type": "string"}),
        FieldType::Date => def("date"),
        FieldType::DateTime => json!({"type": "string", "format": "date-time"}),
        FieldType::Period => def("period"),
        FieldType::Duration => def("duration"),
        FieldType::Number => json!({"type": "number"}),
        FieldType::Integer => json!({"type": "integer"}),
        FieldType::Bool => json!({"type": "boolean"}),
        FieldType::Url => {
            json!({"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://\\S+$"})
        }
        FieldType::Email => json!({"type": "string", "format": "email"}),
        FieldType::Enum(values) => json!({"enum": values}),
        FieldType::Ref(to) => reference(to),
        FieldType::List(of) => one_or_list(type_schema(of, false), required),
        FieldType::Rice => def("score"),
        FieldType::Links => json!({"type": "array", "items": def("link")}),
        FieldType::Scope => def("scope"),
        FieldType::Raci => json!({"type": "array", "items": def("raci-row")}),
        FieldType::Cadence => json!({"anyOf": [{"enum": CADENCES}, def("duration")]}),
        FieldType::Fraction => def("fraction"),
        FieldType::KeyResults => json!({"type": "array", "items": def("key-result")}),
        FieldType::KeyResult => json!({
            "type": "string",
            "pattern": format!("^(objective:)?{ID_PATTERN}#{ID_PATTERN}$"),
            "description": "a key result: `objective-id#key-result-id`",
        }),
        FieldType::Checklist => json!({"type": "array", "items": def("task")}),
        FieldType::Any => json!({}),
    }
}

/// The fields every document may have.
fn common(kind: Kind) -> Vec<(String, Value)> {
    vec![
        (
            "kind".into(),
            json!({"const": kind.as_str(), "description": "the document kind (default: from the folder)"}),
        ),
        ("id".into(), def("id")),
        (
            "title".into(),
            json!({"type": "string", "description": "a short human name"}),
        ),
        ("tags".into(), one_or_list(json!({"type": "string"}), false)),
        ("last_reviewed".into(), def("date")),
        ("review_every".into(), def("duration")),
    ]
}

/// The document rules of the built-in kinds that a schema can say (an item in `now` needs an
/// owner).
fn rules(kind: Kind) -> Vec<Value> {
    let when = |field: &str, value: &str, then: &[&str]| {
        json!({"if": {"properties": {field: {"const": value}}, "required": [field]},
               "then": {"required": then}})
    };
    match kind {
        Kind::ROADMAP_ITEM => vec![
            when("status", "now", &["owner"]),
            when("status", "shipped", &["shipped"]),
        ],
        Kind::PROCESS => vec![when("cadence", "on-demand", &["trigger"])],
        _ => Vec::new(),
    }
}

/// The schema of one kind's frontmatter, from its spec.
fn kind_schema(spec: &KindSpec) -> Value {
    let mut properties: Map<String, Value> = common(spec.kind).into_iter().collect();
    let mut required: Vec<&str> = Vec::new();
    for f in &spec.fields {
        let mut v = type_schema(&f.ty, f.required);
        if !f.description.is_empty()
            && let Value::Object(m) = &mut v
        {
            m.insert("description".into(), json!(f.description));
        }
        if f.required {
            required.push(&f.name);
        }
        properties.insert(f.name.to_string(), v);
    }
    for (alias, field) in &spec.aliases {
        if let Some(v) = properties.get(field).cloned() {
            properties.insert(alias.clone(), v);
        }
    }
    let mut schema = Map::new();
    schema.insert("title".into(), json!(format!("opsbook {}", spec.kind)));
    if !spec.description.is_empty() {
        schema.insert("description".into(), json!(spec.description));
    }
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("additionalProperties".into(), json!(false));
    let mut all_of = rules(spec.kind);
    match spec.title {
        TitleRule::Required => required.insert(0, "title"),
        TitleRule::Name => {
            all_of.push(json!({"anyOf": [{"required": ["name"]}, {"required": ["title"]}]}))
        }
        TitleRule::Optional => {}
    }
    // Aliases stand for their field: either satisfies a required field.
    let aliased: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| spec.aliases.iter().any(|(_, f)| f == r))
        .collect();
    required.retain(|r| !aliased.contains(r));
    for field in aliased {
        let mut any = vec![json!({"required": [field]})];
        any.extend(
            spec.aliases
                .iter()
                .filter(|(_, f)| f == field)
                .map(|(a, _)| json!({"required": [a]})),
        );
        all_of.push(json!({"anyOf": any}));
    }
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    if !all_of.is_empty() {
        schema.insert("allOf".into(), Value::Array(all_of));
    }
    Value::Object(schema)
}

/// Value formats and nested shapes shared by the kinds.
fn shared_defs() -> Map<String, Value> {
    let party = reference(&[Kind::ROLE, Kind::PERSON, Kind::TEAM]);
    let parties = one_or_list(party.clone(), false);
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
        "fraction": {"anyOf": [
            {"type": "number", "minimum": 0, "maximum": 1},
            {"type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*%\\s*$"},
        ], "description": "a fraction from 0 to 1, or a percentage like 70%"},
        "key-result": {"type": "object", "additionalProperties": false,
                       "required": ["id", "title", "baseline", "target"],
                       "properties": {
            "id": def("id"),
            "title": {"type": "string", "minLength": 1},
            "metric": reference(&[Kind::METRIC]),
            "baseline": {"type": "number"},
            "target": {"type": "number", "description": "must differ from baseline"},
            "current": {"type": "number"},
            "unit": {"type": "string"},
            "direction": {"enum": ["up", "down"],
                          "description": "default: from baseline towards target"},
            "confidence": def("fraction"),
            "owner": party.clone(),
        }},
        "task": {"type": "object", "additionalProperties": false, "required": ["task"],
                 "properties": {
            "task": {"type": "string", "minLength": 1},
            "owner": party.clone(),
            "due": def("date"),
            "done": {"type": "boolean", "description": "default: false"},
        }},
        "link": {"type": "object", "additionalProperties": false, "required": ["title", "url"],
                 "properties": {"title": {"type": "string"}, "url": {"type": "string"}}},
        "scope": {"type": "object", "additionalProperties": false, "properties": {
            "in": one_or_list(json!({"type": "string"}), false),
            "out": one_or_list(json!({"type": "string"}), false),
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
            "process": reference(&[Kind::PROCESS]),
        }},
    });
    match defs {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `org.yml`: the registry lists (people, roles, teams), each entry with an `id`.
fn org_schema(kinds: &Kinds) -> Value {
    let properties: Map<String, Value> = kinds
        .all()
        .iter()
        .filter_map(|s| {
            let list = s.registry.as_ref()?;
            Some((
                list.clone(),
                json!({"type": "array", "items": {"$ref": format!("#/$defs/{}", s.kind), "required": ["id"]}}),
            ))
        })
        .collect();
    json!({
        "title": "opsbook org.yml",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

/// Every kind under `$defs`, plus `org`; the root accepts the frontmatter of any kind.
fn all_defs(kinds: &Kinds) -> Map<String, Value> {
    let mut defs = shared_defs();
    for spec in kinds.all() {
        defs.insert(spec.kind.as_str().into(), kind_schema(spec));
    }
    defs.insert("org".into(), org_schema(kinds));
    defs
}

/// The schema document: one kind (or `org`) at the root, or every kind when `kind` is `None`.
pub fn document(kinds: &Kinds, kind: Option<&str>) -> Result<Value, Error> {
    let mut defs = all_defs(kinds);
    let names = kinds.names();
    let mut root = match kind {
        None => json!({
            "title": "opsbook frontmatter",
            "description": "The frontmatter of any opsbook document; each kind is under $defs, org.yml is $defs/org.",
            "anyOf": names.iter().map(|k| def(k)).collect::<Vec<_>>(),
        }),
        Some(name) => {
            let Some(schema) = defs.remove(name) else {
                let mut names = names.clone();
                names.push("org");
                return Err(Error::Usage(format!(
                    "`{name}` is not a kind\n    help: {}",
                    did_you_mean(name, names.iter().copied())
                        .unwrap_or_else(|| format!("use one of {}", names.join(", ")))
                )));
            };
            let registry: Vec<Kind> = kinds
                .all()
                .iter()
                .filter(|s| s.registry.is_some())
                .map(|s| s.kind)
                .collect();
            if name == "org" {
                // Its lists refer to the registry kinds.
                for spec in kinds.all().iter().filter(|s| registry.contains(&s.kind)) {
                    defs.insert(spec.kind.as_str().into(), kind_schema(spec));
                }
            }
            for k in kinds.kinds() {
                if name != "org" || !registry.contains(&k) {
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
    fn word_lists_come_from_the_spec() {
        let kinds = Kinds::builtin();
        let doc = document(&kinds, Some("roadmap-item")).unwrap();
        let FieldType::Enum(statuses) = &kinds.spec(Kind::ROADMAP_ITEM).field("status").unwrap().ty
        else {
            panic!("status is an enum");
        };
        assert_eq!(doc["properties"]["status"]["enum"], json!(statuses));
        assert_eq!(doc["required"], json!(["title", "status"]));
        assert_eq!(doc["$schema"], DRAFT);
        assert!(doc["$defs"]["date"].is_object());
        assert!(doc["$defs"].get("charter").is_none());
    }

    #[test]
    fn custom_kinds_and_extensions_have_schemas() {
        let node = crate::frontmatter::parse_yaml(
            "experiment:\n  fields:\n    status: {type: enum, values: [planned, done], required: true}\n    owner: {type: ref, to: [person, team]}\n    prs: {type: list, of: url}\n    runs: integer\n    at: datetime\nroadmap-item:\n  fields: {risk: {type: enum, values: [ok, bad]}}\n  aliases: {quarter: target}\n",
            1,
        )
        .unwrap();
        let kinds = crate::kinds::parse_kinds(&node).unwrap();
        let doc = document(&kinds, Some("experiment")).unwrap();
        assert_eq!(
            doc["properties"]["status"]["enum"],
            json!(["planned", "done"])
        );
        assert_eq!(doc["required"], json!(["status"]));
        assert_eq!(doc["properties"]["runs"]["type"], "integer");
        assert_eq!(doc["properties"]["at"]["format"], "date-time");
        assert!(
            doc["properties"]["owner"]["pattern"]
                .as_str()
                .unwrap()
                .contains("person|team")
        );
        assert_eq!(
            doc["properties"]["prs"]["anyOf"][1]["items"]["format"],
            "uri"
        );
        let item = document(&kinds, Some("roadmap-item")).unwrap();
        assert_eq!(item["properties"]["risk"]["enum"], json!(["ok", "bad"]));
        assert_eq!(item["properties"]["quarter"], item["properties"]["target"]);
        let all = document(&kinds, None).unwrap();
        assert!(all["$defs"]["experiment"].is_object());
    }

    #[test]
    fn unknown_kind_is_a_usage_error_with_a_suggestion() {
        let e = document(&Kinds::builtin(), Some("proces"))
            .unwrap_err()
            .to_string();
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
            let doc = document(&Kinds::builtin(), kind).unwrap();
            let mut found = Vec::new();
            refs(&doc, &mut found);
            for r in found {
                let name = r.strip_prefix("#/$defs/").unwrap();
                assert!(doc["$defs"].get(name).is_some(), "{kind:?}: {r}");
            }
        }
    }
}
