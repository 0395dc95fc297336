//! Helpers for the serve tests: a handbook in a temp folder, a server over it, a small HTTP
//! client (raw requests, so that paths reach the server as written), bounded waits.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use opsbook::serve::{ServeOptions, Server};

#[path = "../support/common.rs"]
mod common;
#[path = "../support/git.rs"]
mod git_cli;
pub use common::{TODAY, copy_handbook, opsbook};
pub use git_cli::git;

pub const ANA: &str = "Ana Lima <ana@acme.example>";

/// A copy of `example-repo` committed to a new git repository, in a temp folder.
pub fn example_in_git() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("handbook");
    copy_handbook(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("example-repo"),
        &root,
    );
    git(&root, &["init", "-q", "-b", "main"], "2026-11-01", ANA);
    git(&root, &["add", "-A"], "2026-11-01", ANA);
    git(&root, &["commit", "-q", "-m", "Start"], "2026-11-01", ANA);
    let root = root.canonicalize().unwrap();
    (dir, root)
}

/// Serve the handbook at `root` on a free loopback port.
pub fn start(root: &Path, git: bool) -> Server {
    let cfg = opsbook::load_config(Some(root), root).unwrap();
    opsbook::serve::serve(
        cfg,
        &ServeOptions {
            port: 0,
            today: Some(opsbook::values::parse_date(TODAY).unwrap()),
            git,
            quiet: Duration::from_millis(20),
            ..ServeOptions::default()
        },
        Box::new(|_| {}),
    )
    .unwrap()
}

/// Write a file the way editors save: a temporary file moved over the old one.
pub fn save(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let tmp = path.with_file_name(".saving.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// Replace the first `from` in a file with `to`.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    save(root, rel, &text.replacen(from, to, 1));
}

/// A response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send `head` (a request line and headers, without the blank line) and read the whole
/// answer; every read is bounded.
pub fn request(addr: SocketAddr, head: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// `GET path` with a loopback `Host`.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    request(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}", addr.port()),
    )
}

/// The site's current generation.
pub fn generation(server: &Server) -> String {
    get(server.addr(), "/.opsbook-serve/wait?generation=none").text()
}

/// Wait (bounded: the server answers within 20 s, and this asks at most three times) for the
/// site to change from generation `seen`; returns the new generation.
pub fn next_generation(server: &Server, seen: &str) -> String {
    for _ in 0..3 {
        let now = get(
            server.addr(),
            &format!("/.opsbook-serve/wait?generation={seen}"),
        )
        .text();
        if now != seen {
            return now;
        }
    }
    panic!("the site did not change from generation {seen}");
}

/// A served page without what serve adds to it.
pub fn served(server: &Server, prefix: &str, rel: &str) -> Reply {
    let mut r = get(server.addr(), &format!("{prefix}{}", encode(rel)));
    r.body = opsbook::serve::inject::strip(&r.body);
    r
}

fn encode(rel: &str) -> String {
    rel.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every file under `dir` with its bytes, by `/`-separated path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// `opsbook build --today TODAY` of the handbook at `root` into its `site/`; the site's files.
pub fn fresh_build(root: &Path, git: bool) -> BTreeMap<String, Vec<u8>> {
    let mut cmd = opsbook(root);
    cmd.args(["build", "--today", TODAY]);
    if !git {
        cmd.arg("--no-git");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    tree(&root.join("site"))
}

/// The site served by `server` equals `built`, file for file and byte for byte (pages without
/// what serve adds).
pub fn assert_serves(server: &Server, built: &BTreeMap<String, Vec<u8>>, after: &str) {
    let on_disk = tree(&server.dir());
    assert_eq!(
        on_disk.keys().collect::<Vec<_>>(),
        built.keys().collect::<Vec<_>>(),
        "after {after}: the served folder has other files than a build"
    );
    let url = server.url();
    let prefix = &url[url.find("//").unwrap() + 2..];
    let prefix = &prefix[prefix.find('/').unwrap()..];
    for (rel, bytes) in built {
        if rel.starts_with('.') {
            continue; // the build's marker: not served
        }
        let r = served(server, prefix, rel);
        assert_eq!(r.status, 200, "after {after}: {rel}");
        if r.body != *bytes {
            let (a, b) = (
                String::from_utf8_lossy(&r.body),
                String::from_utf8_lossy(bytes),
            );
            let at = a
                .bytes()
                .zip(b.bytes())
                .position(|(x, y)| x != y)
                .unwrap_or(0);
            panic!(
                "after {after}: {rel} as served differs from a fresh build at byte {at}:\n\
                 served: {}\nbuilt:  {}",
                &a[at.saturating_sub(80)..(at + 80).min(a.len())],
                &b[at.saturating_sub(80)..(at + 80).min(b.len())]
            );
        }
    }
}
