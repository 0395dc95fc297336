//! The order a pass walks the commits in: every commit reachable from HEAD, children before
//! parents, newer first — libgit2's topological and time order.
//!
//! A pass that stops once some files have their last commit (`check`) usually needs only the
//! newest few commits. Sorting the whole history first reads every commit (a few hundred
//! milliseconds at 5,000 commits), so such a pass takes the order as it goes: a commit with
//! exactly one parent, reached from HEAD through commits with one parent, comes next in any
//! topological order (nothing else reachable comes before its parent), so that line is read one
//! commit at a time; at the first merge or root the rest is sorted as a revision walk from
//! there, which gives the rest of the walk from HEAD. The order, and so every fact, is the same
//! as a whole walk's.

use std::collections::{HashMap, HashSet};

use git2::{Oid, Sort};

use super::objects::{about, is_missing};

/// The commits to tally, in walk order, and the error that cut the walk short, if any.
#[derive(Default)]
pub(super) struct Order {
    pub commits: Vec<Oid>,
    pub broken: Option<git2::Error>,
}

/// The commits of a walk, made as far as they are asked for.
pub(super) struct Commits<'r> {
    repo: Option<&'r git2::Repository>,
    order: Order,
    /// The next commit of the line from HEAD not yet read; `None` once the order is whole.
    next: Option<Oid>,
    /// Shallow boundary commits: their parents are not in the repository.
    boundary: HashSet<Oid>,
}

impl<'r> Commits<'r> {
    /// A walk whose order is known whole.
    pub(super) fn whole(order: Order) -> Self {
        Commits {
            repo: None,
            order,
            next: None,
            boundary: HashSet::new(),
        }
    }

    /// The walk from `head`, read as it is asked for (see the module's comment).
    pub(super) fn lazy(repo: &'r git2::Repository, head: Oid, boundary: HashSet<Oid>) -> Self {
        Commits {
            repo: Some(repo),
            order: Order::default(),
            next: Some(head),
            boundary,
        }
    }

    /// The `i`-th commit of the walk; `None` past its end.
    pub(super) fn get(&mut self, i: usize) -> Result<Option<Oid>, git2::Error> {
        while i >= self.order.commits.len() && self.next.is_some() {
            self.step()?;
        }
        Ok(self.order.commits.get(i).copied())
    }

    /// Whether every commit of the walk is known.
    pub(super) fn known_whole(&self) -> bool {
        self.next.is_none()
    }

    /// The commits known so far (all of them once [`Self::known_whole`]).
    pub(super) fn known(&self) -> &[Oid] {
        &self.order.commits
    }

    /// The whole order (the rest of the walk read first).
    pub(super) fn into_order(mut self) -> Result<Order, git2::Error> {
        while self.next.is_some() {
            self.step()?;
        }
        Ok(self.order)
    }

    pub(super) fn broken(&self) -> Option<&git2::Error> {
        self.order.broken.as_ref()
    }

    fn step(&mut self) -> Result<(), git2::Error> {
        let (Some(at), Some(repo)) = (self.next.take(), self.repo) else {
            return Ok(());
        };
        let head = self.order.commits.is_empty();
        let commit = match repo.find_commit(at) {
            Ok(c) => c,
            // As a whole walk: a missing commit below HEAD cuts the walk there.
            Err(e) if is_missing(&e) && !head => {
                self.order.broken = Some(e);
                return Ok(());
            }
            Err(e) => return Err(about("commit", at, e)),
        };
        if commit.parent_count() == 1 && !self.boundary.contains(&at) {
            self.order.commits.push(at);
            self.next = Some(commit.parent_id(0)?);
            return Ok(());
        }
        let rest = revwalk(repo, at)?;
        self.order.commits.extend(rest.commits);
        self.order.broken = rest.broken;
        Ok(())
    }
}

/// The commits from `head` down to `base` (not included), when `base` is reached by first
/// parents through commits that each have one parent.
pub(super) fn line_to(repo: &git2::Repository, head: Oid, base: Oid) -> Option<Vec<Oid>> {
    let mut line = Vec::new();
    let mut at = head;
    while at != base {
        let commit = repo.find_commit(at).ok()?;
        if commit.parent_count() != 1 {
            return None;
        }
        line.push(at);
        at = commit.parent_id(0).ok()?;
    }
    Some(line)
}

/// Every commit reachable from `head`, children before parents, newer first. libgit2's
/// walk reads the parents of a commit before it gives that commit, so a missing commit
/// anywhere gives none: then [`walk_present`] gives the commits that are there.
pub(super) fn revwalk(repo: &git2::Repository, head: Oid) -> Result<Order, git2::Error> {
    let order = walk(repo, head, Sort::TOPOLOGICAL | Sort::TIME)?;
    if order.broken.is_none() {
        return Ok(order);
    }
    walk_present(repo, head)
}

/// The commits reachable from `head` that are in the repository, children before parents,
/// newer first (by commit time, then id); `broken` says a parent was missing.
fn walk_present(repo: &git2::Repository, head: Oid) -> Result<Order, git2::Error> {
    let mut found: HashMap<Oid, (i64, Vec<Oid>)> = HashMap::new();
    let mut children: HashMap<Oid, usize> = HashMap::new();
    let mut broken = None;
    let mut todo = vec![head];
    while let Some(id) = todo.pop() {
        if found.contains_key(&id) {
            continue;
        }
        let commit = match repo.find_commit(id) {
            Ok(c) => c,
            Err(e) if is_missing(&e) && id != head => {
                broken.get_or_insert(e);
                continue;
            }
            Err(e) => return Err(about("commit", id, e)),
        };
        let parents: Vec<Oid> = commit.parent_ids().collect();
        for &p in &parents {
            *children.entry(p).or_default() += 1;
            todo.push(p);
        }
        found.insert(id, (commit.time().seconds(), parents));
    }
    let mut ready = std::collections::BinaryHeap::from([(found[&head].0, head)]);
    let mut out = Order::default();
    while let Some((_, id)) = ready.pop() {
        out.commits.push(id);
        for p in found.get(&id).map_or(&[][..], |f| &f.1[..]) {
            let Some(waiting) = children.get_mut(p) else {
                continue;
            };
            *waiting -= 1;
            if let (0, Some(f)) = (*waiting, found.get(p)) {
                ready.push((f.0, *p));
            }
        }
    }
    out.broken = broken;
    Ok(out)
}

fn walk(repo: &git2::Repository, head: Oid, sort: Sort) -> Result<Order, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(sort)?;
    walk.push(head)?;
    let mut out = Order::default();
    for oid in walk {
        match oid {
            Ok(oid) => out.commits.push(oid),
            Err(e) => {
                out.broken = Some(e);
                break;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::git::tests::{TestRepo, clone, git_in};

    const ANA: &str = "Ana <ana@example.com>";

    /// main: a, b, merge of side (c, made between a and b), d, e.
    fn merged() -> TestRepo {
        let r = TestRepo::new();
        r.write("a.md", "a");
        r.commit("2026-01-01", ANA);
        r.git(&["checkout", "-q", "-b", "side"]);
        r.write("c.md", "c");
        r.commit("2026-01-03", ANA);
        r.git(&["checkout", "-q", "main"]);
        r.write("b.md", "b");
        r.commit("2026-01-02", ANA);
        git_in(
            &r.path(),
            &["merge", "-q", "--no-ff", "-m", "merge", "side"],
            "2026-01-04",
            ANA,
        );
        for (f, day) in [("d.md", "2026-01-05"), ("e.md", "2026-01-06")] {
            r.write(f, f);
            r.commit(day, ANA);
        }
        r
    }

    fn head(repo: &git2::Repository) -> Oid {
        repo.head().unwrap().target().unwrap()
    }

    #[test]
    fn a_walk_read_as_it_goes_reads_only_what_is_asked_and_ends_as_the_revision_walk() {
        let r = merged();
        let repo = git2::Repository::open(r.path()).unwrap();
        let whole = revwalk(&repo, head(&repo)).unwrap().commits;
        assert_eq!(whole.len(), 6);
        let mut lazy = Commits::lazy(&repo, head(&repo), HashSet::new());
        assert_eq!(lazy.get(0).unwrap(), Some(whole[0]));
        assert_eq!(lazy.known(), &whole[..1], "one commit read for the first");
        assert!(!lazy.known_whole());
        assert_eq!(lazy.get(1).unwrap(), Some(whole[1]));
        // The merge: the rest is the revision walk from there.
        assert_eq!(lazy.get(2).unwrap(), Some(whole[2]));
        assert!(lazy.known_whole());
        assert_eq!(lazy.get(6).unwrap(), None);
        assert_eq!(lazy.into_order().unwrap().commits, whole);
    }

    #[test]
    fn a_shallow_walk_read_as_it_goes_stops_at_the_boundary_as_the_revision_walk() {
        let r = merged();
        let dir = clone(&r, &["--depth", "2"]);
        let repo = git2::Repository::open(dir.path().join("c")).unwrap();
        let boundary: HashSet<Oid> = std::fs::read_to_string(repo.path().join("shallow"))
            .unwrap()
            .lines()
            .map(|l| Oid::from_str(l).unwrap())
            .collect();
        assert_eq!(boundary.len(), 1);
        let whole = revwalk(&repo, head(&repo)).unwrap();
        let lazy = Commits::lazy(&repo, head(&repo), boundary);
        let order = lazy.into_order().unwrap();
        assert_eq!(order.commits, whole.commits);
        assert_eq!(order.commits.len(), 2);
        assert_eq!(order.broken.is_some(), whole.broken.is_some());
    }
}
