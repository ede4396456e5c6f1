#!/bin/sh
# create-agent-devcontainer: the host side of the egress policy, run by initializeCommand before every
# `up` (workspace folder as cwd). It makes sure that, before the agent's container is created:
#   - the agent's network exists: `--internal` (no route out) with no IPv4 address on the host's side of
#     the bridge (com.docker.network.bridge.inhibit_ipv4), so the Docker host's own services are not
#     reachable through the gateway address either; no IPv6;
#   - the enforcer container runs, attached to that network (alias `egress`) and to an ordinary one, as
#     an unprivileged user with no capabilities, reading the policy from read-only mounts;
#   - the per-container state folder holds the mode and the preset hosts (`egress allow` adds to it).
# Usage: egress.sh up ID MODE BASE-IMAGE POLICY-FILE [HOST...]
# Host-side knobs (environment): CADC_EGRESS_NETWORK (the enforcer's way out, default: bridge),
# CADC_EGRESS_DNS (a DNS server for the enforcer), CADC_EGRESS_IMAGE (the enforcer image's tag),
# HTTPS_PROXY / HTTP_PROXY / NO_PROXY (an upstream proxy the enforcer goes through).
set -eu

note() { printf '[create-agent-devcontainer] egress: %s\n' "$*" >&2; }
die() { note "$*"; exit 1; }

[ "${1:-}" = up ] || die "usage: egress.sh up ID MODE BASE-IMAGE POLICY-FILE [HOST...]"
[ $# -ge 5 ] || die "usage: egress.sh up ID MODE BASE-IMAGE POLICY-FILE [HOST...]"
id=$2 mode=$3 base=$4 policy=$5
shift 5
case $id in *[!a-z0-9]* | '') die "bad container id: $id" ;; esac
case $mode in allowlist | log) ;; *) die "bad mode: $mode" ;; esac
command -v docker >/dev/null 2>&1 || die "docker is not on PATH"

here=$(cd "$(dirname "$0")" && pwd)
proxy="$here/egress-proxy.cjs"
[ -f "$proxy" ] || die "missing $proxy (re-run create-agent-devcontainer)"
case ${XDG_STATE_HOME:-} in /*) root=$XDG_STATE_HOME ;; *) root=$HOME/.local/state ;; esac
state="$root/create-agent-devcontainer/egress/$id"
name="cadc-egress-$id"
label=io.github.create-agent-devcontainer.egress
upstream=${CADC_EGRESS_NETWORK:-bridge}
dns=${CADC_EGRESS_DNS:-}
image=${CADC_EGRESS_IMAGE:-create-agent-devcontainer-egress:$(printf '%s' "$base" | cksum | cut -d' ' -f1)}
policydir=$(cd "$(dirname "$policy")" 2>/dev/null && pwd) || policydir=$PWD/.devcontainer

# The state folder: the mode and presets are rewritten at every up; allow.txt belongs to `egress allow`.
mkdir -p "$state"
chmod 755 "$state"
printf '%s\n' "$mode" >"$state/mode.tmp" && mv -f "$state/mode.tmp" "$state/mode"
printf '%s\n' "$@" >"$state/preset.txt.tmp" && mv -f "$state/preset.txt.tmp" "$state/preset.txt"
[ -f "$state/allow.txt" ] || : >"$state/allow.txt"
chmod 644 "$state/mode" "$state/preset.txt" "$state/allow.txt"

# The enforcer's image: the configured base image plus Debian's nodejs, built once per base image.
if ! docker image inspect "$image" >/dev/null 2>&1; then
  note "building the enforcer image $image from $base (once)"
  printf 'FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*\n' "$base" |
    docker build -q -t "$image" --label "$label=image" - >/dev/null || die "could not build $image"
fi

if ! docker network inspect "$name" >/dev/null 2>&1; then
  docker network create --internal -o com.docker.network.bridge.inhibit_ipv4=true \
    --label "$label=$id" --label "$label.workspace=$PWD" "$name" >/dev/null || die "could not create the network $name"
fi

# Everything that shapes the enforcer; a change recreates it (the agent's container keeps its network).
config=$(printf '%s\n' "$image" "$upstream" "$dns" "$policydir" "${HTTPS_PROXY:-}" "${HTTP_PROXY:-}" "${NO_PROXY:-}" |
  cat - "$proxy" | cksum | cut -d' ' -f1)
current=$(docker inspect -f "{{index .Config.Labels \"$label.config\"}} {{.State.Running}}" "$name" 2>/dev/null || true)
if [ "$current" = "$config true" ]; then
  note "enforcer $name is running ($mode)"
  exit 0
fi
if [ -n "$current" ]; then
  docker rm -f "$name" >/dev/null 2>&1 || true
fi
set -- --name "$name" --label "$label=$id" --label "$label.config=$config" --label "$label.workspace=$PWD" \
  --restart unless-stopped \
  --user 65534:65534 --cap-drop ALL --security-opt no-new-privileges:true --read-only \
  --network "$upstream" \
  --mount "type=bind,source=$state,target=/state,readonly" \
  --mount "type=bind,source=$proxy,target=/egress/proxy.cjs,readonly" \
  --mount "type=bind,source=$policydir,target=/repo,readonly" \
  -e "EGRESS_ID=$id" -e "EGRESS_POLICY=/repo/$(basename "$policy")"
[ -z "$dns" ] || set -- "$@" --dns "$dns"
[ -z "${HTTPS_PROXY:-}" ] || set -- "$@" -e "HTTPS_PROXY=$HTTPS_PROXY"
[ -z "${HTTP_PROXY:-}" ] || set -- "$@" -e "HTTP_PROXY=$HTTP_PROXY"
[ -z "${NO_PROXY:-}" ] || set -- "$@" -e "NO_PROXY=$NO_PROXY"
docker create "$@" "$image" node /egress/proxy.cjs >/dev/null || die "could not create the enforcer $name"
docker network connect --alias egress "$name" "$name" || die "could not attach the enforcer to $name"
docker start "$name" >/dev/null || die "could not start the enforcer $name"
note "enforcer $name started ($mode; log: npx create-agent-devcontainer egress $id)"
