/**
 * The egress policy as data, and the two decisions the enforcer makes with it: may this name:port be
 * asked for at all (before any DNS lookup, so a blocked name never leaves the machine), and may a
 * resolved address be connected to (after the lookup, so a name that resolves to the Docker host, a
 * private range or the cloud metadata address is refused unless that range is listed).
 *
 * Shared by the enforcer (bundled into egress/proxy.cjs), the renderers and the CLI: no I/O here.
 */
import { isIP } from "node:net";

export const EGRESS_MODES = ["allowlist", "log", "open"] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

/** One allowlist entry: `host`, `host:port`, `*.domain`, `*.domain:port`, an IP literal, or `*` (anything). */
export interface HostRule {
  /** Lower-case name without a trailing dot; `*.x` matches every name under x (not x itself); `*` matches all. */
  host: string;
  /** Undefined: the web ports, 80 and 443. */
  port?: number;
}

export interface Policy {
  mode: EgressMode;
  rules: readonly HostRule[];
  /** IPv4 CIDR ranges that listed names may resolve to although they are private. */
  privateRanges: readonly string[];
}

export const DEFAULT_PORTS: readonly number[] = [80, 443];

const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** Parses one entry; returns an error message for a malformed one. */
export function parseHostRule(text: string): HostRule | string {
  const entry = text.trim().toLowerCase();
  if (entry === "*") return { host: "*" };
  const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match) return `not a host or host:port: ${JSON.stringify(text)}`;
  const host = match[1]!.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return `port out of range in ${JSON.stringify(text)}`;
  const name = host.startsWith("*.") ? host.slice(2) : host;
  if (isIP(host) === 0 && !name.split(".").every((label) => LABEL.test(label))) return `not a valid host name: ${JSON.stringify(text)}`;
  return port === undefined ? { host } : { host, port };
}

/** Parses entries, collecting every malformed one. */
export function parseHostRules(entries: readonly string[]): { rules: HostRule[]; errors: string[] } {
  const rules: HostRule[] = [];
  const errors: string[] = [];
  for (const entry of entries) {
    if (entry.trim() === "" || entry.trim().startsWith("#")) continue;
    const parsed = parseHostRule(entry);
    if (typeof parsed === "string") errors.push(parsed);
    else rules.push(parsed);
  }
  return { rules, errors };
}

export function formatRule(rule: HostRule): string {
  const host = isIP(rule.host) === 6 ? `[${rule.host}]` : rule.host;
  return rule.port === undefined ? host : `${host}:${rule.port}`;
}

function normalise(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

export function ruleMatches(rule: HostRule, host: string, port: number): boolean {
  const name = normalise(host);
  const portOk = rule.port === undefined ? DEFAULT_PORTS.includes(port) : rule.port === port;
  if (!portOk) return false;
  if (rule.host === "*") return true;
  if (rule.host.startsWith("*.")) return name.endsWith(rule.host.slice(1)) && name.length > rule.host.length - 1;
  return name === rule.host;
}

/** The first decision, made on the name alone: in allowlist mode, only listed names (and ports) pass. */
export function nameAllowed(policy: Policy, host: string, port: number): boolean {
  if (policy.mode !== "allowlist") return true;
  return policy.rules.some((rule) => ruleMatches(rule, host, port));
}

/** The request names this exact IP literal in a rule (listing an address is consent to reach it). */
function literalListed(policy: Policy, host: string, port: number): boolean {
  const name = normalise(host);
  return isIP(name) !== 0 && policy.rules.some((rule) => rule.host === name && ruleMatches(rule, name, port));
}

/**
 * The second decision, made on each resolved address: the Docker host, private, loopback, link-local
 * (cloud metadata), CGNAT, multicast and reserved addresses are refused unless listed (a `private` range
 * holding it, or the exact IP literal as a rule). Returns the reason for a refusal, or undefined.
 */
export function addressRefusal(policy: Policy, host: string, port: number, address: string): string | undefined {
  const range = specialRange(address);
  if (range === undefined) return undefined;
  if (literalListed(policy, host, port)) return undefined;
  const v4 = toIpv4(address);
  if (v4 !== undefined && policy.privateRanges.some((cidr) => inCidr(v4, cidr))) return undefined;
  return `${address} is a ${range} address`;
}

const SPECIAL_V4: readonly [string, string][] = [
  ["0.0.0.0/8", "reserved"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared (CGNAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (cloud metadata)"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
];

/** IPv4 (also IPv4-mapped IPv6) as a number, or undefined. */
function toIpv4(address: string): number | undefined {
  const text = address.toLowerCase().startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(text) !== 4) return undefined;
  return text.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function inCidr(v4: number, cidr: string): boolean {
  const [base, bitsText] = cidr.split("/");
  const start = base === undefined ? undefined : toIpv4(base);
  const bits = Number(bitsText ?? "32");
  if (start === undefined || !(bits >= 0 && bits <= 32)) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(v4 / size) === Math.floor(start / size);
}

export function validCidr(cidr: string): boolean {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  return match !== null && isIP(match[1]!) === 4 && Number(match[2]) <= 32;
}

/** The kind of special-purpose range an address is in, or undefined for an ordinary public address. */
export function specialRange(address: string): string | undefined {
  const v4 = toIpv4(address);
  if (v4 !== undefined) return SPECIAL_V4.find(([cidr]) => inCidr(v4, cidr))?.[1];
  if (isIP(address) !== 6) return "unparseable";
  const a = address.toLowerCase();
  if (a === "::1") return "loopback";
  if (a === "::") return "reserved";
  if (/^f[cd]/.test(a)) return "private (ULA)";
  if (/^fe[89ab]/.test(a)) return "link-local";
  if (/^ff/.test(a)) return "multicast";
  if (a.startsWith("64:ff9b:") || a.startsWith("2002:")) return "IPv4-embedding";
  return undefined;
}
