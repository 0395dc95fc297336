//! `opsbook serve`: the served site is a fresh build's after every edit, errors show over the
//! pages, and the server serves only its folder. Every server is started on a free loopback
//! port and stopped by its handle; every wait is bounded.

#[path = "serve/support.rs"]
mod support;

#[path = "serve/cli.rs"]
mod cli;
#[path = "serve/live.rs"]
mod live;
#[path = "serve/safety.rs"]
mod safety;
