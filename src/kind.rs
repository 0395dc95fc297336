//! The document kinds of DESIGN §4.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    RoadmapItem,
    Charter,
    Process,
    Person,
    Role,
    Team,
    Page,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::RoadmapItem,
        Kind::Charter,
        Kind::Process,
        Kind::Person,
        Kind::Role,
        Kind::Team,
        Kind::Page,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::RoadmapItem => "roadmap-item",
            Kind::Charter => "charter",
            Kind::Process => "process",
            Kind::Person => "person",
            Kind::Role => "role",
            Kind::Team => "team",
            Kind::Page => "page",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The site folder of a kind's pages (pages keep their own path).
    pub fn folder(self) -> &'static str {
        match self {
            Kind::RoadmapItem => "roadmap",
            Kind::Charter => "charters",
            Kind::Process => "processes",
            Kind::Person => "people",
            Kind::Role => "roles",
            Kind::Team => "teams",
            Kind::Page => "",
        }
    }

    /// Kinds that must have frontmatter.
    pub fn is_typed(self) -> bool {
        self != Kind::Page
    }

    /// Registry kinds may also be listed in `org.yml`.
    pub fn is_registry(self) -> bool {
        matches!(self, Kind::Person | Kind::Role | Kind::Team)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
