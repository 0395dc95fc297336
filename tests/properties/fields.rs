//! The frontmatter entries of each kind of document: every field of the kind, present or not,
//! with values that are right, of the wrong type, misspelt, out of range or naming nothing.
//! Ids come from small pools, so references resolve in some cases and not in others.

use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;

use super::documents::Kind;

const OWNERS: &[&str] = &[
    "ana",
    "bo",
    "cy",
    "pm",
    "eng",
    "core",
    "growth",
    "person:ana",
    "role:pm",
    "team:core",
    "anna",
    "role:ana",
];
const DATES: &[&str] = &[
    "2026-11-01",
    "2026-06-01",
    "2025-01-15",
    "2026-12-25",
    "2026-13-01",
];

/// `key: value` with one of `values`, present with probability `p`.
fn field(
    p: f64,
    key: &'static str,
    values: &'static [&'static str],
) -> BoxedStrategy<Option<String>> {
    weighted(p, select(values))
        .prop_map(move |v| v.map(|v| format!("{key}: {v}")))
        .boxed()
}

fn opt(key: &'static str, values: &'static [&'static str]) -> BoxedStrategy<Option<String>> {
    field(0.4, key, values)
}

fn rare(key: &'static str, values: &'static [&'static str]) -> BoxedStrategy<Option<String>> {
    field(0.1, key, values)
}

/// RACI rows under `key`, with zero, one or two accountable parties and parties that may not
/// exist or not be among the charter's roles.
fn raci(key: &'static str) -> BoxedStrategy<Option<String>> {
    let row = (
        select(&["plan", "ship"][..]),
        weighted(0.8, select(&["[eng]", "[pm, ana]", "[]", "ghost"][..])),
        weighted(0.8, select(&["pm", "[pm, eng]", "ghost", "eng"][..])),
        weighted(0.3, select(&["[eng]", "[pm]"][..])),
        weighted(0.3, select(&["[ana]", "[core]"][..])),
    )
        .prop_map(|(id, r, a, c, i)| {
            let mut s = format!("  - id: {id}\n    activity: Activity {id}");
            for (letter, v) in [("R", r), ("A", a), ("C", c), ("I", i)] {
                if let Some(v) = v {
                    s.push_str(&format!("\n    {letter}: {v}"));
                }
            }
            s
        });
    weighted(0.5, prop::collection::vec(row, 1..3))
        .prop_map(move |rows| rows.map(|rows| format!("{key}:\n{}", rows.join("\n"))))
        .boxed()
}

/// The frontmatter entries of a document of `kind`.
pub fn fields(kind: Kind) -> BoxedStrategy<Vec<String>> {
    let entries: Vec<BoxedStrategy<Option<String>>> = match kind {
        Kind::Item => vec![
            field(0.9, "title", &["Single sign-on", "\"Billing: v2\"", "''"]),
            field(
                0.9,
                "status",
                &[
                    "later",
                    "next",
                    "now",
                    "shipped",
                    "dropped",
                    "nwo",
                    // A value that would start a CI workflow command, and one that would
                    // clear the terminal, were they printed raw.
                    "\"nwo\\n::error file=a.md,line=1::PWNED\"",
                    "\"now\\e[2J\"",
                ],
            ),
            opt("owner", OWNERS),
            opt("team", &["core", "growth", "nope"]),
            opt(
                "target",
                &["2026-Q4", "2027-H1", "2026-Q5", "2026-02-30", "2025"],
            ),
            rare("start", &["2026-Q3", "2027-Q1"]),
            opt("shipped", &["2026-10-01", "2027-01-01"]),
            opt(
                "depends_on",
                &[
                    "[sso]",
                    "[billing, search]",
                    "[gone]",
                    "[process:triage]",
                    "search",
                ],
            ),
            rare(
                "score",
                &[
                    "{rice: {reach: 100, impact: 2, confidence: 80%, effort: 3}}",
                    "{rice: {reach: 100, impact: 1.5, confidence: 150%, effort: 0}}",
                    "{rice: {reach: 1e308, impact: 3, confidence: 100%, effort: 1e-308}}",
                ],
            ),
            rare("dropped_reason", &["Not now."]),
            rare("theme", &["Reach", "日本語", "!!!"]),
            opt("last_reviewed", DATES),
            rare("health", &["on-track", "sideways"]),
            rare("quarter", &["2026-Q4"]),
            rare("ownr", &["ana"]),
        ],
        Kind::Process => vec![
            field(0.9, "title", &["Triage", "Release"]),
            field(0.8, "owner", OWNERS),
            opt("status", &["draft", "active", "deprecated", "actve"]),
            opt("cadence", &["weekly", "on-demand", "6w", "fortnightly"]),
            rare("trigger", &["A page from support."]),
            rare("participants", &["[pm, eng]", "[nobody]"]),
            rare("upstream", &["[triage]", "[release, gone]"]),
            rare("downstream", &["[release]", "[triage]"]),
            raci("raci"),
            opt("last_reviewed", DATES),
            rare("review_every", &["30d", "3 months"]),
        ],
        Kind::Charter => vec![
            field(0.9, "title", &["Platform charter"]),
            field(0.8, "mission", &["Keep the platform up."]),
            opt("team", &["core", "growth", "team:nope"]),
            field(0.6, "roles", &["[pm, eng]", "[pm, ana, core]", "[cpo]"]),
            raci("responsibilities"),
            opt("last_reviewed", DATES),
        ],
        Kind::Person => vec![
            opt("name", &["Ana Lima"]),
            opt("roles", &["[pm]", "[eng, ghost]"]),
            rare("teams", &["[core]", "[nope]"]),
            opt("manager", &["bo", "ana", "cy"]),
            rare("email", &["ana@example.com", "ana-at-example"]),
            opt("status", &["active", "left", "gone"]),
        ],
        Kind::Role => vec![
            field(0.9, "title", &["Engineer"]),
            field(0.8, "responsibilities", &["[Build]", "[]"]),
            opt("reports_to", &["pm", "eng", "nope"]),
            opt("last_reviewed", DATES),
        ],
        Kind::Team => vec![
            opt("name", &["Growth"]),
            opt("lead", &["ana", "bo", "nobody"]),
            opt("parent", &["core", "growth"]),
        ],
        Kind::Experiment => vec![
            opt("title", &["Onboarding email"]),
            field(0.9, "status", &["planned", "running", "done", "runing"]),
            field(0.8, "owner", &["ana", "core", "pm", "anna"]),
            field(0.7, "hypothesis", &["A welcome email lifts activation."]),
            opt("start", &["2026-10-01", "2026-13-01"]),
            rare("budget", &["1200.5", "lots"]),
            rare("prs", &["[https://git.example.com/pr/1]", "[not a url]"]),
            opt("last_reviewed", DATES),
            rare("colour", &["blue"]),
        ],
        Kind::Page => vec![
            opt("title", &["Guide", "Notes"]),
            rare("tags", &["[a, b]", "x"]),
            rare("kind", &["page", "proces", "roadmap-item"]),
            rare("id", &["custom-page", "Bad Id"]),
        ],
    };
    entries
        .prop_map(|v| v.into_iter().flatten().collect())
        .boxed()
}
