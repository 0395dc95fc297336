//! Validation in a session: the rules over the whole handbook run every time, as in a build;
//! the rules about one document run again only for the documents an edit can reach (see
//! [`deps`](super::deps)), and the others keep their findings. Everything is checked again
//! when something every document's findings depend on changed: the date, the git history, the
//! roles people hold.

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::civil::Date;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::git::Facts;
use crate::model::Handbook;
use crate::validate;

use super::deps::{Key, key_of};

/// What the last check found per document.
#[derive(Debug, Default)]
pub struct Checks {
    /// Per document: its `orphan-page` finding and those of the rules about it.
    docs: HashMap<Key, (Vec<Diagnostic>, Vec<Diagnostic>)>,
    /// What every document's findings depend on, as last checked.
    held: Option<BTreeSet<String>>,
    today: Option<Date>,
    history: Option<u64>,
    /// The last run found two documents with one key.
    pub collided: bool,
}

impl Checks {
    /// Every finding of the rules, in a build's order. `only`: the paths of the documents to
    /// check again (`None`: all); `history`: which git history the facts come from.
    ///
    /// Two documents with one key (one page for two documents: an error) make the next run
    /// check everything again.
    pub fn run(
        &mut self,
        hb: &Handbook,
        cfg: &Config,
        today: Date,
        git: Option<&Facts>,
        history: u64,
        only: Option<&HashSet<String>>,
    ) -> Vec<Diagnostic> {
        let held = validate::held_roles(hb);
        let all = only.is_none()
            || self.held.as_ref() != Some(&held)
            || self.today != Some(today)
            || self.history != Some(history);
        let selected = |path: &str| all || only.is_some_and(|o| o.contains(path));
        let split = validate::run_split(hb, cfg, today, git, &selected);
        let mut fresh: HashMap<usize, (Vec<Diagnostic>, Vec<Diagnostic>)> = split
            .docs
            .into_iter()
            .map(|(i, orphan, own)| (i, (orphan, own)))
            .collect();
        let mut docs = HashMap::with_capacity(hb.docs.len());
        let (mut orphans, mut own) = (Vec::new(), Vec::new());
        let mut collided = false;
        for (i, d) in hb.docs.iter().enumerate() {
            let key = key_of(d);
            let found = match fresh.remove(&i) {
                Some(f) => f,
                None => self.docs.remove(&key).unwrap_or_default(),
            };
            orphans.extend(found.0.iter().cloned());
            own.extend(found.1.iter().cloned());
            collided |= docs.insert(key, found).is_some();
        }
        self.docs = docs;
        self.held = Some(held);
        self.today = Some(today);
        self.history = (!collided).then_some(history);
        self.collided = collided;
        let mut out = split.whole;
        out.extend(orphans);
        out.extend(own);
        out
    }
}
