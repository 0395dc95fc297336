use super::*;
use crate::frontmatter::parse_yaml;

fn kinds(yaml: &str) -> std::result::Result<Kinds, parse::SpecError> {
    parse_kinds(&parse_yaml(yaml, 1).unwrap())
}

#[test]
fn the_builtin_kinds_are_declared_as_data() {
    let k = Kinds::builtin();
    let names: Vec<&str> = k.names();
    assert_eq!(
        names,
        [
            "roadmap-item",
            "charter",
            "process",
            "person",
            "role",
            "team",
            "objective",
            "metric",
            "launch",
            "page"
        ]
    );
    let item = k.spec(Kind::ROADMAP_ITEM);
    assert_eq!(item.folders, ["roadmap"]);
    assert_eq!(item.title, TitleRule::Required);
    let status = item.field("status").unwrap();
    assert!(status.required && status.history && status.builtin);
    assert_eq!(
        status.ty,
        FieldType::Enum(
            ["later", "next", "now", "shipped", "dropped"]
                .map(String::from)
                .to_vec()
        )
    );
    let owner = &item.field("owner").unwrap().ty;
    assert_eq!(
        owner.ref_targets().map(|t| t.to_vec()),
        Some(vec![Kind::PERSON, Kind::ROLE, Kind::TEAM])
    );
    assert_eq!(
        k.spec(Kind::PROCESS).review_every.unwrap().to_string(),
        "90d"
    );
    assert_eq!(k.by_registry("people"), Some(Kind::PERSON));
}

#[test]
fn a_custom_kind_with_every_setting() {
    let k = kinds(
        "experiment:\n  folder: experiments\n  fields:\n    status: {type: enum, values: [planned, running, done], required: true}\n    owner: {type: ref, to: [person, team], required: true}\n    hypothesis: {type: text, required: true}\n    start: {type: date}\n    prs: {type: list, of: url}\n    review: {type: ref, to: [decision]}\n  columns: [status, owner, start]\n  review_every: 90d\ndecision:\n  glob: \"decisions/**/*.md\"\n",
    )
    .unwrap();
    let e = k.parse("experiment").unwrap();
    let spec = k.spec(e);
    assert!(!spec.builtin);
    assert_eq!(spec.label, "Experiment");
    assert_eq!(spec.folders, ["experiments"]);
    assert_eq!(spec.columns, ["status", "owner", "start"]);
    assert_eq!(
        spec.field("prs").unwrap().ty,
        FieldType::List(Box::new(FieldType::Url))
    );
    // A ref may name a kind declared further down.
    let d = k.parse("decision").unwrap();
    assert_eq!(
        spec.field("review")
            .unwrap()
            .ty
            .ref_targets()
            .unwrap()
            .to_vec(),
        vec![d]
    );
    assert_eq!(k.by_glob("decisions/2026/adr-1.md"), Some(d));
    assert_eq!(k.by_glob("experiments/a.md"), None);
    assert_eq!(k.spec(d).folders, Vec::<String>::new());
}

#[test]
fn a_builtin_kind_is_extended_not_replaced() {
    let k = kinds(
        "roadmap-item:\n  fields:\n    risk: {type: enum, values: [low, high]}\n  aliases: {quarter: target}\n",
    )
    .unwrap();
    let spec = k.spec(Kind::ROADMAP_ITEM);
    assert!(spec.field("status").is_some());
    assert!(!spec.field("risk").unwrap().builtin);
    assert_eq!(
        spec.field_for_key("quarter").unwrap().name.as_ref(),
        "target"
    );
    assert_eq!(spec.folders, ["roadmap"]);
}

#[test]
fn a_field_that_became_built_in_is_accepted_when_it_has_the_same_type() {
    let k = kinds(
        "roadmap-item:\n  fields:\n    health: {type: enum, values: [on-track, at-risk, off-track]}\n",
    )
    .unwrap();
    let health = k.spec(Kind::ROADMAP_ITEM).field("health").unwrap();
    assert!(health.builtin);
    assert_eq!(
        k.spec(Kind::ROADMAP_ITEM)
            .fields
            .iter()
            .filter(|f| &*f.name == "health")
            .count(),
        1
    );
    let e = kinds("roadmap-item:\n  fields:\n    health: {type: enum, values: [ok, bad]}\n")
        .unwrap_err();
    assert_eq!(e.span, crate::diagnostic::Span::new(3, 5));
    assert_eq!(
        e.message,
        "`health` is a built-in field of roadmap-item: one of on-track, at-risk, off-track"
    );
}

#[test]
fn bad_declarations_say_where_and_what() {
    let cases = [
        (
            "x:\n  fields:\n    a: {type: strng}\n",
            (3, 15),
            "`strng` is not a field type",
            Some("did you mean `string`?"),
        ),
        (
            "x:\n  fields:\n    a: {type: ref, to: [persn]}\n",
            (3, 25),
            "`persn` is not a kind",
            Some("did you mean `person`?"),
        ),
        (
            "x:\n  fields:\n    a: {type: ref}\n",
            (3, 15),
            "a ref field needs `to`",
            None,
        ),
        (
            "x:\n  fields:\n    a: {type: enum}\n",
            (3, 15),
            "an enum field needs `values`",
            None,
        ),
        (
            "x:\n  fields:\n    a: {type: list}\n",
            (3, 15),
            "list field `a` has no `of`",
            None,
        ),
        (
            "x:\n  folder: x\n  colums: [a]\n",
            (3, 3),
            "`colums` is not a setting of kind `x`",
            Some("did you mean `columns`?"),
        ),
        (
            "x:\n  columns: [statu]\n  fields: {status: text}\n",
            (2, 13),
            "column `statu` is not a field of x",
            Some("did you mean `status`?"),
        ),
        (
            "roadmap-item:\n  fields:\n    status: text\n",
            (3, 5),
            "`status` is a built-in field of roadmap-item",
            None,
        ),
        ("Bad_Name: {}\n", (1, 1), "kind name `Bad_Name`", None),
        (
            "roadmap: {}\n",
            (1, 1),
            "`roadmap` is a folder of the site",
            None,
        ),
        (
            "x:\n  fields:\n    a: {type: raci}\n",
            (3, 15),
            "`raci` is not a field type",
            None,
        ),
        (
            "x:\n  fields:\n    a: {type: enum, values: [a, b], default: c}\n",
            (3, 46),
            "default `c` is not one of a, b",
            None,
        ),
        (
            "roadmap-item:\n  aliases: {quarter: targt}\n",
            (2, 22),
            "`targt` is not a field of roadmap-item",
            Some("did you mean `target`?"),
        ),
    ];
    for (yaml, (line, col), message, help) in cases {
        let e = kinds(yaml).unwrap_err();
        assert_eq!((e.span.line, e.span.col), (line, col), "{yaml}: {e:?}");
        assert!(e.message.contains(message), "{yaml}: {e:?}");
        if let Some(h) = help {
            assert_eq!(e.help.as_deref(), Some(h), "{yaml}");
        }
    }
}

#[test]
fn the_committed_field_reference_is_up_to_date() {
    let text = reference::markdown(&Kinds::builtin());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/kinds.md");
    if std::env::var_os("OPSBOOK_UPDATE_DOCS").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/kinds.md is out of date: run `OPSBOOK_UPDATE_DOCS=1 cargo test --lib kinds` and commit it"
    );
}
