//! A fast path for the simple YAML most frontmatter blocks are written in.
//!
//! [`parse_simple`] reads a block mapping of plain keys to one-line scalars, one-line flow
//! lists and mappings of scalars, nested block mappings and block lists, and gives exactly the
//! [`Node`] serde-saphyr gives for it (values, positions, `raw`), or `None` for anything
//! outside that subset: the caller then asks serde-saphyr, which also makes every error
//! message. So any doubt gives `None`; a `None` is always correct.
//!
//! The conventions it follows were found by running serde-saphyr (`strict_booleans: true`):
//! - a block mapping is where its first key is; a flow collection where its bracket is; a
//!   quoted scalar where its opening quote is; an empty value (`key:`) where its colon is;
//! - a block list is where its first `-` is, except a list written at its key's own
//!   indentation (`key:` then `- x` in the same column): that one is where its first item is;
//! - columns count characters, not bytes;
//! - `raw` is the text as written for numbers and booleans, and for plain strings that hold a
//!   comma; it is `None` otherwise (quoted strings, nulls, collections);
//! - only `null`/`Null`/`NULL`/`~` are null and `true`/`True`/`TRUE`/`false`/`False`/`FALSE`
//!   booleans; `yes`, `on`, `NaN`, `inf`, dates and times are strings; decimal integers
//!   without leading zeros are integers, `1.5`-like decimals floats. Other spellings that
//!   start with a digit, a sign or a dot (`007`, `1e3`, `0x1f`, `1_000`, `.5`, `.inf`) are
//!   left to serde-saphyr.

use super::{Key, Node, Value};
use crate::diagnostic::Span;

use scalar::{
    block_plain, flow_plain_len, is_item, key_len, null, quoted, rest_is_blank, scalar,
    skip_spaces, string,
};

mod scalar;

/// Larger blocks go to serde-saphyr (far below its node and scalar budgets).
const MAX_LEN: usize = 64 * 1024;
/// Deeper nesting goes to serde-saphyr (below its depth limit).
const MAX_DEPTH: usize = 8;

/// [`parse_simple`]; debug builds check what it gives against serde-saphyr's node, so every
/// test that reads frontmatter cross-checks the fast path.
pub(super) fn parse_fast(yaml: &str, first_line: u32) -> Option<Node> {
    let node = parse_simple(yaml, first_line)?;
    #[cfg(debug_assertions)]
    assert_eq!(
        Ok(&node),
        super::parse_saphyr(yaml, first_line).as_ref(),
        "the fast path differs from serde-saphyr on {yaml:?}"
    );
    Some(node)
}

/// Parse `yaml` (its first line is file line `first_line`) when it is simple YAML; `None`
/// when it is not (or not surely).
pub(super) fn parse_simple(yaml: &str, first_line: u32) -> Option<Node> {
    if yaml.len() > MAX_LEN || !yaml.chars().all(plain_char) {
        return None;
    }
    // Lines may end in CRLF (a file saved on Windows): a carriage return anywhere else is left
    // to serde-saphyr.
    let b = yaml.as_bytes();
    if yaml
        .match_indices('\r')
        .any(|(i, _)| b.get(i + 1) != Some(&b'\n'))
    {
        return None;
    }
    let mut lines = Vec::new();
    for (no, text) in yaml.split('\n').enumerate() {
        let text = text.strip_suffix('\r').unwrap_or(text);
        let indent = text.len() - text.trim_start_matches(' ').len();
        let content = &text[indent..];
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if ["---", "...", "%"].iter().any(|m| text.starts_with(m)) {
            return None;
        }
        lines.push(Line {
            no: u32::try_from(no).ok()?,
            text,
            indent,
        });
    }
    let mut p = Parser {
        lines,
        pos: 0,
        first_line,
    };
    let indent = p.lines.first()?.indent;
    let node = p.map(indent, 1)?;
    (p.pos == p.lines.len()).then_some(node)
}

/// The characters the fast path accepts anywhere: printable, and no blank but the space and
/// line ends (no tab, no byte-order mark, no Unicode line or paragraph separator).
fn plain_char(c: char) -> bool {
    match c {
        '\n' | '\r' | ' '..='~' => true,
        _ if c.is_ascii() || c.is_control() || c.is_whitespace() => false,
        '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    }
}

/// A line with content; `indent` is where its content starts (for a list item's mapping, the
/// column after `- `).
#[derive(Clone, Copy)]
struct Line<'a> {
    no: u32,
    text: &'a str,
    indent: usize,
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    first_line: u32,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    fn span(&self, line: Line, at: usize) -> Span {
        let before = &line.text[..at];
        let col = if before.is_ascii() {
            at
        } else {
            before.chars().count()
        };
        Span::new(
            self.first_line.saturating_add(line.no),
            u32::try_from(col + 1).unwrap_or(u32::MAX),
        )
    }

    /// A following line indented more than `indent` would continue a scalar: give up.
    fn ends_at(&self, indent: usize) -> Option<()> {
        match self.peek() {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }

    /// The block mapping whose keys are in column `indent`.
    fn map(&mut self, indent: usize, depth: usize) -> Option<Node> {
        let mut entries = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            self.pos += 1;
            let len = key_len(&line.text[indent..])?;
            let key = Key {
                name: line.text[indent..indent + len].to_string(),
                span: self.span(line, indent),
            };
            let colon = indent + len;
            let rest = line.text[colon + 1..].trim_start_matches(' ');
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.block_value(line, indent, colon, depth)?
            } else {
                let value = self.inline(line, line.text.len() - rest.len())?;
                self.ends_at(indent)?;
                value
            };
            entries.push((key, value));
        }
        let span = entries.first()?.0.span;
        Some(Node {
            span,
            value: Value::Map(entries),
            raw: None,
        })
    }

    /// The value of a key written without one on its line (`key:`, in column `indent`): a
    /// nested mapping or list, or null.
    fn block_value(
        &mut self,
        line: Line,
        indent: usize,
        colon: usize,
        depth: usize,
    ) -> Option<Node> {
        let Some(next) = self.peek() else {
            return Some(null(self.span(line, colon)));
        };
        let dash = is_item(&next.text[next.indent..]);
        if next.indent < indent || (next.indent == indent && !dash) {
            return Some(null(self.span(line, colon)));
        }
        if depth >= MAX_DEPTH {
            return None;
        }
        if next.indent == indent {
            self.seq(indent, true, depth + 1)
        } else if dash {
            self.seq(next.indent, false, depth + 1)
        } else {
            self.map(next.indent, depth + 1)
        }
    }

    /// The block list whose `-` are in column `indent`; `indentless` when it is written at its
    /// key's own indentation (it then ends at the next key).
    fn seq(&mut self, indent: usize, indentless: bool, depth: usize) -> Option<Node> {
        let mut items = Vec::new();
        let mut span = None;
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if !is_item(&line.text[indent..]) {
                if indentless {
                    break;
                }
                return None;
            }
            let rest = line.text[indent + 1..].trim_start_matches(' ');
            if rest.is_empty() || rest.starts_with('#') || is_item(rest) {
                return None;
            }
            let at = line.text.len() - rest.len();
            if !indentless {
                span.get_or_insert(self.span(line, indent));
            }
            let item = if key_len(rest).is_some() {
                if depth >= MAX_DEPTH {
                    return None;
                }
                // The item's mapping: its keys are in the column after `- `.
                self.lines[self.pos].indent = at;
                self.map(at, depth + 1)?
            } else {
                self.pos += 1;
                let item = self.inline(line, at)?;
                self.ends_at(indent)?;
                item
            };
            span.get_or_insert(item.span);
            items.push(item);
        }
        Some(Node {
            span: span?,
            value: Value::Seq(items),
            raw: None,
        })
    }

    /// A value that starts at byte `at` of `line` and ends with the line (or a comment).
    fn inline(&self, line: Line, at: usize) -> Option<Node> {
        let text = &line.text[at..];
        let span = self.span(line, at);
        let (node, end) = match text.as_bytes()[0] {
            b'"' | b'\'' => {
                let (s, end) = quoted(text)?;
                (string(span, s), end)
            }
            b'[' | b'{' => return self.flow(line, at),
            _ => {
                let (s, end) = block_plain(text)?;
                (scalar(s, span)?, end)
            }
        };
        rest_is_blank(&text[end..]).then_some(node)
    }

    /// A flow list `[a, b]` or flow mapping `{k: v}` of scalars, on one line.
    fn flow(&self, line: Line, at: usize) -> Option<Node> {
        let text = line.text;
        let is_map = text.as_bytes()[at] == b'{';
        let close = if is_map { b'}' } else { b']' };
        let mut items = Vec::new();
        let mut entries = Vec::new();
        let mut i = skip_spaces(text, at + 1);
        if text.as_bytes().get(i) == Some(&close) {
            i += 1;
        } else {
            loop {
                let key = if is_map {
                    let len = key_len(&text[i..])?;
                    let key = Key {
                        name: text[i..i + len].to_string(),
                        span: self.span(line, i),
                    };
                    // `{x:1}` is the key `x:1`: a flow key needs `: `.
                    if text.as_bytes().get(i + len + 1) != Some(&b' ') {
                        return None;
                    }
                    i = skip_spaces(text, i + len + 1);
                    Some(key)
                } else {
                    None
                };
                let span = self.span(line, i);
                let rest = &text[i..];
                let (node, len) = match rest.as_bytes().first()? {
                    b'"' | b'\'' => {
                        let (s, len) = quoted(rest)?;
                        (string(span, s), len)
                    }
                    _ => {
                        let len = flow_plain_len(rest);
                        (scalar(rest[..len].trim_end_matches(' '), span)?, len)
                    }
                };
                match key {
                    Some(key) => entries.push((key, node)),
                    None => items.push(node),
                }
                i = skip_spaces(text, i + len);
                match text.as_bytes().get(i) {
                    Some(&b',') => {
                        i = skip_spaces(text, i + 1);
                        // A trailing comma: left to serde-saphyr.
                        if text.as_bytes().get(i) == Some(&close) {
                            return None;
                        }
                    }
                    Some(&c) if c == close => {
                        i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        if !rest_is_blank(&text[i..]) {
            return None;
        }
        let value = if is_map {
            Value::Map(entries)
        } else {
            Value::Seq(items)
        };
        Some(Node {
            span: self.span(line, at),
            value,
            raw: None,
        })
    }
}

#[cfg(test)]
mod tests;
