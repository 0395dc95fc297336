//! The `opsbook` binary: parse arguments, run, print, and turn the outcome into an exit code.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

use opsbook::baseline::Baseline;
use opsbook::cli::{
    BuildArgs, ChangesArgs, ChangesFormat, CheckArgs, Cli, Command, ExportArgs, Format, InitArgs,
    MinSeverity, NewArgs, ServeArgs, TemplatesCommand,
};
use opsbook::error::Error;
use opsbook::escape::{escape, path};
use opsbook::site::BuildOptions;
use opsbook::{CheckOptions, GitOptions, report};

/// mimalloc instead of the system's allocator: reading and rendering a handbook make and free
/// millions of small values (documents, fields, frontmatter trees, pages), which it does with
/// 12-20 % less CPU (docs/performance.md). It is built without transparent huge pages
/// (`no_thp`): with them the kernel compacted memory on page faults, and the peak grew.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    opsbook::timing::start();
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
        Command::Init(args) => init(cli.root.as_deref(), &cwd, args),
        Command::New(args) => new(cli.root.as_deref(), &cwd, args),
        Command::Schema(args) => {
            let cfg = opsbook::load_config(cli.root.as_deref(), &cwd)?;
            match args.format {
                opsbook::cli::SchemaFormat::Json => {
                    let schema = opsbook::schema::document(&cfg.kinds, args.kind.as_deref())?;
                    print_json(&schema).map(|()| 0)
                }
                opsbook::cli::SchemaFormat::Markdown => {
                    let text = opsbook::kinds::reference::markdown(&cfg.kinds);
                    print_lines(&[text.trim_end().to_string()]).map(|()| 0)
                }
            }
        }
        Command::Export(args) => export(cli.root.as_deref(), &cwd, args),
        Command::Build(args) => build(cli.root.as_deref(), &cwd, args),
        Command::Serve(args) => serve(cli.root.as_deref(), &cwd, args),
        Command::Templates(TemplatesCommand::Eject { dir, force }) => {
            eject(cli.root.as_deref(), &cwd, dir, force)
        }
        Command::Completions(args) => {
            print_with(|out| opsbook::manual::completions(args.shell, out)).map(|()| 0)
        }
        Command::Man(args) => man(&cwd, args.out),
    }
}

/// `opsbook man`: print opsbook.1, or write every page into a folder.
fn man(cwd: &Path, out: Option<std::path::PathBuf>) -> Result<u8, Error> {
    let write_err = |path: std::path::PathBuf| move |source| Error::Write { path, source };
    let pages = opsbook::manual::man_pages().map_err(write_err("the man pages".into()))?;
    let Some(dir) = out else {
        return print_with(|out| out.write_all(&pages[0].1)).map(|()| 0);
    };
    let dir = cwd.join(dir);
    std::fs::create_dir_all(&dir).map_err(write_err(dir.clone()))?;
    let mut lines = Vec::new();
    for (name, text) in &pages {
        let file = dir.join(name);
        std::fs::write(&file, text).map_err(write_err(file.clone()))?;
        lines.push(format!(
            "wrote {}",
            path(file.strip_prefix(cwd).unwrap_or(&file))
        ));
    }
    print_lines(&lines).map(|()| 0)
}

fn check(
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
    args: CheckArgs,
) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    let only = opsbook::select_paths(&cfg, cwd, &args.paths)?;
    let baseline = match (&args.baseline, &args.write_baseline) {
        (Some(file), None) => Some(Baseline::read(&cwd.join(file))?),
        _ => None,
    };
    let opsbook::Checked { report, read } = opsbook::check_keeping(
        &cfg,
        &CheckOptions {
            only,
            strict: args.strict,
            today,
            baseline,
        },
        &GitOptions {
            enabled: !args.no_git,
            changed_since: args.changed_since,
        },
    )?;
    opsbook::timing::phase("checked");
    // The process ends right after the report: the system frees what the check read at once,
    // where dropping it value by value would take a while at 10,000 documents.
    std::mem::forget(read);
    if let Some(file) = &args.write_baseline {
        return write_baseline(&cwd.join(file), cwd, report);
    }
    let counts = report.counts();
    let code = u8::from(counts.errors > 0 || (args.strict && counts.warnings > 0));
    // Notes are no pull-request annotations unless asked for: a PR shows what needs action.
    let min = args.min_severity.unwrap_or(match args.format {
        Format::Github => MinSeverity::Warning,
        _ => MinSeverity::Info,
    });
    let mut report = report;
    report.at_least(min.severity());
    let stdout = io::stdout();
    let color = stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => report::human_from(
            &report,
            &opsbook::shown_from(&cfg.root, cwd),
            color,
            &mut out,
        ),
        Format::Json => report::json(&report, &mut out),
        Format::Github => {
            report::github::write(&report, &opsbook::worktree::prefix(&cfg.root), &mut out)
        }
        Format::Sarif => {
            report::sarif::write(&report, &opsbook::worktree::prefix(&cfg.root), &mut out)
        }
    }
    .and_then(|()| out.flush());
    opsbook::timing::phase("report written");
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

/// `check --write-baseline FILE`: every error and warning goes into FILE; the summary says
/// how many.
fn write_baseline(file: &Path, cwd: &Path, mut report: report::Report) -> Result<u8, Error> {
    report.at_least(opsbook::diagnostic::Severity::Warning);
    report.hidden = Default::default();
    let n = opsbook::baseline::write(file, &report.diagnostics)?;
    let shown = opsbook::scaffold::shown(file, cwd);
    let shown = escape(&shown);
    print_lines(&[
        report::summary(&report),
        format!(
            "wrote {n} finding{} to {shown}: `opsbook check --baseline {shown}` reports only \
             new ones",
            if n == 1 { "" } else { "s" }
        ),
    ])
    .map(|()| 0)
}

fn changes(root: Option<&Path>, cwd: &Path, args: ChangesArgs) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    let changes = opsbook::changes::run(&cfg, &args.since, today)?;
    if args.format == ChangesFormat::Human {
        for n in &changes.notices {
            eprintln!(
                "warning: {}\n    help: {}",
                opsbook::escape::escape(&n.message),
                opsbook::escape::escape(&n.help)
            );
        }
    }
    print_with(|out| match args.format {
        ChangesFormat::Human => opsbook::changes::human(&changes, out),
        ChangesFormat::Json => opsbook::changes::json(&changes, out),
    })
    .map(|()| 0)
}

fn init(root: Option<&Path>, cwd: &Path, args: InitArgs) -> Result<u8, Error> {
    if args.templates {
        // The templates/ of the handbook in DIR: kept inside DIR, as the default one is.
        return match args.dir {
            Some(d) => eject_into(
                cwd,
                &cwd.join(&d).join("templates"),
                false,
                Some(&cwd.join(d)),
            ),
            None => eject(root, cwd, None, false),
        };
    }
    let dir = args.dir.as_deref().or(root).unwrap_or(Path::new("."));
    if args.adopt {
        let done = opsbook::scaffold::adopt(dir, cwd)?;
        let mut lines: Vec<String> = done.lines.iter().map(|l| escape(l).into_owned()).collect();
        let shown = opsbook::scaffold::shown(&done.config, cwd);
        lines.push(format!("created {}", escape(&shown)));
        lines.push(
            "next: run `opsbook check`; to fail only on new findings from now on, `opsbook \
             check --write-baseline .opsbook-baseline.json` and then `opsbook check --baseline \
             .opsbook-baseline.json`"
                .to_string(),
        );
        return print_lines(&lines).map(|()| 0);
    }
    let today = opsbook::today(args.today.as_deref())?;
    let done = opsbook::scaffold::init(dir, cwd, today)?;
    let mut lines: Vec<String> = done
        .written
        .iter()
        .map(|p| format!("created {}", escape(&opsbook::scaffold::shown(p, cwd))))
        .collect();
    if let Some(kept) = &done.kept_gitignore {
        lines.push(format!(
            "kept {} (it exists): add `/site/` to it, so that the built site is not committed",
            escape(&opsbook::scaffold::shown(kept, cwd))
        ));
    }
    let place = match opsbook::scaffold::shown(&cwd.join(dir), cwd).as_str() {
        "" | "." => String::new(),
        shown => format!(" in {}", escape(shown)),
    };
    lines.push(format!(
        "next: run `opsbook check`{place}, and `pre-commit install` to check every commit"
    ));
    print_lines(&lines).map(|()| 0)
}

fn new(root: Option<&Path>, cwd: &Path, args: NewArgs) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    let path = opsbook::scaffold::new_doc(
        &cfg,
        cwd,
        &opsbook::scaffold::NewRequest {
            kind: &args.kind,
            id: &args.id,
            title: args.title.as_deref(),
            set: &args.set,
            today,
        },
    )?;
    print_lines(&[format!(
        "created {}",
        escape(&opsbook::scaffold::shown(&path, cwd))
    )])
    .map(|()| 0)
}

fn export(root: Option<&Path>, cwd: &Path, args: ExportArgs) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = opsbook::today(args.today.as_deref())?;
    match (args.format, args.kind.as_deref()) {
        (opsbook::cli::ExportFormat::Json, kind) => {
            let only = kind
                .map(|k| opsbook::export::parse_kind(&cfg, k))
                .transpose()?;
            print_json(&opsbook::export::export_kind(
                &cfg,
                today,
                !args.no_git,
                only,
            )?)?
        }
        (opsbook::cli::ExportFormat::Csv, Some(kind)) => {
            let mut text = Vec::new();
            opsbook::export::write_csv(&cfg, today, !args.no_git, kind, &mut text)?;
            print_with(|out| out.write_all(&text))?
        }
        (opsbook::cli::ExportFormat::Csv, None) => {
            return Err(Error::Usage(format!(
                "--format csv writes one kind: name it, e.g. `opsbook export --format csv \
                 roadmap-item`\n    help: the kinds are {}",
                cfg.kinds.names().join(", ")
            )));
        }
    }
    Ok(0)
}

/// Write to standard output; a reader that went away (`| head`) is not an error.
fn print_with(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match f(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "standard output".into(),
            source: e,
        }),
        _ => Ok(()),
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
            baseline: args
                .baseline
                .as_ref()
                .map(|f| Baseline::read(&cwd.join(f)))
                .transpose()?,
        },
    )?;
    let color =
        io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut text = Vec::new();
    let _ = report::human_from(
        &built.report,
        &opsbook::shown_from(&cfg.root, cwd),
        color,
        &mut text,
    ); // writing to memory cannot fail
    let (last, code) = match &built.written {
        Some((dir, files)) => {
            let shown = dir.strip_prefix(cwd).unwrap_or(dir);
            (format!("built {files} files into {}", path(shown)), 0)
        }
        None => (
            "the site was not built (nothing was written)".to_string(),
            1,
        ),
    };
    text.extend_from_slice(format!("{last}\n").as_bytes());
    print_with(|out| out.write_all(&text)).map(|()| code)
}

/// `opsbook serve`: serve until Ctrl-C (or a termination signal), then remove the site.
fn serve(root: Option<&Path>, cwd: &Path, args: ServeArgs) -> Result<u8, Error> {
    let cfg = opsbook::load_config(root, cwd)?;
    let today = match &args.today {
        Some(_) => Some(opsbook::today(args.today.as_deref())?),
        None => None,
    };
    let bind = match args.bind.as_deref() {
        None => opsbook::serve::ServeOptions::default().bind,
        Some(b) => opsbook::serve::parse_bind(b)?,
    };
    let shown = opsbook::shown_from(&cfg.root, cwd);
    let (stop, stopped) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .map_err(|e| Error::Usage(format!("cannot handle Ctrl-C: {e}")))?;
    let server = opsbook::serve::serve(
        cfg,
        &opsbook::serve::ServeOptions {
            port: args.port,
            bind,
            bind_given: args.bind.is_some(),
            today,
            git: !args.no_git,
            ..opsbook::serve::ServeOptions::default()
        },
        Box::new(move |outcome| eprintln!("{}", opsbook::serve::line(outcome, &shown))),
    )?;
    if !bind.is_loopback() {
        eprintln!(
            "warning: serving on {bind}: anyone who can reach this machine can read the handbook"
        );
    }
    let url = server.url();
    eprintln!(
        "serving at {url} (the site is in {}; Ctrl-C stops and removes it)",
        server.dir().display()
    );
    if args.open {
        opsbook::serve::open_browser(&url);
    }
    let _ = stopped.recv();
    server.stop();
    eprintln!("stopped; the temporary site is removed");
    Ok(0)
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    print_with(|out| opsbook::escape::write_json(out, value))
}

fn print_lines(lines: &[String]) -> Result<(), Error> {
    print_with(|out| lines.iter().try_for_each(|l| writeln!(out, "{l}")))
}

fn eject(
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
    dir: Option<std::path::PathBuf>,
    force: bool,
) -> Result<u8, Error> {
    match dir {
        // A folder named on the command line: the user's choice, wherever it is.
        Some(d) => eject_into(cwd, &cwd.join(d), force, None),
        // The handbook's own templates/: never written out of the handbook through a link.
        None => {
            let root = opsbook::load_config(root, cwd)?.root;
            eject_into(cwd, &root.join("templates"), force, Some(&root))
        }
    }
}

fn eject_into(
    cwd: &std::path::Path,
    dir: &std::path::Path,
    force: bool,
    inside: Option<&std::path::Path>,
) -> Result<u8, Error> {
    let done = opsbook::render::templates::eject(dir, force, inside)?;
    let shown = |p: &std::path::Path| path(p.strip_prefix(cwd).unwrap_or(p));
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
    print_with(|out| out.write_all(text.as_bytes())).map(|()| 0)
}
