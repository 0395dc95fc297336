#!/usr/bin/env bash
# Benchmark (not a test): opsbook's one-pass git history read against
# `git log --name-only --no-merges` over the same repository (the target: within 1.5x).
#
#   bench/git_pass.sh                     # 10,000 docs / 5,000 commits in /tmp/opsbook-bench-c10k
#   DOCS=2000 COMMITS=1000 RUNS=5 bench/git_pass.sh
#
# Generates the corpus once with bench/gen_corpus.py, builds a release binary, then prints the median wall time of RUNS runs of each command and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pass itself is measured: no git cache read or written (bench/run.py times it warm too).
export OPSBOOK_NO_GIT_CACHE=1

DOCS=${DOCS:-10000}
COMMITS=${COMMITS:-5000}
RUNS=${RUNS:-3}
CORPUS=${CORPUS:-/tmp/opsbook-bench-c${DOCS}-${COMMITS}}
GEN=${GEN:-bench/gen_corpus.py}
TODAY=2026-11-23

if [ ! -d "$CORPUS/handbook/.git" ]; then
  echo "== generating $DOCS docs / $COMMITS commits in $CORPUS"
  python3 "$GEN" --docs "$DOCS" --commits "$COMMITS" --seed 42 --out "$CORPUS" \
    --layouts handbook --force
fi
HB="$CORPUS/handbook"

echo "== cargo build --release"
cargo build --release --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/opsbook"

python3 - "$BIN" "$HB" "$RUNS" "$TODAY" <<'EOF'
import statistics, subprocess, sys, time

binary, hb, runs, today = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cases = {
    "git log --name-only --no-merges": ["git", "-C", hb, "log", "--name-only", "--no-merges"],
    "opsbook changes --since 100y (history pass)": [
        binary, "changes", "--root", hb, "--since", "100y", "--today", today, "--format", "json"],
    "opsbook check (with git dates)": [binary, "check", "--root", hb, "--today", today],
    "opsbook check --no-git": [binary, "check", "--root", hb, "--today", today, "--no-git"],
}
medians = {}
for name, cmd in cases.items():
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(f"{name}: exit {done.returncode}")
    medians[name] = statistics.median(times)
    print(f"{medians[name]:7.2f} s  {name}  (runs: {', '.join(f'{t:.2f}' for t in times)})")
names = list(cases)
ratio = medians[names[1]] / medians[names[0]]
print(f"ratio history pass / git log: {ratio:.2f} (target: at most 1.5)")
EOF
