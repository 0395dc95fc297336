//! `opsbook serve`: a live preview. The site is built into a temporary folder (never the
//! handbook, never the build's output folder), served over HTTP on a loopback address, and
//! rebuilt when the handbook changes; open pages reload by themselves. While the handbook has
//! errors, the last good pages stay and every page shows the errors over it.
//!
//! [`serve`] starts a session and returns a [`Server`] handle (its address, `stop()`); the
//! command line wraps it. Pieces: [`session`] (the build kept in memory; [`deps`] says which
//! pages an edit can change; [`history`] keeps the git facts), [`output`] (the served folder),
//! [`watch`] (file events), [`http`] (requests) and [`inject`] (what served pages get).

mod carry;
pub mod checks;
pub mod deps;
pub mod history;
pub mod http;
pub mod inject;
pub mod output;
mod rebuild;
pub mod session;
pub mod sources;
mod terminal;
pub mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use jiff::civil::Date;

use crate::config::Config;
use crate::error::Error;

pub use inject::Problems;
pub use session::{Batch, Outcome};
pub use terminal::{line, open_browser, parse_bind};

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The port; 0 takes any free one.
    pub port: u16,
    pub bind: IpAddr,
    /// The address was named by the user: one that is not loopback is allowed (the handbook
    /// is then readable by anyone who can reach it).
    pub bind_given: bool,
    /// The date freshness is judged against; `None`: `SOURCE_DATE_EPOCH`, else the system date
    /// (looked at again on every rebuild).
    pub today: Option<Date>,
    pub git: bool,
    /// How long changes must pause before a rebuild.
    pub quiet: Duration,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            port: 3000,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            bind_given: false,
            today: None,
            git: true,
            quiet: Duration::from_millis(30),
        }
    }
}

/// Told about every build of a session (the first included).
pub type Report = Box<dyn Fn(&Outcome) + Send + Sync>;

/// A running session; [`Server::stop`] (or dropping it) ends it and removes its folder.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

/// What the request threads and the rebuild thread share.
struct Shared {
    dir: PathBuf,
    loopback: bool,
    state: Mutex<State>,
    changed: Condvar,
    stop: AtomicBool,
}

/// The served state.
struct State {
    /// Changes whenever what a page shows may have changed (site or overlay).
    generation: String,
    count: u64,
    session: String,
    /// The site's path (`/`, or the path of `base_url`).
    prefix: String,
    problems: Problems,
    snippet: String,
}

impl State {
    fn bump(&mut self) {
        self.count += 1;
        self.generation = format!("{}-{}", self.session, self.count);
        self.snippet = inject::snippet(&self.generation, &self.problems);
    }
}

/// Requests answered at once; past this, a request gets 503.
const MAX_REQUESTS: usize = 64;
/// How long a reload script's request waits for a change before it asks again.
const WAIT: Duration = Duration::from_secs(20);

/// Build the handbook of `cfg`, serve it, and rebuild on every change until stopped.
pub fn serve(cfg: Config, opts: &ServeOptions, report: Report) -> Result<Server, Error> {
    if !opts.bind.is_loopback() && !opts.bind_given {
        return Err(Error::Usage(format!(
            "refusing to serve on {}, which other machines can reach; name it with --bind to do so",
            opts.bind
        )));
    }
    let listener = bind(SocketAddr::new(opts.bind, opts.port))?;
    let addr = listener.local_addr().map_err(|e| listen_error(opts, e))?;
    let http = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| Error::Usage(format!("cannot serve on {addr}: {e}")))?;
    let workdir = if opts.git {
        crate::git::Repo::open(&cfg.root)?.map(|r| r.workdir().to_path_buf())
    } else {
        None
    };
    let places = watch::Places::of(&cfg, workdir.as_deref());
    // Watching starts before the first build, so that nothing changed during it is missed.
    let watcher = watch::Watch::new(places)?;
    let mut session = session::Session::new(
        cfg,
        session::Options {
            today: opts.today,
            git: opts.git,
        },
    )?;
    let first = session.rebuild(&Batch::default());
    report(&first);
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut state = State {
        generation: String::new(),
        count: 0,
        session: format!("{:x}", start & 0xffff_ffff_ffff),
        prefix: prefix_of(session.config()),
        problems: problems_of(&first),
        snippet: String::new(),
    };
    state.bump();
    let shared = Arc::new(Shared {
        dir: session.dir().to_path_buf(),
        loopback: opts.bind.is_loopback(),
        state: Mutex::new(state),
        changed: Condvar::new(),
        stop: AtomicBool::new(false),
    });
    let http = Arc::new(http);
    let threads = vec![
        spawn("opsbook-serve-http", {
            let shared = Arc::clone(&shared);
            let http = Arc::clone(&http);
            move || accept(&http, &shared)
        })?,
        spawn("opsbook-serve-watch", {
            let shared = Arc::clone(&shared);
            let quiet = opts.quiet;
            move || {
                while let Some(batch) = watcher.next(&shared.stop, quiet) {
                    let outcome = session.rebuild(&batch);
                    publish(&shared, &session, &outcome);
                    report(&outcome);
                }
                // The session (and with it the served folder) ends here.
                drop(session);
            }
        })?,
    ];
    Ok(Server {
        addr,
        shared,
        threads,
    })
}

impl Server {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's address: `http://127.0.0.1:3000/` (with the path of `base_url`, if set).
    pub fn url(&self) -> String {
        let prefix = lock(&self.shared.state).prefix.clone();
        format!("http://{}{prefix}", self.addr)
    }

    /// The folder the site is served from (removed by [`Server::stop`]).
    pub fn dir(&self) -> PathBuf {
        self.shared.dir.clone()
    }

    /// Stop serving and watching, and remove the served folder.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.changed.notify_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Bind the listening socket; a port in use or an address not of this machine is an error
/// that says so.
fn bind(addr: SocketAddr) -> Result<TcpListener, Error> {
    TcpListener::bind(addr).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {} is already in use (another `opsbook serve`?); choose another with \
                 --port, or --port 0 for any free port",
                addr.port()
            ),
            std::io::ErrorKind::AddrNotAvailable => {
                format!("{} is not an address of this machine", addr.ip())
            }
            std::io::ErrorKind::PermissionDenied => format!(
                "not allowed to listen on port {} (ports below 1024 need privileges); choose \
                 another with --port",
                addr.port()
            ),
            _ => e.to_string(),
        };
        Error::Usage(format!("cannot serve on {addr}: {why}"))
    })
}

fn listen_error(opts: &ServeOptions, e: std::io::Error) -> Error {
    Error::Usage(format!("cannot serve on {}:{}: {e}", opts.bind, opts.port))
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Result<JoinHandle<()>, Error> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .map_err(|e| Error::Usage(format!("cannot start a thread: {e}")))
}

/// The site's path on the server: the path of `base_url`, else `/`.
fn prefix_of(cfg: &Config) -> String {
    cfg.base_url
        .as_deref()
        .map_or_else(|| "/".to_string(), crate::render::href::path_of)
}

fn problems_of(o: &Outcome) -> Problems {
    Problems {
        errors: o.errors.clone(),
        failure: o.failure.clone(),
    }
}

/// Make a rebuild's outcome what requests see, and wake the pages waiting for a change.
fn publish(shared: &Shared, session: &session::Session, outcome: &Outcome) {
    let mut state = lock(&shared.state);
    let problems = problems_of(outcome);
    let prefix = prefix_of(session.config());
    if outcome.served_changed() || problems != state.problems || prefix != state.prefix {
        state.problems = problems;
        state.prefix = prefix;
        state.bump();
        shared.changed.notify_all();
    }
}

/// Answer requests, each on a thread of its own (the reload script's wait holds one).
fn accept(http: &Arc<tiny_http::Server>, shared: &Arc<Shared>) {
    let busy = Arc::new(AtomicUsize::new(0));
    while !shared.stop.load(Ordering::Relaxed) {
        let request = match http.recv_timeout(Duration::from_millis(100)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(_) => break,
        };
        if busy.fetch_add(1, Ordering::SeqCst) >= MAX_REQUESTS {
            busy.fetch_sub(1, Ordering::SeqCst);
            let _ =
                request.respond(tiny_http::Response::from_string("busy\n").with_status_code(503));
            continue;
        }
        let shared = Arc::clone(shared);
        let done = Arc::clone(&busy);
        let spawned = std::thread::Builder::new()
            .name("opsbook-serve-request".into())
            .spawn(move || {
                answer(request, &shared);
                done.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            busy.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn answer(request: tiny_http::Request, shared: &Shared) {
    let (prefix, snippet) = {
        let s = lock(&shared.state);
        (s.prefix.clone(), s.snippet.clone())
    };
    let view = http::View {
        dir: &shared.dir,
        prefix: &prefix,
        snippet: &snippet,
        loopback: shared.loopback,
    };
    let wait = |seen: &str| -> String {
        let deadline = std::time::Instant::now() + WAIT;
        let mut state = lock(&shared.state);
        while state.generation == seen && !shared.stop.load(Ordering::Relaxed) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            state = shared
                .changed
                .wait_timeout(state, left.min(Duration::from_millis(250)))
                .map(|(s, _)| s)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        state.generation.clone()
    };
    http::answer(request, &view, &wait);
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests;
