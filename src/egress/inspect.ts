/**
 * The host's view of a container's egress: which enforcer serves it (from its labels), the connections
 * the enforcer logged (its `docker logs`, one JSON line each), and `egress allow`, which appends to the
 * per-container allow.txt the enforcer re-reads on its next connection.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../write/atomic.js";
import { UserError } from "../errors.js";
import { docker, dockerProcess, dockerSync } from "../engine/docker.js";
import { EGRESS_LABEL, EGRESS_MODE_LABEL, egressStateDir, enforcerName, REFRESHER_PREFIX } from "./layout.js";
import { formatRule, parseHostRule } from "./policy.js";
import type { Connection, LogLine } from "./connection.js";
import { allowedRules, blockedHosts, type BlockedHost } from "./blocked.js";

export type { Connection } from "./connection.js";

export class EgressError extends UserError {}

export interface EgressTarget {
  /** The egress id (the agent container's devcontainer id). */
  id: string;
  mode: string;
  /** The agent container, when `name` was one. */
  container?: string;
}

/** `name` is an agent container (name or id) or an egress id, as the enforcer's messages print it. */
export async function resolveTarget(name: string): Promise<EgressTarget> {
  const inspected = await docker(["container", "inspect", "--format", `{{index .Config.Labels "${EGRESS_LABEL}"}}|{{index .Config.Labels "${EGRESS_MODE_LABEL}"}}`, name]);
  if (inspected.status === 0) {
    const [id = "", mode = ""] = inspected.stdout.trim().split("|");
    if (id && !name.startsWith("cadc-egress-")) return { id, mode, container: name };
    if (id) return { id, mode: readMode(id) };
    throw new EgressError(`${name} has no egress enforcer (mode ${mode || "open"})`, "scaffold or launch it with --egress allowlist or log");
  }
  if (/^[a-z0-9]+$/.test(name) && (await docker(["container", "inspect", "--format", "{{.Id}}", enforcerName(name)])).status === 0) {
    return { id: name, mode: readMode(name) };
  }
  throw new EgressError(`no container or egress enforcer named ${name}`, "see `docker ps` or `create-agent-devcontainer list`");
}

function readMode(id: string): string {
  const path = join(egressStateDir(id), "mode");
  return existsSync(path) ? readFileSync(path, "utf8").trim() : "unknown";
}

/** One log line as the connection it tells of (open until its close line), or undefined for other output. */
function parseLine(line: string): LogLine | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const entry = JSON.parse(line) as LogLine;
    return typeof entry.host === "string" && typeof entry.verdict === "string" ? entry : undefined;
  } catch {
    return undefined; // not one of ours (a partial line while the enforcer writes)
  }
}

function asConnection({ event, up, down, ms, ...rest }: LogLine): Connection {
  return { ...rest, state: event === "open" ? "open" : "closed", up: up ?? 0, down: down ?? 0, ms: ms ?? 0 };
}

/** The connections in a log, in the order they opened; one whose close line is missing is still open. */
export function parseLog(text: string): Connection[] {
  const byId = new Map<string, Connection>();
  const connections: Connection[] = [];
  for (const line of text.split("\n")) {
    const entry = parseLine(line);
    if (!entry) continue;
    const connection = asConnection(entry);
    const known = entry.id === undefined ? undefined : byId.get(entry.id);
    if (known) Object.assign(known, connection);
    else connections.push(connection);
    if (entry.id !== undefined) byId.set(entry.id, known ?? connection);
  }
  return connections;
}

/** Every connection the enforcer logged since it started (open ones too). */
export async function connections(target: EgressTarget): Promise<Connection[]> {
  const result = await docker(["logs", enforcerName(target.id)], 60_000);
  if (result.status !== 0) throw new EgressError(`cannot read the log of ${enforcerName(target.id)}: ${result.stderr.trim()}`);
  return parseLog(result.stdout);
}

/** Streams each connection as it opens and again as it closes, until the enforcer stops or the signal aborts. */
export function follow(target: EgressTarget, onConnection: (connection: Connection) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const child = dockerProcess(["logs", "--follow", "--since", "0s", enforcerName(target.id)], { stdio: ["ignore", "pipe", "ignore"], ...(signal ? { signal } : {}) });
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const entry = parseLine(line);
        if (entry) onConnection(asConnection(entry));
      }
    });
    child.on("error", () => resolve());
    child.on("close", () => resolve());
  });
}

/** Adds a host to this container's policy; the enforcer applies it to the next connection. */
export function allowHost(target: EgressTarget, entry: string): string {
  const rule = parseHostRule(entry);
  if (typeof rule === "string") throw new EgressError(rule, "give host, host:port or *.domain");
  const dir = egressStateDir(target.id);
  const file = join(dir, "allow.txt");
  if (!existsSync(dir)) throw new EgressError(`no egress state for ${target.id} at ${dir}`, "start the container once (its host step creates it)");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  const text = formatRule(rule);
  const lines = current.split("\n").filter((line) => line.trim() !== "");
  if (!lines.includes(text)) writeFileAtomic(file, `${[...lines, text].join("\n")}\n`, 0o644);
  return text;
}

/** Every agent container with an egress label, and its mode (for `doctor`). */
export function egressModes(): { name: string; mode: string; running: boolean }[] {
  const result = dockerSync(["ps", "-a", "--filter", `label=${EGRESS_MODE_LABEL}`, "--format", `{{.Names}}|{{.Label "${EGRESS_MODE_LABEL}"}}|{{.State}}`]);
  if (result.status !== 0) return [];
  return result.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [name = "", mode = "", state = ""] = line.split("|");
      return { name, mode, running: state === "running" };
    });
}

/** One line about a container's egress for `list` and the end of `launch`; undefined when it has no enforcer. */
export async function egressSummary(name: string): Promise<{ mode: string; blocked: BlockedHost[] } | undefined> {
  try {
    const target = await resolveTarget(name);
    return { mode: target.mode, blocked: blockedHosts(await connections(target), name, allowedRules(target.id)) };
  } catch {
    return undefined;
  }
}

/** Removes a container's enforcer, its network and its state folder (with `rm` of the agent's container). */
export function removeEnforcer(id: string): void {
  if (!/^[a-z0-9]+$/.test(id)) return;
  dockerSync(["rm", "-f", enforcerName(id)]);
  dockerSync(["network", "rm", enforcerName(id)]);
  rmSync(egressStateDir(id), { recursive: true, force: true });
  removeIdleRefreshers();
}

/** The login refreshers no enforcer mounts the login of any more (given every enforcer's mount targets). */
export function idleRefreshers(refreshers: readonly string[], enforcerMounts: readonly string[]): string[] {
  const used = new Set(enforcerMounts.flatMap((target) => /^\/logins\/([a-z0-9-]+)$/.exec(target)?.[1] ?? []));
  return refreshers.filter((name) => name.startsWith(REFRESHER_PREFIX) && !used.has(name.slice(REFRESHER_PREFIX.length)));
}

/** A login's refresher goes with the last enforcer that uses it: nothing keeps refreshing a login no container uses. */
function removeIdleRefreshers(): void {
  const names = (filter: string): string[] => {
    const listed = dockerSync(["ps", "-a", "--filter", filter, "--format", "{{.Names}}"]);
    return listed.status === 0 ? listed.stdout.split("\n").filter(Boolean) : [];
  };
  const refreshers = names(`label=${EGRESS_LABEL}=login`);
  if (refreshers.length === 0) return;
  const enforcers = names(`label=${EGRESS_LABEL}`).filter((name) => name.startsWith(enforcerName("")));
  const mounts = enforcers.length === 0 ? { status: 0, stdout: "" } : dockerSync(["inspect", "-f", "{{range .Mounts}}{{.Destination}}\n{{end}}", ...enforcers]);
  if (mounts.status !== 0) return;
  const idle = idleRefreshers(refreshers, mounts.stdout.split("\n"));
  if (idle.length === 0) return;
  // A stop first: a refresh under way finishes (SIGTERM waits for it), so its rotated pair reaches the host's file.
  dockerSync(["stop", "-t", "35", ...idle], { timeoutMs: 60_000 });
  dockerSync(["rm", "-f", ...idle]);
}

/** Removes every enforcer a workspace folder's host step created (a failed `launch` cleans up with it). */
export function removeEnforcersOf(workspaceFolder: string): void {
  const result = dockerSync(["ps", "-a", "--filter", `label=${EGRESS_LABEL}.workspace=${workspaceFolder}`, "--format", `{{.Label "${EGRESS_LABEL}"}}`]);
  if (result.status !== 0) return;
  for (const id of new Set(result.stdout.trim().split("\n").filter(Boolean))) removeEnforcer(id);
}
