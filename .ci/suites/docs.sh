#!/usr/bin/env bash
# The documentation is an opsbook handbook of pages (docs/opsbook.yml): the opsbook built here
# checks it with --strict (every link and anchor, `check` is the link checker) and builds its
# site; the field reference docs/kinds.md is what `opsbook schema --format markdown` prints for
# the built-in kinds.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/opsbook"

echo "-- opsbook check --root docs --strict"
"$bin" check --root docs --strict --min-severity info
echo "-- opsbook build --root docs --strict"
"$bin" build --root docs --strict --out "$work/site"
pages=$(find "$work/site" -name '*.html' | wc -l)
[ "$pages" -gt 20 ] || { echo "FAIL: only $pages pages built"; exit 1; }
[ -f "$work/site/rules.html" ] && [ -f "$work/site/screenshots/board.png" ]

echo "-- docs/kinds.md is current"
mkdir "$work/empty"
"$bin" schema --root "$work/empty" --format markdown > "$work/kinds.md"
diff -u docs/kinds.md "$work/kinds.md"
echo "docs suite passed ($pages pages)"
