#!/bin/sh
# create-agent-devcontainer host step: before every `up`, gives the container only the MCP secrets that its
# MCP source references (${NAME}), never the whole secrets file. Creates the secrets file (empty, 0600) when
# it is missing; never writes a value into it.
# Usage: mcp-secrets.sh <secrets file> <MCP source> <per-container host folder> [NAME...]
# NAMEs are left out even when referenced: the credential broker holds them (auth mode broker).
set -eu
secrets=$1
source=$2
dir=$3
shift 3
umask 077
if [ ! -e "$secrets" ]; then
  mkdir -p "$(dirname "$secrets")"
  : >>"$secrets"
  echo "create-agent-devcontainer: created an empty MCP secrets file $secrets (mode 0600); add KEY=value lines for your MCP servers" >&2
fi
mkdir -p "$dir"
# Every ${NAME} in the source (a comment's too: a superset of what its servers use, never a guess beyond it).
# shellcheck disable=SC2016 # a literal ${: the pattern, not an expansion
names=$({ grep -o '\${[A-Za-z_][A-Za-z0-9_]*}' "$source" 2>/dev/null || true; } | sed 's/^\${\(.*\)}$/\1/' | sort -u | tr '\n' ' ')
for held in "$@"; do
  names=$(printf ' %s ' "$names" | sed "s/ $held / /")
done
tmp="$dir/.mcp-secrets.env.$$"
trap 'rm -f "$tmp"' EXIT
# KEY=value and export KEY=value lines whose KEY is referenced; comments and everything else stay behind.
awk -v names=" $names " '
  {
    line = $0
    sub(/^[ \t]*(export[ \t]+)?/, "", line)
    key = line
    sub(/[ \t]*=.*/, "", key)
    if (index(line, "=") > 0 && key != "" && index(names, " " key " ") > 0) print $0
  }
' "$secrets" >"$tmp"
# Readable by the container's UID 1000 through the mount; the folder around it stays private to this user.
chmod 644 "$tmp"
if [ -f "$dir/mcp-secrets.env" ]; then
  # In place: a running container's mount of this file keeps its inode, so it sees the new lines too.
  cat "$tmp" >"$dir/mcp-secrets.env"
  chmod 644 "$dir/mcp-secrets.env"
else
  mv -f "$tmp" "$dir/mcp-secrets.env"
fi
