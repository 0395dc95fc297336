//! A session's site after edits equals a fresh build's, file for file, byte for byte: on the
//! example handbook through a fixed series of edits, and on generated handbooks through
//! random ones (where an edit reaches only a small part of the site, so a page left out of a
//! rebuild that should have been in it shows).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod generated;
mod git;

use super::session::{Batch, Options, Session};
use crate::config::Config;
use crate::site::{BuildOptions, build};

const TODAY: &str = "2026-11-23";

fn today() -> jiff::civil::Date {
    crate::values::parse_date(TODAY).unwrap()
}

/// Every file under `dir` with its bytes.
pub(super) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A handbook in a temp folder and a session over it.
pub(super) struct Live {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    pub session: Session,
    git: bool,
}

impl Live {
    pub fn new(fill: impl FnOnce(&Path), git: bool) -> Live {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hb");
        fill(&root);
        let root = root.canonicalize().unwrap();
        let cfg = Config::discover(Some(&root), &root).unwrap();
        let session = Session::new(
            cfg,
            Options {
                today: Some(today()),
                git,
            },
        )
        .unwrap();
        let mut live = Live {
            _dir: dir,
            root,
            session,
            git,
        };
        let first = live.session.rebuild(&Batch::default());
        assert!(first.rendered.is_some(), "{first:?}");
        live
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap()
    }

    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Rebuild after `rels` changed; the site must then equal a fresh build's (or, when the
    /// handbook has errors, stay as it was).
    pub fn rebuilt(&mut self, rels: &[&str]) -> super::Outcome {
        self.rebuilt_after(rels, false)
    }

    /// [`Live::rebuilt`], with the repository changed too when `git`.
    pub fn rebuilt_after(&mut self, rels: &[&str], git: bool) -> super::Outcome {
        let before = tree(self.session.dir());
        let batch = Batch {
            paths: rels.iter().map(|r| self.root.join(r)).collect(),
            git,
            ..Batch::default()
        };
        let o = self.session.rebuild(&batch);
        assert!(o.failure.is_none(), "{o:?}");
        if o.rendered.is_none() {
            assert!(o.counts.errors > 0, "{o:?}");
            assert!(
                tree(self.session.dir()) == before,
                "a failed rebuild changed the site"
            );
            return o;
        }
        self.same_as_build(rels);
        o
    }

    pub fn same_as_build(&self, context: &[&str]) {
        let out = tempfile::tempdir().unwrap();
        let site = out.path().join("site");
        let cfg = Config::discover(Some(&self.root), &self.root).unwrap();
        let built = build(
            &cfg,
            &BuildOptions {
                out: Some(site.clone()),
                base_url: None,
                strict: false,
                today: today(),
                git: self.git,
                baseline: None,
            },
        )
        .unwrap();
        assert!(built.written.is_some(), "{:?}", built.report.diagnostics);
        let (want, got) = (tree(&site), tree(self.session.dir()));
        let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&got), names(&want), "after {context:?}");
        for (rel, bytes) in &want {
            assert!(
                got[rel] == *bytes,
                "after {context:?}, {rel} differs from a fresh build:\n--- served\n{}\n--- built\n{}",
                String::from_utf8_lossy(&got[rel]),
                String::from_utf8_lossy(bytes)
            );
        }
    }
}

/// The example handbook, without a site a build wrote into it (the README's first command).
fn example(root: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-repo");
    copy(&from, root);
    if from.join("site").is_dir() {
        std::fs::remove_dir_all(root.join("site")).unwrap();
    }
}

#[test]
fn example_handbook_through_a_series_of_edits() {
    let mut live = Live::new(example, false);
    let item = "roadmap/audit-log.md";
    live.edit(item, "## Problem", "## Problem\n\nOne more paragraph.");
    live.rebuilt(&[item]);
    // A title: the item's card on the board, the timeline, the health boards, the home page,
    // its owner's and team's pages and the pages of the items it depends on or that need it.
    live.edit(
        item,
        "title: Workspace audit log",
        "title: Workspace audit trail",
    );
    live.rebuilt(&[item]);
    // The card's facts back as they were: the cards kept from before that edit are not used.
    live.edit(
        item,
        "title: Workspace audit trail",
        "title: Workspace audit log",
    );
    live.rebuilt(&[item]);
    live.edit(item, "status: now", "status: next");
    live.rebuilt(&[item]);
    live.edit(
        item,
        "theme: Enterprise readiness",
        "theme: A brand new theme",
    );
    live.rebuilt(&[item]);
    live.edit(item, "owner: arjun-mehta", "owner: maya-chen");
    live.rebuilt(&[item]);
    live.edit("org.yml", "name: Priya Raman", "name: Priya R. Raman");
    live.rebuilt(&["org.yml"]);
    live.write(
        "guides/new-guide.md",
        "---\ntitle: A new guide\n---\n# A new guide\n\nRead [the log](../roadmap/audit-log.md#problem).\n",
    );
    live.rebuilt(&["guides/new-guide.md"]);
    // The anchor goes: the guide's link breaks (a finding on the guide, not on the item).
    live.edit(item, "## Problem", "## The problem");
    live.rebuilt(&[item]);
    std::fs::remove_file(live.root.join("guides/new-guide.md")).unwrap();
    live.rebuilt(&["guides/new-guide.md"]);
    // An error keeps the site; fixing it differently than before brings a new one.
    live.edit(item, "status: next", "status: [next");
    let o = live.rebuilt(&[item]);
    assert_eq!(o.counts.errors, 1);
    live.edit(
        item,
        "status: [next",
        "status: shipped\nshipped: 2026-11-20",
    );
    live.rebuilt(&[item]);
    let shipped = "roadmap/event-schema-registry.md";
    live.edit(shipped, "status: shipped", "status: now");
    live.rebuilt(&[shipped]);
    live.edit("charters/platform.md", "title: ", "title: The ");
    live.rebuilt(&["charters/platform.md"]);
    std::fs::rename(
        live.root.join("roadmap/flutter-sdk.md"),
        live.root.join("roadmap/flutter-sdk-v2.md"),
    )
    .unwrap();
    live.rebuilt(&["roadmap/flutter-sdk.md", "roadmap/flutter-sdk-v2.md"]);
    live.edit("people/leo-martins.md", "---\n", "---\ntags: [design]\n");
    live.rebuilt(&["people/leo-martins.md"]);
    // Objectives, metrics and launches: their own pages, the indexes, the pages that show them.
    let objective = "objectives/2026-q4-activation.md";
    live.edit(objective, "current: 44", "current: 47");
    live.rebuilt(&[objective]);
    live.edit(
        "metrics/activation-rate.md",
        "title: Week-1 activation rate",
        "title: Week-one activation rate",
    );
    live.rebuilt(&["metrics/activation-rate.md"]);
    let launch = "launches/sso-okta.md";
    live.edit(
        launch,
        "owner: rosa-alvarez, due: 2026-06-12, done: true",
        "owner: rosa-alvarez, due: 2026-06-12, done: false",
    );
    live.rebuilt(&[launch]);
    live.edit(
        "roadmap/data-quality-alerts.md",
        "key_results: [2026-q4-trusted-numbers#incidents]",
        "key_results: [2026-q4-trusted-numbers#incidents, 2026-q4-activation#activation]",
    );
    live.rebuilt(&["roadmap/data-quality-alerts.md"]);
    // A key result owned through a role: the role's holders' pages and the Ownership page.
    live.edit(
        objective,
        "owner: role:product-designer",
        "owner: role:product-manager",
    );
    live.rebuilt(&[objective]);
}

#[test]
fn the_search_index_is_patched_edit_after_edit() {
    let mut live = Live::new(example, false);
    let index = |live: &Live| {
        std::fs::read_to_string(live.session.dir().join("search-index.json")).unwrap()
    };
    let item = "roadmap/audit-log.md";
    // A word no document had comes with one body edit and goes with the next; a word's count
    // changes; a title's words change: each time the index equals a fresh build's.
    live.edit(item, "## Problem", "## Problem\n\nZyzzyva zyzzyva once.");
    live.rebuilt(&[item]);
    assert!(index(&live).contains("\"zyzzyva\""));
    live.edit(item, "Zyzzyva zyzzyva once.", "Zyzzyva once.");
    live.rebuilt(&[item]);
    live.edit(item, "Zyzzyva once.", "Nothing odd.");
    live.rebuilt(&[item]);
    assert!(!index(&live).contains("zyzzyva"));
    live.edit(
        item,
        "title: Workspace audit log",
        "title: Workspace quokka log",
    );
    live.rebuilt(&[item]);
    assert!(index(&live).contains("\"quokka\""));
    // A document added and one removed: the documents are numbered again.
    live.write(
        "guides/wombats.md",
        "---\ntitle: Wombat guide\nlast_reviewed: 2026-11-16\nreview_every: 6m\n---\n\n# Wombat guide\n\nText.\n",
    );
    live.rebuilt(&["guides/wombats.md"]);
    assert!(index(&live).contains("\"wombat\""));
    std::fs::remove_file(live.root.join("guides/wombats.md")).unwrap();
    live.rebuilt(&["guides/wombats.md"]);
    live.edit(
        item,
        "title: Workspace quokka log",
        "title: Workspace audit log",
    );
    live.rebuilt(&[item]);
    assert!(!index(&live).contains("quokka") && !index(&live).contains("wombat"));
}

#[test]
fn a_site_path_without_an_event_is_still_read_when_new() {
    // The walk, not the watcher, decides which files exist: a file no event named is found.
    let mut live = Live::new(example, false);
    live.write("guides/unannounced.md", "# Unannounced\n\nHello.\n");
    live.rebuilt(&[]);
}
