//! CLI tests: run the real `opsbook` binary on fixture handbooks copied into temp dirs.

#[path = "cli/support.rs"]
mod support;

#[path = "cli/check.rs"]
mod check;
#[path = "cli/distribution.rs"]
mod distribution;
#[path = "cli/example_repo.rs"]
mod example_repo;
#[path = "cli/kinds.rs"]
mod kinds;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/robustness.rs"]
mod robustness;
