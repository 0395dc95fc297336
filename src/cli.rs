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
    /// Validate, then render the handbook as a static site (errors stop the build)
    #[command(
        after_help = "Examples:\n  opsbook build\n  opsbook build --out public --base-url https://acme.github.io/handbook/\n  \
                            opsbook build --today 2026-11-23   # reproducible output"
    )]
    Build(BuildArgs),
    /// The site's templates: `opsbook templates eject` copies the built-in ones out for editing
    #[command(subcommand)]
    Templates(TemplatesCommand),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output folder (default: `output` in opsbook.yml, else `site` in the handbook root);
    /// replaced as a whole, and only when the build succeeds
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Absolute URL of the published site, for sitemap.xml and feed.xml (pages always link
    /// relatively)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Fail (exit 1, nothing written) on warnings too
    #[arg(long)]
    pub strict: bool,

    /// The date freshness is judged against (default: SOURCE_DATE_EPOCH, else the system date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Do not read git history (no last-updated dates, authors or change history)
    #[arg(long)]
    pub no_git: bool,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Copy the built-in templates and assets into DIR (default: the handbook's templates/)
    /// for editing; a file there replaces the built-in of the same name
    Eject {
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Overwrite files that already exist
        #[arg(long)]
        force: bool,
    },
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One clickable line per finding, a source snippet and help
    Human,
    /// The stable JSON contract (see README)
    Json,
}
