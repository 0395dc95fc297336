//! Splitting the frontmatter block off a Markdown file and parsing it with positions: YAML
//! between `---` lines, or TOML between `+++` lines (as Hugo writes it).
//!
//! This is the only module that touches the YAML crate (serde-saphyr) and the TOML one
//! (toml_edit). It turns the block into a [`Node`] tree in which every value and every mapping
//! key carries its file line and column, so the model can build typed structs and every rule
//! can point at the exact key or value.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostic::Span;

pub use cache::{Cache, Stats as CacheStats};

mod cache;
mod diagnosis;
mod fast;
mod scan;
mod syntax;
mod toml;
mod yaml_error;

pub use self::toml::parse_toml;

/// A Markdown file split into its frontmatter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The text between the fences (`None` when the file has no frontmatter), in `format`.
    pub yaml: Option<&'a str>,
    /// File line (1-based) of the block's first line.
    pub yaml_line: u32,
    /// The block's notation: YAML (`---`) or TOML (`+++`).
    pub format: Format,
    /// The Markdown body after the closing fence (or the whole file).
    pub body: &'a str,
    /// File line (1-based) of the first body line.
    pub body_line: u32,
}

/// The notation of a frontmatter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
}

impl Format {
    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "YAML",
            Format::Toml => "TOML",
        }
    }

    /// The line that opens and closes the block.
    pub fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// Why a frontmatter block could not be split off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// An opening fence without a closing one (`---` or `...` for YAML, `+++` for TOML).
    Unterminated(Format),
}

/// Parse a frontmatter block in its notation; its first line is file line `first_line`.
pub fn parse_block(text: &str, first_line: u32, format: Format) -> Result<Node, YamlError> {
    match format {
        Format::Yaml => parse_yaml(text, first_line),
        Format::Toml => parse_toml(text, first_line),
    }
}

/// Strip a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn is_fence(line: &str, format: Format, closing: bool) -> bool {
    let line = line
        .trim_end_matches(['\r', '\n'])
        .trim_end_matches([' ', '\t']);
    line == format.fence() || (closing && format == Format::Yaml && line == "...")
}

/// Split `text` (BOM already stripped) into frontmatter and body.
///
/// A file has frontmatter when its first line is exactly `---` (YAML; the block ends at the
/// next line that is `---` or `...`) or `+++` (TOML; it ends at the next `+++` line). A `---`
/// later in the body (a thematic break) is left alone.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = &text[..first_end];
    let Some(format) = [Format::Yaml, Format::Toml]
        .into_iter()
        .find(|f| is_fence(first, *f, false))
    else {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            format: Format::Yaml,
            body: text,
            body_line: 1,
        });
    };
    let yaml_start = first_end;
    let mut pos = yaml_start;
    let mut line_no = 2u32;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if is_fence(&text[pos..end], format, true) {
            return Ok(Split {
                yaml: Some(&text[yaml_start..pos]),
                yaml_line: 2,
                format,
                body: &text[end..],
                body_line: line_no + 1,
            });
        }
        pos = end;
        line_no += 1;
    }
    Err(SplitError::Unterminated(format))
}

/// A YAML value with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
    /// The scalar exactly as written (plain scalars: `1.10` stays `1.10`), when known.
    pub raw: Option<String>,
}

/// The YAML value kinds opsbook distinguishes.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order; duplicate keys are kept so they can be reported.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

impl Node {
    /// The value of `key` in a mapping (the first one when a key is repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a scalar: strings as they are, numbers and booleans as written.
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => self.raw.clone().or_else(|| {
                Some(match &self.value {
                    Value::Int(i) => i.to_string(),
                    Value::Float(f) => f.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => unreachable!("matched above"),
                })
            }),
            _ => None,
        }
    }

    /// A short name of the value's type, for "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML problem located in the file: where the faulty construct starts, what is wrong, and
/// help that fits the mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub span: Option<Span>,
    pub message: String,
    pub help: String,
}

/// Parse YAML text whose first line is file line `first_line`.
///
/// An empty or comment-only block gives `Value::Null`. Simple blocks take a fast path.
pub fn parse_yaml(yaml: &str, first_line: u32) -> Result<Node, YamlError> {
    fast::parse_fast(yaml, first_line).map_or_else(|| parse_saphyr(yaml, first_line), Ok)
}

/// Parse YAML text with serde-saphyr (the empty or comment-only block too).
fn parse_saphyr(yaml: &str, first_line: u32) -> Result<Node, YamlError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::PassThrough,
        with_snippet: false,
        budget: serde_saphyr::budget! {
            max_depth: yaml_error::MAX_DEPTH,
            flow_nesting_limit: yaml_error::MAX_DEPTH,
        },
    };
    let has_content = yaml
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !has_content {
        return Ok(Node {
            span: Span::new(first_line, 1),
            value: Value::Null,
            raw: None,
        });
    }
    let raw = serde_saphyr::from_str_with_options::<RawNode>(yaml, options).map_err(|err| {
        let d = yaml_error::diagnose(yaml, &err, first_line);
        YamlError {
            span: d
                .at
                .map(|(line, col)| Span::new(shift(u64::from(line), first_line), col)),
            message: d.message,
            help: d.help,
        }
    })?;
    Ok(raw.into_node(yaml, first_line))
}

fn shift(line: u64, first_line: u32) -> u32 {
    u32::try_from(line)
        .unwrap_or(u32::MAX)
        .saturating_add(first_line)
        .saturating_sub(1)
}

/// What serde-saphyr gives us: a value and its location, before positions are shifted.
struct RawNode {
    loc: serde_saphyr::Location,
    value: RawValue,
}

enum RawValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<RawNode>),
    Map(Vec<(RawNode, RawNode)>),
}

impl RawNode {
    fn into_node(self, yaml: &str, first_line: u32) -> Node {
        let span = Span::new(
            shift(self.loc.line(), first_line),
            self.loc.column().max(1) as u32,
        );
        let written = || {
            let s = self.loc.span();
            match (s.byte_offset(), s.byte_len()) {
                (Some(off), Some(len)) => yaml
                    .get(off as usize..(off + len) as usize)
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
                _ => None,
            }
        };
        let raw = match &self.value {
            RawValue::Int(_) | RawValue::Float(_) | RawValue::Bool(_) => written(),
            // A plain string with commas (references on one line): where each part starts.
            RawValue::Str(s) if s.contains(',') => written().filter(|w| w == s),
            _ => None,
        };
        let value = match self.value {
            RawValue::Null => Value::Null,
            RawValue::Bool(b) => Value::Bool(b),
            RawValue::Int(i) => Value::Int(i),
            RawValue::Float(f) => Value::Float(f),
            RawValue::Str(s) => Value::Str(s),
            RawValue::Seq(items) => Value::Seq(
                items
                    .into_iter()
                    .map(|n| n.into_node(yaml, first_line))
                    .collect(),
            ),
            RawValue::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        let k = k.into_node(yaml, first_line);
                        let name = k.scalar_text().unwrap_or_default();
                        (Key { name, span: k.span }, v.into_node(yaml, first_line))
                    })
                    .collect(),
            ),
        };
        Node { span, value, raw }
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let sp = serde_saphyr::Spanned::<RawValue>::deserialize(d)?;
        Ok(RawNode {
            loc: sp.referenced,
            value: sp.value,
        })
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
        Ok(RawValue::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
        Ok(RawValue::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
        Ok(i64::try_from(v).map_or(RawValue::Float(v as f64), RawValue::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
        Ok(RawValue::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
        Ok(RawValue::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<RawValue, E> {
        Ok(RawValue::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<RawValue, E> {
        Ok(RawValue::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_none<E: de::Error>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
        Ok(RawValue::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
        RawValue::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<RawNode>()? {
            items.push(item);
        }
        Ok(RawValue::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<RawNode>()? {
            let value = map.next_value::<RawNode>()?;
            entries.push((key, value));
        }
        Ok(RawValue::Map(entries))
    }
}

#[cfg(test)]
mod tests;
