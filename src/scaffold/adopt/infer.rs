//! What the values of one frontmatter key, over the files of a folder, say about its field:
//! its type (enum words, dates, URLs, lists…), whether every file has it, and whether it is
//! rather a typo of a more common key.

use std::collections::BTreeMap;

use crate::diagnostic::did_you_mean;
use crate::frontmatter::{Node, Value};
use crate::values;

/// The most words an enum proposed from the values may have.
const MAX_ENUM: usize = 12;

/// The field proposed for one key.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key as written in the files.
    pub key: String,
    /// The field's name (the key, when it is a valid field name).
    pub name: String,
    /// The `type:` and what goes with it, as YAML flow mapping entries: `type: enum, values:
    /// [a, b]`.
    pub spec: String,
    pub required: bool,
    /// Why, in a few words, for the printout.
    pub why: String,
}

/// The values of one key: the files that have it and each value.
pub struct Values<'a> {
    pub key: &'a str,
    pub values: Vec<&'a Node>,
}

/// A key rather misspelt than a field of its own: written in few files, and a near miss of a
/// key more files have. Returns that key.
pub fn typo_of<'k>(
    key: &str,
    count: usize,
    counts: &'k BTreeMap<String, usize>,
) -> Option<&'k str> {
    let more: Vec<&str> = counts
        .iter()
        .filter(|(k, n)| **n > count && k.as_str() != key)
        .map(|(k, _)| k.as_str())
        .collect();
    let total: usize = counts.values().copied().max().unwrap_or(0);
    if count * 10 > total.max(1) && count > 1 {
        return None;
    }
    let hint = did_you_mean(key, more.iter().copied())?;
    more.into_iter().find(|k| hint.contains(&format!("`{k}`")))
}

/// A field name for a key: the key itself when it is one word, else its words joined by `_`.
pub fn field_name(key: &str) -> String {
    if !key.is_empty() && !key.contains(char::is_whitespace) {
        return key.to_string();
    }
    let words: Vec<String> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        "field".into()
    } else {
        words.join("_")
    }
}

/// The kind of one scalar value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Bool,
    Int,
    Float,
    Date,
    DateTime,
    Url,
    Email,
    Word,
    Line,
    Text,
}

fn shape(node: &Node) -> Option<Shape> {
    Some(match &node.value {
        Value::Bool(_) => Shape::Bool,
        Value::Int(_) => Shape::Int,
        Value::Float(_) => Shape::Float,
        Value::Str(s) => {
            let t = s.trim();
            if values::parse_date(t).is_ok() {
                Shape::Date
            } else if crate::model::typed::parse_datetime(t).is_ok() {
                Shape::DateTime
            } else if (t.starts_with("https://") || t.starts_with("http://"))
                && !t.contains(char::is_whitespace)
            {
                Shape::Url
            } else if t.contains('@')
                && !t.contains(char::is_whitespace)
                && t.split_once('@')
                    .is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
            {
                Shape::Email
            } else if s.contains('\n') {
                Shape::Text
            } else if t.chars().count() <= 40 {
                Shape::Word
            } else {
                Shape::Line
            }
        }
        _ => return None,
    })
}

/// The type of scalars of these shapes, and the enum words when they are few. Among five or
/// more values, one of another shape in ten (at least one) does not change the type: it is a
/// mistake `check` reports (`pr: acme/rfcs#6` among URLs).
fn scalar_type(shapes: &[Shape], words: &[String], lists: bool) -> (String, String) {
    let odd = (shapes.len() / 10).max(1);
    let all = |s: &[Shape]| {
        let other = shapes.iter().filter(|x| !s.contains(x)).count();
        other == 0
            || (shapes.len() >= 5
                && other <= odd
                && s.iter()
                    .any(|t| matches!(t, Shape::Date | Shape::Url | Shape::Email | Shape::Int)))
    };
    if shapes.is_empty() {
        return ("type: any".into(), "no value to tell its type".into());
    }
    if all(&[Shape::Bool]) {
        return ("type: bool".into(), "true or false".into());
    }
    if all(&[Shape::Int]) {
        return ("type: integer".into(), "whole numbers".into());
    }
    if all(&[Shape::Int, Shape::Float]) {
        return ("type: number".into(), "numbers".into());
    }
    if all(&[Shape::Date]) {
        return ("type: date".into(), "dates".into());
    }
    if all(&[Shape::DateTime]) {
        return ("type: datetime".into(), "dates with a time".into());
    }
    if all(&[Shape::Url]) {
        return ("type: url".into(), "URLs".into());
    }
    if all(&[Shape::Email]) {
        return ("type: email".into(), "email addresses".into());
    }
    if all(&[Shape::Word]) {
        let mut distinct: BTreeMap<&str, usize> = BTreeMap::new();
        for w in words {
            *distinct.entry(w.as_str()).or_default() += 1;
        }
        // A word met once that is a near miss of a more common one is a typo, not a word of
        // the enum: `check` reports it.
        let kept: Vec<&str> = distinct
            .iter()
            .filter(|(w, n)| {
                **n > 1
                    || !distinct
                        .iter()
                        .any(|(o, m)| *m > 1 && o != *w && did_you_mean(w, [*o]).is_some())
            })
            .map(|(w, _)| *w)
            .collect();
        // Each word is written twice on average (three times in lists, which hold names more
        // often): a few words repeated, not names.
        let repeated = words.len() >= if lists { 3 } else { 2 } * kept.len();
        if kept.len() >= 2 && kept.len() <= MAX_ENUM && repeated && words.len() >= 4 {
            let list: Vec<String> = kept.iter().map(|w| super::text::flow_scalar(w)).collect();
            return (
                format!("type: enum, values: [{}]", list.join(", ")),
                format!("{} words", kept.len()),
            );
        }
        return ("type: string".into(), "short text".into());
    }
    // Anything else written on one line is a string (numbers and words included); text
    // otherwise.
    if shapes.iter().all(|s| *s != Shape::Text) {
        return ("type: string".into(), "text on one line".into());
    }
    ("type: text".into(), "text".into())
}

/// The field for a key from its values in `files` files (`refs`: the kinds whose ids every
/// value names, when it is a reference field).
pub fn field(v: &Values, files: usize, refs: Option<&[String]>) -> Field {
    let mut shapes = Vec::new();
    let mut words = Vec::new();
    let mut lists = false;
    let mut nested = false;
    let mut present = 0;
    for node in &v.values {
        let items: Vec<&Node> = match &node.value {
            Value::Null => continue,
            Value::Seq(items) => {
                lists = true;
                items.iter().collect()
            }
            Value::Map(_) => {
                nested = true;
                present += 1;
                continue;
            }
            _ => vec![*node],
        };
        let empty = matches!(&node.value, Value::Str(s) if s.trim().is_empty())
            || matches!(&node.value, Value::Seq(i) if i.is_empty());
        if !empty {
            present += 1;
        }
        for item in items {
            match shape(item) {
                Some(s) => {
                    shapes.push(s);
                    if s == Shape::Word
                        && let Value::Str(w) = &item.value
                    {
                        words.push(w.trim().to_string());
                    }
                }
                None => nested = true,
            }
        }
    }
    let required = files >= 2 && present == files;
    let (spec, why) = if nested {
        (
            "type: any".to_string(),
            "mappings or nested lists".to_string(),
        )
    } else if let Some(to) = refs {
        let to = to.join(", ");
        if lists
            || v.values
                .iter()
                .any(|n| n.scalar_text().is_some_and(|t| t.contains(',')))
        {
            (
                format!("type: list, of: ref, to: [{to}]"),
                format!("ids of {to} documents"),
            )
        } else {
            (
                format!("type: ref, to: [{to}]"),
                format!("the id of a {to}"),
            )
        }
    } else {
        let (ty, why) = scalar_type(&shapes, &words, lists);
        if lists {
            let of = ty.strip_prefix("type: ").unwrap_or(&ty);
            let of = of.to_string();
            (format!("type: list, of: {of}"), format!("lists of {why}"))
        } else {
            (ty, why)
        }
    };
    Field {
        key: v.key.to_string(),
        name: field_name(v.key),
        spec,
        required,
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(yaml: &[&str]) -> Vec<Node> {
        yaml.iter()
            .map(|y| {
                crate::frontmatter::parse_yaml(&format!("k: {y}\n"), 1)
                    .unwrap()
                    .get("k")
                    .unwrap()
                    .clone()
            })
            .collect()
    }

    fn infer(yaml: &[&str], files: usize) -> Field {
        let n = nodes(yaml);
        field(
            &Values {
                key: "k",
                values: n.iter().collect(),
            },
            files,
            None,
        )
    }

    #[test]
    fn types_from_values() {
        for (values, spec) in [
            (&["true", "false"][..], "type: bool"),
            (&["1", "2"], "type: integer"),
            (&["1", "2.5"], "type: number"),
            (&["2024-01-02", "2023-12-31"], "type: date"),
            (
                &["2024-01-02 10:00:00 +01:00", "2024-01-02T10:00:00Z"],
                "type: datetime",
            ),
            (
                &["https://github.com/a/b/pull/1", "https://x.io"],
                "type: url",
            ),
            (&["ana@example.com", "bo@example.org"], "type: email"),
            (&["[a, b]", "c"], "type: list, of: string"),
            (
                &["[a, b]", "[b, a]", "[a]", "a"],
                "type: list, of: enum, values: [a, b]",
            ),
            (
                &[
                    "https://a.io/1",
                    "https://a.io/2",
                    "https://a.io/3",
                    "https://a.io/4",
                    "a.io/5",
                ],
                "type: url",
            ),
            (
                &[
                    "https://a.io/1",
                    "https://a.io/2",
                    "https://a.io/3",
                    "a.io/4",
                ],
                "type: string",
            ),
            (&["{a: 1}", "x"], "type: any"),
            (&["a", "b", "c", "d"], "type: string"),
            (
                &[
                    "a long sentence that goes on and on for more than forty characters",
                    "x",
                ],
                "type: string",
            ),
            (&["|\n  two\n  lines", "x"], "type: text"),
        ] {
            assert_eq!(infer(values, values.len()).spec, spec, "{values:?}");
        }
    }

    #[test]
    fn enums_leave_out_typos_and_need_repeats() {
        // `Final` and `fianl` are met once, near a common word: `check` reports them.
        let f = infer(
            &[
                "draft", "final", "draft", "final", "Final", "review", "review", "fianl",
            ],
            8,
        );
        assert_eq!(f.spec, "type: enum, values: [draft, final, review]");
        assert!(f.required);
        let f = infer(&["Last Call", "Last Call", "Draft", "Draft"], 6);
        assert_eq!(f.spec, "type: enum, values: [Draft, Last Call]");
        assert!(!f.required);
    }

    #[test]
    fn typos_are_rare_near_misses_of_common_keys() {
        let counts: BTreeMap<String, usize> = [
            ("team", 20),
            ("teem", 1),
            ("stage", 20),
            ("notes", 2),
            ("note", 1),
        ]
        .into_iter()
        .map(|(k, n)| (k.to_string(), n))
        .collect();
        assert_eq!(typo_of("teem", 1, &counts), Some("team"));
        assert_eq!(typo_of("note", 1, &counts), Some("notes"));
        assert_eq!(typo_of("team", 20, &counts), None);
        assert_eq!(typo_of("notes", 2, &counts), None);
        assert_eq!(field_name("Feature Name"), "feature_name");
        assert_eq!(field_name("discussions-to"), "discussions-to");
    }
}
