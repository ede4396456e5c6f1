# shellcheck shell=bash
# Shell functions every Feature's install.sh needs, copied into each script at generate time (a published
# Feature must stand alone; see src/features/shell-lib.ts). Install-time work only: whatever runs inside the
# container later is TypeScript (src/hooks). Follows devcontainers/features conventions: root required,
# Debian/Ubuntu detected from /etc/os-release, apt lists fetched only when needed and cleaned afterwards,
# safe to run twice. The script that includes it sets FEATURE_ID first.
# Everything up to the first blank line (this header) stays out of the scripts.

fail() {
  echo "(!) Feature ${FEATURE_ID}: $*" >&2
  exit 1
}

check_option() { # name value ERE expected
  # grep matches line by line: a value with a newline would pass on one good line, so refuse any first.
  if [ "$2" != "$(printf '%s' "$2" | tr -d '\n\r')" ] || ! printf '%s' "$2" | grep -Eq -- "$3"; then
    fail "option $1 has an invalid value '$2': expected $4"
  fi
}

require_root_on_debian() {
  [ "$(id -u)" -eq 0 ] || fail "install.sh must run as root (it runs while the image is built)"
  [ -r /etc/os-release ] || fail "cannot identify the distribution: /etc/os-release is missing"
  # In a subshell: os-release defines VERSION, which is also this Feature's option.
  local distro
  # shellcheck disable=SC1091
  distro="$(. /etc/os-release && echo "${ID:-unknown} ${ID_LIKE:-}")"
  case " $distro " in
    *" debian "* | *" ubuntu "*) ;;
    *) fail "unsupported distribution '${distro%% *}': this Feature supports Debian and Ubuntu" ;;
  esac
  case "$(uname -m)" in
    x86_64) NODE_ARCH=x64 ;;
    aarch64 | arm64) NODE_ARCH=arm64 ;;
    *) fail "unsupported architecture '$(uname -m)': this Feature supports x86_64 and arm64" ;;
  esac
}

APT_UPDATED=false
apt_install() { # packages… (only those missing)
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$APT_UPDATED" = false ]; then
    apt-get update -qq
    APT_UPDATED=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

clean_apt() {
  if [ "$APT_UPDATED" = true ]; then
    apt-get clean
    rm -rf /var/lib/apt/lists/*
  fi
}

# Trust CAs dropped in /usr/local/share/ca-certificates (a corporate proxy's): apt, curl and git read the
# system bundle; Node.js and npm get it through NODE_EXTRA_CA_CERTS. Rebuilding the bundle takes seconds
# (one openssl per CA), so only when a CA was added or removed since the bundle was last built. Image layers
# keep whole seconds of a file's time: a change in the bundle's own second counts as newer.
trust_system_cas() {
  local bundle=/etc/ssl/certs/ca-certificates.crt
  apt_install ca-certificates
  if [ ! -s "$bundle" ] || [ -n "$(find /usr/local/share/ca-certificates /etc/ca-certificates.conf \
    -newermt "@$(($(stat -c %Y "$bundle") - 1))" -print -quit 2>/dev/null)" ]; then
    update-ca-certificates >/dev/null 2>&1 || true
  fi
  export NODE_EXTRA_CA_CERTS="$bundle"
}

uid_1000_user() {
  getent passwd 1000 | cut -d: -f1 || true
}

# The agent user: the configured remote user, else the image's UID 1000 user, else a new 'agent' (UID 1000).
resolve_agent_user() {
  AGENT_USER="${_REMOTE_USER:-}"
  if [ -z "$AGENT_USER" ] || [ "$AGENT_USER" = root ]; then
    AGENT_USER="$(uid_1000_user)"
    AGENT_USER="${AGENT_USER:-agent}"
  fi
  if ! id -u "$AGENT_USER" >/dev/null 2>&1; then
    local holder
    holder="$(uid_1000_user)"
    [ -z "$holder" ] || fail "UID 1000 already belongs to '$holder' in this image; set remoteUser to '$holder' (create-agent-devcontainer --user $holder)"
    getent group 1000 >/dev/null || groupadd --gid 1000 "$AGENT_USER"
    useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash "$AGENT_USER"
  fi
  AGENT_GROUP="$(id -gn "$AGENT_USER")"
}

install_node() { # version-spec source: a mirror URL (nodejs.org's layout), npm, or npm:<registry URL>
  local spec="$1" mirror="${2%/}" have=""
  # An explicit registry also serves the npm installs that follow in this script (the agent CLI).
  case "$mirror" in npm:*) export npm_config_registry="${mirror#npm:}/" ;; esac
  if command -v node >/dev/null 2>&1; then
    have="$(node -p 'process.versions.node' 2>/dev/null || true)"
  fi
  if [ "$spec" = none ]; then
    [ -n "$have" ] || fail "option nodeVersion is 'none' but the image has no node on PATH"
    return 0
  fi
  # Any Node.js the image already has is kept when it is at least the requested major.
  if [ -n "$have" ] && [ "${have%%.*}" -ge "${spec%%.*}" ]; then
    return 0
  fi
  apt_install curl
  case "$mirror" in
    npm | npm:*)
      install_node_from_npm "$spec" "$(npm_registry "$mirror")"
      return 0
      ;;
  esac
  local dir="v$spec"
  case "$spec" in *.*) ;; *) dir="latest-v$spec.x" ;; esac
  local tmp
  tmp="$(mktemp -d)"
  curl -fsSL --retry 3 -o "$tmp/SHASUMS256.txt" "$mirror/$dir/SHASUMS256.txt" ||
    fail "option nodeMirror: cannot fetch $mirror/$dir/SHASUMS256.txt (is Node.js $spec published there? On a network that proxies only the npm registry, set nodeMirror to npm)"
  local line file
  line="$(grep -E " node-v[0-9.]+-linux-$NODE_ARCH\.tar\.gz\$" "$tmp/SHASUMS256.txt" | head -n 1)"
  [ -n "$line" ] || fail "no linux-$NODE_ARCH tarball listed in $mirror/$dir/SHASUMS256.txt"
  file="${line##* }"
  curl -fsSL --retry 3 -o "$tmp/$file" "$mirror/$dir/$file" || fail "cannot download $mirror/$dir/$file"
  (cd "$tmp" && printf '%s\n' "$line" | sha256sum -c --quiet -) || fail "SHA-256 mismatch for $file from $mirror"
  tar -xzf "$tmp/$file" -C /usr/local --strip-components=1 --no-same-owner \
    --exclude='*/CHANGELOG.md' --exclude='*/README.md' --exclude='*/LICENSE' --exclude='*/include' --exclude='*/share/doc'
  rm -rf "$tmp"
  node --version >/dev/null || fail "the Node.js from $mirror does not run on this image"
}

# The registry nodeMirror=npm reads: the one given (npm:<URL>), else the one the build environment configures
# for npm, else npm's default.
npm_registry() { # source
  local registry
  case "$1" in
    npm:*) registry="${1#npm:}" ;;
    *) registry="${NPM_CONFIG_REGISTRY:-${npm_config_registry:-https://registry.npmjs.org}}" ;;
  esac
  registry="${registry%/}"
  check_option nodeMirror "npm:$registry" '^npm:https?://[A-Za-z0-9.:/_~%+-]+$' "npm:<an http(s) registry URL>"
  printf '%s' "$registry"
}

# Node.js from the npm registry, for networks that proxy it but not nodejs.org: the official Linux build as
# the node-linux-<arch> package carries it (bin/node), then npm itself; each tarball checked against the
# sha512 integrity the registry lists for it. jq reads the registry's JSON (removed again if it was added).
install_node_from_npm() { # version-spec registry
  local spec="$1" registry="$2" tmp version npm_version had_jq=true
  command -v jq >/dev/null 2>&1 || had_jq=false
  apt_install jq
  tmp="$(mktemp -d)"
  npm_packument "$registry" "node-linux-$NODE_ARCH" "$tmp/node.json"
  version="$(npm_node_version "$tmp/node.json" "$spec" || true)"
  [ -n "$version" ] || fail "option nodeMirror: $registry has no node-linux-$NODE_ARCH release of Node.js $spec"
  npm_tarball_verified "$tmp/node.json" "$version" "$tmp/node.tgz"
  mkdir "$tmp/node"
  tar -xzf "$tmp/node.tgz" -C "$tmp/node" --strip-components=1 --no-same-owner
  install -m 0755 "$tmp/node/bin/node" /usr/local/bin/node
  node --version >/dev/null || fail "the Node.js $version from $registry does not run on this image"
  npm_packument "$registry" npm "$tmp/npm.json"
  npm_version="$(npm_npm_version "$tmp/npm.json" "$version" || true)"
  [ -n "$npm_version" ] || fail "option nodeMirror: $registry has no npm release that supports Node.js $version"
  npm_tarball_verified "$tmp/npm.json" "$npm_version" "$tmp/npm.tgz"
  rm -rf /usr/local/lib/node_modules/npm
  mkdir -p /usr/local/lib/node_modules/npm
  tar -xzf "$tmp/npm.tgz" -C /usr/local/lib/node_modules/npm --strip-components=1 --no-same-owner
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
  rm -rf "$tmp"
  if [ "$had_jq" = false ]; then
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq --autoremove jq >/dev/null
  fi
  npm --version >/dev/null || fail "npm $npm_version from $registry does not run with Node.js $version"
  echo "installed Node.js $version and npm $npm_version from $registry (sha512-checked)"
}

# The newest release in a node-linux-<arch> packument that the version spec (a major, or exact) names.
npm_node_version() { # packument spec
  jq -r --arg spec "$2" '.versions | keys[] | select(test("^[0-9]+\\.[0-9]+\\.[0-9]+$"))
    | select(. == $spec or startswith($spec + "."))' "$1" | sort -V | tail -n 1
}

# npm's newest release whose engines.node admits this Node.js (npm writes them as ^x.y.z and >=x.y.z, joined
# by ||; any other form is not taken), up to npm 11, the line Node.js 22 and 24 ship: npm 12 asks before it
# runs install scripts, which agent CLIs need (Claude Code's --version fails without them).
npm_npm_version() { # packument node-version
  jq -r --arg node "$2" '
    def v: split(".") | map(tonumber);
    def admits($n): [split("||")[] | gsub("^\\s+|\\s+$"; "")
      | if startswith("^") then (.[1:] | v) as $r | ($n[0] == $r[0] and $n >= $r)
        elif startswith(">=") then $n >= (.[2:] | gsub("^\\s+"; "") | v)
        else false end] | any;
    ($node | v) as $n
    | [.versions | to_entries[] | select(.key | test("^[0-9]+\\.[0-9]+\\.[0-9]+$"))
       | select((.key | v)[0] <= 11)
       | select((.value.engines.node // "") as $e | $e != "" and ($e | admits($n))) | .key]
    | sort_by(v) | last // empty' "$1"
}

npm_packument() { # registry package dest
  curl -fsSL --retry 3 -H 'Accept: application/json' -o "$3" "$1/$2" ||
    fail "option nodeMirror: cannot fetch $1/$2 (does this registry proxy the npm registry?)"
}

# Downloads a version's tarball and checks it against the packument's dist.integrity (sha512, base64).
npm_tarball_verified() { # packument version dest
  local name integrity tarball want got
  name="$(jq -r '.name // ""' "$1")"
  integrity="$(jq -r --arg v "$2" '.versions[$v].dist.integrity // ""' "$1")"
  tarball="$(jq -r --arg v "$2" '.versions[$v].dist.tarball // ""' "$1")"
  integrity="$(printf '%s\n' "$integrity" | tr ' ' '\n' | grep -E '^sha512-[A-Za-z0-9+/]+=*$' | head -n 1 || true)"
  [ -n "$integrity" ] || fail "the registry lists no sha512 integrity for $name@$2"
  printf '%s' "$tarball" | grep -Eq '^https?://[A-Za-z0-9.:/_~%+@-]+$' || fail "unexpected tarball URL for $name@$2: '$tarball'"
  curl -fsSL --retry 3 -o "$3" "$tarball" || fail "cannot download $tarball"
  want="$(printf '%s' "${integrity#sha512-}" | base64 -d 2>/dev/null | od -An -v -tx1 | tr -d ' \n' || true)"
  got="$(sha512sum "$3" | cut -d' ' -f1)"
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    fail "sha512 mismatch for $tarball: the registry's integrity for $name@$2 says otherwise"
  fi
}

# Installs an npm package globally at the version the option resolves to; a no-op when that is installed.
install_npm_package() { # package version binary config-env
  local package="$1" spec="$2" binary="$3" config_env="$4" wanted installed
  # npm's cache and logs go to a temp folder, so none of it lands in the image layer or root's home.
  local cache
  cache="$(mktemp -d)"
  export npm_config_cache="$cache" npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
  wanted="$(npm view "$package@$spec" version 2>/dev/null | tail -n 1 | sed -E "s/^.*'([^']+)'$/\1/")" ||
    true
  [ -n "$wanted" ] || { rm -rf "$cache"; fail "option version: npm cannot resolve $package@$spec"; }
  installed="$(node -p 'require(process.argv[1]).version' "$(npm root -g)/$package/package.json" 2>/dev/null || true)"
  if [ "$installed" = "$wanted" ]; then
    # A run again (the images' hook layer, a duplicate Feature): the install that put it here proved it runs.
    rm -rf "$cache"
    echo "$package@$wanted already installed"
    return 0
  fi
  npm install -g --loglevel=error "$package@$wanted" >/dev/null ||
    { rm -rf "$cache"; fail "npm could not install $package@$wanted"; }
  rm -rf "$cache"
  # Prove the binary runs, with a throwaway HOME so nothing is written into a real one.
  local home
  home="$(mktemp -d)"
  if ! env HOME="$home" "$config_env=$home/config" "$binary" --version >/dev/null 2>&1; then
    rm -rf "$home"
    npm uninstall -g --loglevel=error "$package" >/dev/null 2>&1 || true
    fail "$binary --version failed after installing $package@$wanted; uninstalled it"
  fi
  rm -rf "$home"
  echo "installed $package@$wanted"
}

# A private, writable state folder for the agent user, at a fixed path outside any host mount.
make_private_dir() { # path
  install -d -m 0755 -o root -g root "$(dirname "$1")"
  install -d -m 0700 -o "$AGENT_USER" -g "$AGENT_GROUP" "$1"
  chmod 0700 "$1"
  chown "$AGENT_USER:$AGENT_GROUP" "$1"
}

# Installs this Feature's hook bundle and a launcher that pins the node binary found now.
install_hooks() { # feature-dir target-dir
  install -d -m 0755 "$2"
  install -m 0644 "$1/hooks/hook.js" "$2/hook.js"
  printf '#!/bin/sh\nexec %s %s/hook.js %s "$@"\n' "$(command -v node)" "$2" "$FEATURE_ID" >"$2/hook.tmp"
  chmod 0755 "$2/hook.tmp"
  mv "$2/hook.tmp" "$2/hook"
}
