//! opsbook: a git-native docs-as-code toolkit for product teams.
//!
//! The pipeline: config → discover → frontmatter → model → git → validate → report, and for
//! the site: → render → site (write).

pub mod changes;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod export;
pub mod frontmatter;
pub mod git;
pub mod kind;
pub mod kinds;
pub mod markdown;
pub mod model;
pub mod publish;
pub mod render;
pub mod report;
pub mod rules;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod timing;
pub mod validate;
pub mod values;
pub mod worktree;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use config::Config;
use error::Error;
use report::Report;

/// The date every date-dependent rule uses: `--today`, else `SOURCE_DATE_EPOCH`, else the
/// system date.
pub fn today(arg: Option<&str>) -> Result<Date, Error> {
    if let Some(t) = arg {
        return values::parse_date(t).map_err(|m| Error::Usage(format!("--today: {m}")));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            Error::Usage(format!(
                "SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"
            ))
        })?;
        let ts = jiff::Timestamp::from_second(secs)
            .map_err(|e| Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}`: {e}")))?;
        return Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date());
    }
    Ok(jiff::ZonedDateTime::now().date())
}

/// What `check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Root-relative files or folders to report on; empty means everything.
    pub only: Vec<String>,
    pub strict: bool,
    pub today: Date,
}

/// Load the whole handbook and run every rule (without git).
pub fn check(cfg: &Config, opts: &CheckOptions) -> Result<Report, Error> {
    check_with_git(cfg, opts, &GitOptions::default())
}

/// How `check` uses git.
#[derive(Debug, Clone, Default)]
pub struct GitOptions {
    /// Read git facts: review dates from git, the shallow-clone warning.
    pub enabled: bool,
    /// Report only findings in files changed between this revision and the work tree.
    pub changed_since: Option<String>,
}

/// Load the whole handbook, read what `check` needs from git, and run every rule.
pub fn check_with_git(
    cfg: &Config,
    opts: &CheckOptions,
    git: &GitOptions,
) -> Result<Report, Error> {
    let (files, skipped) = discover::sources(cfg)?;
    let repo = if git.enabled || git.changed_since.is_some() {
        git::Repo::open(&cfg.root)?
    } else {
        None
    };
    let changed = match (&git.changed_since, &repo) {
        (Some(rev), Some(r)) => Some(r.changed_since(rev)?),
        (Some(rev), None) => {
            return Err(Error::Usage(format!(
                "--changed-since {rev}: the handbook at {} is not in a git repository",
                cfg.root.display()
            )));
        }
        _ => None,
    };
    let selected = |path: &str| {
        (opts.only.is_empty()
            || opts
                .only
                .iter()
                .any(|p| p.is_empty() || path == p || path.starts_with(&format!("{p}/"))))
            && changed.as_ref().is_none_or(|c| c.contains(path))
    };
    // The history pass runs while the documents are read. Only documents dated by git need
    // their last commit: the pass stops once they all have one (the selected files bound the
    // set from the start; the exact set follows once the model is built).
    let (send_wanted, wanted) = std::sync::mpsc::channel();
    let read = git::ReadOptions {
        skip_history: true,
        skip_status: true,
        stop_after: (!opts.only.is_empty() || changed.is_some()).then(|| {
            files
                .iter()
                .map(|f| f.rel_path.clone())
                .filter(|p| selected(p))
                .collect()
        }),
        stop_after_sent: Some(wanted),
    };
    let (handbook, mut diags, facts) = std::thread::scope(|s| {
        let pass = repo
            .filter(|_| git.enabled)
            .map(|r| s.spawn(move || r.facts(cfg, &read)));
        let (handbook, diags) = model::build(&files, cfg);
        let dated_by_git = handbook
            .docs
            .iter()
            .filter(|d| d.last_reviewed.is_none() && selected(&d.path))
            .filter(|d| validate::freshness::interval(d, cfg).is_some())
            .map(|d| d.path.clone())
            .collect();
        // The pass may be over already; then nobody listens, which is fine.
        let _ = send_wanted.send(dated_by_git);
        let facts = pass
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .transpose();
        facts.map(|f| (handbook, diags, f))
    })?;
    diags.extend(skipped);
    diags.extend(validate::run_selected(
        &handbook,
        cfg,
        opts.today,
        facts.as_ref(),
        &selected,
    ));
    let mut diags = validate::finish(diags, cfg, opts.strict);
    // Findings about the repository as a whole (path `.`) are always reported.
    diags.retain(|d| {
        let p = d.path.to_string_lossy();
        p == "." || selected(&p)
    });
    Ok(Report::new(diags, files, selected))
}

/// Turn user-given paths into root-relative ones. A path that does not exist is a usage error;
/// one outside the handbook is ignored (a pre-commit hook passes every changed file).
pub fn select_paths(
    cfg: &Config,
    cwd: &Path,
    given: &[PathBuf],
) -> Result<Option<Vec<String>>, Error> {
    if given.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for p in given {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        if !abs.exists() {
            return Err(Error::Usage(format!(
                "{}: no such file or folder",
                p.display()
            )));
        }
        if let Some(rel) = discover::user_path(&cfg.root, cwd, p) {
            out.push(rel);
        }
    }
    Ok(Some(out))
}

/// What to put before a root-relative path so that it is relative to `cwd` instead:
/// `docs/handbook/` from the repository root, `../` from a subfolder, empty at the root.
pub fn shown_from(root: &Path, cwd: &Path) -> String {
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    if cwd == root {
        return String::new();
    }
    let common = root
        .ancestors()
        .find(|a| cwd.starts_with(a))
        .unwrap_or(root);
    let up = cwd
        .strip_prefix(common)
        .map_or(0, |p| p.components().count());
    let down = root.strip_prefix(common).unwrap_or(Path::new(""));
    let mut out = "../".repeat(up);
    for part in down.components() {
        out.push_str(&part.as_os_str().to_string_lossy());
        out.push('/');
    }
    out
}

/// The handbook config for a command: `--root`, else found upward from `cwd`.
pub fn load_config(root: Option<&Path>, cwd: &Path) -> Result<Config, Error> {
    Config::discover(root, cwd)
}

/// The current directory, as an error when it is gone.
pub fn current_dir() -> Result<PathBuf, Error> {
    std::env::current_dir().map_err(|source| Error::Read {
        path: PathBuf::from("."),
        source,
    })
}
