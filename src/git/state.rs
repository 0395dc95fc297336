//! The tracked values of one version of a document, as its kind shows them, and what changed
//! between two versions. Which values are tracked, and how they are read, is up to the kind
//! specs (`tracking.rs`).

use std::collections::BTreeMap;

use crate::diagnostic::Span;
use crate::frontmatter::Node;
use crate::model::fields::Reader;

/// What one version of a document says, as written: its kind's fields with `history: true`
/// (a RICE score computed), `last_reviewed`, and its title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ItemState {
    pub title: Option<String>,
    /// Field → value, for the tracked fields the version has; a list tracked per entry (an
    /// objective's `key_results`) has one value per entry, under [`entry_key`].
    pub values: BTreeMap<String, String>,
}

/// The key of one entry's value of a list tracked per entry: `key_results#activation` (the
/// value of key result `activation`).
pub fn entry_key(field: &str, id: &str) -> String {
    format!("{field}#{id}")
}

/// The field and the entry id of a key made by [`entry_key`]; `None` for a field's own key.
pub fn entry_of(key: &str) -> Option<(&str, &str)> {
    key.split_once('#')
}

/// Field → `[before, after]`; only fields that differ.
pub type FieldChanges = BTreeMap<String, [Option<String>; 2]>;

impl ItemState {
    /// The value of a tracked field (or `title`).
    pub fn get(&self, field: &str) -> Option<&str> {
        match field {
            "title" => self.title.as_deref(),
            _ => self.values.get(field).map(String::as_str),
        }
    }

    /// The fields that differ between two versions (`None`: the file did not exist), among
    /// those either version tracks.
    pub fn diff(before: Option<&ItemState>, after: Option<&ItemState>) -> FieldChanges {
        let mut out = BTreeMap::new();
        let fields = [before, after]
            .into_iter()
            .flatten()
            .flat_map(|s| s.values.keys());
        for field in fields {
            let a = before.and_then(|s| s.get(field));
            let b = after.and_then(|s| s.get(field));
            if a != b {
                out.insert(
                    field.clone(),
                    [a.map(str::to_string), b.map(str::to_string)],
                );
            }
        }
        out
    }
}

/// The RICE score of a `{rice: {…}}` value, when all four numbers are there and effort is
/// positive.
pub(super) fn rice(node: &Node) -> Option<String> {
    let rice = node.get("rice")?;
    let mut diags = Vec::new();
    let mut r = Reader::new("", rice, String::new(), Span::START, &mut diags);
    let reach = r.number("reach", false)?.value;
    let impact = r.number("impact", false)?.value;
    let confidence = r.number("confidence", true)?.value;
    let effort = r.number("effort", false)?.value;
    if effort <= 0.0 {
        return None;
    }
    Some(format_score(reach * impact * confidence / effort))
}

/// A score with at most two decimals and no trailing zeros: `320`, `12.5`.
pub fn format_score(x: f64) -> String {
    let rounded = (x * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(title: Option<&str>, values: &[(&str, &str)]) -> ItemState {
        ItemState {
            title: title.map(str::to_string),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn diff_lists_changed_fields_only() {
        let a = state(
            Some("A"),
            &[("status", "next"), ("owner", "ana"), ("target", "2026-Q3")],
        );
        let b = state(
            Some("B"),
            &[("status", "now"), ("owner", "ana"), ("target", "2026-Q4")],
        );
        let d = ItemState::diff(Some(&a), Some(&b));
        assert_eq!(
            d.into_iter().collect::<Vec<_>>(),
            vec![
                ("status".into(), [Some("next".into()), Some("now".into())]),
                (
                    "target".into(),
                    [Some("2026-Q3".into()), Some("2026-Q4".into())]
                ),
            ]
        );
        let added = ItemState::diff(None, Some(&a));
        assert_eq!(added["status"], [None, Some("next".into())]);
        assert_eq!(added.len(), 3);
        // A field only one version has (a file moved across kinds) changes from or to nothing.
        let c = state(None, &[("health", "at-risk")]);
        let d = ItemState::diff(Some(&c), Some(&a));
        assert_eq!(d["health"], [Some("at-risk".into()), None]);
        assert_eq!(d.len(), 4);
    }

    #[test]
    fn scores_are_short() {
        assert_eq!(format_score(320.0), "320");
        assert_eq!(format_score(12.5), "12.5");
        assert_eq!(format_score(1.0 / 3.0), "0.33");
    }
}
