//! A document's history on its page: the commits that changed its kind's history fields (or
//! created, moved or removed it), from the site facts: a roadmap item's "Status history", the
//! "History" section of every other document that has one (an entry of `org.yml` shows its
//! own).

use crate::model::Doc;

use super::Site;
use super::view::{FieldChange, HistoryEntry};

/// The history of `doc`, oldest first; empty without git facts or for a kind without history
/// fields.
pub(crate) fn of(site: &Site<'_, '_>, doc: &Doc) -> Vec<HistoryEntry> {
    site.facts
        .history(&doc.path, &doc.handle())
        .iter()
        .map(|r| HistoryEntry {
            date: r.date.to_string(),
            approximate: r.approximate,
            author: r.author.clone(),
            commit_url: site.facts.commit_url(&r.commit),
            commit: r.commit.clone(),
            event: r.event.as_str().to_string(),
            renamed_from: r.renamed_from.clone(),
            changes: r
                .changes
                .iter()
                .map(|(f, a, b)| FieldChange {
                    field: f.clone(),
                    from: a.clone(),
                    to: b.clone(),
                })
                .collect(),
        })
        .collect()
}
