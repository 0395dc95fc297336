//! The same input gives the same output: `check --format json`, `export` and `build` run
//! again and again, without and with the git cache, on one worker thread and on several, give
//! byte-identical output on a full clone, a shallow clone, a clone with a blob deleted, a
//! blobless clone and a handbook whose files were moved into its root.
//!
//! The history is long enough (300 commits, written with `git fast-import`) that the pass runs
//! on worker threads and that `check` stops early, at a point that its own timing would move.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use super::git_cli::git_input;
use super::{ORG, TODAY, git, opsbook_with, process};

const AUTHORS: [&str; 3] = [
    "Ana <ana@example.com>",
    "Bo <bo@example.com>",
    "Cy <cy@example.com>",
];
const STATUSES: [&str; 4] = ["later", "next", "now", "shipped"];

/// A roadmap item with an owner and enough text to be found again after an edit.
fn owned_item(title: &str, status: &str, note: &str) -> String {
    let shipped = if status == "shipped" {
        "shipped: 2024-06-01\n"
    } else {
        ""
    };
    format!(
        "---\ntitle: {title}\nstatus: {status}\nowner: pm\n{shipped}---\n# {title}\n\n{note}\n\n{}",
        "A paragraph about the item that does not change.\n".repeat(10)
    )
}

/// `git fast-import` input, one commit at a time.
#[derive(Default)]
struct Stream {
    text: String,
    marks: usize,
}

impl Stream {
    /// A commit on `main` after the previous one (or `from`), with `merge` as second parent;
    /// `ops` are fast-import file commands (`M`, `D`, `R`) with inline data.
    fn commit(
        &mut self,
        day: usize,
        msg: &str,
        from: Option<usize>,
        merge: Option<usize>,
        ops: &[Op],
    ) -> usize {
        self.marks += 1;
        let mark = self.marks;
        let author = AUTHORS[day % AUTHORS.len()];
        // 2024-01-01 plus `day` days, at noon UTC.
        let when = 1_704_110_400 + day as i64 * 86_400;
        let _ = write!(
            self.text,
            "commit refs/heads/main\nmark :{mark}\nauthor {author} {when} +0000\ncommitter {author} {when} +0000\ndata {}\n{msg}\n",
            msg.len()
        );
        if let Some(f) = from {
            let _ = writeln!(self.text, "from :{f}");
        }
        if let Some(m) = merge {
            let _ = writeln!(self.text, "merge :{m}");
        }
        for op in ops {
            match op {
                Op::Write(path, data) => {
                    let _ = write!(
                        self.text,
                        "M 100644 inline {path}\ndata {}\n{data}\n",
                        data.len()
                    );
                }
                Op::Delete(path) => {
                    let _ = writeln!(self.text, "D {path}");
                }
                Op::Move(from, to) => {
                    let _ = writeln!(self.text, "R {from} {to}");
                }
            }
        }
        self.text.push('\n');
        mark
    }
}

enum Op {
    Write(String, String),
    Delete(String),
    Move(String, String),
}

/// 300 commits: a handbook under `_pages/` that moves to `pages/` (its root, with
/// `opsbook.yml`) at commit 120, status moves, process edits, renames with edits before and
/// after the move, a removed item, a merge, and code outside the handbook.
fn long_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"], TODAY, AUTHORS[0]);
    let mut s = Stream::default();
    let mut ops = vec![
        Op::Write("_pages/org.yml".into(), ORG.into()),
        Op::Write("src/lib.rs".into(), "pub fn f() {}\n".into()),
    ];
    for p in 0..4 {
        ops.push(Op::Write(format!("_pages/processes/p{p}.md"), process("")));
    }
    for i in 0..10 {
        ops.push(Op::Write(
            format!("_pages/roadmap/i{i}.md"),
            owned_item(&format!("Item {i}"), "later", "First words."),
        ));
    }
    let mut last = s.commit(0, "c0", None, None, &ops);
    let mut status = [0usize; 10];
    let mut base = "_pages";
    let mut names: Vec<String> = (0..10).map(|i| format!("i{i}")).collect();
    let mut side = None;
    for n in 1..300usize {
        let i = n % 10;
        let mut ops = Vec::new();
        match n {
            60 => {
                names[3] = "i3-renamed".into();
                ops.push(Op::Move(
                    format!("{base}/roadmap/i3.md"),
                    format!("{base}/roadmap/i3-renamed.md"),
                ));
                ops.push(Op::Write(
                    format!("{base}/roadmap/i3-renamed.md"),
                    owned_item("Item 3", STATUSES[status[3]], "Moved, with an edit."),
                ));
            }
            90 => {
                ops.push(Op::Delete(format!("{base}/roadmap/{}.md", names[9])));
                names[9].clear();
            }
            120 => {
                ops.push(Op::Move("_pages".into(), "pages".into()));
                ops.push(Op::Write(
                    "pages/opsbook.yml".into(),
                    "title: Long\n".into(),
                ));
                base = "pages";
            }
            200 => {
                let old = format!("pages/roadmap/{}.md", names[5]);
                names[5] = "i5-b".into();
                ops.push(Op::Move(old, "pages/roadmap/i5-b.md".into()));
                ops.push(Op::Write(
                    "pages/roadmap/i5-b.md".into(),
                    owned_item("Item 5", STATUSES[status[5]], "Moved again, edited."),
                ));
            }
            _ if n % 7 == 0 => {
                ops.push(Op::Write(
                    "src/lib.rs".into(),
                    format!("pub fn f() {{ /* {n} */ }}\n"),
                ));
            }
            // p0 is never touched after the move: `check` walks far back for its date.
            _ if n % 5 == 0 && (n < 120 || i % 4 != 0) => {
                let p = (n / 5) % 4;
                ops.push(Op::Write(
                    format!("{base}/processes/p{p}.md"),
                    format!("{}\nEdited in commit {n}.\n", process("")),
                ));
            }
            _ if !names[i].is_empty() => {
                status[i] = (status[i] + 1) % 3;
                ops.push(Op::Write(
                    format!("{base}/roadmap/{}.md", names[i]),
                    owned_item(
                        &format!("Item {i}"),
                        STATUSES[status[i]],
                        &format!("Edit {n}."),
                    ),
                ));
            }
            _ => {
                ops.push(Op::Write("src/notes.txt".into(), format!("{n}\n")));
            }
        }
        if n == 240 {
            side = Some(s.commit(
                n,
                "side",
                Some(last),
                None,
                &[Op::Write(
                    "pages/roadmap/side.md".into(),
                    owned_item("Side", "next", "From a branch."),
                )],
            ));
            continue;
        }
        if n == 245 {
            ops.push(Op::Write(
                "pages/roadmap/side.md".into(),
                owned_item("Side", "next", "From a branch."),
            ));
            last = s.commit(n, &format!("c{n}"), Some(last), side, &ops);
            continue;
        }
        last = s.commit(n, &format!("c{n}"), Some(last), None, &ops);
    }
    git_input(root, &["fast-import", "--quiet"], s.text.as_bytes());
    git(root, &["reset", "-q", "--hard", "main"], TODAY, AUTHORS[0]);
    git(
        root,
        &["config", "uploadpack.allowFilter", "true"],
        TODAY,
        AUTHORS[0],
    );
    dir
}

/// A clone of `from` made with `args`, in a new folder.
fn clone(from: &Path, args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}", from.display());
    let mut all = vec!["clone", "-q"];
    all.extend_from_slice(args);
    all.extend_from_slice(&[url.as_str(), "c"]);
    git(dir.path(), &all, TODAY, AUTHORS[0]);
    dir
}

/// A clone of `from` whose packs lack the old version of the item moved with edits in commit
/// 200 (a repository that lost a blob).
fn without_a_blob(from: &Path) -> tempfile::TempDir {
    let dir = clone(from, &["--no-local"]);
    let root = dir.path().join("c");
    let g = |args: &[&str]| git(&root, args, TODAY, AUTHORS[0]);
    let moved = g(&["log", "--format=%H", "--grep=^c200$"]);
    let blob = g(&[
        "rev-parse",
        &format!("{}~1:pages/roadmap/i5.md", moved.trim()),
    ]);
    let blob = blob.trim();
    let keep: String = g(&["rev-list", "--objects", "--all"])
        .lines()
        .filter_map(|l| l.split(' ').next())
        .filter(|o| *o != blob)
        .map(|o| format!("{o}\n"))
        .collect();
    let pack_dir = root.join(".git/objects/pack");
    let old: Vec<PathBuf> = std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    git_input(
        &root,
        &["pack-objects", "-q", ".git/objects/pack/pack"],
        keep.as_bytes(),
    );
    for p in old {
        std::fs::remove_file(p).unwrap();
    }
    dir
}

/// What one run shows: exit code, standard output and error, and the site's files; and its
/// standard output alone.
fn run(
    hb: &Path,
    args: &[&str],
    cache: bool,
    one_thread: bool,
    site: Option<&Path>,
) -> (String, String) {
    let mut vars = Vec::new();
    if !cache {
        vars.push(("OPSBOOK_NO_GIT_CACHE", "1"));
    }
    if one_thread {
        vars.push(("RAYON_NUM_THREADS", "1"));
    }
    let out: Output = opsbook_with(hb, args, &vars);
    let mut shown = format!(
        "{:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if let Some(site) = site {
        let mut files = BTreeMap::new();
        for e in walkdir::WalkDir::new(site) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let rel = e
                    .path()
                    .strip_prefix(site)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
        for (path, bytes) in files {
            let _ = write!(shown, "\n== {path}\n{}", String::from_utf8_lossy(&bytes));
        }
    }
    (shown, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Every command, cold and warm, on one thread and on several, three times each: one answer.
fn same_every_time(hb: &Path) -> BTreeMap<&'static str, String> {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let site_arg = site.to_string_lossy().into_owned();
    let commands: [(&str, Vec<&str>); 3] = [
        ("check", vec!["check", "--today", TODAY, "--format", "json"]),
        ("export", vec!["export", "--today", TODAY]),
        ("build", vec!["build", "--today", TODAY, "--out", &site_arg]),
    ];
    let mut answers = BTreeMap::new();
    for (name, args) in &commands {
        let site = (*name == "build").then_some(site.as_path());
        let (first, stdout) = run(hb, args, false, false, site);
        for one_thread in [false, true] {
            for cache in [false, true] {
                for n in 0..3 {
                    let (again, _) = run(hb, args, cache, one_thread, site);
                    assert!(
                        again == first,
                        "{name} differs (cache {cache}, one thread {one_thread}, run {n}) in {}:\n{}",
                        hb.display(),
                        first_difference(&first, &again)
                    );
                }
            }
        }
        answers.insert(*name, stdout);
    }
    answers
}

fn first_difference(a: &str, b: &str) -> String {
    let at = a.lines().zip(b.lines()).position(|(x, y)| x != y);
    match at {
        Some(i) => format!(
            "line {}:\n  first: {}\n  again: {}",
            i + 1,
            a.lines().nth(i).unwrap_or_default(),
            b.lines().nth(i).unwrap_or_default()
        ),
        None => format!("lengths {} and {}", a.len(), b.len()),
    }
}

#[test]
fn every_clone_gives_the_same_output_every_time() {
    let full = long_history();
    let shallow = clone(full.path(), &["--depth", "40"]);
    let damaged = without_a_blob(full.path());
    let blobless = clone(full.path(), &["--filter=blob:none"]);
    let cases: [(&str, PathBuf); 4] = [
        ("full", full.path().to_path_buf()),
        ("shallow", shallow.path().join("c")),
        ("damaged", damaged.path().join("c")),
        ("blobless", blobless.path().join("c")),
    ];
    let mut exports = BTreeMap::new();
    for (name, repo) in &cases {
        let answers = same_every_time(&repo.join("pages"));
        let check = &answers["check"];
        let export = &answers["export"];
        // Sanity: the runs did read git, and the moved root kept its history.
        assert!(
            export.contains("\"created\": \"2024-01-01\"") || *name == "shallow",
            "{name}"
        );
        assert!(check.contains("review-from-git"), "{name}: {check}");
        let says = |rule: &str| export.contains(&format!("\"rule\": \"{rule}\""));
        assert_eq!(says("shallow-clone"), *name == "shallow", "{name}");
        assert_eq!(
            says("missing-objects"),
            matches!(*name, "damaged" | "blobless"),
            "{name}"
        );
        // `check` uses last commits only, which missing contents never change.
        assert!(!check.contains("missing-objects"), "{name}");
        exports.insert(*name, export.clone());
    }
    // Missing contents cost values and one move's creation date, never a date or an author.
    let dates = |export: &str| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(export).unwrap();
        json["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} {} {}",
                    d["path"], d["git"]["updated"], d["git"]["author"]
                )
            })
            .collect()
    };
    assert_eq!(dates(&exports["blobless"]), dates(&exports["full"]));
    assert_eq!(dates(&exports["damaged"]), dates(&exports["full"]));
}
