#!/bin/sh
# create-agent-devcontainer host step for MCP: before every `up`, in the repository.
# Docker cannot bind-mount a missing file, so this creates the MCP secrets file when it is missing:
# empty and private (0600, new folders 0700). It never writes a value, and an existing file is left
# exactly as it is.
# Usage: mcp-secrets.sh <secrets file>
set -u
umask 077
file=$1
[ -e "$file" ] && exit 0
mkdir -p "$(dirname "$file")" && : >>"$file" &&
  echo "create-agent-devcontainer: created an empty MCP secrets file $file (mode 0600); add KEY=value lines for your MCP servers"
