#!/bin/sh
# Install a released opsbook binary for this machine: download the archive of the release,
# check it against the release's SHA256SUMS, and put `opsbook` into a folder.
#
#   sh install.sh                          # the latest release into ~/.local/bin
#   sh install.sh --version v0.1.0 --to /usr/local/bin
#
# Options (or environment variables):
#   --version TAG   (OPSBOOK_VERSION)   a release tag such as v0.1.0, or `latest` (default)
#   --to DIR        (OPSBOOK_INSTALL)   where to put the binary (default: ~/.local/bin)
#   --releases URL  (OPSBOOK_RELEASES)  the releases page of the repository (default below)
# Needs curl or wget, tar (unzip or PowerShell on Windows), and sha256sum or shasum.
set -eu

releases=${OPSBOOK_RELEASES:-https://github.com/opsbook/opsbook/releases}
version=${OPSBOOK_VERSION:-latest}
to=${OPSBOOK_INSTALL:-$HOME/.local/bin}

while [ $# -gt 0 ]; do
  case $1 in
    --version) version=$2; shift 2 ;;
    --to) to=$2; shift 2 ;;
    --releases) releases=$2; shift 2 ;;
    -h|--help)
      echo "usage: install.sh [--version vX.Y.Z|latest] [--to DIR] [--releases URL]"
      echo "Installs a released opsbook binary (default: the latest release into ~/.local/bin)."
      exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
releases=${releases%/}

say() { echo "install.sh: $*" >&2; }
die() { say "$*"; exit 1; }

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,http,file' -sSfL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "needs curl or wget"
  fi
}

# The release tag `latest` stands for: the page GitHub redirects /releases/latest to.
resolve_latest() {
  command -v curl >/dev/null 2>&1 || die "resolving \`latest\` needs curl; pass --version vX.Y.Z"
  url=$(curl -sSfL -o /dev/null -w '%{url_effective}' "$releases/latest") ||
    die "cannot reach $releases/latest"
  tag=${url##*/}
  case $tag in
    v[0-9]*) echo "$tag" ;;
    *) die "no release found at $releases (got $url)" ;;
  esac
}

target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os/$arch" in
    Linux/x86_64|Linux/amd64) echo x86_64-unknown-linux-musl ;;
    Linux/aarch64|Linux/arm64) echo aarch64-unknown-linux-musl ;;
    Darwin/x86_64) echo x86_64-apple-darwin ;;
    Darwin/arm64|Darwin/aarch64) echo aarch64-apple-darwin ;;
    MINGW*/*|MSYS*/*|CYGWIN*/*|Windows_NT/*) echo x86_64-pc-windows-msvc ;;
    *) die "no release binary for $os $arch; build from source: cargo install --locked opsbook" ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "needs sha256sum or shasum to check the download"
  fi
}

[ "$version" = latest ] && version=$(resolve_latest)
case $version in v*) ;; *) version=v$version ;; esac
target=$(target)
case $target in *windows*) ext=zip bin=opsbook.exe ;; *) ext=tar.gz bin=opsbook ;; esac
archive=opsbook-$target.$ext

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
say "downloading opsbook $version for $target"
fetch "$releases/download/$version/$archive" "$work/$archive" ||
  die "cannot download $releases/download/$version/$archive"
fetch "$releases/download/$version/SHA256SUMS" "$work/SHA256SUMS" ||
  die "cannot download the checksums of $version"
want=$(grep " $archive\$" "$work/SHA256SUMS" | cut -d ' ' -f 1)
[ -n "$want" ] || die "SHA256SUMS of $version lists no $archive"
got=$(sha256 "$work/$archive")
[ "$want" = "$got" ] || die "checksum mismatch for $archive: expected $want, got $got"

case $ext in
  tar.gz) tar -xzf "$work/$archive" -C "$work" ;;
  zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$work/$archive" -d "$work"
    else
      powershell -NoProfile -Command "Expand-Archive -Path '$work/$archive' -DestinationPath '$work'"
    fi ;;
esac
mkdir -p "$to"
cp "$work/opsbook-$target/$bin" "$to/$bin"
chmod +x "$to/$bin"
say "installed $("$to/$bin" --version) into $to"
