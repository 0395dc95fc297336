//! A YAML problem as it is reported ([`Diagnosis`]), and the wordings shared by the two places
//! that explain parser errors: the scanner-guided diagnosis and the plain-words one for syntax
//! errors.

use super::scan::Pos;

/// A YAML problem: where (1-based line and column inside the YAML text), what, and help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub at: Option<Pos>,
    pub message: String,
    pub help: String,
}

pub(super) fn diag(
    at: Option<Pos>,
    message: impl Into<String>,
    help: impl Into<String>,
) -> Diagnosis {
    Diagnosis {
        at,
        message: message.into(),
        help: help.into(),
    }
}

pub(super) fn unclosed(open: char, at: Pos) -> Diagnosis {
    let help = match open {
        '[' => {
            "close the list with `]` (`key: [a, b]`), or write one `- item` per line under the key"
        }
        '{' => {
            "close the mapping with `}` (`key: {a: 1}`), or write one `name: value` per line under the key"
        }
        '"' => "end the value with `\"`; inside double quotes write a `\"` as `\\\"`",
        _ => "end the value with `'`; inside single quotes write a `'` as `''`",
    };
    diag(Some(at), format!("unclosed `{open}` opened here"), help)
}

/// The word of `yaml` at `pos` (up to a blank, `,`, `]` or `}`; at most 60 characters).
pub(super) fn word_at(yaml: &str, pos: Option<Pos>) -> String {
    let Some((line, col)) = pos else {
        return String::new();
    };
    yaml.split('\n')
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("")
        .chars()
        .skip(col.saturating_sub(1) as usize)
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
        .take(60)
        .collect()
}

/// An alias that names no anchor.
pub(super) fn unknown_anchor(yaml: &str, at: Option<Pos>) -> Diagnosis {
    let alias = word_at(yaml, at);
    let name = alias.trim_start_matches('*');
    diag(
        at,
        format!("`{alias}` refers to no anchor `&{name}` defined before it"),
        format!(
            "define the anchor first (`key: &{name} value`), or quote the value if `*` is part of its text"
        ),
    )
}

pub(super) const GENERIC_HELP: &str = "check the YAML syntax here; quote a value that holds `: ` or ` #`, or \
                            starts with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or a backtick";

/// The parser's text without its own "at line X column Y".
pub(super) fn plain_parser_text(text: &str) -> String {
    let first = text.lines().next().unwrap_or("").trim();
    let cut = first.find(" at line ").map_or(first, |i| &first[..i]);
    let cut = cut.trim_end_matches(':');
    if cut.is_empty() {
        "invalid YAML".to_string()
    } else {
        cut.to_string()
    }
}
