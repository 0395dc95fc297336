//! The site with git facts: a real repository (the handbook in a subfolder, fixed authors and
//! dates) whose roadmap item moves later → next → now; a shallow clone of it; `--no-git`.

use std::path::{Path, PathBuf};

use super::support::{
    TODAY, assert_same_tree, commit, git, main_of, opsbook, page, text, tree, write,
};

const ANA: &str = "Ana Lima <ana@acme.example>";
const BO: &str = "Bo Berg <bo@acme.example>";
/// The handbook's folder inside the repository.
const HB: &str = "docs/handbook";

fn item(status: &str, extra: &str) -> String {
    format!("---\ntitle: Single sign-on\nstatus: {status}\n{extra}---\n# Single sign-on\n")
}

const ORG: &str = "people:\n  - id: ana\n    name: Ana Lima\n    roles: [pm]\n  - id: bo\n    \
                   name: Bo Berg\nroles:\n  - id: pm\n    title: Product manager\n    \
                   last_reviewed: 2026-11-01\n    responsibilities: [Plans the roadmap]\n";

const PROCESS: &str = "---\ntitle: Weekly sync\nowner: pm\ncadence: weekly\n---\n# Weekly sync\n\n\
                       ## Steps\n\n1. Meet.\n";

/// A repository holding a handbook in `docs/handbook/`, with `origin` on GitHub (never
/// fetched). `roadmap/sso.md` is later on 2026-09-01 (Ana), next on 2026-10-01 (Bo), now on
/// 2026-11-02 (Ana); the process (with org.yml) has no `last_reviewed` and was committed 2026-08-20.
fn repository(dir: &Path) -> PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], "2026-09-01", ANA);
    git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            "git@github.com:acme/handbook.git",
        ],
        "2026-09-01",
        ANA,
    );
    let hb = repo.join(HB);
    write(&hb, "opsbook.yml", "title: Acme Handbook\n");
    write(&hb, "org.yml", ORG);
    write(&hb, "processes/sync.md", PROCESS);
    commit(&repo, "2026-08-20", BO, "Add the weekly sync");
    write(&hb, "roadmap/sso.md", &item("later", ""));
    write(&hb, "guides/welcome.md", "# Welcome\n\nStart here.\n");
    write(&repo, "README.md", "The repository.\n");
    commit(&repo, "2026-09-01", ANA, "Start the handbook");
    write(&hb, "roadmap/sso.md", &item("next", "owner: ana\n"));
    commit(&repo, "2026-10-01", BO, "SSO is next");
    write(
        &hb,
        "guides/welcome.md",
        "# Welcome\n\nStart here, then read the roadmap.\n",
    );
    commit(&repo, "2026-10-20", BO, "Point newcomers at the roadmap");
    write(
        &hb,
        "roadmap/sso.md",
        &item("now", "owner: ana\ntarget: 2026-Q4\n"),
    );
    commit(&repo, "2026-11-02", ANA, "Start SSO");
    repo
}

/// A snapshot kept with the other site snapshots in `tests/snapshots/`.
fn snapshot(name: &str, value: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.bind(|| insta::assert_snapshot!(name, value));
}

/// `opsbook build --today TODAY --out OUT ARGS` in the handbook of `repo`.
fn build_into(repo: &Path, out: &Path, args: &[&str]) -> String {
    let hb = repo.join(HB);
    let o = opsbook(&hb)
        .args(["build", "--today", TODAY, "--out"])
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    let msg = text(&o, &hb);
    assert_eq!(o.status.code(), Some(0), "{msg}");
    msg
}

#[test]
fn pages_show_history_dates_authors_and_edit_links_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path());
    let site = dir.path().join("site");
    build_into(&repo, &site, &[]);

    let item = main_of(&page(&site, "roadmap/sso.html"));
    assert!(
        item.contains(
            r#"status next → now</span>, <span class="change">target set to 2026-Q4</span> on <time datetime="2026-11-02">2026-11-02</time> by Ana Lima"#
        ),
        "{item}"
    );
    // Owners by name, not id.
    assert!(item.contains(r#"status later → next</span>, <span class="change">owner set to Ana Lima</span> on <time datetime="2026-10-01">2026-10-01</time> by Bo Berg"#), "{item}");
    assert!(item.contains(r#"Created: <span class="change">status later</span> on <time datetime="2026-09-01">2026-09-01</time> by Ana Lima"#), "{item}");
    snapshot("git_item", &item);

    let welcome = main_of(&page(&site, "guides/welcome.html"));
    assert!(
        welcome.contains(r#"<dt>Last updated</dt><dd><time datetime="2026-10-20">2026-10-20</time> by Bo Berg · <a href="https://github.com/acme/handbook/commit/"#),
        "{welcome}"
    );
    assert!(welcome.contains(r#"<a class="edit-link" href="https://github.com/acme/handbook/blob/HEAD/docs/handbook/guides/welcome.md">Edit this page</a>"#), "{welcome}");

    // Org entries share org.yml: its facts are shown as the file's, and the edit link points at
    // the entry's line.
    let person = main_of(&page(&site, "people/bo.html"));
    assert!(person.contains("<dt>File last changed</dt>"), "{person}");
    assert!(
        person.contains("(all of <code>org.yml</code>, not only this entry)"),
        "{person}"
    );
    assert!(
        person.contains("blob/HEAD/docs/handbook/org.yml#L5\""),
        "{person}"
    );

    // The review date of a document without `last_reviewed` comes from git, as in `check`.
    let catalogue = main_of(&page(&site, "processes/index.html"));
    assert!(
        catalogue.contains(r#"<td>2026-08-20 <span class="muted">(from git)</span></td>"#),
        "{catalogue}"
    );
    assert!(catalogue.contains("fresh-overdue"), "{catalogue}");
    let home = main_of(&page(&site, "index.html"));
    assert!(
        home.contains(r#"href="processes/sync.html">Weekly sync</a>"#),
        "{home}"
    );
    snapshot("git_home", &home);
    let health = main_of(&page(&site, "health.html"));
    assert!(
        health.contains("review date taken from git: last commit 2026-08-20"),
        "{health}"
    );

    // What changed, newest first, and the feed.
    let changes = main_of(&page(&site, "changes.html"));
    snapshot("git_changes", &changes);
    let now = changes.find("status next → now").expect("the move to now");
    let next = changes
        .find("status later → next")
        .expect("the move to next");
    assert!(now < next, "{changes}");
    let feed = page(&site, "feed.xml");
    assert!(
        feed.contains("<updated>2026-11-02T12:00:00Z</updated>"),
        "{feed}"
    );
    assert!(
        feed.contains("<title>Single sign-on: status next → now; target none → 2026-Q4</title>"),
        "{feed}"
    );
    snapshot("git_feed", &feed);

    // Uncommitted work is marked.
    write(
        &repo.join(HB),
        "guides/welcome.md",
        "# Welcome\n\nA draft.\n",
    );
    write(&repo.join(HB), "guides/new.md", "# New\n\nNot committed.\n");
    build_into(&repo, &site, &[]);
    let welcome = page(&site, "guides/welcome.html");
    assert!(welcome.contains(">modified locally</span>"), "{welcome}");
    let new = page(&site, "guides/new.html");
    assert!(new.contains(">not committed yet</span>"), "{new}");
    assert!(!new.contains("Edit this page"), "{new}");
}

#[test]
fn two_builds_of_one_repository_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path());
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    build_into(&repo, &one, &[]);
    build_into(&repo, &two, &[]);
    assert_same_tree(&one, &two);
}

#[test]
fn no_git_shows_no_git_facts() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path());
    let site = dir.path().join("site");
    build_into(&repo, &site, &["--no-git"]);
    for (rel, bytes) in tree(&site) {
        let html = String::from_utf8_lossy(&bytes);
        for git_fact in [
            "Last updated",
            "File last changed",
            "Edit this page",
            "Ana Lima</span>",
            "by Ana Lima",
            "by Bo Berg",
            "github.com",
            "(from git",
            "status later → next",
            "review-from-git",
        ] {
            assert!(
                !html.contains(git_fact),
                "{}: {git_fact}\n{html}",
                rel.display()
            );
        }
    }
    assert!(page(&site, "changes.html").contains("built without git facts"));
}

#[test]
fn a_shallow_clone_marks_dates_approximate() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repository(dir.path());
    let url = format!("file://{}", repo.display());
    git(
        dir.path(),
        &["clone", "-q", "--depth", "1", &url, "clone"],
        TODAY,
        ANA,
    );
    let site = dir.path().join("site");
    let msg = build_into(&dir.path().join("clone"), &site, &[]);
    assert!(msg.contains("warning[shallow-clone]"), "{msg}");

    // Every file is dated to the clone's only commit: approximately.
    let welcome = main_of(&page(&site, "guides/welcome.html"));
    assert!(
        welcome.contains(r#"<dt>Last updated</dt><dd><time datetime="2026-11-02" title="approximate: this clone's history is cut here (shallow clone)">about 2026-11-02</time> by Ana Lima"#),
        "{welcome}"
    );
    let catalogue = main_of(&page(&site, "processes/index.html"));
    assert!(
        catalogue.contains(r#"<td>about 2026-11-02 <span class="muted">(from git)</span></td>"#),
        "{catalogue}"
    );
    let item = main_of(&page(&site, "roadmap/sso.html"));
    assert!(
        item.contains(r#"Earliest version in this clone: <span class="change">status now</span>"#),
        "{item}"
    );
    assert!(
        item.contains(">about 2026-11-02</time> by Ana Lima"),
        "{item}"
    );
    assert!(!item.contains("Created"), "{item}");
    let changes = main_of(&page(&site, "changes.html"));
    assert!(changes.contains("This clone's history is cut"), "{changes}");
    assert!(!changes.contains("status next → now"), "{changes}");
}
