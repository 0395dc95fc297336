//! Generated git histories: commits that add, edit, move and delete the handbook's documents
//! and `org.yml`, with fixed dates and authors (some commits amend the one before, some are
//! made on a branch and merged), changes left
//! uncommitted, and the clone the commands run in (the repository itself, a shallow clone or a
//! blobless one). `repo.rs` plays them into a real repository.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use super::handbook::{self, Handbook};

/// Where a move puts a document.
#[derive(Clone, Copy, Debug)]
pub enum Dest {
    /// `roadmap/sso.md` → `roadmap/sso-2.md`.
    Sibling,
    /// → `archive/sso.md`: a plain page.
    Archive,
    /// → `_old/sso.md` at the top of the repository: outside the handbook when it has a
    /// folder of its own.
    Outside,
    /// Back to where it was first written.
    Home,
}

#[derive(Clone, Debug)]
pub enum Op {
    /// Write a version of a document, where it is (or where it was first written).
    Put(Index, Index),
    Move(Index, Dest),
    Delete(Index),
    /// Write a version of `org.yml` (or delete it).
    Org(Index),
}

#[derive(Clone, Debug)]
pub struct Commit {
    pub ops: Vec<Op>,
    /// Days after the commit before.
    pub gap_days: i64,
    pub author: &'static str,
    /// `git commit --amend` instead of a new commit.
    pub amend: bool,
    /// Made on a branch of its own, which is merged after an empty commit on `main`.
    pub merge: bool,
}

#[derive(Clone, Debug)]
pub struct History {
    pub commits: Vec<Commit>,
    /// Changes in the work tree after the last commit.
    pub uncommitted: Vec<Op>,
}

/// A handbook and its history.
#[derive(Clone, Debug)]
pub struct Case {
    pub hb: Handbook,
    pub history: History,
    /// The handbook is the folder `hb/` of the repository rather than its top.
    pub in_folder: bool,
    pub checkout: Checkout,
}

/// Where the commands run once the history is committed.
#[derive(Clone, Copy, Debug)]
pub enum Checkout {
    /// In the repository itself.
    Full,
    /// In a clone with `--depth N`: the history is cut.
    Shallow(u8),
    /// In a clone with `--filter=blob:none`: old contents are missing.
    Blobless,
}

pub const AUTHORS: &[&str] = &[
    "Ana <ana@example.com>",
    "Bo <bo@example.com>",
    "Cy <cy@example.com>",
];
/// The day of the first commit.
pub const FIRST_DAY: &str = "2025-12-01";

fn op() -> impl Strategy<Value = Op> {
    let dest = select(&[Dest::Sibling, Dest::Archive, Dest::Outside, Dest::Home][..]);
    prop_oneof![
        4 => (any::<Index>(), any::<Index>()).prop_map(|(d, v)| Op::Put(d, v)),
        2 => (any::<Index>(), dest).prop_map(|(d, to)| Op::Move(d, to)),
        1 => any::<Index>().prop_map(Op::Delete),
        1 => any::<Index>().prop_map(Op::Org),
    ]
}

fn history() -> impl Strategy<Value = History> {
    let commit = (
        prop::collection::vec(op(), 0..4),
        0i64..45,
        select(AUTHORS),
        select(&[None, None, None, None, Some("amend"), Some("merge")][..]),
    )
        .prop_map(|(ops, gap_days, author, how)| Commit {
            ops,
            gap_days,
            author,
            amend: how == Some("amend"),
            merge: how == Some("merge"),
        });
    (
        prop::collection::vec(commit, 0..6),
        prop::collection::vec(op(), 0..3),
    )
        .prop_map(|(commits, uncommitted)| History {
            commits,
            uncommitted,
        })
}

/// A generated handbook with its history; with `broken_config`, its `opsbook.yml` is
/// sometimes wrong on purpose.
pub fn case(broken_config: bool) -> impl Strategy<Value = Case> {
    let checkout = prop_oneof![
        6 => Just(Checkout::Full),
        3 => (1u8..4).prop_map(Checkout::Shallow),
        2 => Just(Checkout::Blobless),
    ];
    (
        handbook::handbook(broken_config),
        history(),
        any::<bool>(),
        checkout,
    )
        .prop_map(|(hb, history, in_folder, checkout)| Case {
            hb,
            history,
            in_folder,
            checkout,
        })
}
