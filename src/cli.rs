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
                            opsbook check --strict --today 2026-11-23\n  \
                            opsbook check --write-baseline .opsbook-baseline.json\n  \
                            opsbook check --baseline .opsbook-baseline.json"
    )]
    Check(CheckArgs),

    /// Scaffold a working handbook: config, org.yml, one document of each kind, a guide page, a
    /// pre-commit config and a GitHub Actions workflow; never overwrites a file
    #[command(
        after_help = "Examples:\n  opsbook init\n  opsbook init docs/handbook\n  opsbook init --adopt   # in a repository that has its docs already"
    )]
    Init(InitArgs),

    /// Write a new document with valid frontmatter into its kind's folder
    #[command(
        after_help = "Kinds: roadmap-item, charter, process, person, role, team, objective, metric, \
                      launch, page, and every kind declared under `kinds:` in opsbook.yml. A person, role or team goes into \
                      org.yml when the handbook keeps its registry there.\n\nExamples:\n  \
                      opsbook new process vendor-security-review\n  \
                      opsbook new roadmap-item sso-okta --title \"SAML single sign-on\" --set owner=ana --set status=next\n  \
                      opsbook new experiment onboarding-email --set owner=ana --set \"prs=[https://example.com/pr/1]\""
    )]
    New(NewArgs),

    /// Print the JSON Schema (draft 2020-12) of the frontmatter, for editors
    #[command(
        after_help = "Examples:\n  opsbook schema > opsbook.schema.json\n  opsbook schema roadmap-item"
    )]
    Schema(SchemaArgs),

    /// Print the validated model as JSON (docs, fields, computed values, freshness,
    /// diagnostics), or one kind as CSV for spreadsheets
    #[command(
        after_help = "Examples:\n  opsbook export --format json > handbook.json\n  \
                      opsbook export objective > objectives.json\n  \
                      opsbook export --format csv roadmap-item > roadmap.csv"
    )]
    Export(ExportArgs),
    /// Validate, then render the handbook as a static site (errors stop the build)
    #[command(
        after_help = "Examples:\n  opsbook build\n  opsbook build --out public --base-url https://acme.github.io/handbook/\n  \
                            opsbook build --today 2026-11-23   # reproducible output"
    )]
    Build(BuildArgs),
    /// Preview the site: build it into a temporary folder, serve it on this machine, and rebuild
    /// and reload open pages on every change (errors show over every page)
    #[command(
        after_help = "The site is built into a temporary folder (never into the handbook or its \
                      output folder) and served on 127.0.0.1 only, unless --bind names another \
                      address. Ctrl-C stops and removes the folder.\n\nExamples:\n  \
                      opsbook serve\n  opsbook serve --port 8080 --open\n  \
                      opsbook serve --port 0   # any free port"
    )]
    Serve(ServeArgs),

    /// The site's templates: `opsbook templates eject` copies the built-in ones out for editing
    #[command(subcommand)]
    Templates(TemplatesCommand),

    /// What changed in the handbook, from git: status moves, new and removed items, target
    /// slips, owner changes, processes reviewed
    #[command(
        after_help = "--since takes a duration (30d, 2w, 6m, 1y: back from today), a date \
                      (YYYY-MM-DD) or a git revision (a tag, branch or commit: the commits after it).\n\n\
                      Examples:\n  opsbook changes\n  opsbook changes --since 7d\n  \
                      opsbook changes --since v2.0 --format json"
    )]
    Changes(ChangesArgs),

    /// Print a shell completion script
    #[command(after_help = "Install (pick your shell):\n  \
                      opsbook completions bash > ~/.local/share/bash-completion/completions/opsbook\n  \
                      opsbook completions zsh > ~/.zfunc/_opsbook   # with fpath+=~/.zfunc before compinit\n  \
                      opsbook completions fish > ~/.config/fish/completions/opsbook.fish\n  \
                      opsbook completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),

    /// Print the man page (roff), or write one page per command into a folder
    #[command(after_help = "Examples:\n  opsbook man | man -l -\n  \
                            opsbook man --out /usr/local/share/man/man1")]
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write opsbook.1 and one opsbook-COMMAND.1 per command into DIR instead of printing
    /// opsbook.1
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
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

    /// Build despite the findings FILE holds (written by `check --write-baseline`); new errors
    /// still stop the build
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port)
    #[arg(long, default_value_t = 3000, value_name = "PORT")]
    pub port: u16,

    /// Address to listen on (default 127.0.0.1). Another machine can read the handbook on any
    /// address that is not loopback, such as 0.0.0.0: only when you name it here
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,

    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,

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
    /// The stable JSON contract (docs/json.md)
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

    /// Leave out the findings FILE holds (written by --write-baseline): report, and fail on,
    /// new findings only. A finding keeps its place in the baseline when lines move
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Write every error and warning of the handbook to FILE as its baseline (replacing it),
    /// print the summary, and exit 0 (it prints no report, so it takes no --format)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["paths", "changed_since", "format"])]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings of this severity or above (default: warning for --format github,
    /// so notes are no pull-request annotations; info otherwise). The exit code is the same
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,
}

/// The lowest severity a report shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    /// Errors only
    Error,
    /// Errors and warnings
    Warning,
    /// Everything, notes included
    Info,
}

impl MinSeverity {
    pub fn severity(self) -> crate::diagnostic::Severity {
        match self {
            MinSeverity::Error => crate::diagnostic::Severity::Error,
            MinSeverity::Warning => crate::diagnostic::Severity::Warning,
            MinSeverity::Info => crate::diagnostic::Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One clickable line per finding, a source snippet and help
    Human,
    /// The stable JSON contract (docs/json.md)
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request, paths from the
    /// repository root, then a summary line
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder to create the handbook in (default: --root, else the current folder)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// The date written as `last_reviewed` (default: SOURCE_DATE_EPOCH, else the system date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Instead of a handbook, copy the built-in site templates into DIR/templates (default: the
    /// handbook's templates/) for editing; existing files are kept. Same as `templates eject`
    #[arg(long, conflicts_with = "adopt")]
    pub templates: bool,

    /// In a repository that already has its docs: write only an opsbook.yml that fits them (a
    /// kind per folder of documents with their fields, the folders to ignore, the sections to
    /// hide, how links are written), and say what it proposed and why
    #[arg(long)]
    pub adopt: bool,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// roadmap-item, charter, process, person, role, team, objective, metric, launch or page
    #[arg(value_name = "KIND")]
    pub kind: String,

    /// Lowercase words joined by `-`; also the file name
    #[arg(value_name = "ID")]
    pub id: String,

    /// Title (default: made from the id)
    #[arg(long, value_name = "T")]
    pub title: Option<String>,

    /// Set a field of the new document (repeatable); VALUE is YAML, so `[a, b]` is a list.
    /// The field must be one of the kind's and the value must fit it; a reference must name
    /// a document that exists.
    #[arg(long, value_name = "FIELD=VALUE")]
    pub set: Vec<String>,

    /// The date written as `last_reviewed` (default: SOURCE_DATE_EPOCH, else the system date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// One kind, or `org` for org.yml (default: every kind in one document, under `$defs`).
    /// The handbook's own kinds from `kinds:` in opsbook.yml are included.
    #[arg(value_name = "KIND")]
    pub kind: Option<String>,

    /// json: a JSON Schema for editors; markdown: the field reference of every kind
    #[arg(long, value_enum, default_value_t = SchemaFormat::Json)]
    pub format: SchemaFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaFormat {
    /// JSON Schema (draft 2020-12)
    Json,
    /// The field reference of every kind, as Markdown
    Markdown,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Only the documents of this kind (required with `--format csv`)
    #[arg(value_name = "KIND")]
    pub kind: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// The date freshness is judged against (default: SOURCE_DATE_EPOCH, else the system date)
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Do not read git: `git` is null and `history` empty for every document
    #[arg(long)]
    pub no_git: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The stable JSON contract (docs/json.md)
    Json,
    /// One kind as a table: id, title, path, the kind's fields, computed values
    Csv,
}
