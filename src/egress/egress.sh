#!/bin/sh
# create-agent-devcontainer: the host side of the egress policy, run by initializeCommand before every
# `up` (workspace folder as cwd). It makes sure that, before the agent's container is created:
#   - the agent's network exists: `--internal` (no route out) with no IPv4 address on the host's side of
#     the bridge (com.docker.network.bridge.inhibit_ipv4), so the Docker host's own services are not
#     reachable through the gateway address either; no IPv6;
#   - the enforcer container runs, attached to that network (alias `egress`) and to an ordinary one, as
#     an unprivileged user with no capabilities, within its process, memory and CPU limits (--limits),
#     reading the policy from read-only mounts;
#   - the per-container state folder holds the mode and the preset hosts (`egress allow` adds to it);
#   - with --broker (auth mode broker, docs/broker.md): the host's secrets, a TLS certificate for the agent's
#     API hosts signed by this user's broker CA (made here once with openssl; its key never leaves this
#     host's private folder), and the placeholders the agent's container gets instead (--env-file).
# Usage: egress.sh up ID MODE BASE-IMAGE POLICY-FILE [--limits PIDS,MEMORY,CPUS] [--name CONTAINER-NAME]
#          [--secrets MCP-SECRETS-FILE] [--broker VAR=FROM,...=PLACEHOLDER=HOST,...=BASE-URL-VAR=HEADER,...]...
#          [--login FORMAT=VAR:PATH,...=STAGED=PLACEHOLDER=HOST,...=BASE-URL-VAR=HEADER=KEY-VAR,...=TOKEN-URL=TOKEN-URL-VAR]
#          [HOST...]
# (a limit of 0 is off; a FROM of @NAME is NAME in the MCP secrets file, else a variable of this environment;
# a --login is the agent's subscription login, used when none of its KEY-VARs is set: its one refresher runs
# in a container of its own, cadc-broker-login-<login id>, and the container gets a placeholder login)
# Host-side knobs (environment): CADC_EGRESS_NETWORK (the enforcer's way out, default: bridge),
# CADC_EGRESS_DNS (a DNS server for the enforcer), CADC_EGRESS_IMAGE (the enforcer image's tag),
# HTTPS_PROXY / HTTP_PROXY / NO_PROXY (an upstream proxy the enforcer goes through).
set -eu

note() { printf '[create-agent-devcontainer] egress: %s\n' "$*" >&2; }
die() { note "$*"; exit 1; }

usage="usage: egress.sh up ID MODE BASE-IMAGE POLICY-FILE [--limits P,M,C] [--name NAME] [--secrets FILE] [--broker SPEC]... [--login SPEC] [HOST...]"
[ "${1:-}" = up ] || die "$usage"
[ $# -ge 5 ] || die "$usage"
id=$2 mode=$3 base=$4 policy=$5
shift 5
brokers='' logins='' secrets='' limits=0,0,0 container_name=''
while [ "${1:-}" = --broker ] || [ "${1:-}" = --login ] || [ "${1:-}" = --secrets ] || [ "${1:-}" = --limits ] || [ "${1:-}" = --name ]; do
  [ $# -ge 2 ] || die "$usage"
  case $1 in --broker) brokers="$brokers $2" ;; --login) logins="$logins $2" ;; --limits) limits=$2 ;; --name) container_name=$2 ;; *) secrets=$2 ;; esac
  shift 2
done
case $container_name in *[!A-Za-z0-9_.-]*) die "bad container name: $container_name" ;; esac
case $id in *[!a-z0-9]* | '') die "bad container id: $id" ;; esac
case $mode in allowlist | log) ;; *) die "bad mode: $mode" ;; esac
IFS=, read -r pids_limit memory_limit cpus_limit <<EOF_LIMITS
$limits
EOF_LIMITS
case $pids_limit in '' | *[!0-9]*) die "bad pids limit: $pids_limit" ;; esac
case $memory_limit in 0 | [1-9]*[kmg]) ;; *) die "bad memory limit: $memory_limit" ;; esac
case ${memory_limit%[kmg]} in *[!0-9]*) die "bad memory limit: $memory_limit" ;; esac
case $cpus_limit in '' | *[!0-9.]* | *.*.*) die "bad cpus limit: $cpus_limit" ;; esac
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

# ---- the credential broker --------------------------------------------------------------------------
# Its files live under $HOME (the agent's config names the same paths with ${localEnv:HOME}), mode 0700:
#   broker/ca.key, ca.crt           this user's CA, made once; only ca.crt ever leaves this folder
#   broker/<id>/placeholders.env    what the agent's container gets (docker run --env-file): placeholders
#   broker/<id>/enforcer/           mounted read-only into the enforcer: its certificate and key, and
#                                   `credentials` (VAR PLACEHOLDER HOST,... HEADER,... SECRET per line)
broker_root=$HOME/.local/state/create-agent-devcontainer/broker
broker_dir=$broker_root/$id
broker_enforcer=$broker_dir/enforcer

broker_openssl_config() {
  printf '[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=%s\n[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' "$1"
}

# The CA: once per user. EC P-256 keeps every signature fast; ten years, as it is trusted only by these containers.
broker_ca() {
  [ -s "$broker_root/ca.key" ] && [ -s "$broker_root/ca.crt" ] && return 0
  note "creating this user's broker CA in $broker_root (once)"
  broker_openssl_config "create-agent-devcontainer broker CA ($(hostname 2>/dev/null || echo host))" >"$broker_root/ca.cnf"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -config "$broker_root/ca.cnf" \
    -extensions ca -keyout "$broker_root/ca.key.tmp" -out "$broker_root/ca.crt.tmp" 2>/dev/null || die "openssl could not create the broker CA"
  chmod 600 "$broker_root/ca.key.tmp"
  chmod 644 "$broker_root/ca.crt.tmp"
  mv -f "$broker_root/ca.key.tmp" "$broker_root/ca.key"
  mv -f "$broker_root/ca.crt.tmp" "$broker_root/ca.crt"
}

# The enforcer's certificate for the injected hosts: made again when the list changes or it nears its end.
broker_leaf() {
  names=$(printf '%s\n' "$@" | sed 's/:[0-9]*$//' | sort -u)
  if [ -s "$broker_enforcer/server.crt" ] && [ "$(cat "$broker_dir/names" 2>/dev/null)" = "$names" ] &&
    openssl x509 -checkend 604800 -noout -in "$broker_enforcer/server.crt" >/dev/null 2>&1; then
    return 0
  fi
  san=$(printf '%s\n' "$names" | awk 'BEGIN { ORS = "" } /^[0-9.]+$/ { print sep "IP:" $0; sep = "," } !/^[0-9.]+$/ { print sep "DNS:" $0; sep = "," }')
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$san" >"$broker_dir/leaf.ext"
  broker_openssl_config "create-agent-devcontainer broker" >"$broker_dir/leaf.cnf"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -config "$broker_dir/leaf.cnf" \
    -keyout "$broker_enforcer/server.key.tmp" -out "$broker_dir/leaf.csr" 2>/dev/null || die "openssl could not create the broker's key"
  openssl x509 -req -in "$broker_dir/leaf.csr" -CA "$broker_root/ca.crt" -CAkey "$broker_root/ca.key" -days 90 \
    -set_serial "0x$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')" -extfile "$broker_dir/leaf.ext" \
    -out "$broker_enforcer/server.crt.tmp" 2>/dev/null || die "openssl could not sign the broker's certificate"
  # Readable inside the enforcer (another UID); on this host only through the 0700 folders above.
  chmod 644 "$broker_enforcer/server.key.tmp" "$broker_enforcer/server.crt.tmp"
  mv -f "$broker_enforcer/server.key.tmp" "$broker_enforcer/server.key"
  mv -f "$broker_enforcer/server.crt.tmp" "$broker_enforcer/server.crt"
  printf '%s\n' "$names" >"$broker_dir/names"
  rm -f "$broker_dir/leaf.csr"
}

# The host of an https:// base URL as an allowlist entry (host, or host:port off 443); nothing for others.
broker_url_host() {
  case $1 in https://*) ;; *) return 0 ;; esac
  authority=${1#https://}
  authority=${authority%%/*}
  authority=${authority##*@}
  case $authority in *[!A-Za-z0-9.:-]* | '') return 0 ;; esac
  case $authority in *:443) authority=${authority%:443} ;; esac
  printf '%s\n' "$authority"
}

# The gateway a base-URL variable names (if set): passed to the container as it is, its host in gateway_host
# and allowed (broker_hosts joins the policy's presets).
# The broker terminates TLS only: a plain-HTTP gateway would get the placeholder, so it is refused.
broker_gateway() {
  gateway_host=
  [ -n "$1" ] || return 0
  url=$(printenv "$1" || true)
  [ -n "$url" ] || return 0
  case $url in *[!A-Za-z0-9._~:/?#@%+=,-]*) die "\$$1 is not a plain URL" ;; esac
  grep -q "^$1=" "$broker_dir/placeholders.env.tmp" || printf '%s=%s\n' "$1" "$url" >>"$broker_dir/placeholders.env.tmp"
  gateway_host=$(broker_url_host "$url")
  [ -n "$gateway_host" ] || die "\$$1 is not https://, so the broker cannot put the key into its requests: use an https:// URL, or --auth <agent>=token"
  broker_hosts="$broker_hosts $gateway_host"
}

# NAME's value in the MCP secrets file (KEY=value or export KEY=value; the last wins; one layer of quotes).
broker_secret_from_file() {
  [ -n "$secrets" ] && [ -f "$secrets" ] || return 0
  sed -n "s/^[[:space:]]*\(export[[:space:]][[:space:]]*\)\{0,1\}$1[[:space:]]*=[[:space:]]*//p" "$secrets" | tail -n 1 |
    sed -e 's/[[:space:]]*$//' -e "s/^'\(.*\)'\$/\1/" -e 's/^"\(.*\)"$/\1/'
}

# The login file of VAR:PATH,... locations: under the first VAR that is set, else PATH under $HOME.
broker_login_path() {
  for location in $(printf '%s' "$1" | tr ',' ' '); do
    location_var=${location%%:*}
    location_path=${location#*:}
    if [ -z "$location_var" ]; then printf '%s/%s\n' "$HOME" "$location_path"; return 0; fi
    location_base=$(printenv "$location_var" || true)
    if [ -n "$location_base" ]; then printf '%s/%s\n' "${location_base%/}" "$location_path"; return 0; fi
  done
}

# A subscription login (--login): used when no key variable is set. Its refresher (started once the image
# exists, broker_refreshers) publishes the current access token for the enforcer; the enforcer swaps it in
# for the placeholder and refuses the token endpoint; the container gets the placeholder login.
broker_refresh_list=
broker_login_mounts=
broker_login() {
  IFS='=' read -r login_format login_locations login_staged login_placeholder login_hosts login_url_var login_header login_keys login_token_url login_token_var login_env <<EOF_LOGIN
$1
EOF_LOGIN
  for key_var in $(printf '%s' "$login_keys" | tr ',' ' '); do
    if [ -n "$(printenv "$key_var" || true)" ]; then return 0; fi
  done
  login_file=$(broker_login_path "$login_locations")
  [ -f "$login_file" ] || die "broker: no $login_format login at $login_file and none of $(printf '%s' "$login_keys" | sed 's/,/, /g') is set: log in on this host, or set a key (the container would start logged out)"
  case $login_file in *[!A-Za-z0-9._/@+-]*) die "broker: the login file's path $login_file has characters the refresher's mount cannot take" ;; esac
  login_id=$login_format-$(printf '%s' "$login_file" | cksum | cut -d' ' -f1)
  login_out=$broker_root/logins/$login_id
  (umask 022 && mkdir -p "$login_out") || die "cannot create $login_out"
  token_url=$login_token_url
  if [ -n "$login_token_var" ]; then token_url=$(printenv "$login_token_var" || true); token_url=${token_url:-$login_token_url}; fi
  token_authority=${token_url#*://}
  token_authority=${token_authority%%/*}
  case $token_url in http://*) case $token_authority in *:*) ;; *) token_authority=$token_authority:80 ;; esac ;; esac
  printf '%s\n' "$token_authority" >>"$broker_enforcer/refused.tmp"
  broker_gateway "$login_url_var"
  login_url_host=$gateway_host
  # The login's placeholder variables (a CLI that takes its login from the environment): no secret in them.
  for pair in $(printf '%s' "$login_env" | tr ',' ' '); do
    printf '%s=%s\n' "${pair%%:*}" "${pair#*:}" >>"$broker_dir/placeholders.env.tmp"
  done
  login_targets=$(printf '%s\n' "$(printf '%s' "$login_hosts" | tr ',' '\n')" "$login_url_host" | sed '/^$/d' | sort -u | tr '\n' ',' | sed 's/,$//')
  all_hosts="$all_hosts $(printf '%s' "$login_targets" | tr ',' ' ')"
  printf '%s %s %s %s @%s\n' "$login_format-login" "$login_placeholder" "$login_targets" "$login_header" "$login_id" >>"$broker_enforcer/credentials.tmp"
  broker_refresh_list="$broker_refresh_list $login_id=$login_format=$login_file=$login_staged=$login_token_var"
  broker_login_mounts="$broker_login_mounts $login_id"
  note "broker: keeps the $login_format login of $login_file on this host (one refresher; the container gets a placeholder)"
}

# Each login's refresher: one container per login file, whatever number of containers use it; made again
# only when what shapes it changes. Then the placeholder login is staged for this container.
broker_refreshers() {
  for entry in $broker_refresh_list; do
    IFS='=' read -r login_id login_format login_file login_staged login_token_var <<EOF_ENTRY
$entry
EOF_ENTRY
    login_out=$broker_root/logins/$login_id
    refresher=cadc-broker-login-$login_id
    cmp -s "$proxy" "$login_out/refresher.cjs" 2>/dev/null || { cp "$proxy" "$login_out/refresher.cjs.tmp" && mv -f "$login_out/refresher.cjs.tmp" "$login_out/refresher.cjs"; }
    token_env=
    [ -z "$login_token_var" ] || token_env="$login_token_var=$(printenv "$login_token_var" || true)"
    rconfig=$(printf '%s\n' "$image" "$upstream" "$dns" "$token_env" "${HTTPS_PROXY:-}" "${NO_PROXY:-}" "$login_file" | cat - "$proxy" | cksum | cut -d' ' -f1)
    rcurrent=$(docker inspect -f "{{index .Config.Labels \"$label.config\"}} {{.State.Running}}" "$refresher" 2>/dev/null || true)
    if [ "$rcurrent" != "$rconfig true" ]; then
      # A stop first: a refresh under way finishes (SIGTERM waits for it), so its rotated pair reaches the file.
      [ -z "$rcurrent" ] || { docker stop -t 35 "$refresher" >/dev/null 2>&1; docker rm -f "$refresher" >/dev/null 2>&1; } || true
      set -- --name "$refresher" --label "$label=login" --label "$label.config=$rconfig" --restart unless-stopped \
        --user "$(id -u):$(id -g)" --cap-drop ALL --security-opt no-new-privileges:true --read-only \
        --pids-limit 64 --memory 128m --network "$upstream" \
        --mount "type=bind,source=$(dirname "$login_file"),target=/login" \
        --mount "type=bind,source=$login_out,target=/out" \
        --mount "type=bind,source=$login_out/refresher.cjs,target=/egress/refresher.cjs,readonly"
      [ -z "$dns" ] || set -- "$@" --dns "$dns"
      [ -z "$token_env" ] || set -- "$@" -e "$token_env"
      [ -z "${HTTPS_PROXY:-}" ] || set -- "$@" -e "HTTPS_PROXY=$HTTPS_PROXY"
      [ -z "${NO_PROXY:-}" ] || set -- "$@" -e "NO_PROXY=$NO_PROXY"
      # Another `up` may start the same refresher at the same moment: one wins, and it is the one.
      docker run -d "$@" "$image" node /egress/refresher.cjs refresh "$login_format" "/login/$(basename "$login_file")" /out "$login_staged" >/dev/null 2>&1 ||
        [ "$(docker inspect -f '{{.State.Running}}' "$refresher" 2>/dev/null)" = true ] || die "could not start the login refresher $refresher"
    fi
    tries=0
    while [ ! -s "$login_out/placeholder/$login_staged" ] || [ ! -s "$login_out/status" ]; do
      tries=$((tries + 1))
      if [ "$tries" -gt 60 ]; then
        why=$(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$login_out/status" 2>/dev/null)
        die "broker: the login refresher $refresher has no placeholder login yet${why:+ ($why)}: docker logs $refresher"
      fi
      sleep 0.5
    done
    if grep -q '"state":"failed"' "$login_out/status"; then
      note "broker: (!) $(sed -n 's/.*"message":"\([^"]*\)".*/\1/p' "$login_out/status")"
    fi
    if ! { cp "$login_out/placeholder/$login_staged" "$broker_dir/login/.$login_staged.tmp" && chmod 644 "$broker_dir/login/.$login_staged.tmp" &&
      mv -f "$broker_dir/login/.$login_staged.tmp" "$broker_dir/login/$login_staged"; }; then
      die "cannot stage the placeholder login"
    fi
  done
}

broker_up() {
  command -v openssl >/dev/null 2>&1 || die "auth mode broker needs openssl on this host (it makes the broker's CA)"
  (umask 077 && mkdir -p "$broker_enforcer") || die "cannot create $broker_dir"
  chmod 700 "$broker_root" "$broker_dir"
  chmod 755 "$broker_enforcer"
  broker_ca
  : >"$broker_dir/placeholders.env.tmp"
  : >"$broker_enforcer/credentials.tmp"
  all_hosts=
  for spec in $brokers; do
    IFS='=' read -r var from placeholder hosts url_var headers <<EOF_SPEC
$spec
EOF_SPEC
    case $headers in '' | *[!a-z0-9,-]*) die "broker: $var needs the request headers its secret goes into (lower-case names)" ;; esac
    broker_gateway "$url_var"
    url_host=$gateway_host
    targets=$(printf '%s\n' "$(printf '%s' "$hosts" | tr ',' '\n')" "$url_host" | sed '/^$/d' | sort -u | tr '\n' ',' | sed 's/,$//')
    all_hosts="$all_hosts $(printf '%s' "$targets" | tr ',' ' ')"
    secret=
    for source in $(printf '%s' "$from" | tr ',' ' '); do
      case $source in
        @*) secret=$(broker_secret_from_file "${source#@}") ;;
        *) secret=$(printenv "$source" || true) ;;
      esac
      [ -z "$secret" ] || break
    done
    if [ -z "$secret" ]; then
      note "broker: none of $(printf '%s' "$from" | sed -e 's/,/, /g' -e 's/@\([A-Za-z0-9_]*\)/\1 in the MCP secrets file/g') is set here: $var stays unset in the container"
      continue
    fi
    case $secret in *[!A-Za-z0-9._~+/=-]*) die "broker: \$$source does not look like a key or token (unexpected characters)" ;; esac
    printf '%s=%s\n' "$var" "$placeholder" >>"$broker_dir/placeholders.env.tmp"
    printf '%s %s %s %s %s\n' "$var" "$placeholder" "$targets" "$headers" "$secret" >>"$broker_enforcer/credentials.tmp"
    case $source in @*) shown="${source#@} from the MCP secrets file" ;; *) shown="\$$source" ;; esac
    note "broker: holds $shown for $var (the container gets a placeholder)"
  done
  : >"$broker_enforcer/refused.tmp"
  (umask 022 && mkdir -p "$broker_dir/login")
  # An earlier up's placeholder login goes: a key set since then takes its place.
  rm -f "$broker_dir/login/"*
  for spec in $logins; do
    broker_login "$spec"
  done
  # shellcheck disable=SC2086 # a list of host names, split on purpose
  broker_leaf $all_hosts
  chmod 644 "$broker_dir/placeholders.env.tmp" "$broker_enforcer/credentials.tmp" "$broker_enforcer/refused.tmp"
  mv -f "$broker_enforcer/credentials.tmp" "$broker_enforcer/credentials"
  mv -f "$broker_enforcer/refused.tmp" "$broker_enforcer/refused"
  mv -f "$broker_dir/placeholders.env.tmp" "$broker_dir/placeholders.env"
}

# The credential broker's files (before the presets: a gateway's host joins them).
broker_hosts=
if [ -n "$brokers$logins" ]; then
  broker_up
  # shellcheck disable=SC2086 # a list of host names, split on purpose
  set -- "$@" $broker_hosts
fi

# The state folder: the mode and presets are rewritten at every up; allow.txt belongs to `egress allow`.
mkdir -p "$state"
chmod 755 "$state"
printf '%s\n' "$mode" >"$state/mode.tmp" && mv -f "$state/mode.tmp" "$state/mode"
printf '%s\n' "$@" >"$state/preset.txt.tmp" && mv -f "$state/preset.txt.tmp" "$state/preset.txt"
[ -f "$state/allow.txt" ] || : >"$state/allow.txt"
# The container's name (launch's), for the enforcer's refusals; a scaffolded config's container has none yet.
printf '%s\n' "$container_name" >"$state/name.tmp" && mv -f "$state/name.tmp" "$state/name"
chmod 644 "$state/mode" "$state/preset.txt" "$state/allow.txt" "$state/name"

# The enforcer's image: the configured base image plus Debian's nodejs, built once per base image.
if ! docker image inspect "$image" >/dev/null 2>&1; then
  # The base image first, on its own: an engine that cannot pull it (no Docker Hub here) gets the fix, not
  # only Docker's words. Same message as launch's (src/offline/hints.ts).
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    note "pulling the base image $base (once)"
    if ! why=$(docker pull -q "$base" 2>&1 >/dev/null); then
      why=$(printf '%s\n' "$why" | sed '/^[[:space:]]*$/d' | tail -n 1 | sed 's/^Error response from daemon: *//')
      die "cannot pull the base image $base (${why:-no reason given}): use an image this engine has or can pull: --base-image <image> or CREATE_AGENT_DEVCONTAINER_BASE_IMAGE=<image>, then re-run create-agent-devcontainer; see the README, \"Offline and air-gapped networks\""
    fi
  fi
  note "building the enforcer image $image from $base (once)"
  printf 'FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends nodejs && rm -rf /var/lib/apt/lists/*\n' "$base" |
    docker build -q -t "$image" --label "$label=image" - >/dev/null || die "could not build $image"
fi

[ -z "$broker_refresh_list" ] || broker_refreshers

if ! docker network inspect "$name" >/dev/null 2>&1; then
  docker network create --internal -o com.docker.network.bridge.inhibit_ipv4=true \
    --label "$label=$id" --label "$label.workspace=$PWD" "$name" >/dev/null || die "could not create the network $name"
fi

# Everything that shapes the enforcer; a change recreates it (the agent's container keeps its network).
config=$(printf '%s\n' "$image" "$upstream" "$dns" "$policydir" "${HTTPS_PROXY:-}" "${HTTP_PROXY:-}" "${NO_PROXY:-}" "$brokers" "$broker_login_mounts" "$limits" |
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
# Its own ceilings: a flood of connections from the agent cannot grow the enforcer without bound.
[ "$pids_limit" = 0 ] || set -- "$@" --pids-limit "$pids_limit"
[ "$memory_limit" = 0 ] || set -- "$@" --memory "$memory_limit"
[ "$cpus_limit" = 0 ] || set -- "$@" --cpus "$cpus_limit"
[ -z "$brokers$logins" ] || set -- "$@" --mount "type=bind,source=$broker_enforcer,target=/broker,readonly"
for login_id in $broker_login_mounts; do
  set -- "$@" --mount "type=bind,source=$broker_root/logins/$login_id,target=/logins/$login_id,readonly"
done
[ -z "${HTTPS_PROXY:-}" ] || set -- "$@" -e "HTTPS_PROXY=$HTTPS_PROXY"
[ -z "${HTTP_PROXY:-}" ] || set -- "$@" -e "HTTP_PROXY=$HTTP_PROXY"
[ -z "${NO_PROXY:-}" ] || set -- "$@" -e "NO_PROXY=$NO_PROXY"
docker create "$@" "$image" node /egress/proxy.cjs >/dev/null || die "could not create the enforcer $name"
docker network connect --alias egress "$name" "$name" || die "could not attach the enforcer to $name"
docker start "$name" >/dev/null || die "could not start the enforcer $name"
note "enforcer $name started ($mode; log: npx create-agent-devcontainer egress $id)"
