//! A YAML error as a finding: where the faulty construct starts, what is wrong in plain words,
//! and help that fits the mistake.
//!
//! The parser's own position is where it gave up; [`super::scan`] knows where quotes, brackets
//! and lines start, so an unclosed `[` is reported at the `[`, a tab at the tab, and a badly
//! indented key at the key.

use serde_saphyr::granit_parser::ErrorKind as Syntax;
use serde_saphyr::{Error, ExternalMessageSource};

use super::diagnosis::{
    Diagnosis, GENERIC_HELP, diag, plain_parser_text, unclosed, unknown_anchor,
};
use super::scan::{self, Pos, Scan};
use crate::escape::clip;

/// How deep YAML may nest: frontmatter needs a few levels; the limit keeps the parser's
/// recursion far from the end of a thread's stack.
pub const MAX_DEPTH: usize = 24;

/// What the parser reported, without its wrappers.
fn innermost(err: &Error) -> &Error {
    match err {
        Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => innermost(error),
        e => e,
    }
}

/// Where the parser stopped.
fn position(err: &Error) -> Option<Pos> {
    let l = err.location()?;
    (l.line() > 0).then(|| {
        (
            u32::try_from(l.line()).unwrap_or(u32::MAX),
            u32::try_from(l.column().max(1)).unwrap_or(u32::MAX),
        )
    })
}

/// Explain why `yaml` did not parse; its first line is file line `first_line` (messages that
/// name another line give its file line).
pub fn diagnose(yaml: &str, err: &Error, first_line: u32) -> Diagnosis {
    let err = innermost(err);
    let at = position(err);
    if let Some(d) = limit(err, at) {
        return d;
    }
    let syntax = match err {
        Error::ExternalMessage { source, .. } => match &**source {
            ExternalMessageSource::Parser(e) => Some(e.kind()),
            _ => None,
        },
        _ => None,
    };
    let scan = scan::scan(yaml);
    // A bracket closed by the wrong one: the parser knows which one opened it.
    let mismatched = matches!(syntax, Some(Syntax::MismatchedFlowCollectionEnd { .. }));
    if !mismatched
        && let Some(d) = from_scan(
            &scan,
            at,
            syntax,
            matches!(err, Error::MultipleDocuments { .. }),
        )
    {
        return d;
    }
    match syntax {
        Some(kind) => {
            super::syntax::from_syntax(yaml, &scan, at, kind, first_line.saturating_sub(1))
        }
        None => other(yaml, err, at),
    }
}

/// Budget and alias limits: what was too much, in plain words.
fn limit(err: &Error, at: Option<Pos>) -> Option<Diagnosis> {
    use serde_saphyr::budget::BudgetBreach as B;
    const HELP: &str = "opsbook stops reading YAML that would take too much memory or time; \
                        frontmatter needs a few levels of nesting and few, if any, aliases";
    let aliases = "aliases (`*name`) repeat their anchors (`&name`) too often";
    let message = match err {
        Error::Budget { breach, .. } => match breach {
            B::Depth { .. } => format!("nested more than {MAX_DEPTH} levels deep"),
            B::Nodes { nodes } => format!("more than {} values", nodes.saturating_sub(1)),
            B::Events { events } => format!("more than {} YAML items", events.saturating_sub(1)),
            B::Aliases { aliases } => {
                format!("more than {} aliases (`*name`)", aliases.saturating_sub(1))
            }
            B::Anchors { anchors } => {
                format!("more than {} anchors (`&name`)", anchors.saturating_sub(1))
            }
            B::AliasAnchorRatio { aliases, anchors } => format!(
                "{aliases} aliases (`*name`) for {anchors} anchors (`&name`), far more repeats \
                 than a document needs"
            ),
            B::ScalarBytes { .. } => "text values of more than 64 MiB in all".to_string(),
            B::Documents { .. } => "too many YAML documents".to_string(),
            _ => aliases.to_string(),
        },
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => aliases.to_string(),
        Error::ExternalMessage { source, .. } => match &**source {
            ExternalMessageSource::Parser(e) if *e.kind() == Syntax::RecursionLimitExceeded => {
                format!("nested more than {MAX_DEPTH} levels deep")
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(diag(at, format!("too much to read: {message}"), HELP))
}

/// The construct the scanner found broken at or before the parser's position, if any.
fn from_scan(
    scan: &Scan,
    at: Option<Pos>,
    syntax: Option<&Syntax>,
    second_document: bool,
) -> Option<Diagnosis> {
    let stop = at.unwrap_or((u32::MAX, u32::MAX));
    let mut found: Vec<(Pos, Diagnosis)> = Vec::new();
    for c in &scan.constructs {
        let broken = c.closed.is_none() || c.dedent.is_some();
        let holds_stop = c.closed.is_none_or(|end| stop.0 <= end.0);
        if broken && holds_stop && c.at <= stop {
            found.push((c.at, unclosed(c.open, c.at)));
        }
    }
    let tab_error = matches!(
        syntax,
        Some(
            Syntax::TabNotAllowed
                | Syntax::TabInBlockIndentation
                | Syntax::TabInIndentation
                | Syntax::TabInPlainScalar
                | Syntax::TabAtBlockScalarStart
        )
    );
    let near = |line: u32| line == stop.0 || line == stop.0.saturating_add(1);
    if let Some(&tab) = scan
        .tabs
        .iter()
        .find(|t| near(t.0) || (tab_error && t.0 >= stop.0))
    {
        found.push((
            tab,
            diag(
                Some(tab),
                "a tab indents this line",
                "YAML indents with spaces only: replace the tab with spaces",
            ),
        ));
    }
    for c in scan.colons.iter().filter(|c| c.at.0 == stop.0) {
        let value = clip(&c.value, 60);
        found.push((
            c.at,
            diag(
                Some(c.at),
                format!("the value `{value}` holds `: `, which YAML reads as a second key"),
                format!("quote the value: `{}: {}`", c.key, quoted(&value)),
            ),
        ));
    }
    for &(pos, marker) in &scan.markers {
        if pos <= stop || second_document {
            let message = if marker == "---" {
                "`---` starts a second YAML document here"
            } else {
                "`...` ends the YAML document here, and more follows"
            };
            found.push((
                pos,
                diag(
                    Some(pos),
                    message,
                    format!("a file holds one YAML document: remove the `{marker}` line"),
                ),
            ));
        }
    }
    found
        .into_iter()
        .min_by_key(|(pos, _)| *pos)
        .map(|(_, d)| d)
}

/// `value` in quotes YAML reads back as it is.
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// An error that is not about syntax.
fn other(yaml: &str, err: &Error, at: Option<Pos>) -> Diagnosis {
    match err {
        Error::MultipleDocuments { .. } => diag(
            at,
            "a second YAML document starts here",
            "a file holds one YAML document: remove the `---` line",
        ),
        Error::NonFiniteFloat { value, .. } => {
            let value = clip(value, 40);
            diag(
                at,
                format!("`{value}` is not a finite number"),
                format!("write a smaller number, or quote it (`\"{value}\"`) to keep it as text"),
            )
        }
        Error::UnknownAnchor { .. } => unknown_anchor(yaml, at),
        Error::Eof { .. } => diag(at, "the YAML ends in the middle of a value", GENERIC_HELP),
        Error::InvalidScalar { .. } | Error::InvalidBooleanStrict { .. } => diag(
            at,
            "this value does not fit its `!!` tag",
            "remove the tag, or write a value of its type",
        ),
        e => diag(at, plain_parser_text(&e.to_string()), GENERIC_HELP),
    }
}
