//! The command: a port in use, an address other machines reach, Ctrl-C.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::time::{Duration, Instant};

use opsbook::serve::ServeOptions;

use super::support::{example_in_git, opsbook};

#[test]
fn a_port_in_use_is_an_error_that_says_so() {
    let (_dir, root) = example_in_git();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = opsbook(&root)
        .args(["serve", "--port", &port, "--no-git"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already in use"), "{err}");
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn an_address_other_machines_reach_must_be_named() {
    let (_dir, root) = example_in_git();
    let cfg = opsbook::load_config(Some(&root), &root).unwrap();
    let refused = opsbook::serve::serve(
        cfg,
        &ServeOptions {
            port: 0,
            bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            bind_given: false,
            git: false,
            ..ServeOptions::default()
        },
        Box::new(|_| {}),
    );
    let err = refused.err().expect("refused").to_string();
    assert!(err.contains("--bind"), "{err}");
    let out = opsbook(&root)
        .args(["serve", "--bind", "example.com"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an IP address"));
}

#[test]
fn ctrl_c_stops_and_removes_the_served_folder() {
    let (_dir, root) = example_in_git();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_opsbook"))
        .args(["serve", "--port", "0", "--no-git", "--today", "2026-11-23"])
        .current_dir(&root)
        .env_remove("OPSBOOK_TIMINGS")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut folder = None;
    for line in lines.by_ref().take(20) {
        let line = line.unwrap();
        if let Some(at) = line.find("the site is in ") {
            let rest = &line[at + "the site is in ".len()..];
            folder = Some(std::path::PathBuf::from(rest.split(';').next().unwrap()));
            break;
        }
    }
    let folder = folder.expect("the served folder is named");
    assert!(folder.join("index.html").is_file());
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not stop on Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    assert!(!folder.exists(), "the served folder is removed");
}
