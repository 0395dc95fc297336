//! Answering requests: only files of the served folder, only `GET` and `HEAD`.
//!
//! A request's path is split into names before it is decoded, so an encoded `%2f` can never
//! add a level; a name that decodes to `.`, `..`, a hidden name, or one holding `/`, `\` or
//! NUL is refused, as is a path that is not absolute (`http://…`, `*`) and a file whose real
//! path (after links) is outside the served folder. A folder serves its `index.html` (a
//! folder asked for without its `/` is redirected to it, so that relative links work); a
//! missing file gets the site's `404.html` with status 404.
//!
//! Bound to a loopback address, the server answers only requests that name a loopback host
//! (`localhost`, `127.0.0.1`, `[::1]`): a web page elsewhere cannot reach it through a
//! domain name that points at 127.0.0.1.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use tiny_http::{Header, Method, Request, Response, ResponseBox};

use super::inject;

/// The path under which the server's own endpoints live (hidden: no site file can be there).
pub const ENDPOINTS: &str = "/.opsbook-serve/";

/// What a request path leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// Redirect to this path (a folder without its `/`, the site's path without the site).
    Redirect(String),
    NotFound,
    /// A path that tries to leave the folder, or cannot be read as one.
    Refused,
    /// The reload script.
    Script,
    /// Wait for a generation other than this one.
    Wait(String),
}

/// Where `url` (a request target: path and query) leads in `dir` (real, canonical), for a
/// site served under `prefix` (`/` or `/handbook/`).
pub fn resolve(dir: &Path, prefix: &str, url: &str) -> Target {
    if !url.starts_with('/') {
        return Target::Refused;
    }
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, q),
        None => (url, ""),
    };
    let path = path.split_once('#').map_or(path, |(p, _)| p);
    if let Some(endpoint) = path.strip_prefix(ENDPOINTS) {
        return match endpoint {
            "reload.js" => Target::Script,
            "wait" => Target::Wait(
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("generation="))
                    .and_then(|g| decode(g).ok())
                    .unwrap_or_default(),
            ),
            _ => Target::NotFound,
        };
    }
    let Some(rest) = path.strip_prefix(prefix) else {
        let bare = prefix.trim_end_matches('/');
        return if path == "/" || path == bare {
            Target::Redirect(prefix.to_string())
        } else {
            Target::NotFound
        };
    };
    let mut file = dir.to_path_buf();
    let names: Vec<&str> = rest.split('/').collect();
    for (n, raw) in names.iter().enumerate() {
        if raw.is_empty() {
            // Only the last name may be empty: `folder/`.
            if n + 1 == names.len() {
                continue;
            }
            return Target::Refused;
        }
        let Ok(name) = decode(raw) else {
            return Target::Refused;
        };
        if name.starts_with('.') || name.contains(['/', '\\', '\0']) {
            return Target::Refused;
        }
        file.push(name);
    }
    // Nothing through a link out of the folder.
    let Ok(real) = file.canonicalize() else {
        return Target::NotFound;
    };
    if !real.starts_with(dir) {
        return Target::Refused;
    }
    if real.is_dir() {
        if !rest.is_empty() && !rest.ends_with('/') {
            return Target::Redirect(format!("{path}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if real.is_file() {
        Target::File(real)
    } else {
        Target::NotFound
    }
}

/// Percent-decode one name of a path; invalid escapes and non-UTF-8 results are errors.
fn decode(s: &str) -> Result<String, ()> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(())?;
            let hex = std::str::from_utf8(hex).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

/// The content type of a file by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" | "csv" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// Whether a `Host` header names this machine: `localhost` (or a name under it), a loopback
/// address, with or without a port.
pub fn loopback_host(host: &str) -> bool {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split_once(']').map_or(rest, |(h, _)| h)
    } else {
        host.rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(h, _)| h)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// What a response needs from the session's current state.
pub struct View<'a> {
    pub dir: &'a Path,
    pub prefix: &'a str,
    /// The snippet injected into every HTML page (the overlay, the reload script).
    pub snippet: &'a str,
    pub loopback: bool,
}

/// Answer one request. `wait` blocks until the generation differs from the one given (or a
/// while passed) and returns the current one.
pub fn answer(request: Request, view: &View, wait: &dyn Fn(&str) -> String) {
    let response = respond(&request, view, wait);
    // A client that went away is not the server's problem.
    let _ = request.respond(response);
}

fn respond(request: &Request, view: &View, wait: &dyn Fn(&str) -> String) -> ResponseBox {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return text(405, "only GET and HEAD are served\n")
            .with_header(header("Allow", "GET, HEAD"))
            .boxed();
    }
    if view.loopback {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_string());
        if host.is_some_and(|h| !loopback_host(&h)) {
            return text(403, "this server answers requests for localhost only\n").boxed();
        }
    }
    match resolve(view.dir, view.prefix, request.url()) {
        Target::File(path) => file(&path, 200, view),
        Target::Redirect(to) => text(302, "").with_header(header("Location", &to)).boxed(),
        Target::Refused => text(400, "bad request\n").boxed(),
        Target::NotFound => not_found(view),
        Target::Script => Response::from_data(inject::SCRIPT.as_bytes().to_vec())
            .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store"))
            .boxed(),
        Target::Wait(generation) => text(200, &wait(&generation)).boxed(),
    }
}

fn not_found(view: &View) -> ResponseBox {
    let page = view.dir.join("404.html");
    if page.is_file() {
        return file(&page, 404, view);
    }
    // No site yet (the first build failed): a page that shows why and reloads when fixed.
    let html = inject::into_html(inject::EMPTY_PAGE.as_bytes(), view.snippet);
    Response::from_data(html)
        .with_status_code(404)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
        .boxed()
}

/// A file of the site: a page with what serve adds to it, any other file as it is (streamed).
fn file(path: &Path, status: u16, view: &View) -> ResponseBox {
    let kind = content_type(path);
    let response = if kind.starts_with("text/html") {
        match std::fs::read(path) {
            Ok(bytes) => Response::from_data(inject::into_html(&bytes, view.snippet)).boxed(),
            Err(_) => return gone(),
        }
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Response::from_file(f).boxed(),
            Err(_) => return gone(),
        }
    };
    response
        // A length, never chunks: a HEAD answer then tells the size too.
        .with_chunked_threshold(usize::MAX)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// A file removed by a rebuild since it was found.
fn gone() -> ResponseBox {
    text(404, "not found\n").boxed()
}

fn text(status: u16, body: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|()| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("a valid header")
    })
}

#[cfg(test)]
mod tests;
