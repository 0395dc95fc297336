//! The `opsbook` binary: parse arguments, run, print, and turn the outcome into an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use opsbook::cli::{ChangesArgs, ChangesFormat, CheckArgs, Cli, Command, Format};
use opsbook::error::Error;
use opsbook::{CheckOptions, GitOptions, report};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            let chain = err.chain();
            let mut stderr = io::stderr().lock();
            let _ = writeln!(stderr, "error: {}", chain[0]);
            for cause in &chain[1..] {
                let _ = writeln!(stderr, "  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    let cwd = opsbook::current_dir()?;
    match cli.command {
        Command::Check(args) => check(cli.root.as_deref(), &cwd, args),
        Command::Changes(args) => changes(cli.root.as_deref(), &cwd, args),
    }
}

fn check(
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
    args: CheckArgs,
) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    let only = opsbook::select_paths(&cfg, cwd, &args.paths)?.unwrap_or_default();
    let report = opsbook::check_with_git(
        &cfg,
        &CheckOptions {
            only,
            strict: args.strict,
            today,
        },
        &GitOptions {
            enabled: !args.no_git,
            changed_since: args.changed_since,
        },
    )?;
    let counts = report.counts();
    let code = u8::from(counts.errors > 0 || (args.strict && counts.warnings > 0));
    let stdout = io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => report::human(&report, color, &mut out),
        Format::Json => report::json(&report, &mut out),
    }
    .and_then(|()| out.flush());
    finish_output(written, code)
}

fn changes(
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
    args: ChangesArgs,
) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    let changes = opsbook::changes::run(&cfg, &args.since, today)?;
    if changes.approximate && args.format == ChangesFormat::Human {
        eprintln!(
            "warning: the history is cut (shallow or partial clone): older changes are unknown; \
             fetch it whole (`fetch-depth: 0` in GitHub Actions, `GIT_DEPTH: 0` in GitLab CI)"
        );
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        ChangesFormat::Human => opsbook::changes::human(&changes, &mut out),
        ChangesFormat::Json => opsbook::changes::json(&changes, &mut out),
    }
    .and_then(|()| out.flush());
    finish_output(written, 0)
}

/// The exit code once output is written; a closed pipe is not an error.
fn finish_output(written: io::Result<()>, code: u8) -> Result<u8, Error> {
    match written {
        Ok(()) => Ok(code),
        // `opsbook check | head -1`: the reader went away; end quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(source) => Err(Error::Write {
            path: "standard output".into(),
            source,
        }),
    }
}
