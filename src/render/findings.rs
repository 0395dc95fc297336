//! Findings on the site: the document each is about, and how a page shows them.

use crate::diagnostic::Diagnostic;
use crate::model::Handbook;

use super::Site;
use super::href::Linker;
use super::view::Finding;

impl Site<'_, '_> {
    pub fn findings_of(&self, i: usize, linker: &Linker) -> Vec<Finding> {
        self.findings
            .get(&i)
            .map(|v| {
                v.iter()
                    .map(|&n| self.finding(&self.diagnostics[n], Some(i), linker))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn finding(&self, d: &Diagnostic, doc: Option<usize>, linker: &Linker) -> Finding {
        let path = d.path.to_string_lossy().replace('\\', "/");
        let location = match d.span {
            Some(s) => format!("{path}:{}:{}", s.line, s.col),
            None => path,
        };
        Finding {
            severity: d.severity.as_str().to_string(),
            rule: d.rule.to_string(),
            message_html: super::code_spans(&d.message),
            help_html: d.help.as_deref().map(super::code_spans),
            message: d.message.clone(),
            help: d.help.clone(),
            location,
            doc: doc.map(|i| linker.doc(&self.hb.docs[i])),
        }
    }

    /// Number of warnings located in a document.
    pub fn warnings_in(&self, i: usize) -> usize {
        self.findings.get(&i).map_or(0, Vec::len)
    }
}

/// The document a diagnostic is located in: by path, and in `org.yml` by position.
pub(crate) fn doc_of(hb: &Handbook, d: &Diagnostic) -> Option<usize> {
    let path = d.path.to_string_lossy();
    let mut best = None;
    for &i in hb.indexes_at(&path) {
        let doc = &hb.docs[i];
        match d.span {
            Some(s) if doc.start <= s => best = Some(i),
            _ if best.is_none() => best = Some(i),
            _ => {}
        }
    }
    best
}
