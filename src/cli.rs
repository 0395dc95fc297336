//! Command-line interface (clap derive).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "opsbook",
    version,
    about = "Git-native docs-as-code for product teams: check and render a handbook of roadmap items, \
             charters, processes and pages kept as Markdown with YAML frontmatter.",
    after_help = "Exit codes: 0 no errors (warnings allowed), 1 at least one error (or any warning \
                  with --strict), 2 opsbook could not run (usage, config, I/O)."
)]
pub struct Cli {
    /// Handbook root (default: the nearest folder upward holding opsbook.yml, else the current folder)
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the handbook: fields, references, cycles, RACI rules, links, freshness
    #[command(
        after_help = "Examples:\n  opsbook check\n  opsbook check roadmap/sso.md --format json\n  \
                            opsbook check --strict --today 2026-11-23"
    )]
    Check(CheckArgs),
    /// What changed in the handbook, from git: status moves, new and removed items, target
    /// slips, owner changes, processes reviewed
    #[command(
        after_help = "--since takes a duration (30d, 2w, 6m, 1y: back from today), a date \
                      (YYYY-MM-DD) or a git revision (a tag, branch or commit: the commits after it).\n\n\
                      Examples:\n  opsbook changes\n  opsbook changes --since 7d\n  \
                      opsbook changes --since v2.0 --format json"
    )]
    Changes(ChangesArgs),
}

#[derive(Debug, clap::Args)]
pub struct ChangesArgs {
    /// The window: a duration back from today, a date, or a git revision
    #[arg(long, default_value = "30d", value_name = "30d|DATE|REF")]
    pub since: String,

    /// Output format
    #[arg(long, value_enum, default_value_t = ChangesFormat::Human)]
    pub format: ChangesFormat,

    /// The date a duration counts back from (default: SOURCE_DATE_EPOCH, else the system date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangesFormat {
    /// Grouped by commit, newest first
    Human,
    /// The stable JSON contract (see README)
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Report only findings located in these files or folders (the whole handbook is still
    /// loaded, so references resolve)
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Fail (exit 1) on warnings too, and make overdue or stale reviews errors
    #[arg(long)]
    pub strict: bool,

    /// The date freshness and ship dates are judged against (default: SOURCE_DATE_EPOCH, else
    /// the system date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Report only findings in files changed between REF and the work tree (uncommitted
    /// changes included)
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// Do not read git: no review dates from git, no shallow-clone warning
    #[arg(long, conflicts_with = "changed_since")]
    pub no_git: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One clickable line per finding, a source snippet and help
    Human,
    /// The stable JSON contract (see README)
    Json,
}
