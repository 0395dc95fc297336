//! The text of the proposed `opsbook.yml`, with a comment saying why for each part.

use std::collections::BTreeSet;

use super::infer;
use super::kinds::Proposed;
use crate::scaffold::yaml_scalar;

/// Everything `opsbook.yml` says.
pub struct Draft<'a> {
    pub title: &'a str,
    pub output: &'a str,
    pub ignore: &'a [String],
    pub sections: &'a [&'a str],
    pub links: &'a [String],
    pub markdown: &'a [String],
    pub page_folders: &'a BTreeSet<String>,
    pub page_fields: &'a [infer::Field],
    pub kinds: &'a [Proposed],
    /// `rules:` lines (`orphan-page: off`).
    pub rules: &'a [String],
}

impl<'a> Draft<'a> {
    /// What the files are, and nothing else yet.
    pub fn of_files(
        title: &'a str,
        output: &'a str,
        ignore: &'a [String],
        page_folders: &'a BTreeSet<String>,
        page_fields: &'a [infer::Field],
        kinds: &'a [Proposed],
    ) -> Draft<'a> {
        Draft {
            title,
            output,
            ignore,
            sections: &[],
            links: &[],
            markdown: &[],
            page_folders,
            page_fields,
            kinds,
            rules: &[],
        }
    }
}

/// A scalar for a YAML flow collection (`[a, b]`, `{k: v}`): plain when that reads back as
/// the same string there, else double-quoted.
pub fn flow_scalar(s: &str) -> String {
    let plain = yaml_scalar(s);
    if plain == s && !s.contains([',', ':', '#', '[', ']', '{', '}', '&', '!', '\'', '"']) {
        plain
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

/// One field's line: `name: {type: …, required: true}  # why`.
fn field_line(f: &infer::Field) -> String {
    let required = if f.required { ", required: true" } else { "" };
    format!(
        "      {}: {{{}{required}}}  # {}\n",
        yaml_scalar(&f.name),
        f.spec,
        f.why
    )
}

/// The text of the proposed `opsbook.yml`.
pub fn config_text(d: &Draft) -> String {
    let mut out = String::from(
        "# Proposed by `opsbook init --adopt` for a repository that already has its docs: change\n\
         # what does not fit. docs/adopting.md explains each setting.\n",
    );
    out.push_str(&format!("title: {}\n", yaml_scalar(d.title)));
    out.push_str(&format!("output: {}\n", yaml_scalar(d.output)));
    if !d.ignore.is_empty() {
        out.push_str(
            "# Output and dependencies of other tools (.gitignore counts too).\nignore:\n",
        );
        for i in d.ignore {
            out.push_str(&format!(
                "  - {}\n",
                serde_json::to_string(i).unwrap_or_default()
            ));
        }
    }
    if !d.sections.is_empty() {
        out.push_str("# Built-in sections this repository has no documents for.\nsections:\n");
        for s in d.sections {
            out.push_str(&format!("  {s}: hide\n"));
        }
    }
    if !d.links.is_empty() {
        out.push_str("# How the links of this repository are written.\nlinks:\n");
        for l in d.links {
            out.push_str(&format!("  {l}\n"));
        }
    }
    if !d.rules.is_empty() {
        out.push_str("rules:\n");
        for r in d.rules {
            out.push_str(&format!("  {r}\n"));
        }
    }
    if !d.markdown.is_empty() {
        out.push_str("markdown:\n");
        for m in d.markdown {
            out.push_str(&format!("  {m}\n"));
        }
    }
    let remapped: Vec<&Proposed> = d.kinds.iter().filter(|k| k.remap).collect();
    if !d.page_folders.is_empty() || !remapped.is_empty() {
        out.push_str(
            "# Folders named like a built-in kind's that hold other documents.\nfolders:\n",
        );
        for f in d.page_folders {
            out.push_str(&format!("  {}: page\n", yaml_scalar(f)));
        }
        for k in remapped {
            out.push_str(&format!("  {}: {}\n", yaml_scalar(&k.folder), k.name));
        }
    }
    if d.kinds.is_empty() && d.page_fields.is_empty() {
        return out;
    }
    out.push_str("kinds:\n");
    if !d.page_fields.is_empty() {
        out.push_str("  # Keys pages have besides those of other generators (layout, permalink, …).\n  page:\n    fields:\n");
        for f in d.page_fields {
            out.push_str(&field_line(f));
        }
        aliases(&mut out, d.page_fields, None);
    }
    for k in d.kinds {
        out.push_str(&format!(
            "  {}:\n    folder: {}\n",
            k.name,
            yaml_scalar(&k.folder)
        ));
        if !k.fields.is_empty() {
            out.push_str("    fields:\n");
            for f in &k.fields {
                out.push_str(&field_line(f));
            }
        }
        aliases(&mut out, &k.fields, k.id_key.as_deref());
    }
    out
}

/// `aliases:` for keys that are not field names (`Start Date` → `start_date`) and the key that
/// holds the id.
fn aliases(out: &mut String, fields: &[infer::Field], id_key: Option<&str>) {
    let mut lines: Vec<String> = fields
        .iter()
        .filter(|f| f.key != f.name)
        .map(|f| format!("{}: {}", flow_scalar(&f.key), flow_scalar(&f.name)))
        .collect();
    if let Some(key) = id_key {
        lines.push(format!("{}: id", flow_scalar(key)));
    }
    if !lines.is_empty() {
        out.push_str(&format!("    aliases: {{{}}}\n", lines.join(", ")));
    }
}
