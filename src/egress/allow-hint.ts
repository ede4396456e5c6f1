/**
 * The command a blocked destination's row suggests (`egress`, the page): the host is the agent's choice,
 * so it is suggested only when it is a valid DNS name or IP address, and every word is shell-quoted, so a
 * pasted suggestion never runs what the agent wrote. Pure.
 */
import { isIP } from "node:net";
import { shellQuote } from "../render/shell-quote.js";
import { formatRule } from "./policy.js";

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

/** `create-agent-devcontainer egress allow <name> <host[:port]>`, each word quoted; undefined for a host not to suggest. */
export function allowCommand(name: string, host: string, port: number): string | undefined;
/** The same for allowlist entries already made (blocked.ts checks their host first). */
export function allowCommand(name: string, entries: readonly string[]): string;
export function allowCommand(name: string, hostOrEntries: string | readonly string[], port?: number): string | undefined {
  let entries: readonly string[];
  if (typeof hostOrEntries === "string") {
    if (!suggestableHost(hostOrEntries)) return undefined;
    const host = hostOrEntries.toLowerCase();
    entries = [formatRule(port === 80 || port === 443 ? { host } : { host, port: port! })];
  } else {
    entries = hostOrEntries;
  }
  return ["create-agent-devcontainer", "egress", "allow", name, ...entries].map(shellQuote).join(" ");
}
