//! Properties over generated handbooks and generated git histories, each through the real
//! binary: `check` on some paths reports exactly the whole run's findings in them; the same
//! input gives byte-identical output whatever the cache and the threads; `check` and `build`
//! end cleanly on anything, and a build either writes a complete site or leaves the previous
//! one as it was.
//!
//! Each property runs a few dozen small cases, so the binary stays well under a minute in a
//! debug build; `PROPTEST_CASES=500 cargo test --test properties` runs more.

#[path = "properties/support.rs"]
mod support;

#[path = "properties/documents.rs"]
mod documents;
#[path = "properties/fields.rs"]
mod fields;
#[path = "properties/handbook.rs"]
mod handbook;
#[path = "properties/history.rs"]
mod history;
#[path = "site/linkcheck.rs"]
mod linkcheck;
#[path = "properties/repo.rs"]
mod repo;

#[path = "properties/determinism.rs"]
mod determinism;
#[path = "properties/equivalence.rs"]
mod equivalence;
#[path = "properties/robustness.rs"]
mod robustness;
