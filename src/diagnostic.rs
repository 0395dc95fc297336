//! Problems found in the user's documents, and the catalogue of rules that find them.

use std::path::PathBuf;

use serde::Serialize;

use crate::escape;
pub use crate::rules::{RULES, Rule, RuleInfo};

/// A 1-based file line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

impl Span {
    pub const fn new(line: u32, col: u32) -> Self {
        Span { line, col }
    }
    /// The top of a file: where findings about a missing key point.
    pub const START: Span = Span { line: 1, col: 1 };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding: a rule, a place, a message and optional help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the handbook root.
    pub path: PathBuf,
    pub span: Option<Span>,
    /// Where the flagged value ends (exclusive), when known: used for carets and JSON.
    pub end: Option<Span>,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` at its default severity (configuration may change it later).
    pub fn new(rule: Rule, path: impl Into<PathBuf>, span: Option<Span>) -> Self {
        Diagnostic {
            path: path.into(),
            span,
            end: None,
            severity: rule.severity(),
            rule,
            message: String::new(),
            help: None,
        }
    }
    /// The message; a value quoted in it is cut to a sane length ([`escape::clip_message`]).
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = clipped(message.into());
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clipped(help.into()));
        self
    }
    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help.map(clipped);
        self
    }
    pub fn end(mut self, end: Span) -> Self {
        self.end = Some(end);
        self
    }
    /// Sort key: path, then position, then rule, so output is stable.
    pub fn sort_key(&self) -> (PathBuf, Span, Rule, String) {
        (
            self.path.clone(),
            self.span.unwrap_or_default(),
            self.rule,
            self.message.clone(),
        )
    }
}

fn clipped(text: String) -> String {
    match escape::clip_message(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(cut) => cut,
    }
}

/// The longest word (in bytes) that [`closest`] compares with candidates.
const MAX_TYPO_BYTES: usize = 256;

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A word this long is no typo of an id or a keyword (ids have at most 63 characters), and
    // comparing a megabyte-long value with every candidate would take minutes.
    if word.len() > MAX_TYPO_BYTES {
        return None;
    }
    let lower = word.to_lowercase();
    let limit = (lower.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter_map(|c| {
            let other = c.to_lowercase();
            let edits = strsim::osa_distance(&lower, &other);
            let similar = strsim::jaro_winkler(&lower, &other);
            (edits <= limit || similar >= 0.88).then_some((edits, c))
        })
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, c)| c)
}

/// `did you mean `x`?` for the closest candidate, if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Self {
        let mut c = Counts::default();
        for d in diags {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_typos_only() {
        assert_eq!(
            did_you_mean("nwo", ["later", "next", "now"]).as_deref(),
            Some("did you mean `now`?")
        );
        assert_eq!(
            did_you_mean("tomas-berk", ["tomas-berg", "ana"]).as_deref(),
            Some("did you mean `tomas-berg`?")
        );
        assert_eq!(did_you_mean("zzzz", ["later", "next"]), None);
        assert_eq!(did_you_mean(&"now".repeat(1_000_000), ["now"]), None);
    }

    #[test]
    fn new_diagnostic_takes_the_default_severity() {
        assert_eq!(
            Diagnostic::new(Rule::OrphanPage, "a.md", None).severity,
            Severity::Warning
        );
        assert_eq!(
            Diagnostic::new(Rule::BrokenLink, "a.md", None).severity,
            Severity::Error
        );
    }
}
