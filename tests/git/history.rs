//! A long history for tests, written with `git fast-import`: 300 commits of a handbook that
//! moved into its root (`_pages/` → `pages/`), with status moves (of roadmap items, and of a
//! person in `org.yml`), process edits, renames with edits, a removed item, a merge and code
//! outside the handbook; and clones of it that lack something (shallow, blobless, a lost blob).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::git_cli::git_input;
use super::{ORG, TODAY, git, process};

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
pub fn long_history() -> tempfile::TempDir {
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
            // Ana's status in the registry moves, one entry among others.
            _ if n % 21 == 0 => {
                let status = ["active", "leave", "left"][(n / 21) % 3];
                ops.push(Op::Write(
                    format!("{base}/org.yml"),
                    format!("{ORG}    status: {status}\n"),
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
pub fn clone(from: &Path, args: &[&str]) -> tempfile::TempDir {
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
pub fn without_a_blob(from: &Path) -> tempfile::TempDir {
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
