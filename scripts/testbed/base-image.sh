#!/usr/bin/env bash
# Builds the local test base image (no registry here): a minimal Debian from debootstrap, trusting the
# host's extra CAs the way a corporate proxy user would need. Reused when it already exists.
set -euo pipefail

image=${1:-${AGENT_DC_TEST_BASE_IMAGE:-agent-dc-test/debian:bookworm}}
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image present"
  exit 0
fi
rootfs=$(mktemp -d)
trap 'rm -rf "$rootfs"' EXIT
debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
shopt -s nullglob
cas=(/usr/local/share/ca-certificates/*.crt)
if [ ${#cas[@]} -gt 0 ]; then
  # Host CAs go in the image only as the proxy's trust anchors; the ca-certificates package rebuilds the bundle from them.
  chroot "$rootfs" apt-get install -y -qq --no-install-recommends ca-certificates >/dev/null
  cp "${cas[@]}" "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null
fi
chroot "$rootfs" apt-get clean
rm -rf "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import - "$image" >/dev/null
echo "built base image $image"
