//! The catalogue of rules: every finding names one, by a typed id, so a typo in a rule name
//! does not compile. Names, default severities and summaries live here and nowhere else.

use serde::Serialize;

use crate::diagnostic::Severity;

/// One rule of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    pub rule: Rule,
    pub name: &'static str,
    pub severity: Severity,
    pub family: &'static str,
    pub summary: &'static str,
}

macro_rules! catalogue {
    ($($id:ident = $name:literal, $sev:ident, $family:literal, $summary:literal;)*) => {
        /// A rule of the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Rule {
            $($id,)*
        }

        /// Every rule opsbook knows, with its default severity, in catalogue order.
        pub const RULES: &[RuleInfo] = &[
            $(RuleInfo {
                rule: Rule::$id,
                name: $name,
                severity: $sev,
                family: $family,
                summary: $summary,
            },)*
        ];
    };
}

use Severity::{Error as E, Info as I, Warning as W};

catalogue! {
    NotUtf8 = "not-utf8", E, "parse",
        "the file is not valid UTF-8";
    FrontmatterInvalid = "frontmatter-invalid", E, "parse",
        "frontmatter is not valid YAML, not a mapping, or has no closing `---`";
    FrontmatterMissing = "frontmatter-missing", E, "parse",
        "a roadmap item, charter, process or registry file has no frontmatter";
    UnknownKind = "unknown-kind", E, "parse",
        "`kind:` names a kind opsbook does not know";
    DuplicateKey = "duplicate-key", E, "parse",
        "a key appears twice in one mapping";
    UnknownField = "unknown-field", W, "parse",
        "a field that the kind does not define (probably a typo)";
    SymlinkOutside = "symlink-outside", W, "parse",
        "a symbolic link leads outside the handbook root";
    SymlinkSkipped = "symlink-skipped", W, "parse",
        "a symbolic link is dangling, loops, leads into a hidden file, or is a nested folder link";
    FieldRequired = "field-required", E, "field",
        "a required field is missing or empty";
    FieldType = "field-type", E, "field",
        "a value has the wrong type (a list where a string belongs, ...)";
    FieldEnum = "field-enum", E, "field",
        "a value is not one of the allowed words (status, cadence, ...)";
    FieldDate = "field-date", E, "field",
        "a date is not `YYYY-MM-DD` or not a real calendar day";
    FieldPeriod = "field-period", E, "field",
        "a period is not `YYYY`, `YYYY-Hn`, `YYYY-Qn`, `YYYY-MM` or a date";
    FieldDuration = "field-duration", E, "field",
        "a duration is not `<number><d|w|m|q|y>`";
    IdSyntax = "id-syntax", E, "field",
        "an id is not lowercase words joined by `-` (at most 63 characters)";
    FieldRange = "field-range", E, "field",
        "a number is out of range (RICE effort 0, confidence 150%, start after target, ...)";
    RiceImpactScale = "rice-impact-scale", W, "field",
        "RICE impact is not one of 0.25, 0.5, 1, 2, 3";
    ShippedDate = "shipped-date", E, "document",
        "a shipped item has no `shipped` date, or one in the future";
    NowWithoutOwner = "now-without-owner", E, "document",
        "an item in Now has no owner";
    NextWithoutOwner = "next-without-owner", W, "document",
        "an item in Next has no owner";
    LaterWithTarget = "later-with-target", W, "document",
        "an item in Later already has a target";
    DroppedWithoutReason = "dropped-without-reason", W, "document",
        "a dropped item does not say why";
    TargetPassed = "target-passed", W, "document",
        "an item in Now or Next whose target period has ended";
    RaciAccountable = "raci-accountable", E, "document",
        "a RACI activity does not have exactly one accountable party";
    RaciNoResponsible = "raci-no-responsible", W, "document",
        "a RACI activity has nobody responsible";
    RaciTwoLetters = "raci-two-letters", W, "document",
        "a party holds two RACI letters in one activity (other than A+R)";
    RaciPartyNotInRoles = "raci-party-not-in-roles", W, "document",
        "a RACI party is not among the charter's `roles`";
    TriggerMissing = "trigger-missing", E, "document",
        "an on-demand process does not say what triggers it";
    StepsMissing = "steps-missing", W, "document",
        "an active process has no `## Steps` section";
    DuplicateKeyResult = "duplicate-key-result", E, "document",
        "two key results of one objective share an id";
    KeyResultNoRange = "key-result-no-range", E, "document",
        "a key result's target equals its baseline, so its progress cannot be measured";
    KeyResultNotMeasured = "key-result-not-measured", W, "document",
        "an active objective is past half its period and a key result has no `current`";
    ObjectivePeriodEnded = "objective-period-ended", W, "document",
        "an objective is still `active` after its period ended";
    LaunchTaskOverdue = "launch-task-overdue", W, "document",
        "an open task of a launch checklist is past its due date";
    LaunchReadyOpenTasks = "launch-ready-open-tasks", E, "document",
        "a launch is `ready` but tasks of its checklist are still open";
    DuplicateId = "duplicate-id", E, "cross-document",
        "two documents of one kind share an id";
    UnresolvedRef = "unresolved-ref", E, "cross-document",
        "a reference names nothing, or something of the wrong kind";
    AmbiguousRef = "ambiguous-ref", E, "cross-document",
        "a bare reference matches documents of several kinds";
    DependencyCycle = "dependency-cycle", E, "cross-document",
        "roadmap items depend on each other in a cycle";
    DependencyOrder = "dependency-order", E, "cross-document",
        "an item depends on one in a later column (shipped < now < next < later)";
    RegistryCycle = "registry-cycle", E, "cross-document",
        "`manager`, `parent` or `reports_to` goes round in a cycle";
    OwnerLeft = "owner-left", W, "cross-document",
        "an owner is a person whose status is `left`";
    VacantRole = "vacant-role", W, "cross-document",
        "a role that owns something or sits in a RACI is held by nobody";
    CharterRoleUnused = "charter-role-unused", W, "cross-document",
        "a charter role is neither A nor R in any activity";
    ObjectiveUnsupported = "objective-unsupported", W, "cross-document",
        "an active objective has no roadmap item contributing to its key results";
    LaunchAfterTarget = "launch-after-target", W, "cross-document",
        "a launch is dated after the end of its roadmap item's target";
    LaunchNotLaunched = "launch-not-launched", W, "cross-document",
        "a roadmap item has shipped but its launch is neither `launched` nor `cancelled`";
    ReviewOverdue = "review-overdue", W, "freshness",
        "the review date is past its interval";
    ReviewStale = "review-stale", W, "freshness",
        "the review date is more than twice its interval ago";
    ReviewedInFuture = "reviewed-in-future", E, "freshness",
        "`last_reviewed` is after today";
    ShallowClone = "shallow-clone", W, "freshness",
        "the history is cut (a shallow clone, or a missing commit or tree): git dates at the cut are approximate";
    ReviewFromGit = "review-from-git", I, "freshness",
        "a document without `last_reviewed` is dated by its last commit";
    MissingObjects = "missing-objects", W, "freshness",
        "file contents are missing (a blobless clone, a lost blob): some history values, or the created date of a file moved with edits, are unknown";
    BrokenLink = "broken-link", E, "links",
        "a relative link points at a file that does not exist";
    BrokenAnchor = "broken-anchor", E, "links",
        "a `#anchor` names no heading of the target (GitHub slug rules)";
    UnresolvedLinkRef = "unresolved-link-ref", E, "links",
        "a `kind:id` link names no document";
    UrlCollision = "url-collision", E, "links",
        "two documents would be rendered to the same page";
    OrphanPage = "orphan-page", W, "links",
        "a page that no other document links to";
    UnpublishedLink = "unpublished-link", E, "links",
        "a link points at something the site does not publish";
    UnknownTemplate = "unknown-template", W, "site",
        "a file in `templates/` replaces no built-in template (probably a typo)";
}

impl Rule {
    /// The catalogue entry.
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self as usize]
    }
    /// The kebab-case name users write in `opsbook.yml` and see in output.
    pub fn name(self) -> &'static str {
        self.info().name
    }
    pub fn severity(self) -> Severity {
        self.info().severity
    }
    /// The rule named `name`.
    pub fn parse(name: &str) -> Option<Rule> {
        RULES.iter().find(|r| r.name == name).map(|r| r.rule)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl PartialOrd for Rule {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Rules sort by name, so output ordered by rule reads alphabetically.
impl Ord for Rule {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.name().cmp(other.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_unique_kebab_case_and_in_order() {
        let mut seen = std::collections::HashSet::new();
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.rule as usize, i);
            assert!(seen.insert(r.name), "duplicate rule {}", r.name);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
            );
            assert_eq!(Rule::parse(r.name), Some(r.rule));
        }
    }
}
