//! The identity of a document kind: a name. The built-in kinds have constants; a kind
//! declared in `opsbook.yml` gets its identity from the kind registry (`kinds::Kinds`), which
//! also holds what every kind is (its fields, folders and site columns).

use std::collections::HashSet;
use std::fmt;
use std::sync::{Mutex, OnceLock};

/// A kind of document, compared and hashed by name. Built-in kinds sort first, in their
/// usual order (roadmap item, charter, process, person, role, team, objective, metric, launch,
/// page), then custom kinds by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Kind(&'static str);

impl Kind {
    pub const ROADMAP_ITEM: Kind = Kind("roadmap-item");
    pub const CHARTER: Kind = Kind("charter");
    pub const PROCESS: Kind = Kind("process");
    pub const PERSON: Kind = Kind("person");
    pub const ROLE: Kind = Kind("role");
    pub const TEAM: Kind = Kind("team");
    pub const OBJECTIVE: Kind = Kind("objective");
    pub const METRIC: Kind = Kind("metric");
    pub const LAUNCH: Kind = Kind("launch");
    pub const PAGE: Kind = Kind("page");

    /// The built-in kinds.
    pub const BUILTIN: [Kind; 10] = [
        Kind::ROADMAP_ITEM,
        Kind::CHARTER,
        Kind::PROCESS,
        Kind::PERSON,
        Kind::ROLE,
        Kind::TEAM,
        Kind::OBJECTIVE,
        Kind::METRIC,
        Kind::LAUNCH,
        Kind::PAGE,
    ];

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The built-in kind called `name`.
    pub fn builtin(name: &str) -> Option<Kind> {
        Kind::BUILTIN.into_iter().find(|k| k.0 == name)
    }

    /// The kind called `name`: a built-in one, else a custom kind's identity. Only the kind
    /// registry calls this for custom kinds; everything else looks kinds up there.
    pub(crate) fn named(name: &str) -> Kind {
        if let Some(k) = Kind::builtin(name) {
            return k;
        }
        // Custom kind names are interned once per process: a handful of short strings.
        static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut names = NAMES
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        match names.get(name) {
            Some(s) => Kind(s),
            None => {
                let s: &'static str = Box::leak(name.to_string().into_boxed_str());
                names.insert(s);
                Kind(s)
            }
        }
    }

    pub fn is_builtin(self) -> bool {
        Kind::builtin(self.0).is_some()
    }

    fn rank(self) -> usize {
        Kind::BUILTIN
            .iter()
            .position(|k| *k == self)
            .unwrap_or(Kind::BUILTIN.len())
    }

    /// The site folder of a kind's pages (pages keep their own path; a custom kind's pages
    /// go to a folder named after the kind).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::ROADMAP_ITEM => "roadmap",
            Kind::CHARTER => "charters",
            Kind::PROCESS => "processes",
            Kind::PERSON => "people",
            Kind::ROLE => "roles",
            Kind::TEAM => "teams",
            Kind::OBJECTIVE => "objectives",
            Kind::METRIC => "metrics",
            Kind::LAUNCH => "launches",
            Kind::PAGE => "",
            Kind(name) => name,
        }
    }

    /// Kinds that must have frontmatter.
    pub fn is_typed(self) -> bool {
        self != Kind::PAGE
    }

    /// Registry kinds may also be listed in `org.yml`.
    pub fn is_registry(self) -> bool {
        matches!(self, Kind::PERSON | Kind::ROLE | Kind::TEAM)
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kind {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.rank(), self.0).cmp(&(other.rank(), other.0))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_sort_first_then_custom_kinds_by_name() {
        let mut ks = [
            Kind::named("zebra"),
            Kind::PAGE,
            Kind::named("experiment"),
            Kind::ROADMAP_ITEM,
        ];
        ks.sort();
        let names: Vec<&str> = ks.iter().map(|k| k.as_str()).collect();
        assert_eq!(names, ["roadmap-item", "page", "experiment", "zebra"]);
        assert_eq!(Kind::named("experiment"), Kind::named("experiment"));
        assert_eq!(Kind::named("process"), Kind::PROCESS);
        assert_eq!(Kind::named("experiment").folder(), "experiment");
    }
}
