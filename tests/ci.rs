//! CLI tests of the CI side of opsbook: machine formats (github, sarif, json), exit codes,
//! `init`, `new`, `schema` and `export`. Each test copies a fixture from `tests/fixtures/ci-*`
//! into a temporary folder and runs the real binary there.

mod ci {
    pub mod formats;
    pub mod model_json;
    pub mod scaffold;
    pub mod support;
}
