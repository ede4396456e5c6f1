#!/bin/sh
# create-agent-devcontainer host step: before every `up` of a scaffolded config, in the repository.
# Writes a sanitised copy of the repository's git config for the container (only what a clone needs:
# no credentials, tokens, URL rewrites or includes), which the container sees in place of .git/config.
# Usage: workspace.sh <per-container host folder> [git dir]   (launch passes the git dir it resolved)
set -eu
dir=$1
gitdir=${2:-.git}
if [ ! -d "$gitdir" ]; then
  echo "create-agent-devcontainer: .git here is not a folder (a worktree or submodule checkout?); use: npx create-agent-devcontainer launch ." >&2
  exit 1
fi
umask 077
mkdir -p "$dir"
tmp="$dir/.git-config.$$"
trap 'rm -f "$tmp"' EXIT
: >"$tmp"
# Keys a clone reads; everything else (http.*, credential.*, url.*, include*, core.sshCommand, …) stays on the host.
git config --file "$gitdir/config" --get-regexp \
  '^(core\.(repositoryformatversion|bare|precomposeunicode)|extensions\..*|remote\.[^.]*\.(url|fetch|promisor|partialclonefilter)|submodule\.[^.]*\.(url|path|active))$' |
  while IFS= read -r line; do
    key=${line%% *}
    value=${line#"$key"}
    value=${value# }
    case "$key" in
      # user:token@ goes; the URL stays.
      remote.*.url | submodule.*.url) value=$(printf '%s' "$value" | sed -E 's#^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@#\1#') ;;
    esac
    git config --file "$tmp" --add "$key" "$value"
  done
chmod 644 "$tmp"
mv -f "$tmp" "$dir/git-config"
