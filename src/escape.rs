//! Text from documents, file names, git and the environment made safe to print to a terminal or
//! a CI log, and cut to a readable length.
//!
//! A document can hold any character. Printed as it is, an escape sequence (`ESC [2J`) drives the
//! terminal, and a line break followed by `::error …` becomes a GitHub Actions workflow command:
//! the runner reads a command from any line that starts with `::` after leading blanks, and the
//! older form `##[command]` anywhere in a line. So every string that does not come from opsbook
//! itself goes through [`escape`] before it is printed: control characters are shown as
//! `\u{1b}`, line breaks as `\n` and `\r`, the `[` of `##[` as `\u{5b}`, and a leading `:` of
//! `::` as `\u{3a}`. JSON output is written by [`write_json`], which escapes the same
//! characters the JSON way (`\u001b`), so that it parses to the very same values.

use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;

/// The longest value a message quotes in backticks, in characters.
pub const MAX_QUOTED: usize = 200;
/// The longest message or help text, in characters.
pub const MAX_MESSAGE: usize = 1000;
/// Marks where text was cut.
pub const ELLIPSIS: char = '…';

/// Whether `c` must not reach a terminal as it is: control characters (C0, DEL, C1) other than
/// the tab, line and paragraph separators, and the invisible marks that reorder text
/// (bidirectional overrides and isolates).
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// How `c` is printed: itself, or its escape (`\n`, `\r`, `\u{1b}`).
pub fn escape_char(c: char) -> Cow<'static, str> {
    match c {
        '\n' => Cow::Borrowed("\\n"),
        '\r' => Cow::Borrowed("\\r"),
        c if unsafe_char(c) => Cow::Owned(format!("\\u{{{:x}}}", c as u32)),
        c => Cow::Owned(c.to_string()),
    }
}

/// Where a `::` at the start of `s` (after blanks) begins, if it has one.
fn leading_command(s: &str) -> Option<usize> {
    let lead = s.len() - s.trim_start().len();
    s[lead..].starts_with("::").then_some(lead)
}

/// `s` with every character that could drive a terminal or a CI log escaped.
pub fn escape(s: &str) -> Cow<'_, str> {
    let command = leading_command(s);
    if command.is_none() && !s.contains("##[") && !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if unsafe_char(c) {
            out.push_str(&escape_char(c));
        } else if Some(i) == command {
            out.push_str("\\u{3a}");
        } else if c == '[' && s[..i].ends_with("##") {
            out.push_str("\\u{5b}");
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text of several lines from another library (a template error with its snippet): each line
/// escaped, the line breaks kept.
pub fn lines(s: &str) -> String {
    s.split('\n')
        .map(|l| escape(l.strip_suffix('\r').unwrap_or(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Write `value` as pretty JSON whose strings hold no character that could drive a terminal or
/// a CI log: those are written as JSON escapes (`\u001b`, `##\u005b`), so the document parses
/// to the same values.
pub fn write_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let text = serde_json::to_string_pretty(value)?;
    // Outside strings JSON holds only ASCII punctuation, digits, letters and the line breaks of
    // its layout; inside them serde has escaped C0 controls. So every match below is inside a
    // string.
    let unsafe_in_json = |c: char| c != '\n' && unsafe_char(c);
    if !text.contains("##[") && !text.chars().any(unsafe_in_json) {
        return writeln!(out, "{text}");
    }
    let mut safe = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if unsafe_in_json(c) {
            safe.push_str(&format!("\\u{:04x}", c as u32));
        } else if c == '[' && text[..i].ends_with("##") {
            safe.push_str("\\u005b");
        } else {
            safe.push(c);
        }
    }
    writeln!(out, "{safe}")
}

/// A path, escaped for printing.
pub fn path(p: &Path) -> String {
    escape(&p.to_string_lossy()).into_owned()
}

/// A message that may carry opsbook's own `help:` lines (`…\n    help: …`): every part is
/// escaped and only that exact line break is kept, so each printed line starts either where
/// the message starts or with `help:`.
pub fn message(s: &str) -> String {
    const HELP: &str = "\n    help: ";
    s.split(HELP)
        .map(|part| escape(part))
        .collect::<Vec<_>>()
        .join(HELP)
}

/// `s` cut to at most `max` characters, with `…` at the cut.
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((end, _)) => {
            let keep = s[..end]
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(end, |(i, _)| i);
            Cow::Owned(format!("{}{ELLIPSIS}", &s[..keep]))
        }
    }
}

/// A message or help text of sane length: a value quoted in backticks longer than
/// [`MAX_QUOTED`] characters is cut, then the whole text to [`MAX_MESSAGE`].
pub fn clip_message(s: &str) -> Cow<'_, str> {
    if s.len() <= MAX_QUOTED {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks.
        out.push_str(&if i % 2 == 1 {
            clip(part, MAX_QUOTED)
        } else {
            Cow::Borrowed(part)
        });
    }
    match clip(&out, MAX_MESSAGE) {
        Cow::Borrowed(_) => Cow::Owned(out),
        Cow::Owned(cut) => Cow::Owned(cut),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_line_breaks_are_shown_escaped() {
        assert_eq!(
            escape("x\n::error file=a.md,line=1::PWNED"),
            "x\\n::error file=a.md,line=1::PWNED"
        );
        assert_eq!(escape("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(
            escape("a\r\nb\0c\u{7f}d\u{9b}e"),
            "a\\r\\nb\\u{0}c\\u{7f}d\\u{9b}e"
        );
        assert_eq!(escape("abc\u{202e}txt.md"), "abc\\u{202e}txt.md");
        assert_eq!(escape("line\u{2028}sep"), "line\\u{2028}sep");
    }

    #[test]
    fn workflow_commands_cannot_start_in_printed_text() {
        // The runner reads `::cmd::` at the start of a line (after blanks), and `##[cmd]`
        // anywhere in a line.
        assert_eq!(escape("::error::x"), "\\u{3a}:error::x");
        assert_eq!(escape("  ::warning::x"), "  \\u{3a}:warning::x");
        assert_eq!(escape("a ::error::x"), "a ::error::x");
        assert_eq!(
            escape("x ##[error]y ##[group]"),
            "x ##\\u{5b}error]y ##\\u{5b}group]"
        );
        assert_eq!(escape("## [Unreleased]"), "## [Unreleased]");
        assert_eq!(
            lines("error: bad\n --> page.html:1:7\n::error::x\r\n\u{1b}[2J"),
            "error: bad\n --> page.html:1:7\n\\u{3a}:error::x\n\\u{1b}[2J"
        );
    }

    #[test]
    fn json_output_parses_to_the_same_values_and_holds_no_control_characters() {
        let value = serde_json::json!({
            "message": "x\n::error::y \u{1b}[2J \u{9b}31m \u{7f} \u{202e} ##[error]z",
            "plain": "a ## [b] # c",
        });
        let mut out = Vec::new();
        write_json(&mut out, &value).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains("##[") && !text.contains('\u{1b}') && !text.contains('\u{9b}'),
            "{text}"
        );
        assert!(
            text.contains("\\u001b[2J") && text.contains("##\\u005berror]"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 4, "{text}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        assert!(matches!(escape("plain"), Cow::Borrowed("plain")));
        assert_eq!(
            escape("tab\there, ünïcödé, 日本語, `code`"),
            "tab\there, ünïcödé, 日本語, `code`"
        );
        assert_eq!(path(Path::new("a\nb.md")), "a\\nb.md");
    }

    #[test]
    fn messages_keep_only_their_own_help_lines() {
        assert_eq!(
            message("bad `x\ny`\n    help: try `z\u{1b}`"),
            "bad `x\\ny`\n    help: try `z\\u{1b}`"
        );
        // A line break in a value never starts a line, whatever follows it.
        assert_eq!(message("a\n  ::error::x"), "a\\n  ::error::x");
    }

    #[test]
    fn clip_counts_characters_and_marks_the_cut() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("日本語テキスト", 4), "日本語…");
        assert_eq!(clip("", 0), "");
    }

    #[test]
    fn long_quoted_values_and_long_messages_are_cut() {
        let value = "x".repeat(10_000_000);
        let msg = format!("status `{value}` is not one of later, next, now");
        let clipped = clip_message(&msg);
        assert_eq!(
            clipped,
            format!(
                "status `{}…` is not one of later, next, now",
                "x".repeat(MAX_QUOTED - 1)
            )
        );
        let long = "word ".repeat(1000);
        let clipped = clip_message(&long);
        assert_eq!(clipped.chars().count(), MAX_MESSAGE);
        assert!(clipped.ends_with('…'));
        assert_eq!(clip_message("short `value`"), "short `value`");
    }
}
