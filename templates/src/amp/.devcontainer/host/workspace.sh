#!/bin/sh
# create-agent-devcontainer host step: before every `up` of a scaffolded config, in the repository.
# Builds the container's view of the repository's git folder, <host folder>/git-view, which the container
# mounts in place of .git: the live objects/ and refs/ are mounted into it, and all else it holds is made
# here, so no other file of .git (config.worktree, hooks, logs, a linked worktree's files) reaches the
# container. Git config is sanitised: only what a clone needs, no credentials, tokens, URL rewrites or
# includes. HEAD, packed-refs and shallow are copied (as of this `up`). Submodules' git folders are
# cloned locally (hardlinked where git can) with their config sanitised the same way.
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
# Only sanitised copies below: readable by the container's user (the host folder itself stays private).
umask 022
view="$dir/git-view"
mkdir -p "$view/objects" "$view/refs"
rm -f "$dir/git-config" # what older versions wrote instead

# sanitise <config file> <copy>: keys a clone reads, URLs without user:token@; everything else (http.*,
# credential.*, url.*, include*, core.sshCommand, …) stays on the host.
sanitise() {
  tmp="$2.tmp.$$"
  : >"$tmp"
  if [ -f "$1" ]; then
    git config --file "$1" --get-regexp \
      '^(core\.(repositoryformatversion|bare|precomposeunicode)|extensions\..*|remote\.[^.]*\.(url|fetch|promisor|partialclonefilter)|submodule\.[^.]*\.(url|path|active))$' |
      while IFS= read -r line; do
        key=${line%% *}
        value=${line#"$key"}
        value=${value# }
        case "$key" in
          remote.*.url | submodule.*.url) value=$(printf '%s' "$value" | sed -E 's#^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@#\1#') ;;
        esac
        git config --file "$tmp" --add "$key" "$value"
      done
  fi
  mv -f "$tmp" "$2"
}

# copy <file> <copy>: as of now, or gone when the repository has none.
copy() {
  if [ -f "$1" ]; then
    cp "$1" "$2.tmp.$$"
    mv -f "$2.tmp.$$" "$2"
  else
    rm -f "$2"
  fi
}

# One git folder's view: its config, and its per-worktree config (git applies it under
# extensions.worktreeConfig, which a repository using it keeps), sanitised alike.
configs() {
  sanitise "$1/config" "$2/config"
  if [ -f "$1/config.worktree" ]; then sanitise "$1/config.worktree" "$2/config.worktree"; else rm -f "$2/config.worktree"; fi
}

# modules <git dir> <its view>: each submodule's git folder (modules/<name>, nested ones in turn).
modules() {
  [ -d "$1/modules" ] || return 0
  find "$1/modules" -type d -exec sh -c 'test -f "$0/HEAD" && test -d "$0/objects"' '{}' ';' -print -prune |
    while IFS= read -r module; do
      copy_of="$2/${module#"$1"/}"
      git clone --quiet --mirror --template= -- "$module" "$copy_of"
      configs "$module" "$copy_of"
      modules "$module" "$copy_of"
    done
}

configs "$gitdir" "$view"
copy "$gitdir/HEAD" "$view/HEAD"
copy "$gitdir/packed-refs" "$view/packed-refs"
copy "$gitdir/shallow" "$view/shallow"
# Submodule copies are built aside, then swapped in.
stage="$view/.modules.new"
rm -rf "$stage" "$view/.modules.old"
mkdir -p "$stage/modules"
modules "$gitdir" "$stage"
if [ -d "$view/modules" ]; then mv "$view/modules" "$view/.modules.old"; fi
mv "$stage/modules" "$view/modules"
rm -rf "$stage" "$view/.modules.old"
