#!/usr/bin/env bash
# A second, independent Docker engine on this machine that stands for a remote one: Debian's dockerd
# chrooted into a root filesystem of its own, in its own mount and network namespace (so its own
# iptables), joined to this machine by a veth pair. Its own socket, data root and bridge subnet; bind
# mounts of this machine's paths resolve inside its root, where they do not exist, as on a remote host.
# Its data root is a tmpfs (AGENT_DC_ENGINE2_DATA_SIZE, 8g): it starts empty and a stop leaves nothing.
# (`docker run --privileged` is refused here, so Docker-in-Docker is out.)
#
#   second-engine.sh prepare  builds its root filesystem from the local base image, once (kept)
#   second-engine.sh start    prepares, starts it and prints the DOCKER_HOST to use; one already running is reused
#   second-engine.sh stop     stops only the daemon this script started, removes its data root and namespace
#   second-engine.sh host     prints the DOCKER_HOST
# All are idempotent. It needs root, iproute2 and util-linux (unshare); scripts/testbed/docker.sh first.
set -euo pipefail

base=${AGENT_DC_TEST_BASE_IMAGE:-agent-dc-test/debian:bookworm}
root=${AGENT_DC_ENGINE2_ROOT:-/var/lib/agent-dc-engine2}
ns=agent-dc-engine2
host_if=cadc-e2-host
ns_if=cadc-e2-ns
# A /30 for the veth pair, the bridge, and the pool its networks come from: none overlap this machine's.
host_addr=10.213.0.1
ns_addr=10.213.0.2
bip=10.214.0.1/24
pool=10.215.0.0/16
data_size=${AGENT_DC_ENGINE2_DATA_SIZE:-8g}
sock=/run/engine2.sock
pidfile=$root/run/engine2.pid
log=$root/var/log/engine2.log
endpoint="unix://$root$sock"

die() { echo "second-engine: $*" >&2; exit 1; }
answers() { DOCKER_HOST=$endpoint docker info >/dev/null 2>&1; }
running_pid() {
  local pid
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  # Only the daemon we started: its command line names our socket.
  [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-H unix://$sock" && echo "$pid"
}

build_root() {
  [ -x "$root/usr/sbin/dockerd" ] && return 0
  # Two callers at once (CI's preparation, a test) build it once.
  exec 9>"$root.lock"
  flock 9
  [ -x "$root/usr/sbin/dockerd" ] && return 0
  command -v ip >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2 >/dev/null; }
  docker image inspect "$base" >/dev/null 2>&1 || die "base image $base missing (run scripts/testbed/base-image.sh)"
  local image=agent-dc-test/engine2-rootfs:latest tmp="$root.partial" container status=0
  printf 'FROM %s\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends docker.io iptables && rm -rf /var/lib/apt/lists/*\n' "$base" |
    docker build -q -t "$image" - >/dev/null || die "could not build $image"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  container=$(docker create "$image" true)
  docker export "$container" | tar -C "$tmp" -x || status=$?
  docker rm "$container" >/dev/null
  docker image rm "$image" >/dev/null
  [ "$status" -eq 0 ] || die "could not export $image into $tmp"
  # Docker bind-mounts these in a container, so the export has them empty: without localhost, dockerd's
  # prestart hook waits for a DNS server to answer for it (20 s per container start).
  cp /etc/resolv.conf "$tmp/etc/resolv.conf"
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$tmp/etc/hosts"
  mv "$tmp" "$root"
}

network_up() {
  ip netns list | grep -qw "^$ns" || ip netns add "$ns"
  if ! ip link show "$host_if" >/dev/null 2>&1; then
    ip link add "$host_if" type veth peer name "$ns_if"
    ip link set "$ns_if" netns "$ns"
    ip addr add "$host_addr/30" dev "$host_if"
    ip link set "$host_if" up
    ip netns exec "$ns" ip addr add "$ns_addr/30" dev "$ns_if"
    ip netns exec "$ns" ip link set "$ns_if" up
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ip route add default via "$host_addr"
  fi
}

# Runs inside the new mount namespace: dockerd's archive code needs / to be a mount point, and
# `ip netns exec` gives a fresh sysfs without the cgroup v1 controllers dockerd needs.
mounts_and_daemon() {
  mount --make-rprivate /
  mount --bind "$root" "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount --rbind /dev "$root/dev"
  mount -t tmpfs cgroup "$root/sys/fs/cgroup"
  local controller
  for controller in cpu cpuacct cpuset memory devices freezer blkio pids; do
    mkdir -p "$root/sys/fs/cgroup/$controller"
    mount -t cgroup -o "$controller" cgroup "$root/sys/fs/cgroup/$controller"
  done
  mkdir -p "$root/sys/fs/cgroup/systemd"
  mount -t cgroup -o none,name=systemd cgroup "$root/sys/fs/cgroup/systemd"
  # The data root is memory of this namespace: it goes with the daemon's last process, and a stop does not
  # wait for thousands of image files to be deleted from disk.
  mkdir -p "$root/var/lib/docker"
  mount -t tmpfs -o "size=$data_size,mode=0711" engine2-data "$root/var/lib/docker"
  exec chroot "$root" dockerd -H "unix://$sock" --pidfile "${pidfile#"$root"}" --data-root /var/lib/docker \
    --exec-root /run/engine2 --bip "$bip" --default-address-pool "base=$pool,size=24"
}

start() {
  if running_pid >/dev/null && answers; then
    echo "$endpoint"
    return 0
  fi
  # A daemon of ours that does not answer is stopped first, so its state does not linger.
  stop >/dev/null
  build_root
  network_up
  mkdir -p "$(dirname "$log")"
  # setsid: the daemon outlives this script and its terminal.
  setsid ip netns exec "$ns" unshare -m bash -c "$(declare -f mounts_and_daemon); $(declare -p root sock pidfile bip pool data_size); mounts_and_daemon" \
    </dev/null >>"$log" 2>&1 &
  local _
  for _ in $(seq 1 60); do
    if answers; then
      echo "$endpoint"
      return 0
    fi
    sleep 0.5
  done
  die "the second engine did not answer within 30 s; see $log"
}

stop() {
  local pid _
  if pid=$(running_pid); then
    kill "$pid"
    # dockerd stops its containers (10 s each at most) and its containerd before it exits.
    for _ in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && die "dockerd $pid did not exit within 60 s"
  fi
  rm -f "$pidfile" "$root$sock"
  # Its mounts, the data root's tmpfs included, lived only in its mount namespace: gone with its last process.
  rm -rf "$root/run/engine2"
  ip netns list | grep -qw "^$ns" && ip netns del "$ns"
  # Deleting the namespace takes its veth pair with it; a pair left from an interrupted start goes here.
  ip link del "$host_if" 2>/dev/null || true
  return 0
}

case ${1:-} in
  prepare) build_root ;;
  start) start ;;
  stop) stop ;;
  host) echo "$endpoint" ;;
  *) die "usage: $0 prepare|start|stop|host" ;;
esac
