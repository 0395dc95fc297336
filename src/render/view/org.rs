//! Views of charters, processes and the registry: RACI tables, holdings, people, roles, teams.

use serde::Serialize;

use super::*;

/// A RACI matrix: activities × parties.
#[derive(Debug, Clone, Serialize, Default)]
pub struct RaciTable {
    /// Column headings: the charter's roles first, then any other party.
    pub parties: Vec<Link>,
    pub rows: Vec<RaciRowView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RaciRowView {
    pub id: Option<String>,
    pub activity: String,
    pub process: Option<Link>,
    /// One cell per party, in the order of `parties`: `""`, `"R"`, `"A"`, `"A R"`, `"C"`, `"I"`…
    pub cells: Vec<String>,
}

/// `charter` in `charter.html`.
#[derive(Debug, Clone, Serialize)]
pub struct CharterView {
    pub team: Option<Link>,
    pub mission: Option<String>,
    pub scope_in: Vec<String>,
    pub scope_out: Vec<String>,
    pub roles: Vec<Link>,
    pub raci: RaciTable,
}

/// A row of the process catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessRow {
    pub link: Link,
    pub owner: Option<Link>,
    pub cadence: Option<String>,
    pub status: String,
    pub freshness: Option<FreshnessView>,
}

/// `catalogue` in `processes.html`.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueView {
    pub rows: Vec<ProcessRow>,
    /// How many are due soon, overdue or stale.
    pub attention: usize,
}

/// `process` in `process.html`.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessView {
    pub owner: Option<Link>,
    pub status: String,
    pub cadence: Option<String>,
    pub trigger: Option<String>,
    pub participants: Vec<Link>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub tools: Vec<String>,
    /// Written here, plus processes that name this one as their downstream.
    pub upstream: Vec<Link>,
    /// Written here, plus processes that name this one as their upstream.
    pub downstream: Vec<Link>,
    pub raci: RaciTable,
    /// Charters and processes whose RACI rows point at this process.
    pub used_by: Vec<Link>,
}

pub use super::super::ownership::{Held, Holdings, RaciLetters};

/// `person` in `person.html`.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub name: String,
    pub email: Option<String>,
    /// `active`, `leave`, `left`.
    pub status: String,
    pub roles: Vec<Link>,
    pub teams: Vec<Link>,
    pub manager: Option<Link>,
    pub reports: Vec<Link>,
    pub leads: Vec<Link>,
    pub holds: Holdings,
}

/// `role` in `role.html`.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    pub responsibilities: Vec<String>,
    pub reports_to: Option<Link>,
    pub reporting_roles: Vec<Link>,
    /// People who hold the role.
    pub holders: Vec<Link>,
    pub holds: Holdings,
}

/// `team` in `team.html`.
#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub name: String,
    pub lead: Option<Link>,
    pub parent: Option<Link>,
    pub subteams: Vec<Link>,
    pub members: Vec<Link>,
    pub charters: Vec<Link>,
    /// The filtered roadmap board of this team, when it has items.
    pub board_href: Option<String>,
    pub holds: Holdings,
}
