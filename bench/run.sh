#!/usr/bin/env bash
# Benchmark opsbook side by side with Hugo and mdBook on a corpus that bench/gen_corpus.py generates.
# Usage: bench/run.sh [--sizes 1000,10000] [--commits 5000] [--runs 3] [--mdbook-max 2000] [--peers none] [--serve-only] [--self-test]
# Prints a table of medians, peak memory and ratios, the `opsbook serve` rows (edit-to-reload,
# memory: bench/serve_bench.py on bench/serve_corpus.py's handbooks; --serve-only runs just those),
# and the table of targets: met, not met (by how much) or not measured. `--self-test` checks
# that table's logic alone.
# Never run by `cargo test` or CI.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec python3 "$here/run.py" "$@"
