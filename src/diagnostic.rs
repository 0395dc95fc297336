//! Problems found in the user's documents, and the catalogue of rules that find them.

use std::path::PathBuf;

use serde::Serialize;

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
    pub rule: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` at its default severity (configuration may change it later).
    pub fn new(rule: &'static str, path: impl Into<PathBuf>, span: Option<Span>) -> Self {
        Diagnostic {
            path: path.into(),
            span,
            end: None,
            severity: rule_info(rule).map_or(Severity::Error, |r| r.severity),
            rule,
            message: String::new(),
            help: None,
        }
    }
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
    pub fn end(mut self, end: Span) -> Self {
        self.end = Some(end);
        self
    }
    /// Sort key: path, then position, then rule, so output is stable.
    pub fn sort_key(&self) -> (PathBuf, Span, &'static str, String) {
        (
            self.path.clone(),
            self.span.unwrap_or_default(),
            self.rule,
            self.message.clone(),
        )
    }
}

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub severity: Severity,
    pub family: &'static str,
    pub summary: &'static str,
}

const fn rule(
    name: &'static str,
    severity: Severity,
    family: &'static str,
    summary: &'static str,
) -> Rule {
    Rule {
        name,
        severity,
        family,
        summary,
    }
}

use Severity::{Error as E, Info as I, Warning as W};

/// Every rule opsbook knows, with its default severity. The README's table mirrors this list.
pub const RULES: &[Rule] = &[
    rule("not-utf8", E, "parse", "the file is not valid UTF-8"),
    rule(
        "frontmatter-invalid",
        E,
        "parse",
        "frontmatter is not valid YAML, not a mapping, or has no closing `---`",
    ),
    rule(
        "frontmatter-missing",
        E,
        "parse",
        "a roadmap item, charter, process or registry file has no frontmatter",
    ),
    rule(
        "unknown-kind",
        E,
        "parse",
        "`kind:` names a kind opsbook does not know",
    ),
    rule(
        "duplicate-key",
        E,
        "parse",
        "a key appears twice in one mapping",
    ),
    rule(
        "unknown-field",
        W,
        "parse",
        "a field that the kind does not define (probably a typo)",
    ),
    rule(
        "field-required",
        E,
        "field",
        "a required field is missing or empty",
    ),
    rule(
        "field-type",
        E,
        "field",
        "a value has the wrong type (a list where a string belongs, ...)",
    ),
    rule(
        "field-enum",
        E,
        "field",
        "a value is not one of the allowed words (status, cadence, ...)",
    ),
    rule(
        "field-date",
        E,
        "field",
        "a date is not `YYYY-MM-DD` or not a real calendar day",
    ),
    rule(
        "field-period",
        E,
        "field",
        "a period is not `YYYY`, `YYYY-Hn`, `YYYY-Qn`, `YYYY-MM` or a date",
    ),
    rule(
        "field-duration",
        E,
        "field",
        "a duration is not `<number><d|w|m|q|y>`",
    ),
    rule(
        "id-syntax",
        E,
        "field",
        "an id is not lowercase words joined by `-` (at most 63 characters)",
    ),
    rule(
        "field-range",
        E,
        "field",
        "a number is out of range (RICE effort 0, confidence 150%, start after target, ...)",
    ),
    rule(
        "rice-impact-scale",
        W,
        "field",
        "RICE impact is not one of 0.25, 0.5, 1, 2, 3",
    ),
    rule(
        "shipped-date",
        E,
        "document",
        "a shipped item has no `shipped` date, or one in the future",
    ),
    rule(
        "now-without-owner",
        E,
        "document",
        "an item in Now has no owner",
    ),
    rule(
        "next-without-owner",
        W,
        "document",
        "an item in Next has no owner",
    ),
    rule(
        "later-with-target",
        W,
        "document",
        "an item in Later already has a target",
    ),
    rule(
        "dropped-without-reason",
        W,
        "document",
        "a dropped item does not say why",
    ),
    rule(
        "raci-accountable",
        E,
        "document",
        "a RACI activity does not have exactly one accountable party",
    ),
    rule(
        "raci-no-responsible",
        W,
        "document",
        "a RACI activity has nobody responsible",
    ),
    rule(
        "raci-two-letters",
        W,
        "document",
        "a party holds two RACI letters in one activity (other than A+R)",
    ),
    rule(
        "raci-party-not-in-roles",
        W,
        "document",
        "a RACI party is not among the charter's `roles`",
    ),
    rule(
        "trigger-missing",
        E,
        "document",
        "an on-demand process does not say what triggers it",
    ),
    rule(
        "steps-missing",
        W,
        "document",
        "an active process has no `## Steps` section",
    ),
    rule(
        "duplicate-id",
        E,
        "cross-document",
        "two documents of one kind share an id",
    ),
    rule(
        "unresolved-ref",
        E,
        "cross-document",
        "a reference names nothing, or something of the wrong kind",
    ),
    rule(
        "ambiguous-ref",
        E,
        "cross-document",
        "a bare reference matches documents of several kinds",
    ),
    rule(
        "dependency-cycle",
        E,
        "cross-document",
        "roadmap items depend on each other in a cycle",
    ),
    rule(
        "dependency-order",
        E,
        "cross-document",
        "an item depends on one in a later column (shipped < now < next < later)",
    ),
    rule(
        "registry-cycle",
        E,
        "cross-document",
        "`manager`, `parent` or `reports_to` goes round in a cycle",
    ),
    rule(
        "owner-left",
        W,
        "cross-document",
        "an owner is a person whose status is `left`",
    ),
    rule(
        "vacant-role",
        W,
        "cross-document",
        "a role that owns something or sits in a RACI is held by nobody",
    ),
    rule(
        "charter-role-unused",
        W,
        "cross-document",
        "a charter role is neither A nor R in any activity",
    ),
    rule(
        "review-overdue",
        W,
        "freshness",
        "the review date is past its interval",
    ),
    rule(
        "review-stale",
        W,
        "freshness",
        "the review date is more than twice its interval ago",
    ),
    rule(
        "reviewed-in-future",
        E,
        "freshness",
        "`last_reviewed` is after today",
    ),
    rule(
        "shallow-clone",
        W,
        "freshness",
        "the history is cut (a shallow clone, or a missing commit or tree): git dates at the cut are approximate",
    ),
    rule(
        "review-from-git",
        I,
        "freshness",
        "a document without `last_reviewed` is dated by its last commit",
    ),
    rule(
        "missing-objects",
        W,
        "freshness",
        "file contents are missing (a blobless clone, a lost blob): some history values, or the created date of a file moved with edits, are unknown",
    ),
    rule(
        "broken-link",
        E,
        "links",
        "a relative link points at a file that does not exist",
    ),
    rule(
        "broken-anchor",
        E,
        "links",
        "a `#anchor` names no heading of the target (GitHub slug rules)",
    ),
    rule(
        "unresolved-link-ref",
        E,
        "links",
        "a `kind:id` link names no document",
    ),
    rule(
        "url-collision",
        E,
        "links",
        "two documents would be rendered to the same page",
    ),
    rule(
        "orphan-page",
        W,
        "links",
        "a page that no other document links to",
    ),
    rule(
        "unknown-template",
        W,
        "site",
        "a file in `templates/` replaces no built-in template (probably a typo)",
    ),
];

/// The catalogue entry of `name`.
pub fn rule_info(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name == name)
}

/// The candidate closest to `word`, when it is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
    fn rule_names_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.name), "duplicate rule {}", r.name);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
            );
        }
    }

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
    }

    #[test]
    fn new_diagnostic_takes_the_default_severity() {
        assert_eq!(
            Diagnostic::new("orphan-page", "a.md", None).severity,
            Severity::Warning
        );
        assert_eq!(
            Diagnostic::new("broken-link", "a.md", None).severity,
            Severity::Error
        );
    }
}
