//! The fields of a document as its kind spec declares them: each value read by its type, with
//! the same positions, messages and did-you-means for every kind, built-in or custom.

use std::sync::Arc;

use jiff::civil::Date;

use super::fields::{Reader, Ref, Spanned};
use super::product::{self, KeyResult, KeyResultRef, Task};
use super::structures::{self as kinds, ExternalLink, RaciRow, Rice};
use crate::diagnostic::Diagnostic;
use crate::frontmatter::{Node, Value};
use crate::kinds::{FieldSpec, FieldType, KindSpec};
use crate::rules::Rule;
use crate::values::{Duration, Period};

/// One value of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// string, text, url, email, enum and cadence values.
    Text(String),
    Date(Date),
    /// A date and time with a zone, as written, and its instant.
    DateTime(String, jiff::Timestamp),
    /// A period as written, and its days.
    Period(String, Period),
    Duration(Duration),
    Number(f64),
    Integer(i64),
    Bool(bool),
    Ref(Ref),
    List(Vec<Spanned<FieldValue>>),
    Rice(Rice),
    Links(Vec<ExternalLink>),
    Scope {
        scope_in: Vec<String>,
        scope_out: Vec<String>,
    },
    Raci(Vec<RaciRow>),
    KeyResults(Vec<KeyResult>),
    KeyResult(KeyResultRef),
    Checklist(Vec<Task>),
}

impl FieldValue {
    /// The value as plain text (lists joined by `, `), for index tables and search.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Text(s) | FieldValue::DateTime(s, _) => s.clone(),
            FieldValue::Date(d) => d.to_string(),
            FieldValue::Period(s, _) => s.clone(),
            FieldValue::Duration(d) => d.to_string(),
            FieldValue::Number(n) => crate::values::format_number(*n),
            FieldValue::Integer(i) => i.to_string(),
            FieldValue::Bool(b) => b.to_string(),
            FieldValue::Ref(r) => r.text(),
            FieldValue::List(items) => items
                .iter()
                .map(|v| v.value.display())
                .collect::<Vec<_>>()
                .join(", "),
            FieldValue::Rice(r) => crate::values::format_number(r.score()),
            FieldValue::Links(l) => l
                .iter()
                .map(|l| l.title.clone())
                .collect::<Vec<_>>()
                .join(", "),
            FieldValue::Scope { scope_in, .. } => scope_in.join(", "),
            FieldValue::Raci(rows) => format!("{} activities", rows.len()),
            FieldValue::KeyResults(krs) => match krs.len() {
                1 => "1 key result".into(),
                n => format!("{n} key results"),
            },
            FieldValue::KeyResult(k) => k.text(),
            FieldValue::Checklist(tasks) => format!(
                "{} of {} tasks done",
                tasks.iter().filter(|t| t.done).count(),
                tasks.len()
            ),
        }
    }
}

/// The fields of one document, in the order the spec declares them; absent fields are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(pub Vec<(Arc<str>, Spanned<FieldValue>)>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&Spanned<FieldValue>> {
        self.0.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Spanned<FieldValue>)> {
        self.0.iter().map(|(n, v)| (&**n, v))
    }

    pub fn text(&self, name: &str) -> Option<Spanned<String>> {
        match self.get(name) {
            Some(Spanned {
                value: FieldValue::Text(s),
                span,
            }) => Some(Spanned::new(s.clone(), *span)),
            _ => None,
        }
    }

    pub fn date(&self, name: &str) -> Option<Spanned<Date>> {
        match self.get(name) {
            Some(Spanned {
                value: FieldValue::Date(d),
                span,
            }) => Some(Spanned::new(*d, *span)),
            _ => None,
        }
    }

    pub fn period(&self, name: &str) -> Option<Spanned<Period>> {
        match self.get(name) {
            Some(Spanned {
                value: FieldValue::Period(_, p),
                span,
            }) => Some(Spanned::new(*p, *span)),
            _ => None,
        }
    }

    pub fn number(&self, name: &str) -> Option<Spanned<f64>> {
        match self.get(name) {
            Some(Spanned {
                value: FieldValue::Number(n),
                span,
            }) => Some(Spanned::new(*n, *span)),
            _ => None,
        }
    }

    pub fn reference(&self, name: &str) -> Option<Ref> {
        match self.get(name).map(|v| &v.value) {
            Some(FieldValue::Ref(r)) => Some(r.clone()),
            _ => None,
        }
    }

    /// Every value of a list field (or the single value of a scalar one).
    pub fn items(&self, name: &str) -> Vec<&FieldValue> {
        match self.get(name).map(|v| &v.value) {
            Some(FieldValue::List(items)) => items.iter().map(|i| &i.value).collect(),
            Some(v) => vec![v],
            None => Vec::new(),
        }
    }

    pub fn references(&self, name: &str) -> Vec<Ref> {
        self.items(name)
            .into_iter()
            .filter_map(|v| match v {
                FieldValue::Ref(r) => Some(r.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn texts(&self, name: &str) -> Vec<String> {
        self.items(name)
            .into_iter()
            .filter_map(|v| match v {
                FieldValue::Text(s) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    /// Every reference of every field (RACI parties and processes included).
    pub fn refs(&self) -> Vec<&Ref> {
        let mut out = Vec::new();
        for (_, v) in &self.0 {
            collect_refs(&v.value, &mut out);
        }
        out
    }
}

fn collect_refs<'a>(v: &'a FieldValue, out: &mut Vec<&'a Ref>) {
    match v {
        FieldValue::Ref(r) => out.push(r),
        FieldValue::List(items) => items.iter().for_each(|i| collect_refs(&i.value, out)),
        FieldValue::Raci(rows) => {
            for row in rows {
                out.extend(row.parties().map(|(_, r)| r));
                out.extend(row.process.iter());
            }
        }
        FieldValue::KeyResults(krs) => {
            for kr in krs {
                out.extend(kr.metric.iter().chain(kr.owner.iter()));
            }
        }
        FieldValue::KeyResult(k) => out.push(&k.objective),
        FieldValue::Checklist(tasks) => out.extend(tasks.iter().filter_map(|t| t.owner.as_ref())),
        _ => {}
    }
}

/// Read every field of `spec` from `r`; a missing required field is `field-required`.
pub fn read(spec: &KindSpec, r: &mut Reader) -> Fields {
    let mut out = Vec::new();
    for f in &spec.fields {
        let written = r.key_span(&f.name).is_some();
        let wrong_type_or_bad = r.diags.len();
        let value = read_field(f, r);
        let empty = match &value {
            None => true,
            Some(Spanned {
                value: FieldValue::Text(s),
                ..
            }) => s.trim().is_empty(),
            Some(Spanned {
                value: FieldValue::List(items),
                ..
            }) => items.is_empty(),
            _ => false,
        };
        // A value that is there but wrong has its own finding already.
        if f.required && empty && (r.diags.len() == wrong_type_or_bad || !written) {
            r.push(required(spec, f, r));
        }
        if let Some(v) = value {
            out.push((Arc::clone(&f.name), v));
        }
    }
    Fields(out)
}

fn required(spec: &KindSpec, f: &FieldSpec, r: &Reader) -> Diagnostic {
    let at = r.key_span(&f.name).unwrap_or(r.at);
    let name = &f.name;
    let help = match &f.ty {
        FieldType::Enum(values) => format!("add `{name}:` with one of {}", values.join(", ")),
        FieldType::Ref(to) => format!(
            "add `{name}:` with a {}",
            crate::kinds::kinds_phrase(to, "or")
        ),
        FieldType::List(_) => format!("add `{name}:` with at least one item"),
        _ => format!("add `{name}:` with a value"),
    };
    Diagnostic::new(Rule::FieldRequired, r.path(), Some(at))
        .message(format!("{} has no `{}`", spec.noun(), r.field_name(name)))
        .help(help)
}

/// Read one field of a spec (without the required check).
pub fn read_one(f: &FieldSpec, r: &mut Reader) -> Option<Spanned<FieldValue>> {
    read_field(f, r)
}

fn read_field(f: &FieldSpec, r: &mut Reader) -> Option<Spanned<FieldValue>> {
    let key: &str = &f.name;
    match &f.ty {
        FieldType::Rice => {
            let rice = kinds::read_score(r, key)?;
            let span = rice.span;
            Some(Spanned::new(FieldValue::Rice(rice), span))
        }
        FieldType::Links => {
            let span = r.key_span(key)?;
            Some(Spanned::new(
                FieldValue::Links(kinds::read_links(r, key)),
                span,
            ))
        }
        FieldType::Scope => {
            let span = r.key_span(key)?;
            let (scope_in, scope_out) = kinds::read_scope(r, key)?;
            Some(Spanned::new(
                FieldValue::Scope {
                    scope_in,
                    scope_out,
                },
                span,
            ))
        }
        FieldType::Raci => {
            let span = r.key_span(key)?;
            Some(Spanned::new(
                FieldValue::Raci(kinds::read_raci(r, key)),
                span,
            ))
        }
        FieldType::KeyResults => {
            let span = r.key_span(key)?;
            Some(Spanned::new(
                FieldValue::KeyResults(product::read_key_results(r, key)),
                span,
            ))
        }
        FieldType::Checklist => {
            let span = r.key_span(key)?;
            Some(Spanned::new(
                FieldValue::Checklist(product::read_checklist(r, key)),
                span,
            ))
        }
        FieldType::List(of) => {
            let node = r.node(key)?;
            let base = r.field_name(key);
            let items: Vec<Spanned<FieldValue>> = match &node.value {
                Value::Seq(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| value_at(r, &format!("{base}[{i}]"), item, of))
                    .collect(),
                // `requires: 20, 165`: references written on one line, apart by commas (an id
                // never holds a comma).
                Value::Str(text) if matches!(**of, FieldType::Ref(_)) && text.contains(',') => {
                    comma_refs(r, &base, node, text, of)
                }
                _ => value_at(r, &base, node, of).into_iter().collect(),
            };
            Some(Spanned::new(FieldValue::List(items), node.span))
        }
        ty => {
            let node = r.node(key)?;
            let field = r.field_name(key);
            value_at(r, &field, node, ty)
        }
    }
}

/// The references of a scalar `text` written as `a, b, c`, each at its own column when the
/// scalar is written plain on one line (else at the scalar's).
fn comma_refs(
    r: &mut Reader,
    field: &str,
    node: &Node,
    text: &str,
    of: &FieldType,
) -> Vec<Spanned<FieldValue>> {
    let plain = node.raw.as_deref() == Some(text) && !text.contains('\n');
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, part) in text.split(',').enumerate() {
        let lead = part.len() - part.trim_start().len();
        let col = text[..offset + lead].chars().count() as u32;
        offset += part.len() + 1;
        if part.trim().is_empty() {
            continue;
        }
        let span = if plain {
            crate::diagnostic::Span::new(node.span.line, node.span.col + col)
        } else {
            node.span
        };
        let item = Node {
            span,
            value: Value::Str(part.trim().to_string()),
            raw: Some(part.trim().to_string()),
        };
        out.extend(value_at(r, &format!("{field}[{i}]"), &item, of));
    }
    out
}

/// One scalar value of `field`, read by its type.
fn value_at(
    r: &mut Reader,
    field: &str,
    node: &Node,
    ty: &FieldType,
) -> Option<Spanned<FieldValue>> {
    let span = node.span;
    let v = match ty {
        FieldType::String | FieldType::Text => FieldValue::Text(r.string_at(field, node)?.value),
        FieldType::Any => FieldValue::Text(plain_text(node)),
        FieldType::Enum(values) => FieldValue::Text(r.one_of_at(field, node, values)?.value),
        FieldType::Cadence => FieldValue::Text(kinds::cadence_at(r, field, node)?.value),
        FieldType::Date => FieldValue::Date(r.date_at(field, node)?.value),
        FieldType::Period => {
            let p = r.period_at(field, node)?.value;
            FieldValue::Period(node.scalar_text().unwrap_or_default(), p)
        }
        FieldType::Duration => FieldValue::Duration(r.duration_at(field, node)?.value),
        FieldType::Fraction => FieldValue::Number(product::fraction_at(r, field, node)?.value),
        FieldType::KeyResult => FieldValue::KeyResult(product::key_result_ref_at(r, field, node)?),
        FieldType::Number => FieldValue::Number(r.number_at(field, node, false)?.value),
        FieldType::Integer => match node.value {
            Value::Int(i) => FieldValue::Integer(i),
            _ => {
                r.type_error_at(field, node, "a whole number");
                return None;
            }
        },
        FieldType::Bool => match node.value {
            Value::Bool(b) => FieldValue::Bool(b),
            _ => {
                r.type_error_at(field, node, "true or false");
                return None;
            }
        },
        FieldType::Url => {
            let s = r.string_at(field, node)?.value;
            let t = s.trim();
            let ok = ["https://", "http://"]
                .iter()
                .any(|p| t.len() > p.len() && t[..p.len()].eq_ignore_ascii_case(p))
                && !t.contains(char::is_whitespace);
            if !ok {
                r.push(
                    Diagnostic::new(Rule::FieldType, r.path(), Some(span))
                        .message(format!("`{field}` must be an http(s) URL, found `{s}`"))
                        .help("write the full address, starting with https://"),
                );
                return None;
            }
            FieldValue::Text(s)
        }
        FieldType::Email => {
            let s = r.string_at(field, node)?.value;
            if !is_email(s.trim()) {
                r.push(
                    Diagnostic::new(Rule::FieldType, r.path(), Some(span))
                        .message(format!("`{field}` must be an email address, found `{s}`"))
                        .help("write it as name@example.com"),
                );
                return None;
            }
            FieldValue::Text(s)
        }
        FieldType::DateTime => {
            let s = r.string_at(field, node)?.value;
            match parse_datetime(&s) {
                Ok(t) => FieldValue::DateTime(s, t),
                Err(m) => {
                    r.push(
                        Diagnostic::new(Rule::FieldDate, r.path(), Some(span))
                            .message(format!("{field}: {m}"))
                            .help("write a date and time with a zone, e.g. 2026-03-31T09:30:00Z or 2026-03-31T09:30:00+02:00"),
                    );
                    return None;
                }
            }
        }
        FieldType::Ref(to) => FieldValue::Ref(r.make_ref(field.to_string(), node, to)?),
        FieldType::List(_)
        | FieldType::Rice
        | FieldType::Links
        | FieldType::Scope
        | FieldType::Raci
        | FieldType::KeyResults
        | FieldType::Checklist => {
            r.type_error_at(field, node, "a single value");
            return None;
        }
    };
    Some(Spanned::new(v, span))
}

/// A value of any shape as one line of text: scalars as written, lists and mappings flattened.
fn plain_text(node: &Node) -> String {
    match &node.value {
        Value::Seq(items) => items.iter().map(plain_text).collect::<Vec<_>>().join(", "),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| format!("{}: {}", k.name, plain_text(v)))
            .collect::<Vec<_>>()
            .join(", "),
        _ => node.scalar_text().unwrap_or_default(),
    }
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// A YAML timestamp with a time: RFC 3339 (`T` or a space between date and time), a zone
/// required (`Z` or an offset).
pub(crate) fn parse_datetime(text: &str) -> Result<jiff::Timestamp, String> {
    let t = text.trim();
    let normal = match t.get(10..11) {
        Some(" ") => format!("{}T{}", &t[..10], t[11..].trim_start()),
        _ => t.to_string(),
    };
    // YAML allows a space before the zone: `2026-03-01 09:30:00 +02:00`.
    let normal = normal
        .replace(" +", "+")
        .replace(" -", "-")
        .replace(" Z", "Z");
    normal.parse::<jiff::Timestamp>().map_err(|_| {
        if crate::values::parse_date(t).is_ok() {
            format!("`{t}` is a date without a time and zone")
        } else {
            format!("`{t}` is not a date and time with a zone")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_need_a_zone() {
        assert!(parse_datetime("2026-03-01T09:30:00Z").is_ok());
        assert!(parse_datetime("2026-03-01 09:30:00 +02:00").is_ok());
        assert!(parse_datetime("2026-03-01T09:30:00+02:00").is_ok());
        assert!(
            parse_datetime("2026-03-01")
                .unwrap_err()
                .contains("without a time")
        );
        assert!(parse_datetime("2026-03-01T09:30:00").is_err());
        assert!(parse_datetime("soon").is_err());
    }

    #[test]
    fn emails() {
        assert!(is_email("ana@example.com"));
        assert!(!is_email("ana"));
        assert!(!is_email("ana@localhost"));
        assert!(!is_email("a na@example.com"));
    }
}
