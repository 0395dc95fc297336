//! The `opsbook` binary: parse arguments, run, print, and turn the outcome into an exit code.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use opsbook::cli::{BuildArgs, CheckArgs, Cli, Command, Format, TemplatesCommand};
use opsbook::error::Error;
use opsbook::site::BuildOptions;
use opsbook::{CheckOptions, report};

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
        Command::Build(args) => build(cli.root.as_deref(), &cwd, args),
        Command::Templates(TemplatesCommand::Eject { dir, force }) => {
            eject(cli.root.as_deref(), &cwd, dir, force)
        }
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
    let report = opsbook::check(
        &cfg,
        &CheckOptions {
            only,
            strict: args.strict,
            today,
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

fn build(
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
    args: BuildArgs,
) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    let built = opsbook::site::build(
        &cfg,
        &BuildOptions {
            out: args.out.map(|o| cwd.join(o)),
            base_url: args.base_url,
            strict: args.strict,
            today,
            git: !args.no_git,
        },
    )?;
    let color =
        io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut text = Vec::new();
    let _ = report::human(&built.report, color, &mut text); // writing to memory cannot fail
    let (last, code) = match &built.written {
        Some((dir, files)) => {
            let shown = dir.strip_prefix(cwd).unwrap_or(dir);
            (format!("built {files} files into {}", shown.display()), 0)
        }
        None => (
            "the site was not built (nothing was written)".to_string(),
            1,
        ),
    };
    text.extend_from_slice(format!("{last}\n").as_bytes());
    stdout(&text).map(|()| code)
}

/// Write to standard output; a reader that went away (`| head`) is not an error.
fn stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "standard output".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

fn eject(
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
    dir: Option<std::path::PathBuf>,
    force: bool,
) -> Result<u8, Error> {
    let dir = match dir {
        Some(d) => cwd.join(d),
        None => opsbook::load_config(root, cwd)?.root.join("templates"),
    };
    let done = opsbook::render::templates::eject(&dir, force)?;
    let shown = |p: &std::path::Path| p.strip_prefix(cwd).unwrap_or(p).display().to_string();
    let mut text = String::new();
    for p in &done.written {
        text.push_str(&format!("wrote {}\n", shown(p)));
    }
    for p in &done.kept {
        text.push_str(&format!(
            "kept {} (it exists; --force overwrites it)\n",
            shown(p)
        ));
    }
    stdout(text.as_bytes()).map(|()| 0)
}
