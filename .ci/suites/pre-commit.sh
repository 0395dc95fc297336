#!/usr/bin/env bash
# The pre-commit hook of .pre-commit-hooks.yaml, run by the real pre-commit framework in a
# throwaway git repository holding a small handbook:
#  1. `pre-commit try-repo` with a bad roadmap status fails and prints path:line:col; fixed, it passes;
#  2. installed as a git hook, it refuses a commit with the bad status and accepts the fix;
#  3. the .pre-commit-config.yaml that `opsbook init` writes does the same with the opsbook on PATH;
#  4. a commit of 40 files prints one summary (require_serial: one run per commit), with both
#     hook ids: opsbook-check (built by pre-commit) and opsbook-check-system (the one on PATH).
# pre-commit builds opsbook with `cargo install` (language: rust), which takes a few minutes.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-home"
# One target folder for every `cargo install` pre-commit runs, so the second build is quick.
export CARGO_TARGET_DIR="$work/cargo-target"
# What is tested is the hook's wiring, not the binary's speed: `cargo install` builds without
# optimisation (minutes less on a small CI machine).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_DEBUG=0
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.com
export GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.com
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check pre-commit
pre_commit="$work/venv/bin/pre-commit"

fail() { echo "FAIL: $*"; exit 1; }

# expect CODE PATTERN LOG COMMAND...: run COMMAND, require exit CODE and PATTERN in its output.
expect() {
  local code=$1 pattern=$2 log=$3; shift 3
  set +e; "$@" >"$log" 2>&1; local got=$?; set -e
  if [ "$got" -ne "$code" ] || ! grep -qE -- "$pattern" "$log"; then
    cat "$log"; fail "$* exited $got (wanted $code, output matching '$pattern')"
  fi
  echo "ok: $* -> exit $got"
  grep -E -m 1 -- "$pattern" "$log" | sed 's/^/    /'
}

"$pre_commit" validate-manifest "$here/.pre-commit-hooks.yaml"
echo "ok: pre-commit validate-manifest .pre-commit-hooks.yaml"

repo="$work/handbook"
mkdir -p "$repo/roadmap"
cd "$repo"
git init --quiet --initial-branch=main
cat > opsbook.yml <<'YML'
title: Hook test
YML
cat > org.yml <<'YML'
people:
  - id: ana
    name: Ana Lima
YML
bad=$'---\ntitle: Search v2\nstatus: nwo\nowner: ana\n---\n\n# Search v2\n'
good=$'---\ntitle: Search v2\nstatus: now\nowner: ana\n---\n\n# Search v2\n'
printf '%s' "$bad" > roadmap/search.md
git add -A

echo "== 1. pre-commit try-repo"
expect 1 'roadmap/search.md:3:9: error\[field-enum\]' "$work/try-bad.log" \
  "$pre_commit" try-repo "$here" opsbook-check --files opsbook.yml org.yml roadmap/search.md
printf '%s' "$good" > roadmap/search.md
git add -A
expect 0 'opsbook check\.+Passed' "$work/try-good.log" \
  "$pre_commit" try-repo "$here" opsbook-check --files org.yml roadmap/search.md

echo "== 2. a commit through the installed hook"
rev="$(git -C "$here" rev-parse HEAD)"
if [ -n "$(git -C "$here" status --porcelain)" ]; then
  echo "note: $here has uncommitted changes; the installed hook is tested at HEAD ($rev)"
fi
cat > .pre-commit-config.yaml <<YML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: opsbook-check
YML
"$pre_commit" install
printf '%s' "$bad" > roadmap/search.md
git add -A
expect 1 'roadmap/search.md:3:9: error\[field-enum\]' "$work/commit-bad.log" git commit -m "bad status"
git rev-parse --verify --quiet HEAD >/dev/null && fail "the commit with a bad status was made"
printf '%s' "$good" > roadmap/search.md
git add -A
expect 0 'opsbook check\.+Passed' "$work/commit-good.log" git commit -m "good status"

echo "== 3. the config that opsbook init writes"
bin="$(find "$PRE_COMMIT_HOME" -path '*rustenv*/bin/opsbook' -type f | head -n 1)"
[ -x "$bin" ] || fail "no opsbook built by pre-commit under $PRE_COMMIT_HOME"
mkdir -p "$work/bin" && cp "$bin" "$work/bin/opsbook"
export PATH="$work/bin:$PATH"
fresh="$work/fresh"
mkdir -p "$fresh" && cd "$fresh"
git init --quiet --initial-branch=main
expect 0 'created docs/handbook/opsbook.yml' "$work/init.log" opsbook init docs/handbook
"$pre_commit" install
git add -A
expect 0 'opsbook check\.+Passed' "$work/init-commit.log" git commit -m "handbook from opsbook init"
sed -i 's/^status: now$/status: nwo/' docs/handbook/roadmap/handbook-in-git.md
git add -A
expect 1 'docs/handbook/roadmap/handbook-in-git.md:3:9: error\[field-enum\]|roadmap/handbook-in-git.md:[0-9]+:[0-9]+: error\[field-enum\]' \
  "$work/init-bad.log" git commit -m "bad status"

echo "== 4. one summary for a commit of 40 files"
cd "$repo"
for i in $(seq -w 1 40); do
  printf -- '---\ntitle: Item %s\nstatus: later\n---\n\n# Item %s\n' "$i" "$i" > "roadmap/item-$i.md"
done
git add -A
files=(roadmap/item-*.md)
[ "${#files[@]}" -eq 40 ] || fail "expected 40 files, made ${#files[@]}"
for hook in opsbook-check opsbook-check-system; do
  log="$work/forty-$hook.log"
  expect 0 'opsbook check\.+Passed' "$log" \
    "$pre_commit" try-repo "$here" "$hook" --verbose --files "${files[@]}"
  summaries=$(grep -cE '^[0-9]+ errors?, [0-9]+ warnings? .*in [0-9]+ files?' "$log" || true)
  [ "$summaries" -eq 1 ] || { cat "$log"; fail "$hook printed $summaries summaries for 40 files, not 1"; }
  grep -E '^0 errors, 0 warnings in 40 files' "$log" >/dev/null \
    || { cat "$log"; fail "$hook: the summary does not cover the 40 files"; }
  echo "ok: $hook: one summary for 40 files"
done
echo "pre-commit suite passed"
