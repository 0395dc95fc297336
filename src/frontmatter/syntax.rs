//! Parser syntax errors that the scanner did not trace to a quote, bracket, tab or marker: in
//! plain words, and badly indented lines against the lines above them.

use serde_saphyr::granit_parser::ErrorKind as Syntax;

use super::diagnosis::{
    Diagnosis, GENERIC_HELP, diag, plain_parser_text, unclosed, unknown_anchor, word_at,
};
use super::scan::{BlockLine, Pos, Scan};

/// The block line at `line` and the lines that hold it (less indented, nearest last).
fn context(scan: &Scan, line: u32) -> Option<(&BlockLine, Vec<&BlockLine>)> {
    let here = scan.lines.iter().find(|l| l.line == line)?;
    let mut stack: Vec<&BlockLine> = Vec::new();
    for l in scan.lines.iter().take_while(|l| l.line < line) {
        while stack.last().is_some_and(|t| t.indent >= l.indent) {
            stack.pop();
        }
        stack.push(l);
    }
    Some((here, stack))
}

fn head(l: &BlockLine) -> String {
    if l.dash {
        format!("`{}`", l.head)
    } else {
        format!("`{}:`", l.head)
    }
}

const ALIGN: &str = "keys of one mapping start in the same column; to nest keys under a key, end \
                     that key's line with `:` and indent them below it";

/// A line whose indentation fits none of the lines above it. `offset` turns lines of the YAML
/// text into file lines.
fn indentation(scan: &Scan, at: Option<Pos>, offset: u32) -> Option<Diagnosis> {
    let line = |l: &BlockLine| l.line.saturating_add(offset);
    let (here, stack) = context(scan, at?.0)?;
    let pos = Some((
        here.line,
        u32::try_from(here.indent + 1).unwrap_or(u32::MAX),
    ));
    let parent = stack.iter().rev().find(|l| l.indent < here.indent);
    let deeper = stack.iter().find(|l| l.indent > here.indent);
    let same = stack.iter().find(|l| l.indent == here.indent);
    let name = head(here);
    let d = match (same, deeper, parent) {
        (Some(s), _, _) if s.dash && !here.dash => diag(
            pos,
            format!(
                "{name} stands among list items (`{}`, line {})",
                s.head,
                line(s)
            ),
            "start every list item with `- `; a key of the mapping around the list goes at that mapping's indentation",
        ),
        (Some(s), _, _) if !s.dash && here.dash => diag(
            pos,
            format!(
                "the list item {name} stands among the keys of a mapping ({}, line {})",
                head(s),
                line(s)
            ),
            "put a list under a key: end the key's line with `:` and indent the `- ` items below it",
        ),
        (None, Some(d), Some(p)) => diag(
            pos,
            format!(
                "{name} is indented {} spaces: more than {} (line {}) and less than {} (line {})",
                here.indent,
                head(p),
                line(p),
                head(d),
                line(d)
            ),
            ALIGN,
        ),
        (None, None, Some(p)) if p.has_value => diag(
            pos,
            format!(
                "{name} is indented under {} (line {}), which already has a value",
                head(p),
                line(p)
            ),
            ALIGN,
        ),
        _ => return None,
    };
    Some(d)
}

/// A syntax error the scanner did not explain.
pub(super) fn from_syntax(
    yaml: &str,
    scan: &Scan,
    at: Option<Pos>,
    kind: &Syntax,
    offset: u32,
) -> Diagnosis {
    let text_at = |pos| word_at(yaml, pos);
    match kind {
        Syntax::ExpectedBlockMappingKey
        | Syntax::ExpectedBlockSequenceEntry
        | Syntax::InvalidIndentation
        | Syntax::MappingValueNotAllowed
        | Syntax::BlockSequenceEntryNotAllowed
        | Syntax::InvalidColonPlacement
        | Syntax::UnexpectedEofBlockMapping
        | Syntax::UnexpectedEofBlockSequence => {
            if let Some(d) = indentation(scan, at, offset) {
                return d;
            }
            diag(
                at,
                "unexpected `:` or indentation here",
                format!("{ALIGN}; quote a value that holds `: ` (`key: \"a: b\"`)"),
            )
        }
        Syntax::UnclosedFlowCollection { open } => unclosed(*open, at.unwrap_or((1, 1))),
        Syntax::UnclosedQuotedScalar => unclosed(
            text_at(at).chars().next().unwrap_or('"'),
            at.unwrap_or((1, 1)),
        ),
        Syntax::MisplacedFlowCollectionEnd => diag(
            at,
            format!(
                "`{}` closes nothing",
                text_at(at).chars().next().unwrap_or(']')
            ),
            "remove it, or quote the value if the bracket belongs to its text",
        ),
        Syntax::MismatchedFlowCollectionEnd { open, close } => diag(
            at,
            format!("`{open}` opened here is closed by `{close}`"),
            "close a list `[` with `]` and a mapping `{` with `}`",
        ),
        Syntax::UnknownAnchor => unknown_anchor(yaml, at),
        Syntax::UnexpectedCharacter { character } => diag(
            at,
            format!("a plain value cannot start with `{character}`"),
            format!("quote the value: `\"{}\"`", text_at(at).replace('"', "")),
        ),
        Syntax::InvalidTrailingSingleQuotedScalar | Syntax::InvalidTrailingDoubleQuotedScalar => {
            let start = scan
                .trailing
                .iter()
                .rfind(|&&open| at.is_some_and(|a| open.0 == a.0 && open < a))
                .copied()
                .or(at);
            diag(
                start,
                "the value goes on after its closing quote",
                "quote the whole value, or end the quote where the value ends",
            )
        }
        Syntax::UnknownQuotedScalarEscape
        | Syntax::InvalidQuotedScalarHexEscape
        | Syntax::InvalidLowSurrogateHexEscape
        | Syntax::InvalidLowSurrogate
        | Syntax::MissingLowSurrogate
        | Syntax::UnpairedLowSurrogate
        | Syntax::InvalidUnicodeEscape => diag(
            at,
            "a `\\` escape in this double-quoted value is not valid",
            "in double quotes `\\` starts an escape (`\\n`, `\\\"`, `\\\\`, `\\u00e9`); write a backslash as `\\\\`, or use single quotes, where `\\` is plain text",
        ),
        Syntax::CommentInterceptedScalar => diag(
            at,
            "a comment (` #`) cuts a value that goes on over several lines",
            "put the comment on a line of its own, or quote the value",
        ),
        Syntax::ExpectedWhitespace | Syntax::InvalidMappingValueWhitespace => diag(
            at,
            "`:` after a key must be followed by a space",
            "write `key: value`",
        ),
        Syntax::SimpleKeyExpected => diag(
            at,
            format!("`{}` stands among keys but has no `:`", text_at(at)),
            "write `key: value`; a value that goes on over several lines is indented under its key",
        ),
        Syntax::InvalidSimpleKey => diag(
            at,
            "a key must fit on one line of at most 1024 characters",
            "write `key: value` on one line",
        ),
        Syntax::BlockEntryInFlowCollection => diag(
            at,
            "a `- ` list item inside `[…]` or `{…}`",
            "inside brackets separate items with `,`: `[a, b]`",
        ),
        Syntax::TabNotAllowed
        | Syntax::TabInBlockIndentation
        | Syntax::TabInIndentation
        | Syntax::TabInPlainScalar
        | Syntax::TabAtBlockScalarStart => diag(
            at,
            "a tab where YAML allows only spaces",
            "YAML indents with spaces only: replace the tab with spaces",
        ),
        Syntax::InvalidBlockScalarIndent | Syntax::InvalidBlockScalarHeader => diag(
            at,
            "a `|` or `>` text block is not indented as it began",
            "indent every line of the block at least as far as its first line",
        ),
        other => diag(at, plain_parser_text(&other.to_string()), GENERIC_HELP),
    }
}
