//! The field reference of every kind, as Markdown, made from the specs: `docs/kinds.md` is
//! this text for the built-in kinds (a test keeps it in step), and `opsbook schema --format
//! markdown` prints it for a handbook's own kinds.

use std::fmt::Write;

use super::{COMMON, FieldSpec, FieldType, KindSpec, Kinds, TitleRule};

const COMMON_DOC: &[(&str, &str, &str)] = &[
    (
        "kind",
        "string",
        "the kind, when the folder does not say it (`kind: process`)",
    ),
    (
        "id",
        "string",
        "lowercase words joined by `-` (default: the file name without `.md`)",
    ),
    (
        "title",
        "string",
        "a short human name (default: the first `# heading`, else the file name)",
    ),
    ("tags", "list of strings", "free-form labels"),
    (
        "last_reviewed",
        "date",
        "when someone last checked the document is still true (default: its last commit)",
    ),
    (
        "review_every",
        "duration",
        "how often it is reviewed, overriding the kind's interval",
    ),
];

/// The whole reference: every kind of `kinds`, built-in first.
pub fn markdown(kinds: &Kinds) -> String {
    let mut out = String::new();
    out.push_str("# Field reference\n\n");
    out.push_str(
        "Every kind of document, its folder and its fields. This page is generated from the \
         kind specs (`opsbook schema --format markdown` prints it for your own handbook, custom \
         kinds included); do not edit it by hand.\n\n",
    );
    out.push_str("## Fields of every document\n\n| Field | Type | Meaning |\n|---|---|---|\n");
    debug_assert_eq!(COMMON.len(), COMMON_DOC.len());
    for (name, ty, meaning) in COMMON_DOC {
        let _ = writeln!(out, "| `{name}` | {ty} | {meaning} |");
    }
    for spec in kinds.all() {
        out.push('\n');
        kind_section(spec, &mut out);
    }
    out
}

fn kind_section(spec: &KindSpec, out: &mut String) {
    let _ = writeln!(out, "## {} (`{}`)\n", spec.label, spec.kind);
    if !spec.description.is_empty() {
        let _ = writeln!(out, "{}\n", spec.description);
    }
    let mut facts = Vec::new();
    let folders: Vec<String> = spec.folders.iter().map(|f| format!("`{f}/`")).collect();
    if !folders.is_empty() {
        facts.push(format!("Folder: {}", folders.join(", ")));
    }
    if !spec.globs.is_empty() {
        let globs: Vec<String> = spec.globs.iter().map(|g| format!("`{g}`")).collect();
        facts.push(format!("Files: {}", globs.join(", ")));
    }
    if let Some(r) = &spec.registry {
        facts.push(format!("Also listed under `{r}:` in `org.yml`"));
    }
    match spec.title {
        TitleRule::Required => facts.push("`title` is required".into()),
        TitleRule::Name => facts.push("`name` or `title` is required".into()),
        TitleRule::Optional => {}
    }
    if let Some(d) = spec.review_every {
        facts.push(format!("Reviewed every {d}"));
    }
    if !spec.columns.is_empty() {
        let cols: Vec<String> = spec.columns.iter().map(|c| format!("`{c}`")).collect();
        facts.push(format!("Index columns: {}", cols.join(", ")));
    }
    for f in &facts {
        let _ = writeln!(out, "- {f}");
    }
    if !facts.is_empty() {
        out.push('\n');
    }
    if spec.fields.is_empty() {
        out.push_str("No fields besides those of every document.\n");
        return;
    }
    out.push_str("| Field | Type | Required | Meaning |\n|---|---|---|---|\n");
    for f in &spec.fields {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            f.name,
            type_cell(&f.ty),
            if f.required { "yes" } else { "" },
            meaning(f)
        );
    }
    if !spec.aliases.is_empty() {
        out.push('\n');
        for (alias, field) in &spec.aliases {
            let _ = writeln!(out, "- `{alias}` is read as `{field}`");
        }
    }
}

fn type_cell(ty: &FieldType) -> String {
    match ty {
        FieldType::Enum(values) => format!("enum: {}", values.join(", ")),
        FieldType::Ref(to) => format!("ref → {}", super::kinds_phrase(to, "or")),
        FieldType::List(of) => format!("list of {}", type_cell(of)),
        other => other.name().to_string(),
    }
}

fn meaning(f: &FieldSpec) -> String {
    let mut m = f.description.replace('|', "\\|");
    if let Some(d) = &f.default
        && !m.contains("default")
    {
        m.push_str(&format!(" (default: `{d}`)"));
    }
    match f.ty.entry_value() {
        Some(value) if f.history => m.push_str(&format!(
            " — the changes of each entry's `{value}` are read from git"
        )),
        _ if f.history => m.push_str(" — its changes are read from git"),
        _ => {}
    }
    m.trim().to_string()
}
