//! A [`Case`] played into a real repository in a temporary folder, through the `git` command
//! line (the shared helper of the test binaries), commit by commit.

use std::path::PathBuf;

use jiff::ToSpan;

use super::documents::SLOTS;
use super::history::{AUTHORS, Case, Checkout, Commit, Dest, FIRST_DAY, Op};
use super::support::git::git;

/// A case played into a real repository in a temporary folder.
pub struct Repo {
    /// The repository, and the clone the commands run in once made.
    _dirs: Vec<tempfile::TempDir>,
    /// The top of the repository (of the clone, once made).
    pub top: PathBuf,
    /// The handbook root.
    pub root: PathBuf,
    case: Case,
    /// Where each document of the pool is now, relative to the top; `None` when absent.
    at: Vec<Option<String>>,
    day: jiff::civil::Date,
    /// How many commits of the history are played.
    next: usize,
}

impl Repo {
    /// The repository after its first commit: every document's first version, `org.yml`,
    /// `opsbook.yml` and the extra files.
    pub fn new(case: &Case) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        let root = root_in(&top, case);
        std::fs::create_dir_all(&root).unwrap();
        git(&top, &["init", "-q", "-b", "main"], FIRST_DAY, AUTHORS[0]);
        let mut repo = Repo {
            _dirs: vec![dir],
            top,
            root,
            case: case.clone(),
            at: vec![None; case.hb.docs.len()],
            day: FIRST_DAY.parse().unwrap(),
            next: 0,
        };
        let prefix = repo.prefix();
        repo.write(
            &format!("{prefix}opsbook.yml"),
            case.hb.config.render().as_bytes(),
        );
        for extra in &case.hb.extras {
            match extra.split_once(" -> ") {
                Some((link, to)) => repo.symlink(&format!("{prefix}{link}"), to),
                None => repo.write(&format!("{prefix}{extra}"), b"not a document\n"),
            }
        }
        repo.put_org(0);
        for d in 0..case.hb.docs.len() {
            repo.put(d, 0);
        }
        repo.commit(AUTHORS[0], false);
        repo
    }

    /// The repository with every commit played, cloned as the case says, with the
    /// uncommitted changes made.
    pub fn played(case: &Case) -> Repo {
        let mut repo = Repo::new(case);
        repo.play_commits(case.history.commits.len());
        repo.finish();
        repo
    }

    /// Play the next `n` commits of the history.
    pub fn play_commits(&mut self, n: usize) {
        let commits: Vec<Commit> = self.case.history.commits.clone();
        for c in commits.iter().skip(self.next).take(n) {
            self.next += 1;
            self.day = self.day.checked_add(c.gap_days.days()).unwrap();
            if c.merge {
                self.merge(c);
            } else {
                for op in &c.ops {
                    self.apply(op);
                }
                self.commit(c.author, c.amend);
            }
        }
    }

    /// Once every commit is played: make the clone the case asks for (the commands then run
    /// in it), and the changes the history leaves uncommitted there.
    pub fn finish(&mut self) {
        let args: &[&str] = match self.case.checkout {
            Checkout::Full => &[],
            Checkout::Shallow(depth) => &["--depth", &depth.to_string()],
            Checkout::Blobless => {
                self.git(&["config", "uploadpack.allowFilter", "true"]);
                &["--filter=blob:none"]
            }
        };
        if !matches!(self.case.checkout, Checkout::Full) {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("file://{}", self.top.display());
            let mut all = vec!["clone", "-q"];
            all.extend_from_slice(args);
            all.extend_from_slice(&[url.as_str(), "c"]);
            git(dir.path(), &all, FIRST_DAY, AUTHORS[0]);
            self.top = dir.path().canonicalize().unwrap().join("c");
            self.root = root_in(&self.top, &self.case);
            self._dirs.push(dir);
        }
        for op in &self.case.history.uncommitted.clone() {
            self.apply(op);
        }
    }

    /// The commit made on a branch, then an empty commit on `main`, then the branch merged: a
    /// merge with two parents whose tree is the branch's (so the work tree stays as played).
    fn merge(&mut self, c: &Commit) {
        let branch = format!("side-{}", self.next);
        self.git(&["checkout", "-q", "-b", &branch]);
        for op in &c.ops {
            self.apply(op);
        }
        self.commit(c.author, false);
        let day = self.day.to_string();
        for args in [
            &["checkout", "-q", "main"][..],
            &["commit", "-q", "--allow-empty", "-m", "meanwhile"],
            &["merge", "-q", "--no-ff", "-m", "merge", &branch],
        ] {
            git(&self.top, args, &day, c.author);
        }
    }

    fn git(&self, args: &[&str]) -> String {
        git(&self.top, args, &self.day.to_string(), AUTHORS[0])
    }

    /// How many commits the history has after the first.
    pub fn commits(&self) -> usize {
        self.case.history.commits.len()
    }

    /// `hb/` or nothing: the handbook root relative to the top.
    fn prefix(&self) -> &'static str {
        if self.case.in_folder { "hb/" } else { "" }
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.top.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// A symbolic link at `rel` to `to` (on Unix; elsewhere none).
    fn symlink(&self, rel: &str, to: &str) {
        let p = self.top.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(to, p).unwrap();
        #[cfg(not(unix))]
        let _ = (to, p);
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.top.join(rel)).unwrap();
    }

    /// Where document `d` goes for `dest`, relative to the top.
    fn place(&self, d: usize, dest: Dest) -> String {
        let home = SLOTS[self.case.hb.docs[d].slot].0;
        let (folder, file) = home.rsplit_once('/').unwrap_or(("", home));
        let stem = file.trim_end_matches(".md");
        let prefix = self.prefix();
        match dest {
            Dest::Home => format!("{prefix}{home}"),
            Dest::Sibling if folder.is_empty() => format!("{prefix}{stem}-2.md"),
            Dest::Sibling => format!("{prefix}{folder}/{stem}-2.md"),
            Dest::Archive => format!("{prefix}archive/{stem}.md"),
            Dest::Outside => format!("_old/{stem}.md"),
        }
    }

    fn put(&mut self, d: usize, v: usize) {
        let path = self.at[d]
            .clone()
            .unwrap_or_else(|| self.place(d, Dest::Home));
        // Links climb to the handbook root from where the version is written; a file that
        // moves keeps its bytes, so its relative links may break, as they do in real moves.
        let in_root = path.strip_prefix(self.prefix()).unwrap_or(&path);
        let depth = in_root.matches('/').count();
        let bytes = self.case.hb.docs[d].versions[v].render(depth);
        self.write(&path, &bytes);
        self.at[d] = Some(path);
    }

    fn put_org(&mut self, v: usize) {
        let path = format!("{}org.yml", self.prefix());
        match &self.case.hb.org[v] {
            Some(text) => self.write(&path, text.as_bytes()),
            None if self.top.join(&path).exists() => self.remove(&path),
            None => {}
        }
    }

    fn apply(&mut self, op: &Op) {
        let docs = self.case.hb.docs.len();
        match op {
            Op::Put(d, v) => {
                let d = d.index(docs);
                let v = v.index(self.case.hb.docs[d].versions.len());
                self.put(d, v);
            }
            Op::Move(d, dest) => {
                let d = d.index(docs);
                let to = self.place(d, *dest);
                if let Some(from) = self.at[d].clone()
                    && from != to
                {
                    let target = self.top.join(&to);
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    std::fs::rename(self.top.join(&from), target).unwrap();
                    self.at[d] = Some(to);
                }
            }
            Op::Delete(d) => {
                let d = d.index(docs);
                if let Some(from) = self.at[d].take() {
                    self.remove(&from);
                }
            }
            Op::Org(v) => self.put_org(v.index(self.case.hb.org.len())),
        }
    }

    fn commit(&mut self, author: &str, amend: bool) {
        let day = self.day.to_string();
        git(&self.top, &["add", "-A"], &day, author);
        let mut args = vec!["commit", "-q", "--allow-empty", "-m", "change"];
        // The first commit is made by `new`: there is always one to amend.
        if amend {
            args.push("--amend");
        }
        git(&self.top, &args, &day, author);
    }

    /// Every file and folder of the repository (`.git` left out) as a user or a pre-commit
    /// hook may pass it to `check` run at the handbook root: `.` (the root), `roadmap/sso.md`,
    /// `roadmap`, and for a handbook in a folder `../` (the top, which holds it) and
    /// `../_old/sso.md` (a file outside it).
    pub fn paths(&self) -> Vec<String> {
        let mut out = vec![".".to_string()];
        for e in walkdir::WalkDir::new(&self.top)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git")
        {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(&self.top).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            let shown = match self.prefix() {
                "" => rel,
                prefix => match rel.strip_prefix(prefix) {
                    Some(inside) => inside.to_string(),
                    None => format!("../{rel}"),
                },
            };
            // The root itself, `.` above.
            if !shown.is_empty() && shown != "../hb" {
                out.push(shown);
            }
        }
        out
    }
}

/// The handbook root of a case in the repository (or clone) at `top`.
fn root_in(top: &std::path::Path, case: &Case) -> PathBuf {
    if case.in_folder {
        top.join("hb")
    } else {
        top.to_path_buf()
    }
}
