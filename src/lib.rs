//! opsbook: a git-native docs-as-code toolkit for product teams.
//!
//! The pipeline: config → discover → frontmatter → model → git → validate → report, and for
//! the site: → render → site (write).

pub mod baseline;
mod cache_file;
pub mod changes;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod error;
pub mod escape;
pub mod export;
pub mod flow;
pub mod frontmatter;
pub mod git;
pub mod kind;
pub mod kinds;
pub mod load;
pub mod manual;
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
pub mod trend;
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
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(epoch) => source_date_epoch(&epoch),
        Err(std::env::VarError::NotUnicode(_)) => Err(Error::Usage(
            "SOURCE_DATE_EPOCH is not a whole number of seconds since 1970 (it is not even text)"
                .into(),
        )),
        Err(std::env::VarError::NotPresent) => Ok(jiff::ZonedDateTime::now().date()),
    }
}

/// The UTC day of a `SOURCE_DATE_EPOCH` value (seconds since 1970-01-01 UTC).
fn source_date_epoch(epoch: &str) -> Result<Date, Error> {
    let shown = escape::clip(epoch, 40);
    let secs: i64 = epoch.trim().parse().map_err(|_| {
        Error::Usage(format!(
            "SOURCE_DATE_EPOCH `{shown}` is not a whole number of seconds since 1970\n    \
             help: set it to the output of `date +%s`, or to the time of the last commit: \
             `git log -1 --format=%ct`"
        ))
    })?;
    let ts = jiff::Timestamp::from_second(secs).map_err(|_| {
        Error::Usage(format!(
            "SOURCE_DATE_EPOCH `{shown}` is out of range: it must be a time between the years \
             -9999 and 9999 ({} to {} seconds)",
            jiff::Timestamp::MIN.as_second(),
            jiff::Timestamp::MAX.as_second()
        ))
    })?;
    Ok(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// What `check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Root-relative files or folders to report on (`""` is the root); `None` means
    /// everything, and an empty list nothing (every path given was outside the handbook).
    pub only: Option<Vec<String>>,
    pub strict: bool,
    pub today: Date,
    /// Findings known already: left out of the report (and the exit code).
    pub baseline: Option<baseline::Baseline>,
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
    check_keeping(cfg, opts, git).map(|checked| checked.report)
}

/// A check's report, with the handbook and git facts it was made from.
pub struct Checked {
    pub report: Report,
    /// What the check read. Freeing it takes a while at 10,000 documents (millions of small
    /// values), which a process that ends right after the report can leave to the system.
    pub read: (model::Handbook, Option<git::Facts>),
}

/// [`check_with_git`], handing back what it read rather than freeing it.
pub fn check_keeping(
    cfg: &Config,
    opts: &CheckOptions,
    git: &GitOptions,
) -> Result<Checked, Error> {
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
        opts.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|p| p.is_empty() || path == p || path.starts_with(&format!("{p}/")))
        }) && changed.as_ref().is_none_or(|c| c.contains(path))
    };
    let narrowed = opts.only.is_some() || changed.is_some();
    let read = match repo.filter(|_| git.enabled) {
        Some(repo) => load::GitRead::LastCommits {
            repo,
            narrowed,
            selected: &selected,
        },
        None => load::GitRead::None,
    };
    let load::Loaded {
        files,
        handbook,
        mut diags,
        facts,
    } = load::load(cfg, read)?;
    diags.extend(validate::run_selected(
        &handbook,
        cfg,
        opts.today,
        facts.as_ref(),
        &selected,
    ));
    timing::phase("rules");
    let mut diags = validate::finish(diags, cfg, opts.strict);
    // Findings about the repository as a whole (path `.`) are always reported.
    diags.retain(|d| {
        let p = d.path.to_string_lossy();
        p == "." || selected(&p)
    });
    let applied = opts
        .baseline
        .as_ref()
        .map(|b| b.apply(&mut diags, &selected))
        .unwrap_or_default();
    let mut report = Report::new(diags, files, selected);
    report.baseline = applied;
    Ok(Checked {
        report,
        read: (handbook, facts),
    })
}

/// Turn user-given paths into root-relative ones (`None`: no path given). A path that does not
/// exist is a usage error (a symbolic link exists, even a dangling one: its finding is that it is
/// skipped); one outside the handbook selects nothing (a pre-commit hook passes every changed
/// file), so paths all outside it give an empty list; a folder that holds the handbook selects
/// all of it.
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
        if abs.symlink_metadata().is_err() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_errors_say_what_is_wrong_in_plain_words() {
        assert_eq!(
            source_date_epoch("1764000000").unwrap(),
            jiff::civil::date(2025, 11, 24)
        );
        let err = source_date_epoch("x").unwrap_err().to_string();
        assert!(
            err.starts_with("SOURCE_DATE_EPOCH `x` is not a whole number of seconds since 1970\n"),
            "{err}"
        );
        let err = source_date_epoch("999999999999999")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!(
                "SOURCE_DATE_EPOCH `999999999999999` is out of range: it must be a time between \
                 the years -9999 and 9999 ({} to {} seconds)",
                jiff::Timestamp::MIN.as_second(),
                jiff::Timestamp::MAX.as_second()
            )
        );
        assert!(!err.contains("parameter"), "{err}");
        let err = source_date_epoch("\u{1b}[2J").unwrap_err().to_string();
        assert!(
            err.starts_with("SOURCE_DATE_EPOCH `\\u{1b}[2J` is not"),
            "{err}"
        );
    }
}
