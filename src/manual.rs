//! What opsbook says about itself outside `--help`: shell completion scripts (clap_complete)
//! and man pages (clap_mangen), both made from the same command definitions as `--help`.

use std::io::{self, Write};

use clap::CommandFactory;

use crate::cli::Cli;

/// Write the completion script of `shell` for `opsbook`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> io::Result<()> {
    clap_complete::generate(shell, &mut Cli::command(), "opsbook", out);
    Ok(())
}

/// The man pages: `opsbook.1`, then `opsbook-COMMAND.1` for every command (nested ones as
/// `opsbook-templates-eject.1`), each as (file name, roff text).
pub fn man_pages() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut pages = Vec::new();
    add_pages(&cmd, "opsbook", "opsbook", &mut pages)?;
    Ok(pages)
}

/// The page of `cmd` (named `name`, typed as `usage`), then those of its commands.
fn add_pages(
    cmd: &clap::Command,
    name: &str,
    usage: &str,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> io::Result<()> {
    let mut text = Vec::new();
    let page = cmd
        .clone()
        .display_name(name.to_string())
        .bin_name(usage.to_string());
    clap_mangen::Man::new(page)
        .source(format!("opsbook {}", env!("CARGO_PKG_VERSION")))
        .manual("opsbook manual")
        .render(&mut text)?;
    pages.push((format!("{name}.1"), text));
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let sub_name = sub.get_name();
        add_pages(
            sub,
            &format!("{name}-{sub_name}"),
            &format!("{usage} {sub_name}"),
            pages,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_man_page() {
        let pages = man_pages().unwrap();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "opsbook.1",
            "opsbook-check.1",
            "opsbook-build.1",
            "opsbook-templates-eject.1",
            "opsbook-completions.1",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        let check = &pages
            .iter()
            .find(|(n, _)| n == "opsbook-check.1")
            .unwrap()
            .1;
        let check = String::from_utf8_lossy(check);
        assert!(check.starts_with(".ie \\n(.g .ds Aq"), "{check}");
        assert!(check.contains(".TH opsbook-check 1"), "{check}");
        assert!(check.contains("min\\-severity"), "{check}");
    }

    #[test]
    fn completions_know_the_commands_and_their_flags() {
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
            clap_complete::Shell::PowerShell,
            clap_complete::Shell::Elvish,
        ] {
            let mut out = Vec::new();
            completions(shell, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            for word in ["check", "build", "changes", "min-severity", "github"] {
                assert!(text.contains(word), "{shell}: {word} missing");
            }
        }
    }
}
