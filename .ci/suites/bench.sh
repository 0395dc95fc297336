#!/usr/bin/env bash
# The benchmark works from a fresh clone: bench/gen_corpus.py writes a handbook that
# `opsbook check` passes (exit 0), the same seed gives the same repository (commit ids
# included), bench/run.sh runs end to end on a small corpus (opsbook alone, one run, the
# debug binary built here; the real benchmark builds a release binary and times Hugo and
# mdBook too), and its table of targets says met / not met right (`run.py --self-test`, worked
# examples). Needs only python3 and git.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --quiet
bin="$PWD/${CARGO_TARGET_DIR:-target}/debug/opsbook"

echo "-- bench/run.py --self-test: the table of targets"
python3 bench/run.py --self-test

echo "-- gen_corpus.py: a valid handbook"
python3 bench/gen_corpus.py --docs 400 --commits 200 --seed 7 --out "$work/a"
"$bin" check --root "$work/a/handbook" --today 2026-11-23 | tail -n 1
"$bin" build --root "$work/a/handbook" --today 2026-11-23 --out "$work/site" | tail -n 1
[ -f "$work/a/mdbook/src/SUMMARY.md" ] && [ -f "$work/a/hugo/hugo.toml" ]

echo "-- gen_corpus.py: the same seed gives the same history"
python3 bench/gen_corpus.py --docs 400 --commits 200 --seed 7 --out "$work/b" --layouts handbook
a=$(git -C "$work/a/handbook" rev-parse HEAD)
b=$(git -C "$work/b/handbook" rev-parse HEAD)
[ "$a" = "$b" ] || { echo "FAIL: HEAD $a != $b"; exit 1; }
echo "ok: HEAD $a both times"

echo "-- bench/run.sh (small, opsbook alone)"
OPSBOOK_BIN="$bin" OPSBOOK_BENCH_DIR="$work/bench" \
  bench/run.sh --sizes 300 --commits 100 --runs 1 --peers none | tee "$work/table.txt"
# shellcheck disable=SC2016 # backquotes of the table, not command substitutions
grep -qF '| 300 | `opsbook check` (whole corpus), cold' "$work/table.txt"
# shellcheck disable=SC2016
grep -qF '| 300 | `opsbook build`, cold' "$work/table.txt"
# The run ends with the targets; sizes it did not run say so.
grep -qF '| target | docs | measured | target | status |' "$work/table.txt"
# shellcheck disable=SC2016
grep -qF '| `check` of everything, cold (a fresh CI clone) | 10,000 | – | < 1.00 s | not measured |' "$work/table.txt"
echo "bench suite passed"
