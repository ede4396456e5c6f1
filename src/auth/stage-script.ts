/**
 * The host side of `copy` auth: a POSIX sh script, run by initializeCommand before every `up`, that puts
 * copies of an agent's (and gh's) login files into a staging folder the container mounts read-only.
 *
 * Why a script and not our CLI: it must run wherever devcontainer.json runs (VS Code, CI, the plain
 * devcontainer CLI) without this package installed, and never fail: a missing login must leave the
 * container logged out, not stop it. Only the catalogue's data goes into it, checked by `shellWord`.
 * It uses no `${…}`: devcontainer.json substitutes those.
 */
import { GITHUB_CLI, type AgentRecord, type LoginSource } from "../catalogue/agents.js";
import { HOST_STATE_DIR } from "./locations.js";

/** Library part of the script: identical for every agent. */
const FUNCTIONS = String.raw`umask 077
note() { printf '[create-agent-devcontainer] %s: %s\n' "$agent" "$*" >&2; }
state="$HOME/${HOST_STATE_DIR}"
dir="$state/auth/$agent"
# The parent stays private to this user; the folder and copies are readable so that the container's
# UID 1000 can read them whatever the host user's UID is.
if ! { mkdir -p "$dir" && chmod 700 "$state" && chmod 755 "$dir"; }; then
  note "cannot create $dir"
  exit 0
fi
winhome=
windows_home() { # WSL: the Windows user's profile, where agents run on the Windows side keep their logins
  [ -n "$WSL_DISTRO_NAME" ] || return 1
  if [ -z "$winhome" ]; then
    # From a Windows folder, so cmd.exe does not warn about a UNC working directory.
    winhome=$(cd /mnt/c 2>/dev/null || true; cmd.exe /d /c 'echo %USERPROFILE%' 2>/dev/null | tr -d '\r')
    winhome=$(wslpath -u "$winhome" 2>/dev/null) || winhome=
    [ -n "$winhome" ] || winhome=none
  fi
  [ "$winhome" != none ]
}
stage() { # staged-name keys|- keychain-service|- [variable path]... (an empty variable: the default under $HOME)
  name=$1 keys=$2 service=$3
  shift 3
  src='' fallback=''
  while [ $# -ge 2 ]; do
    if [ -z "$1" ]; then src="$HOME/$2" fallback=$2; break; fi
    eval "base=\$$1"
    if [ -n "$base" ]; then src="$base/$2"; break; fi
    shift 2
  done
  if [ ! -f "$src" ] && [ -n "$fallback" ] && windows_home && [ -f "$winhome/$fallback" ]; then src="$winhome/$fallback"; fi
  tmp="$dir/.$name.$$"
  if [ -f "$src" ] && [ -r "$src" ]; then
    if [ "$keys" = - ]; then cp "$src" "$tmp"; else pick "$src" "$keys" >"$tmp"; fi &&
      chmod 644 "$tmp" && mv -f "$tmp" "$dir/$name" && { note "staged a copy of $src"; return 0; }
    rm -f "$tmp" "$dir/$name"
    note "could not copy $src; the container starts without it"
  elif [ "$service" != - ] && [ "$(uname -s)" = Darwin ] && security find-generic-password -s "$service" >/dev/null 2>&1; then
    rm -f "$dir/$name"
    note "the login is in the macOS Keychain ('$service'), which a container cannot read: use token auth instead (npx create-agent-devcontainer doctor shows the commands)"
  else
    rm -f "$dir/$name"
    note "no login at $src: the container starts without it (npx create-agent-devcontainer doctor shows how to fix that)"
  fi
}`;

/** Only for login files of which just some keys may leave the host (Claude's account part). */
const PICK = String.raw`pick() { # json-file keys: only those top-level keys leave the host (needs node)
  command -v node >/dev/null 2>&1 || { note "node is not on PATH, so the account part of $1 stays on the host"; return 1; }
  node -e 'const [f, k] = process.argv.slice(1); const j = JSON.parse(require("fs").readFileSync(f, "utf8")); const o = {}; for (const x of k.split(",")) if (x in j) o[x] = j[x]; process.stdout.write(JSON.stringify(o));' "$1" "$2"
}`;

const SAFE = /^[A-Za-z0-9 ._,:/-]*$/;
const VARIABLE = /^[A-Z_][A-Z0-9_]*$/;

/** A single-quoted shell word; anything that could need escaping is a bug in the catalogue. */
export function shellWord(value: string): string {
  if (!SAFE.test(value)) throw new Error(`unsafe value for the host script: ${JSON.stringify(value)}`);
  return `'${value}'`;
}

/** One `stage` call per login file; the keychain hint belongs to a source's first file. */
function stageCalls(source: LoginSource): string[] {
  return source.hostLogin.map((file, index) => {
    const service = index === 0 && source.keychainService ? source.keychainService : "-";
    const locations = file.locations.flatMap((location) => {
      if (location.env !== undefined && !VARIABLE.test(location.env)) throw new Error(`bad variable name ${location.env}`);
      return [location.env ?? "", location.path];
    });
    return ["stage", ...[file.staged, file.keys ? file.keys.join(",") : "-", service, ...locations].map(shellWord)].join(" ");
  });
}

/** The whole script for one agent: its login files and gh's, into ~/.local/state/…/auth/<agent>/. */
export function renderStageScript(record: AgentRecord): string {
  const sources = [record, GITHUB_CLI];
  const picks = sources.some((source) => source.hostLogin.some((file) => file.keys));
  return [
    `# create-agent-devcontainer: stage ${record.title}'s host login for a read-only mount (never writes the originals)`,
    `agent=${shellWord(record.id)}`,
    FUNCTIONS,
    ...(picks ? [PICK] : []),
    ...sources.flatMap(stageCalls),
    "exit 0",
    "",
  ].join("\n");
}

/** initializeCommand entry (array form: no extra shell parses it on the host). */
export function stageCommand(record: AgentRecord): string[] {
  return ["/bin/sh", "-c", renderStageScript(record)];
}
