//! `--format sarif`: a SARIF 2.1.0 log for code scanning (GitHub, GitLab, IDE viewers).
//!
//! One run; `tool.driver.rules` is the whole rule catalogue, each result points at its rule by
//! id and index, and locations are paths from the repository root with 1-based lines and
//! columns counted in Unicode code points, as opsbook counts them.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Report;
use crate::diagnostic::{RULES, Severity};
use crate::worktree;

pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rules() -> Vec<Value> {
    RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.name,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "defaultConfiguration": {"level": level(r.severity)},
                "help": {"text": format!(
                    "{}. Default severity: {}. Change it in opsbook.yml: `rules: {{{}: error|warning|info|off}}`.",
                    r.summary, r.severity.as_str(), r.name
                )},
                "properties": {"tags": [r.family]},
            })
        })
        .collect()
}

/// The SARIF log of a report; `prefix` is the handbook root's path inside the repository.
pub fn value(report: &Report, prefix: &str) -> Value {
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let uri = uri_path(&worktree::join(prefix, &d.path.to_string_lossy()));
            let mut physical = json!({
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
            });
            if let Some(start) = d.span {
                let mut region = json!({"startLine": start.line, "startColumn": start.col});
                if let Some(end) = report.end_of(d) {
                    region["endLine"] = json!(end.line);
                    region["endColumn"] = json!(end.col);
                }
                physical["region"] = region;
            }
            let result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
                "ruleIndex": d.rule as usize,
            });
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "opsbook",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

pub fn write(report: &Report, prefix: &str, out: &mut dyn Write) -> io::Result<()> {
    crate::escape::write_json(out, &value(report, prefix))
}

/// A relative path as a URI reference: every byte outside the unreserved set and `/` is
/// percent-encoded.
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Span};
    use crate::rules::Rule;

    #[test]
    fn results_point_at_rules_and_regions() {
        let mut r = Report::default();
        r.sources
            .insert("roadmap/a b.md".into(), "---\nstatus: nwo\n---\n".into());
        r.diagnostics.push(
            Diagnostic::new(Rule::FieldEnum, "roadmap/a b.md", Some(Span::new(2, 9)))
                .message("bad")
                .help("did you mean `now`?"),
        );
        let v = value(&r, "docs");
        let run = &v["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            RULES.len()
        );
        let res = &run["results"][0];
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(run["tool"]["driver"]["rules"][i]["id"], "field-enum");
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "docs/roadmap/a%20b.md");
        assert_eq!(
            loc["region"],
            json!({"startLine": 2, "startColumn": 9, "endLine": 2, "endColumn": 12})
        );
        assert_eq!(res["message"]["text"], "bad\nhelp: did you mean `now`?");
    }
}
