#!/usr/bin/env bash
# First step of action.yml: which release to install, from where, where it is cached, and
# where the git facts cache of the handbook lives. Writes them to $GITHUB_OUTPUT.
#
# Inputs (environment): INPUT_VERSION, INPUT_ROOT, ACTION_REF, ACTION_REPOSITORY, ACTION_PATH,
# TOOL_CACHE, and optionally OPSBOOK_RELEASES (a releases page to download from instead).
set -euo pipefail

# The repository and ref of this action. GitHub leaves github.action_repository and
# github.action_ref empty in some composite-action contexts; the action's folder
# (…/_actions/OWNER/REPO/REF) says the same.
repository=${ACTION_REPOSITORY:-}
ref=${ACTION_REF:-}
if [ -z "$repository" ] || [ -z "$ref" ]; then
  case $ACTION_PATH in
    */_actions/*/*/*)
      rest=${ACTION_PATH#*/_actions/}
      repository=${repository:-$(echo "$rest" | cut -d / -f 1-2)}
      ref=${ref:-$(echo "$rest" | cut -d / -f 3)}
      ;;
  esac
fi
releases=${OPSBOOK_RELEASES:-}
if [ -z "$releases" ]; then
  releases=https://github.com/${repository:-opsbook/opsbook}/releases
fi

version=${INPUT_VERSION:-}
if [ -z "$version" ]; then
  case $ref in
    v[0-9]*) version=$ref ;;
    *) version=latest ;;
  esac
fi
if [ "$version" = latest ]; then
  url=$(curl -sSfL -o /dev/null -w '%{url_effective}' "$releases/latest")
  version=${url##*/}
  case $version in
    v[0-9]*) ;;
    *) echo "::error title=opsbook::no release found at $releases"; exit 1 ;;
  esac
fi
case $version in v*) ;; *) version=v$version ;; esac

bin_dir=${TOOL_CACHE:-$HOME/.cache}/opsbook/$version/bin

git_cache=
if git_dir=$(git -C "${INPUT_ROOT:-.}" rev-parse --absolute-git-dir 2>/dev/null); then
  git_cache=$git_dir/opsbook
fi

{
  echo "version=$version"
  echo "releases=$releases"
  echo "bin-dir=$bin_dir"
  echo "git-cache=$git_cache"
} >> "${GITHUB_OUTPUT:-/dev/stdout}"
echo "opsbook $version from $releases"
