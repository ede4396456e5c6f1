#!/usr/bin/env bash
# Installs Chromium from Debian's archive when missing: the dashboard's browser tests and benchmark drive
# it headless through playwright-core, which is never allowed to download a browser of its own.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "installing chromium"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version
