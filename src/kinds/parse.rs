//! Reading kind declarations: `builtin.yml` and `kinds:` in `opsbook.yml` use one parser.
//! A declaration of a built-in kind in the config extends it (new fields, aliases, columns,
//! folders, review interval); any other name declares a custom kind.

use std::sync::Arc;

use globset::{Glob, GlobSetBuilder};

use super::{COMMON, FieldSpec, FieldType, KindSpec, Kinds, TitleRule};
use crate::diagnostic::{Span, did_you_mean};
use crate::frontmatter::{Key, Node, Value};
use crate::kind::Kind;
use crate::values::{check_id, parse_duration};

/// A problem in a kind declaration, located in the file that declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

type Result<T> = std::result::Result<T, SpecError>;

fn error(span: Span, message: impl Into<String>, help: Option<String>) -> SpecError {
    SpecError {
        span,
        message: message.into(),
        help,
    }
}

const KIND_KEYS: &[&str] = &[
    "label",
    "plural",
    "description",
    "folder",
    "glob",
    "registry",
    "title",
    "fields",
    "aliases",
    "columns",
    "review_every",
];
const FIELD_KEYS: &[&str] = &[
    "type",
    "of",
    "values",
    "to",
    "required",
    "default",
    "description",
    "history",
];
const USER_TYPES: &[&str] = &[
    "string", "text", "date", "datetime", "period", "duration", "number", "integer", "bool", "url",
    "email", "enum", "ref", "list", "any",
];
const BUILTIN_TYPES: &[&str] = &[
    "rice",
    "links",
    "scope",
    "raci",
    "cadence",
    "fraction",
    "key-results",
    "key-result",
    "checklist",
];

/// Site paths a custom kind's folder must not take.
const RESERVED: &[&str] = &[
    "assets",
    "search",
    "changes",
    "health",
    "pages",
    "index",
    "404",
    "sitemap",
    "feed",
    "roadmap",
    "charters",
    "processes",
    "people",
    "roles",
    "teams",
    "objectives",
    "metrics",
    "launches",
    "flow",
    "ownership",
];

/// `kinds:` of the config, on top of the built-in kinds.
pub fn parse_kinds(node: &Node) -> Result<Kinds> {
    let mut kinds = Kinds::builtin();
    declare(&mut kinds, node, false)?;
    Ok(kinds)
}

fn entries(node: &Node, what: &str) -> Result<Vec<(Key, Node)>> {
    match &node.value {
        Value::Map(e) => Ok(e.clone()),
        Value::Null => Ok(Vec::new()),
        _ => Err(error(
            node.span,
            format!("{what} must be a mapping, found {}", node.type_name()),
            None,
        )),
    }
}

fn text(node: &Node, what: &str) -> Result<String> {
    node.scalar_text().ok_or_else(|| {
        error(
            node.span,
            format!("{what} must be a string, found {}", node.type_name()),
            None,
        )
    })
}

/// A string or a list of strings.
fn texts(node: &Node, what: &str) -> Result<Vec<(String, Span)>> {
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .map(|n| text(n, what).map(|t| (t, n.span)))
            .collect(),
        Value::Null => Ok(Vec::new()),
        _ => Ok(vec![(text(node, what)?, node.span)]),
    }
}

fn flag(node: &Node, what: &str) -> Result<bool> {
    match node.value {
        Value::Bool(b) => Ok(b),
        _ => Err(error(
            node.span,
            format!("{what} must be true or false, found {}", node.type_name()),
            None,
        )),
    }
}

fn unknown_key(key: &Key, known: &[&str], what: &str) -> SpecError {
    error(
        key.span,
        format!("`{}` is not a setting of {what}", key.name),
        did_you_mean(&key.name, known.iter().copied())
            .or_else(|| Some(format!("the settings are {}", known.join(", ")))),
    )
}

/// Add the declarations of `node` to `kinds`.
pub(super) fn declare(kinds: &mut Kinds, node: &Node, builtin: bool) -> Result<()> {
    let decls = entries(node, "`kinds`")?;
    // Every new kind is known before any field is read, so `to:` may name a kind declared
    // further down.
    for (key, _) in &decls {
        if kinds.parse(&key.name).is_some() {
            continue;
        }
        if !builtin {
            check_id(&key.name).map_err(|m| {
                error(
                    key.span,
                    format!("kind name `{}`: {m}", key.name),
                    Some("kind names are lowercase words joined by `-`".into()),
                )
            })?;
            if RESERVED.contains(&key.name.as_str()) {
                return Err(error(
                    key.span,
                    format!(
                        "`{}` is a folder of the site; a kind cannot take it",
                        key.name
                    ),
                    Some("name the kind in the singular, e.g. `experiment`".into()),
                ));
            }
        }
        kinds.specs.push(new_spec(Kind::named(&key.name), builtin));
    }
    for (key, value) in &decls {
        let kind = kinds.parse(&key.name).unwrap_or(Kind::PAGE);
        let known: Vec<&'static str> = kinds.names();
        let extending = !builtin && kind.is_builtin();
        let what = format!("kind `{kind}`");
        let mut spec = kinds
            .get(kind)
            .cloned()
            .unwrap_or_else(|| new_spec(kind, builtin));
        for (k, v) in entries(value, &format!("`kinds.{kind}`"))? {
            match k.name.as_str() {
                "label" => spec.label = text(&v, "`label`")?,
                "plural" => spec.plural = text(&v, "`plural`")?,
                "description" => spec.description = text(&v, "`description`")?,
                "folder" => {
                    for (f, _) in texts(&v, "`folder`")? {
                        let f = f.trim_matches('/').to_string();
                        if !spec.folders.contains(&f) {
                            spec.folders.push(f);
                        }
                    }
                }
                "glob" => {
                    for (g, span) in texts(&v, "`glob`")? {
                        Glob::new(&g).map_err(|e| {
                            error(span, format!("`{g}` is not a glob: {}", e.kind()), None)
                        })?;
                        spec.globs.push(g);
                    }
                }
                "registry" if builtin => spec.registry = Some(text(&v, "`registry`")?),
                "title" => {
                    spec.title = match text(&v, "`title`")?.as_str() {
                        "optional" => TitleRule::Optional,
                        "required" => TitleRule::Required,
                        "name" => TitleRule::Name,
                        other => {
                            return Err(error(
                                v.span,
                                format!("`title: {other}` is not one of optional, required, name"),
                                did_you_mean(other, ["optional", "required", "name"]),
                            ));
                        }
                    }
                }
                "fields" => {
                    for (fk, fv) in entries(&v, "`fields`")? {
                        // A handbook may have declared a field that opsbook now has built in:
                        // the same type is accepted as it is.
                        if let Some(existing) =
                            spec.field(&fk.name).filter(|f| f.builtin && !builtin)
                        {
                            let declared = field(&fk, &fv, kinds, &known, true)?;
                            if declared.ty == existing.ty {
                                continue;
                            }
                            return Err(error(
                                fk.span,
                                format!(
                                    "`{}` is a built-in field of {kind}: {}",
                                    fk.name,
                                    existing.ty.describe()
                                ),
                                Some(
                                    "remove it from `kinds:`, or give your field another name"
                                        .into(),
                                ),
                            ));
                        }
                        if COMMON.contains(&fk.name.as_str()) || spec.field(&fk.name).is_some() {
                            let whose = if COMMON.contains(&fk.name.as_str()) {
                                "every document".to_string()
                            } else {
                                format!("the {kind}")
                            };
                            return Err(error(
                                fk.span,
                                format!("`{}` is already a field of {whose}", fk.name),
                                Some("give the new field another name".into()),
                            ));
                        }
                        spec.fields.push(field(&fk, &fv, kinds, &known, builtin)?);
                    }
                }
                "aliases" => {
                    for (ak, av) in entries(&v, "`aliases`")? {
                        let target = text(&av, "an alias")?;
                        if spec.field(&target).is_none() && !COMMON.contains(&target.as_str()) {
                            let names: Vec<&str> = spec.fields.iter().map(|f| &*f.name).collect();
                            return Err(error(
                                av.span,
                                format!("`{target}` is not a field of {kind}"),
                                did_you_mean(&target, names),
                            ));
                        }
                        if spec.field(&ak.name).is_some() || COMMON.contains(&ak.name.as_str()) {
                            return Err(error(
                                ak.span,
                                format!(
                                    "`{}` is a field of {kind} already; it cannot be an alias",
                                    ak.name
                                ),
                                None,
                            ));
                        }
                        spec.aliases.push((ak.name.clone(), target));
                    }
                }
                "columns" => {
                    spec.columns = texts(&v, "`columns`")?
                        .into_iter()
                        .map(|(c, _)| c)
                        .collect();
                }
                "review_every" => {
                    let t = text(&v, "`review_every`")?;
                    spec.review_every =
                        Some(parse_duration(&t).map_err(|m| error(v.span, m, None))?);
                }
                _ => {
                    let allowed: Vec<&str> = KIND_KEYS
                        .iter()
                        .copied()
                        .filter(|k| builtin || *k != "registry")
                        .collect();
                    return Err(unknown_key(&k, &allowed, &what));
                }
            }
        }
        // Columns must name fields (checked once every field is known).
        if let Some(columns) = value.get("columns") {
            for (c, span) in texts(columns, "`columns`")? {
                if spec.field(&c).is_none() && !matches!(c.as_str(), "title" | "id" | "tags") {
                    let names: Vec<&str> = spec.fields.iter().map(|f| &*f.name).collect();
                    return Err(error(
                        span,
                        format!("column `{c}` is not a field of {kind}"),
                        did_you_mean(&c, names),
                    ));
                }
            }
        }
        if !builtin && !extending && spec.folders.is_empty() && spec.globs.is_empty() {
            spec.folders.push(kind.as_str().to_string());
        }
        if !spec.globs.is_empty() {
            let mut b = GlobSetBuilder::new();
            for g in &spec.globs {
                if let Ok(glob) = Glob::new(g) {
                    b.add(glob);
                }
            }
            spec.glob_set = b.build().ok();
        }
        if let Some(s) = kinds.get_mut(kind) {
            *s = spec;
        }
    }
    Ok(())
}

fn new_spec(kind: Kind, builtin: bool) -> KindSpec {
    let name = kind.as_str().replace('-', " ");
    let mut label = name.clone();
    if let Some(first) = label.get(..1) {
        label = format!("{}{}", first.to_uppercase(), &label[1..]);
    }
    KindSpec {
        kind,
        plural: format!("{label}s"),
        label,
        description: String::new(),
        folders: Vec::new(),
        globs: Vec::new(),
        glob_set: None,
        registry: None,
        title: TitleRule::Optional,
        fields: Vec::new(),
        aliases: Vec::new(),
        columns: Vec::new(),
        review_every: None,
        builtin,
    }
}

/// One field declaration: `{type: enum, values: [...], required: true}` or just `text`.
fn field(
    key: &Key,
    node: &Node,
    kinds: &Kinds,
    known: &[&'static str],
    builtin: bool,
) -> Result<FieldSpec> {
    let name = &key.name;
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(error(
            key.span,
            format!("`{name}` is not a field name"),
            None,
        ));
    }
    let mut spec = FieldSpec {
        name: Arc::from(name.as_str()),
        ty: FieldType::String,
        required: false,
        default: None,
        description: String::new(),
        history: false,
        builtin,
    };
    // `status: text` is short for `status: {type: text}`.
    if let Some(t) = node.scalar_text() {
        spec.ty = scalar_type(&t, node.span, None, None, kinds, known, builtin)?;
        return Ok(spec);
    }
    let settings = entries(node, &format!("field `{name}`"))?;
    let get = |k: &str| {
        settings
            .iter()
            .find(|(key, _)| key.name == k)
            .map(|(_, v)| v)
    };
    let what = format!("field `{name}`");
    for (k, _) in &settings {
        if !FIELD_KEYS.contains(&k.name.as_str()) {
            return Err(unknown_key(k, FIELD_KEYS, &what));
        }
    }
    let Some(type_node) = get("type") else {
        return Err(error(
            node.span,
            format!("field `{name}` has no `type`"),
            Some(format!("add `type:` with one of {}", USER_TYPES.join(", "))),
        ));
    };
    let type_name = text(type_node, "`type`")?;
    spec.ty = if type_name == "list" {
        let Some(of) = get("of") else {
            return Err(error(
                type_node.span,
                format!("list field `{name}` has no `of`"),
                Some("say what the list holds, e.g. `of: string` or `of: ref` with `to:`".into()),
            ));
        };
        let of_name = text(of, "`of`")?;
        if of_name == "list" {
            return Err(error(of.span, "a list of lists is not supported", None));
        }
        FieldType::List(Box::new(scalar_type(
            &of_name,
            of.span,
            get("values"),
            get("to"),
            kinds,
            known,
            builtin,
        )?))
    } else {
        if let Some(of) = get("of") {
            return Err(error(
                of.span,
                format!("`of` belongs to lists; field `{name}` is of type {type_name}"),
                None,
            ));
        }
        scalar_type(
            &type_name,
            type_node.span,
            get("values"),
            get("to"),
            kinds,
            known,
            builtin,
        )?
    };
    if let Some(v) = get("required") {
        spec.required = flag(v, "`required`")?;
    }
    if let Some(v) = get("history") {
        spec.history = flag(v, "`history`")?;
    }
    if let Some(v) = get("description") {
        spec.description = text(v, "`description`")?;
    }
    if let Some(v) = get("default") {
        let d = text(v, "`default`")?;
        if let FieldType::Enum(values) = &spec.ty
            && !values.contains(&d)
        {
            return Err(error(
                v.span,
                format!("default `{d}` is not one of {}", values.join(", ")),
                did_you_mean(&d, values.iter().map(String::as_str)),
            ));
        }
        spec.default = Some(d);
    }
    Ok(spec)
}

fn scalar_type(
    name: &str,
    span: Span,
    values: Option<&Node>,
    to: Option<&Node>,
    kinds: &Kinds,
    known: &[&'static str],
    builtin: bool,
) -> Result<FieldType> {
    let ty = match name {
        "string" => FieldType::String,
        "text" => FieldType::Text,
        "date" => FieldType::Date,
        "datetime" => FieldType::DateTime,
        "period" => FieldType::Period,
        "duration" => FieldType::Duration,
        "number" => FieldType::Number,
        "integer" => FieldType::Integer,
        "bool" => FieldType::Bool,
        "url" => FieldType::Url,
        "email" => FieldType::Email,
        "any" => FieldType::Any,
        "enum" => {
            let Some(values) = values else {
                return Err(error(
                    span,
                    "an enum field needs `values`",
                    Some("add `values: [word, word, ...]`".into()),
                ));
            };
            let words: Vec<String> = texts(values, "`values`")?
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            if words.is_empty() {
                return Err(error(values.span, "`values` is empty", None));
            }
            FieldType::Enum(words)
        }
        "ref" => {
            let Some(to) = to else {
                return Err(error(
                    span,
                    "a ref field needs `to`: the kinds it may point at",
                    Some(format!(
                        "add e.g. `to: [person, team]`; the kinds are {}",
                        known.join(", ")
                    )),
                ));
            };
            let mut targets = Vec::new();
            for (k, at) in texts(to, "`to`")? {
                let kind = kinds.parse(&k).ok_or_else(|| {
                    error(
                        at,
                        format!("`{k}` is not a kind"),
                        did_you_mean(&k, known.iter().copied())
                            .or_else(|| Some(format!("the kinds are {}", known.join(", ")))),
                    )
                })?;
                targets.push(kind);
            }
            if targets.is_empty() {
                return Err(error(to.span, "`to` names no kind", None));
            }
            FieldType::Ref(Arc::from(targets))
        }
        "rice" if builtin => FieldType::Rice,
        "links" if builtin => FieldType::Links,
        "scope" if builtin => FieldType::Scope,
        "raci" if builtin => FieldType::Raci,
        "cadence" if builtin => FieldType::Cadence,
        "fraction" if builtin => FieldType::Fraction,
        "key-results" if builtin => FieldType::KeyResults,
        "key-result" if builtin => FieldType::KeyResult,
        "checklist" if builtin => FieldType::Checklist,
        other => {
            let help = if BUILTIN_TYPES.contains(&other) {
                Some(format!(
                    "`{other}` is a structure of the built-in kinds; the types are {}",
                    USER_TYPES.join(", ")
                ))
            } else {
                did_you_mean(other, USER_TYPES.iter().copied())
                    .or_else(|| Some(format!("the types are {}", USER_TYPES.join(", "))))
            };
            return Err(error(span, format!("`{other}` is not a field type"), help));
        }
    };
    if !matches!(ty, FieldType::Enum(_))
        && let Some(v) = values
    {
        return Err(error(
            v.span,
            format!("`values` belongs to enum fields, not {name}"),
            None,
        ));
    }
    if !matches!(ty, FieldType::Ref(_))
        && let Some(t) = to
    {
        return Err(error(
            t.span,
            format!("`to` belongs to ref fields, not {name}"),
            None,
        ));
    }
    Ok(ty)
}
