#!/usr/bin/env bash
# Make the release archives from built binaries:
#
#   ci/release/package.sh BINARIES OUT
#
# BINARIES holds one folder per target, each with the `opsbook` (or `opsbook.exe`) built for
# it: BINARIES/x86_64-unknown-linux-musl/opsbook, … OUT receives opsbook-TARGET.tar.gz
# (opsbook-TARGET.zip for Windows), each holding opsbook-TARGET/ with the binary, README.md,
# LICENSE, CHANGELOG.md, completions/ and man/, and SHA256SUMS over all archives. Completions and
# man pages are made by the binary of this machine (OPSBOOK, default: the Linux x86_64 one).
set -euo pipefail
binaries=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
host=${OPSBOOK:-$binaries/x86_64-unknown-linux-musl/opsbook}
chmod +x "$host"

extras=$(mktemp -d)
trap 'rm -rf "$extras"' EXIT
mkdir -p "$extras/completions" "$extras/man"
"$host" completions bash > "$extras/completions/opsbook.bash"
"$host" completions zsh > "$extras/completions/_opsbook"
"$host" completions fish > "$extras/completions/opsbook.fish"
"$host" completions powershell > "$extras/completions/_opsbook.ps1"
"$host" completions elvish > "$extras/completions/opsbook.elv"
"$host" man --out "$extras/man" > /dev/null

cd "$binaries"
for target in */; do
  target=${target%/}
  name=opsbook-$target
  stage=$extras/stage/$name
  mkdir -p "$stage"
  if [ -f "$target/opsbook.exe" ]; then bin=opsbook.exe; else bin=opsbook; fi
  cp "$target/$bin" "$stage/$bin"
  chmod +x "$stage/$bin"
  cp "$repo/README.md" "$repo/LICENSE" "$repo/CHANGELOG.md" "$stage/"
  cp -R "$extras/completions" "$extras/man" "$stage/"
  if [ "$bin" = opsbook.exe ]; then
    (cd "$extras/stage" && zip -qr "$out/$name.zip" "$name")
  else
    tar -C "$extras/stage" --owner=0 --group=0 -czf "$out/$name.tar.gz" "$name"
  fi
  echo "packaged $name"
done
cd "$out"
shopt -s nullglob
archives=(opsbook-*.tar.gz opsbook-*.zip)
sha256sum "${archives[@]}" | sort -k 2 > SHA256SUMS
cat SHA256SUMS
