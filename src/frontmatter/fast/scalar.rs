//! Keys and scalars for the fast path: where they end on their line, and the value
//! serde-saphyr gives a plain scalar (or `None` where that is not sure).

use super::super::{Node, Value};
use crate::diagnostic::Span;

/// Longer keys go to serde-saphyr (an implicit key is limited in YAML).
const MAX_KEY: usize = 128;

/// Where a plain scalar in a flow collection ends: at a flow indicator, a quote, a ` #`, or a
/// `:` that is not followed by a letter, digit or `/` (`role:ops` and `a#b` are one scalar).
pub(super) fn flow_plain_len(text: &str) -> usize {
    let b = text.as_bytes();
    (0..b.len())
        .find(|&i| match b[i] {
            b':' => !colon_inside(text, i),
            b'#' => i == 0 || b[i - 1] == b' ',
            c => b",[]{}\"'".contains(&c),
        })
        .unwrap_or(b.len())
}

/// A plain scalar in a block that starts `text`: itself (trimmed) and where it ends (at the
/// end of the line or at a ` #` comment); `None` when it holds a `:` that would end it.
pub(super) fn block_plain(text: &str) -> Option<(&str, usize)> {
    let end = text.find(" #").unwrap_or(text.len());
    let s = text[..end].trim_end_matches(' ');
    s.match_indices(':')
        .all(|(i, _)| colon_inside(s, i))
        .then_some((s, end))
}

/// A `:` at byte `i` of a plain scalar that is part of it: followed by a letter, a digit or `/`.
fn colon_inside(text: &str, i: usize) -> bool {
    text.as_bytes()
        .get(i + 1)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'/')
}

pub(super) fn skip_spaces(text: &str, i: usize) -> usize {
    i + text[i..].len() - text[i..].trim_start_matches(' ').len()
}

/// Nothing but blanks, or blanks and a comment, follow a value.
pub(super) fn rest_is_blank(rest: &str) -> bool {
    let t = rest.trim_start_matches(' ');
    t.is_empty() || (t.starts_with('#') && t.len() < rest.len())
}

/// A list item: `-` then a space or the end of the line.
pub(super) fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// The length of the plain key that starts `text` when it is followed by `:` and a space or
/// the end of the line: a letter or `_`, then letters, digits, `_`, `.`, `-` and inner spaces,
/// and not a null or boolean spelling.
pub(super) fn key_len(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if !b.first()?.is_ascii_alphabetic() && b[0] != b'_' {
        return None;
    }
    let len = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || b"_.- ".contains(&c)))?;
    let key = &text[..len];
    let ok = b[len] == b':'
        && matches!(b.get(len + 1), None | Some(b' '))
        && !key.ends_with(' ')
        && len <= MAX_KEY
        && keyword(key).is_none();
    ok.then_some(len)
}

/// The value of a null or boolean spelling.
fn keyword(s: &str) -> Option<Value> {
    match s {
        "null" | "Null" | "NULL" | "~" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// A one-line quoted scalar at the start of `text` without escapes: its value and the length
/// it takes (quotes included).
pub(super) fn quoted(text: &str) -> Option<(String, usize)> {
    let quote = text.as_bytes()[0];
    let body = &text[1..];
    let end = body.bytes().position(|b| b == quote)?;
    let inner = &body[..end];
    let escaped = if quote == b'"' {
        inner.contains('\\')
    } else {
        body.as_bytes().get(end + 1) == Some(&b'\'')
    };
    (!escaped).then(|| (inner.to_string(), end + 2))
}

pub(super) fn null(span: Span) -> Node {
    Node {
        span,
        value: Value::Null,
        raw: None,
    }
}

pub(super) fn string(span: Span, s: String) -> Node {
    Node {
        span,
        value: Value::Str(s),
        raw: None,
    }
}

/// A plain scalar (already trimmed) typed as serde-saphyr types it, or `None` when unsure.
pub(super) fn scalar(s: &str, span: Span) -> Option<Node> {
    let first = *s.as_bytes().first()?;
    let signed_digit = matches!(first, b'+' | b'-') && s.as_bytes().get(1)?.is_ascii_digit();
    let (value, raw) = if let Some(v) = keyword(s) {
        let raw = matches!(v, Value::Bool(_)).then(|| s.to_string());
        (v, raw)
    } else if first.is_ascii_digit() || signed_digit {
        (number(s)?, None)
    } else if b"-?:,[]{}#&*!|>'\"%@`.+".contains(&first) {
        return None;
    } else {
        (Value::Str(s.to_string()), None)
    };
    let raw = match &value {
        Value::Int(_) | Value::Float(_) => Some(s.to_string()),
        Value::Str(s) if s.contains(',') => Some(s.clone()),
        _ => raw,
    };
    Some(Node { span, value, raw })
}

/// A plain scalar that starts with a digit or a signed digit: an integer, a float or a string.
fn number(s: &str) -> Option<Value> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let no_lead_zero = |t: &str| t == "0" || !t.starts_with('0');
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let signed = body.len() < s.len();
    if digits(body) && no_lead_zero(body) && body.len() <= 18 {
        return s.parse().ok().map(Value::Int);
    }
    if let Some((int, frac)) = body.split_once('.')
        && digits(int)
        && no_lead_zero(int)
        && digits(frac)
    {
        return s.parse().ok().map(Value::Float);
    }
    if signed {
        return None;
    }
    // Dates (`2026-11-23`, `2026-10`) and versions (`1.2.3`) are strings.
    let b = s.as_bytes();
    let date = s.contains('-') && s.split('-').all(digits);
    let version = s.split('.').count() >= 3 && s.split('.').all(digits);
    // So is anything with a character no decimal spelling holds (`2026-Q2`, `12:30`, `180d`),
    // but for the hexadecimal, octal and binary prefixes.
    let prefixed = b.len() > 1 && b[0] == b'0' && b"xXoObB".contains(&b[1]);
    let wordy = !prefixed
        && s.bytes()
            .any(|c| !(c.is_ascii_digit() || b"._+-eE".contains(&c)));
    (date || version || wordy).then(|| Value::Str(s.to_string()))
}
