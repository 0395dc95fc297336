//! Generated handbooks: `opsbook.yml` (a custom kind declared under `kinds:`, a built-in kind
//! extended, rules made lenient so that builds go on past findings, mistakes on purpose),
//! versions of `org.yml` (people, roles and teams, valid and not) and a pool of documents.

use proptest::option::weighted;
use proptest::prelude::*;
use proptest::sample::select;

use super::documents::{Doc, SLOTS, doc};

/// A mistake in `opsbook.yml` that must stop every command with exit 2.
#[derive(Clone, Copy, Debug)]
pub enum BrokenConfig {
    UnknownKey,
    BadYaml,
    BadFieldType,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub experiment: bool,
    pub extend_item: bool,
    pub orphan_off: bool,
    pub raw_html: bool,
    /// Every error rule but `duplicate-id` and `url-collision` set to this severity (`off`
    /// included), so that builds go on past findings and write sites with what is broken.
    pub lenient: Option<&'static str>,
    pub broken: Option<BrokenConfig>,
}

/// The rules that are errors by default, but for the two whose findings also stop a build
/// (two documents written to one page).
const ERROR_RULES: &[&str] = &[
    "not-utf8",
    "frontmatter-invalid",
    "frontmatter-missing",
    "unknown-kind",
    "duplicate-key",
    "field-required",
    "field-type",
    "field-enum",
    "field-date",
    "field-period",
    "field-duration",
    "id-syntax",
    "field-range",
    "shipped-date",
    "now-without-owner",
    "raci-accountable",
    "trigger-missing",
    "unresolved-ref",
    "ambiguous-ref",
    "dependency-cycle",
    "dependency-order",
    "registry-cycle",
    "reviewed-in-future",
    "broken-link",
    "broken-anchor",
    "unresolved-link-ref",
    "unpublished-link",
];

/// A generated handbook: its config, the versions of `org.yml` (`None`: no file) and the pool
/// of documents the history writes, moves and deletes.
#[derive(Clone, Debug)]
pub struct Handbook {
    pub config: Config,
    pub org: Vec<Option<String>>,
    pub docs: Vec<Doc>,
    /// Files other than documents added with the first commit (see [`EXTRAS`]).
    pub extras: Vec<&'static str>,
}

/// Files other than documents; `A -> B` is a symbolic link at `A` to `B`: one to a document, a
/// dangling one, a link to itself, an editor's lock file.
pub const EXTRAS: &[&str] = &[
    ".env",
    "assets/logo.txt",
    "static/logo.txt",
    "guides/alias.md -> guide.md",
    "dangling.md -> nowhere.md",
    "loop.md -> loop.md",
    "roadmap/.#sso.md -> ana@host.4242:1700000000",
];

fn org_text() -> impl Strategy<Value = String> {
    let people = prop::sample::subsequence(
        vec![
            "{id: ana, name: Ana, roles: [pm]}",
            "{id: bo, name: Bo, roles: [eng], manager: ana, teams: [core]}",
            "{id: cy, name: Cy, status: left}",
            "{id: ana, name: Ana again}",
            "{id: Bad Id, name: X}",
            "{id: dee, name: Dee, manager: dee}",
            "{id: eva, name: Eva, roles: [ghost], email: eva-at-example}",
        ],
        0..5,
    );
    let roles = prop::sample::subsequence(
        vec![
            "{id: pm, title: PM, responsibilities: [Plans], last_reviewed: 2026-11-01}",
            "{id: eng, title: Engineer, responsibilities: [Builds], reports_to: pm}",
            "{id: qa, title: QA}",
            "{id: cpo, title: CPO, responsibilities: [Strategy], reports_to: cpo}",
        ],
        0..4,
    );
    let teams = prop::sample::subsequence(
        vec![
            "{id: core, name: Core, lead: ana}",
            "{id: growth, name: Growth, parent: core, lead: nobody}",
            "{id: ops, name: Ops, parent: ops}",
        ],
        0..3,
    );
    let broken = weighted(
        0.08,
        select(&["people: [\n", "- a list\n", "people:\n\t- {id: x}\n"][..]),
    );
    (people, roles, teams, broken).prop_map(|(people, roles, teams, broken)| {
        if let Some(b) = broken {
            return b.to_string();
        }
        let mut s = String::new();
        for (key, entries) in [("people", people), ("roles", roles), ("teams", teams)] {
            if !entries.is_empty() {
                s.push_str(key);
                s.push_str(":\n");
                for e in entries {
                    s.push_str(&format!("  - {e}\n"));
                }
            }
        }
        s
    })
}

fn config(broken: bool) -> impl Strategy<Value = Config> {
    let broken = if broken {
        weighted(
            0.15,
            select(
                &[
                    BrokenConfig::UnknownKey,
                    BrokenConfig::BadYaml,
                    BrokenConfig::BadFieldType,
                ][..],
            ),
        )
        .boxed()
    } else {
        Just(None).boxed()
    };
    (
        weighted(0.8, Just(())),
        any::<bool>(),
        weighted(0.3, Just(())),
        any::<bool>(),
        weighted(0.5, select(&["warning", "info", "off"][..])),
        broken,
    )
        .prop_map(
            |(experiment, extend_item, orphan_off, raw_html, lenient, broken)| Config {
                experiment: experiment.is_some()
                    || matches!(broken, Some(BrokenConfig::BadFieldType)),
                extend_item,
                orphan_off: orphan_off.is_some(),
                raw_html,
                lenient,
                broken,
            },
        )
}

/// A handbook of 2 to 7 documents; with `broken_config`, its `opsbook.yml` is sometimes wrong.
pub fn handbook(broken_config: bool) -> impl Strategy<Value = Handbook> {
    let docs = prop::sample::subsequence((0..SLOTS.len()).collect::<Vec<_>>(), 2..8)
        .prop_flat_map(|slots| slots.into_iter().map(doc).collect::<Vec<_>>());
    (
        config(broken_config),
        prop::collection::vec(weighted(0.85, org_text()), 1..3),
        docs,
        prop::sample::subsequence(EXTRAS.to_vec(), 0..=EXTRAS.len()),
    )
        .prop_map(|(config, org, docs, extras)| Handbook {
            config,
            org,
            docs,
            extras,
        })
}

impl Config {
    pub fn render(&self) -> String {
        let mut s = String::from("title: Generated\n");
        let mut rules: Vec<String> = Vec::new();
        if self.orphan_off {
            rules.push("orphan-page: off".into());
        }
        if let Some(severity) = self.lenient {
            rules.extend(ERROR_RULES.iter().map(|r| format!("{r}: {severity}")));
        }
        if !rules.is_empty() {
            s.push_str(&format!("rules: {{{}}}\n", rules.join(", ")));
        }
        if self.raw_html {
            s.push_str("markdown: {raw_html: true}\n");
        }
        if self.experiment || self.extend_item {
            s.push_str("kinds:\n");
        }
        if self.experiment {
            s.push_str(
                "  experiment:\n    folder: experiments\n    fields:\n      \
                 status: {type: enum, values: [planned, running, done], required: true, history: true}\n      \
                 owner: {type: ref, to: [person, team], required: true, history: true}\n      \
                 hypothesis: {type: text, required: true}\n      \
                 start: {type: date}\n      \
                 budget: {type: number}\n      \
                 prs: {type: list, of: url}\n",
            );
            if matches!(self.broken, Some(BrokenConfig::BadFieldType)) {
                s.push_str("      odd: {type: strng}\n");
            }
            s.push_str("    columns: [status, owner, start]\n    review_every: 60d\n");
        }
        if self.extend_item {
            s.push_str(
                "  roadmap-item:\n    fields:\n      \
                 health: {type: enum, values: [on-track, at-risk, off-track]}\n    \
                 aliases: {quarter: target}\n",
            );
        }
        match self.broken {
            Some(BrokenConfig::UnknownKey) => s.push_str("titel: Typo\n"),
            Some(BrokenConfig::BadYaml) => s.push_str("base_url: [https://x.example\n"),
            _ => {}
        }
        s
    }
}
