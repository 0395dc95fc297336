//! `opsbook export --format csv KIND`: the documents of one kind as a table for spreadsheets —
//! `id`, `title`, `path`, every field of the kind's spec, then what opsbook computes for the
//! kind (progress, readiness, RICE score, lateness, cycle time).
//!
//! Cells are RFC 4180 (quoted when they hold a comma, a quote or a line break). Values come from
//! documents, so each cell is made safe twice over: terminal controls and line breaks are
//! escaped as for any printed text (see [`crate::escape`]), and a text that a spreadsheet would
//! run as a formula (`=`, `+`, `-`, `@` first, and not a number) starts with `'`.

use std::io::{self, Write};

use jiff::civil::Date;
use serde_json::Value;

use crate::escape::escape;
use crate::flow::ItemFlow;
use crate::kind::Kind;
use crate::model::{FieldValue, Handbook};

/// One cell, quoted and made safe.
fn cell(text: &str) -> String {
    let safe = escape(text);
    let numeric = safe.trim().parse::<f64>().is_ok();
    let formula = !numeric && safe.starts_with(['=', '+', '-', '@']);
    let text = if formula {
        format!("'{safe}")
    } else {
        safe.into_owned()
    };
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// A field's value as a cell: as written for periods and references, lists joined by `; `.
fn value_text(v: &FieldValue) -> String {
    match v {
        FieldValue::List(items) => items
            .iter()
            .map(|i| value_text(&i.value))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.display(),
    }
}

/// A computed value as a cell: numbers as they are, nothing for null.
fn json_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The computed columns of a kind (from [`super::computed`]) and their order.
fn computed_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::OBJECTIVE => &["progress"],
        Kind::LAUNCH => &["readiness", "tasks", "done"],
        Kind::ROADMAP_ITEM => &["rice", "late_days", "cycle_time_days"],
        _ => &[],
    }
}

/// Write the documents of `kind` in path order; `flow` gives a roadmap item's flow from git (by
/// document index), for its cycle time.
pub fn write<'f>(
    hb: &Handbook,
    kind: Kind,
    today: Date,
    flow: &dyn Fn(usize) -> Option<&'f ItemFlow>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let spec = hb.kinds.spec(kind);
    let computed = computed_columns(kind);
    let mut header: Vec<String> = ["id", "title", "path"].map(String::from).to_vec();
    header.extend(spec.fields.iter().map(|f| f.name.to_string()));
    header.extend(computed.iter().map(|c| c.to_string()));
    row(out, &header)?;
    for (i, doc) in hb.docs.iter().enumerate() {
        if doc.kind != kind || doc.id.is_empty() {
            continue;
        }
        let mut cells = vec![doc.id.clone(), doc.title.clone(), doc.path.clone()];
        for f in &spec.fields {
            cells.push(
                doc.fields
                    .get(&f.name)
                    .map_or(String::new(), |v| value_text(&v.value)),
            );
        }
        let values = match super::computed(doc, today, flow(i), None) {
            Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        for c in computed {
            cells.push(values.get(*c).map_or(String::new(), json_text));
        }
        row(out, &cells)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_safe() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-5"), "-5");
        assert_eq!(cell("two\nlines"), "two\\nlines");
        assert_eq!(cell("\u{1b}[2J"), "\\u{1b}[2J");
    }
}
