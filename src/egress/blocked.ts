/**
 * What a container's egress log says was blocked, as `egress`, `list`, `launch` and the page show it: one
 * entry per host with its ports (`example.com :443 ×2, :80`), without what has been allowed since (an
 * `egress allow`, a saved policy entry, or a later connection that went through), each with the command
 * that allows it. Keyed on host, port and verdict only, so extra fields or lines in the log (an enforcer
 * that logs a connection as it opens and again as it closes) change nothing: lines of one connection
 * (the same `id`) count once.
 *
 * A suggestion's host is the agent's choice, so a command is suggested only for a valid DNS name or IP
 * address, and every word is shell-quoted: a pasted suggestion never runs what the agent wrote.
 */
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { join } from "node:path";
import type { Connection } from "./connection.js";
import { egressStateDir } from "./layout.js";
import { formatRule, parseHostRule, parseHostRules, ruleMatches, type HostRule } from "./policy.js";
import { shellQuote } from "../core/shell-quote.js";

export interface BlockedHost {
  host: string;
  /** Each port tried, with its attempts, in the order first seen. */
  ports: { port: number; attempts: number }[];
  attempts: number;
  /** The latest attempt's time. */
  last: string;
  /** The allowlist entries that admit it: the host for the web ports, host:port for any other. */
  entries: string[];
  /** The command that allows every port of it for this container; absent for a host not to suggest (suggestableHost). */
  allow?: string;
}

const WEB_PORTS = [80, 443];

/** Letters, digits, hyphens (and the underscore some real names use), at most 63, no hyphen at either end. */
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;
/** A last label a URL parser reads as a number makes the whole name an IPv4 address in disguise (`127.1`, `0x7f.1`). */
const NUMERIC = /^(?:0x[0-9a-f]*|\d+)$/;

/** Whether `host` is an IP address or a DNS name (a trailing dot allowed) that no parser reads as an address. */
export function suggestableHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  const name = host.toLowerCase().replace(/\.$/, "");
  const labels = name.split(".");
  return name.length > 0 && name.length <= 253 && labels.every((label) => LABEL.test(label)) && !NUMERIC.test(labels.at(-1)!);
}

/** The allowlist entry that admits `host` on `port`: the host alone for the web ports (an IPv6 address in brackets). */
export function allowEntry(host: string, port: number): string {
  const name = host.toLowerCase();
  return formatRule(WEB_PORTS.includes(port) ? { host: name } : { host: name, port });
}

/** `create-agent-devcontainer egress allow <name> <entry>…`, each word quoted (check the entries' host first: suggestableHost). */
export function allowCommand(name: string, entries: readonly string[]): string {
  return ["create-agent-devcontainer", "egress", "allow", name, ...entries].map(shellQuote).join(" ");
}

/** The hosts `egress allow` added to this container (its enforcer's state); none when it has none. */
export function allowedRules(id: string): HostRule[] {
  const file = join(egressStateDir(id), "allow.txt");
  return existsSync(file) ? parseHostRules(readFileSync(file, "utf8").split("\n")).rules : [];
}

/** Blocked hosts, most recent first; `allowed` are rules added since (they are no longer suggested). */
export function blockedHosts(list: readonly Connection[], name: string, allowed: readonly HostRule[] = []): BlockedHost[] {
  const key = (host: string, port: number) => `${host}\n${port}`;
  // A connection that went through after a refusal: the destination has been allowed since.
  const lastAllowed = new Map<string, string>();
  for (const connection of list) if (connection.verdict === "allowed") lastAllowed.set(key(connection.host, connection.port), connection.time);
  const byHost = new Map<string, BlockedHost & { seen: Set<string> }>();
  for (const connection of list) {
    if (connection.verdict !== "blocked") continue;
    const { host, port, time } = connection;
    if (allowed.some((rule) => ruleMatches(rule, host, port))) continue;
    const through = lastAllowed.get(key(host, port));
    if (through !== undefined && through >= time) continue;
    const entry = byHost.get(host) ?? { host, ports: [], attempts: 0, last: time, entries: [], seen: new Set<string>() };
    byHost.set(host, entry);
    const id = (connection as { id?: unknown }).id;
    if (typeof id === "string") {
      if (entry.seen.has(id)) continue;
      entry.seen.add(id);
    }
    const slot = entry.ports.find((candidate) => candidate.port === port);
    if (slot) slot.attempts += 1;
    else entry.ports.push({ port, attempts: 1 });
    entry.attempts += 1;
    if (time > entry.last) entry.last = time;
  }
  return [...byHost.values()]
    .map(({ seen: _seen, allow: _none, ...entry }) => {
      const entries = [...new Set(entry.ports.map((slot) => allowEntry(entry.host, slot.port)))];
      // Only what an allowlist can hold, and a valid name or address, is suggested (the log's host names are the agent's words).
      const valid = suggestableHost(entry.host) && entries.every((text) => typeof parseHostRule(text) !== "string");
      return { ...entry, entries, ...(valid ? { allow: allowCommand(name, entries) } : {}) };
    })
    .sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0));
}

/** `example.com :443 ×2, :80`: a host with each port it was tried on (×n when more than once). */
export function formatBlocked(entry: Pick<BlockedHost, "host" | "ports">): string {
  return `${entry.host} ${entry.ports.map((slot) => `:${slot.port}${slot.attempts > 1 ? ` ×${slot.attempts}` : ""}`).join(", ")}`;
}
