use super::*;
use std::path::PathBuf;

fn cfg() -> Config {
    Config::defaults(PathBuf::from("/h"))
}

fn read(path: &str, text: &str) -> (Doc, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let doc = read_markdown(
        path,
        &std::sync::Arc::new(text.to_string()),
        &cfg(),
        &mut diags,
    );
    (doc, diags)
}

fn rules(diags: &[Diagnostic]) -> Vec<(&str, u32, u32)> {
    diags
        .iter()
        .map(|d| {
            (
                d.rule.name(),
                d.span.map_or(0, |s| s.line),
                d.span.map_or(0, |s| s.col),
            )
        })
        .collect()
}

#[test]
fn roadmap_item_fields_are_typed_with_positions() {
    let (doc, diags) = read(
        "roadmap/sso.md",
        "---\ntitle: SSO\nstatus: now\nowner: person:ana\ndepends_on: [audit-log, role:x]\n\
         score:\n  rice: {reach: 100, impact: 2, confidence: 80%, effort: 4}\ntarget: 2026-Q4\n---\n# SSO\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let item = doc.roadmap().unwrap();
    assert_eq!(doc.kind, Kind::ROADMAP_ITEM);
    assert_eq!(doc.id, "sso");
    assert_eq!(item.status(), Some("now"));
    let owner = item.owner.as_ref().unwrap();
    assert_eq!(
        (owner.kind, owner.id.as_str(), owner.span),
        (Some(Kind::PERSON), "ana", Span::new(4, 8))
    );
    assert_eq!(item.depends_on[1].span, Span::new(5, 25));
    assert_eq!(item.depends_on[1].field, "depends_on[1]");
    let rice = item.rice.as_ref().unwrap();
    assert!((rice.score() - 40.0).abs() < 1e-9);
    assert_eq!(
        item.target.as_ref().unwrap().value.end.to_string(),
        "2026-12-31"
    );
}

#[test]
fn bad_values_are_reported_where_they_are() {
    let (_, diags) = read(
        "roadmap/x.md",
        "---\ntitle: X\nstatus: nwo\nshipped: 2026-02-30\ntarget: 2026-Q5\nreview_every: 3 months\nownr: ana\n---\n",
    );
    let mut found = rules(&diags);
    found.sort_by_key(|r| (r.1, r.2));
    assert_eq!(
        found,
        vec![
            ("field-enum", 3, 9),
            ("field-date", 4, 10),
            ("field-period", 5, 9),
            ("field-duration", 6, 15),
            ("unknown-field", 7, 1),
        ]
    );
    let help = |rule: &str| {
        diags
            .iter()
            .find(|d| d.rule.name() == rule)
            .and_then(|d| d.help.clone())
    };
    assert_eq!(help("field-enum").as_deref(), Some("did you mean `now`?"));
    assert_eq!(
        help("unknown-field").as_deref(),
        Some("did you mean `owner`?")
    );
}

#[test]
fn raci_positions_are_nested() {
    let (doc, diags) = read(
        "charters/product.md",
        "---\ntitle: Product\nmission: Ship\nroles: [pm, eng]\nresponsibilities:\n  - id: plan\n    activity: Plan\n    R: [pm]\n    A: [pm, eng]\n",
    );
    assert!(
        diags.iter().any(|d| d.rule == Rule::FrontmatterInvalid),
        "unterminated: {diags:?}"
    );
    assert!(doc.broken);
    let (doc, diags) = read(
        "charters/product.md",
        "---\ntitle: Product\nmission: Ship\nroles: [pm, eng]\nresponsibilities:\n  - id: plan\n    activity: Plan\n    R: [pm]\n    A: [pm, eng]\n---\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    let row = &doc.charter().unwrap().responsibilities[0];
    assert_eq!(row.a.len(), 2);
    assert_eq!(row.a[1].span, Span::new(9, 13));
    assert_eq!(row.a[1].field, "responsibilities[0].A[1]");
    assert_eq!(row.a_span, Some(Span::new(9, 8)));
}

#[test]
fn missing_frontmatter_on_typed_kind_and_page_titles() {
    let (_, diags) = read("processes/p.md", "# Process\n");
    assert_eq!(rules(&diags), vec![("frontmatter-missing", 1, 1)]);
    let (doc, diags) = read("guides/intro.md", "# Getting started\n\ntext\n");
    assert!(diags.is_empty());
    assert_eq!(
        (doc.kind, doc.title.as_str(), doc.id.as_str()),
        (Kind::PAGE, "Getting started", "guides/intro")
    );
    let (doc, _) = read("empty.md", "");
    assert_eq!(doc.title, "empty");
}

#[test]
fn crlf_bom_and_kind_field() {
    let (doc, diags) = read(
        "x/y.md",
        "\u{feff}---\r\nkind: process\r\ntitle: T\r\nowner: ana\r\nstatus: actve\r\n---\r\n",
    );
    assert_eq!(doc.kind, Kind::PROCESS);
    assert_eq!(rules(&diags), vec![("field-enum", 5, 9)]);
    let (_, diags) = read("x/y.md", "---\nkind: proces\n---\n");
    assert_eq!(rules(&diags), vec![("unknown-kind", 2, 7)]);
}

#[test]
fn invalid_yaml_and_duplicate_keys() {
    let (doc, diags) = read("roadmap/a.md", "---\ntitle: A\nstatus: [now\n---\n");
    assert!(doc.broken);
    assert_eq!(diags[0].rule, Rule::FrontmatterInvalid);
    assert!(diags[0].span.unwrap().line >= 3);
    let (_, diags) = read(
        "roadmap/a.md",
        "---\ntitle: A\nstatus: now\nowner: a\nstatus: next\n---\n",
    );
    assert_eq!(rules(&diags), vec![("duplicate-key", 5, 1)]);
}

#[test]
fn rice_ranges() {
    let (_, diags) = read(
        "roadmap/a.md",
        "---\ntitle: A\nstatus: later\nscore:\n  rice: {reach: 10, impact: 5, confidence: 150%, effort: 0}\n---\n",
    );
    let mut r = rules(&diags);
    r.sort();
    assert_eq!(
        r,
        vec![
            ("field-range", 5, 44),
            ("field-range", 5, 58),
            ("rice-impact-scale", 5, 29)
        ]
    );
}

#[test]
fn org_yml_entries_become_documents() {
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    read_org(
        "org.yml",
        "people:\n  - id: ana\n    name: Ana\n    roles: [pm]\n  - name: Nobody\nroles:\n  - id: pm\n    title: PM\n    responsibilities: [roadmap]\n    reprts_to: cpo\nteams: 5\nextra: 1\n",
        &Config::defaults(PathBuf::from("/h")),
        &crate::frontmatter::Cache::none(),
        &mut docs,
        &mut diags,
    );
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].start, Span::new(2, 5));
    assert_eq!(docs[0].title, "Ana");
    assert_eq!(
        rules(&diags),
        vec![
            ("field-type", 11, 8),
            ("unknown-field", 12, 1),
            ("field-required", 5, 5),
            ("unknown-field", 10, 5)
        ]
    );
}

#[test]
fn bad_id_from_file_name() {
    let (_, diags) = read(
        "roadmap/Search V2.md",
        "---\ntitle: S\nstatus: later\n---\n",
    );
    assert_eq!(rules(&diags), vec![("id-syntax", 1, 1)]);
    assert!(diags[0].help.as_deref().unwrap().contains("search-v2.md"));
}

#[test]
fn a_rice_score_too_large_to_compute_is_out_of_range() {
    let (doc, diags) = read(
        "roadmap/a.md",
        "---\ntitle: A\nstatus: later\nscore:\n  rice: {reach: 1e300, impact: 3, confidence: 1, effort: 1e-308}\n---\n",
    );
    assert!(doc.roadmap().unwrap().rice.is_none());
    assert_eq!(rules(&diags), [("field-range", 5, 58)]);
    assert!(
        diags[0].message.contains("too large"),
        "{}",
        diags[0].message
    );
}

#[test]
fn a_custom_kind_is_read_from_its_spec() {
    let cfg = Config::parse(
        PathBuf::from("/h"),
        std::path::Path::new("/h/opsbook.yml"),
        "kinds:\n  experiment:\n    fields:\n      owner: {type: ref, to: [person], required: true}\n      runs: {type: list, of: integer}\n",
    )
    .unwrap();
    let mut diags = Vec::new();
    let text = Arc::new("---\nowner: person:ana\nruns: [1, x, 3]\n---\n".to_string());
    let doc = read_markdown("experiment/a.md", &text, &cfg, &mut diags);
    assert_eq!(doc.kind.as_str(), "experiment");
    assert_eq!(doc.refs().len(), 1);
    assert_eq!(doc.fields.items("runs").len(), 2);
    assert_eq!(rules(&diags), [("field-type", 3, 11)]);
    assert_eq!(
        diags[0].message,
        "`runs[1]` must be a whole number, found a string"
    );
}

#[test]
fn pages_accept_other_generators_keys_and_folder_index_pages_are_pages() {
    let (doc, diags) = read(
        "guide/setup.md",
        "---\ntitle: Setup\nlayout: doc\npermalink: /guide/setup/\nredirect_from: [/setup/]\n\
         weight: 3\nsidebar_position: 2\ndraft: false\ndate: 2024-03-01 10:30:00 +01:00\n\
         keywords: [a, b]\ndescription: How to\nnav_order: 1\nparent: Guide\nhas_children: true\n\
         slug: setup\naliases: [/old/]\ntoc: true\nsidebar_label: Set up\nlayuot: x\n---\n",
    );
    assert_eq!(doc.title, "Setup");
    assert_eq!(rules(&diags), vec![("unknown-field", 19, 1)]);
    assert!(diags[0].help.as_deref().unwrap().contains("`layout`"));
    // A typed kind still reports them: they are not its fields.
    let (_, diags) = read(
        "roadmap/a.md",
        "---\ntitle: A\nstatus: later\nlayout: doc\n---\n",
    );
    assert_eq!(rules(&diags), vec![("unknown-field", 4, 1)]);
    // A folder's README or index is a page, wherever it is.
    for path in [
        "roadmap/README.md",
        "processes/index.md",
        "people/readme.md",
    ] {
        let (doc, diags) = read(path, "# About\n");
        assert_eq!((doc.kind, diags.len()), (Kind::PAGE, 0), "{path}");
    }
}

/// A kind whose id is another key (`eip: 1559`, by an alias of `id`), and references to it
/// written on one line apart by commas, each at its own column.
#[test]
fn ids_from_another_key_and_comma_separated_references() {
    let cfg = Config::parse(
        PathBuf::from("/h"),
        std::path::Path::new("/h/opsbook.yml"),
        "kinds:\n  standard:\n    folder: EIPS\n    aliases: {eip: id}\n    fields:\n      requires: {type: list, of: ref, to: [standard]}\n",
    )
    .unwrap();
    let mut diags = Vec::new();
    let text = Arc::new("---\neip: 1559\nrequires: 20, 165,\n---\n".to_string());
    let doc = read_markdown("EIPS/eip-1559.md", &text, &cfg, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(doc.id, "1559");
    let refs: Vec<(String, Span)> = doc.refs().iter().map(|r| (r.id.clone(), r.span)).collect();
    assert_eq!(
        refs,
        [
            ("20".to_string(), Span::new(3, 11)),
            ("165".to_string(), Span::new(3, 15))
        ]
    );
    let text = Arc::new("---\neip: 7\nrequires: \"20, 165\"\n---\n".to_string());
    let doc = read_markdown("EIPS/eip-7.md", &text, &cfg, &mut diags);
    assert_eq!(doc.refs().len(), 2);
    assert!(doc.refs().iter().all(|r| r.span == Span::new(3, 11)));
}
