//! TOML frontmatter (between `+++` lines, as Hugo writes it) into the same [`Node`] tree as
//! YAML, every key and value with its file line and column.
//!
//! TOML has no null; dates and times become strings as written (`2024-05-01`), as a YAML date
//! does. Numbers and booleans keep their text as written, as plain YAML scalars do.

use toml_edit::{Item, Table, Value as TomlValue};

use super::{Key, Node, Value, YamlError};
use crate::diagnostic::Span;

/// Parse TOML text whose first line is file line `first_line`.
pub fn parse_toml(text: &str, first_line: u32) -> Result<Node, YamlError> {
    let lines = Lines::new(text, first_line);
    let doc = toml_edit::Document::parse(text).map_err(|e| YamlError {
        // Errors without a place (a recursion limit) point at the block's first line.
        span: Some(lines.at(e.span().map_or(0, |r| r.start))),
        message: e.message().trim_end().to_string(),
        help: "TOML frontmatter is `key = value` lines between `+++` lines; strings are quoted"
            .to_string(),
    })?;
    Ok(Node {
        span: Span::new(first_line, 1),
        value: table(doc.as_table(), &lines, text),
        raw: None,
    })
}

/// Byte offsets of the block to file lines and columns (in characters).
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    first_line: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: u32) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines {
            text,
            starts,
            first_line,
        }
    }

    fn at(&self, offset: usize) -> Span {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|s| *s <= offset).max(1) - 1;
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        Span::new(
            self.first_line.saturating_add(line),
            u32::try_from(col).unwrap_or(u32::MAX).saturating_add(1),
        )
    }

    fn span(&self, range: Option<std::ops::Range<usize>>, or: Span) -> Span {
        range.map_or(or, |r| self.at(r.start))
    }
}

fn table(t: &Table, lines: &Lines<'_>, text: &str) -> Value {
    let at = lines.span(t.span(), Span::new(lines.first_line, 1));
    Value::Map(
        t.iter()
            .filter_map(|(name, item)| {
                let key_span = lines.span(t.key(name).and_then(|k| k.span()), at);
                let node = item_node(item, key_span, lines, text)?;
                Some((
                    Key {
                        name: name.to_string(),
                        span: key_span,
                    },
                    node,
                ))
            })
            .collect(),
    )
}

/// `None` for an item without a value (toml_edit's `Item::None`, never from parsing).
fn item_node(item: &Item, near: Span, lines: &Lines<'_>, text: &str) -> Option<Node> {
    Some(match item {
        Item::None => return None,
        Item::Value(v) => value_node(v, near, lines, text),
        Item::Table(t) => Node {
            span: lines.span(t.span(), near),
            value: table(t, lines, text),
            raw: None,
        },
        Item::ArrayOfTables(list) => Node {
            span: lines.span(list.span(), near),
            value: Value::Seq(
                list.iter()
                    .map(|t| Node {
                        span: lines.span(t.span(), near),
                        value: table(t, lines, text),
                        raw: None,
                    })
                    .collect(),
            ),
            raw: None,
        },
    })
}

fn value_node(v: &TomlValue, near: Span, lines: &Lines<'_>, text: &str) -> Node {
    let range = v.span();
    let span = lines.span(range.clone(), near);
    let written = || {
        range
            .and_then(|r| text.get(r))
            .map(|t| t.trim().to_string())
    };
    let (value, raw) = match v {
        TomlValue::String(s) => (Value::Str(s.value().clone()), None),
        TomlValue::Integer(i) => (Value::Int(*i.value()), written()),
        TomlValue::Float(f) => (Value::Float(*f.value()), written()),
        TomlValue::Boolean(b) => (Value::Bool(*b.value()), written()),
        TomlValue::Datetime(d) => (Value::Str(d.value().to_string()), None),
        TomlValue::Array(a) => (
            Value::Seq(
                a.iter()
                    .map(|item| value_node(item, span, lines, text))
                    .collect(),
            ),
            None,
        ),
        TomlValue::InlineTable(t) => (
            Value::Map(
                t.iter()
                    .map(|(name, item)| {
                        let key_span = lines.span(t.key(name).and_then(|k| k.span()), span);
                        (
                            Key {
                                name: name.to_string(),
                                span: key_span,
                            },
                            value_node(item, key_span, lines, text),
                        )
                    })
                    .collect(),
            ),
            None,
        ),
    };
    Node { span, value, raw }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        parse_toml(text, 2).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    #[test]
    fn values_become_the_yaml_tree_with_positions() {
        let n = parse(
            "title = \"Pricing\"\nweight = 10\ndraft = false\nratio = 1.50\n\
             date = 2024-05-01\ntags = [\"a\", \"b\"]\n",
        );
        let title = n.get("title").unwrap();
        assert_eq!(title.value, Value::Str("Pricing".into()));
        assert_eq!(title.span, Span::new(2, 9));
        assert_eq!(n.get("weight").unwrap().value, Value::Int(10));
        assert_eq!(n.get("draft").unwrap().value, Value::Bool(false));
        // Numbers keep their text as written.
        assert_eq!(
            n.get("ratio").unwrap().scalar_text().as_deref(),
            Some("1.50")
        );
        assert_eq!(
            n.get("date").unwrap().value,
            Value::Str("2024-05-01".into())
        );
        let Value::Seq(tags) = &n.get("tags").unwrap().value else {
            panic!("tags is a list")
        };
        assert_eq!(tags[1].value, Value::Str("b".into()));
        assert_eq!(tags[1].span, Span::new(7, 14));
        let Value::Map(entries) = &n.value else {
            panic!("a table")
        };
        let names: Vec<_> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["title", "weight", "draft", "ratio", "date", "tags"]);
        assert_eq!(entries[1].0.span, Span::new(3, 1));
    }

    #[test]
    fn tables_inline_tables_and_arrays_of_tables_are_mappings() {
        let n = parse(
            "owner = { id = \"ana\" }\n[params]\nteam = \"growth\"\n\n[[menu.main]]\nname = \"Home\"\n",
        );
        let owner = n.get("owner").unwrap();
        assert_eq!(owner.get("id").unwrap().value, Value::Str("ana".into()));
        assert_eq!(owner.get("id").unwrap().span, Span::new(2, 16));
        let team = n.get("params").unwrap().get("team").unwrap();
        assert_eq!(team.span, Span::new(4, 8));
        let Value::Seq(main) = &n.get("menu").unwrap().get("main").unwrap().value else {
            panic!("an array of tables")
        };
        assert_eq!(
            main[0].get("name").unwrap().value,
            Value::Str("Home".into())
        );
    }

    #[test]
    fn an_empty_block_is_an_empty_mapping() {
        assert_eq!(parse("").value, Value::Map(Vec::new()));
        assert_eq!(parse("# only a comment\n").value, Value::Map(Vec::new()));
    }

    #[test]
    fn errors_have_the_file_position_and_never_panic() {
        let e = parse_toml("title = \"a\"\ntitle = \"b\"\n", 2).unwrap_err();
        assert_eq!(e.span.map(|s| s.line), Some(3), "{e:?}");
        assert!(e.message.contains("duplicate"), "{}", e.message);
        let e = parse_toml("title = Pricing\n", 2).unwrap_err();
        assert_eq!(e.span.map(|s| s.line), Some(2), "{e:?}");
        for hostile in [
            "a = [[[[[[[[[[[[",
            "[a\n",
            "a = \"\\u{0}\"",
            "= 1",
            "a = 1979-05-27T07:32:00Z",
        ] {
            let _ = parse_toml(hostile, 2);
        }
        let deep = format!("a = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_toml(&deep, 2).is_err());
        let dotted = format!("{} = 1\n", vec!["b"; 20_000].join("."));
        let e = parse_toml(&dotted, 2).unwrap_err();
        assert_eq!(e.span, Some(Span::new(2, 1)), "{e:?}");
    }
}
