/**
 * The egress policy as data, and the two decisions the enforcer makes with it: may this name:port be
 * asked for at all (before any DNS lookup, so a blocked name never leaves the machine), and may a
 * resolved address be connected to (after the lookup, so a name that resolves to the Docker host, a
 * private range or the cloud metadata address is refused unless that range is listed).
 *
 * Shared by the enforcer (bundled into egress/proxy.cjs), the renderers and the CLI: no I/O here.
 */
import { BlockList, isIP } from "node:net";

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
  // An address however spelled (`127.1`, `::ffff:7f00:1`) is listed as the enforcer will compare it.
  const canonical = host.startsWith("*.") ? host : canonicalHost(host) ?? host;
  return port === undefined ? { host: canonical } : { host: canonical, port };
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
  const name = canonicalHost(host);
  return name !== undefined && isIP(name) !== 0 && policy.rules.some((rule) => canonicalHost(rule.host) === name && ruleMatches(rule, name, port));
}

/**
 * The second decision, made on each resolved address: the Docker host, private, loopback, link-local
 * (cloud metadata), CGNAT, multicast and reserved addresses, and every IPv6 form that embeds an IPv4
 * address (mapped, compatible, NAT64, 6to4, Teredo), are refused unless listed (a `private` range holding
 * it, or the exact IP literal as a rule). Returns the reason for a refusal, or undefined.
 */
export function addressRefusal(policy: Policy, host: string, port: number, address: string): string | undefined {
  const range = specialRange(address);
  if (range === undefined) return undefined;
  if (literalListed(policy, host, port)) return undefined;
  if (policy.privateRanges.length > 0 && rangeList(policy.privateRanges).check(address, family(address))) return undefined;
  return `${address} is a ${range} address`;
}

/**
 * Special-purpose ranges, first match wins (loopback before the IPv4-compatible ::/96 that holds it).
 * Node's BlockList matches an IPv4-mapped IPv6 address (`::ffff:a9fe:a9fe`, however written) against the
 * IPv4 entries, so the mapped forms are classified as the IPv4 address they carry.
 */
const SPECIAL: readonly [string, string][] = [
  ["0.0.0.0/8", "reserved"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared (CGNAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (cloud metadata)"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "reserved"],
  ["192.0.2.0/24", "documentation"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved"],
  ["::1/128", "loopback"],
  ["::/128", "reserved"],
  ["::/96", "IPv4-compatible (embeds an IPv4 address)"],
  ["::ffff:0:0:0/96", "IPv4-translated (embeds an IPv4 address)"],
  ["64:ff9b::/96", "NAT64 (embeds an IPv4 address)"],
  ["64:ff9b:1::/48", "NAT64 (embeds an IPv4 address)"],
  ["100::/64", "discard"],
  ["2001::/32", "Teredo (embeds an IPv4 address)"],
  ["2001:db8::/32", "documentation"],
  ["2002::/16", "6to4 (embeds an IPv4 address)"],
  ["fc00::/7", "private (ULA)"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local"],
  ["ff00::/8", "multicast"],
];

function family(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

function rangeList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [base = "", bits = ""] = cidr.split("/");
    if (isIP(base) !== 0) list.addSubnet(base, Number(bits), family(base));
  }
  return list;
}

const SPECIAL_LISTS = SPECIAL.map(([cidr, kind]) => [rangeList([cidr]), kind] as const);

export function validCidr(cidr: string): boolean {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  return match !== null && isIP(match[1]!) === 4 && Number(match[2]) <= 32;
}

/** The kind of special-purpose range an address is in, or undefined for an ordinary public address. */
export function specialRange(address: string): string | undefined {
  const canonical = canonicalHost(address);
  if (canonical === undefined || isIP(canonical) === 0) return "unparseable";
  return SPECIAL_LISTS.find(([list]) => list.check(canonical, family(canonical)))?.[1];
}

/**
 * A host as the enforcer compares and classifies it, by Node's WHATWG URL parser (never by hand): names
 * lower-cased without a trailing dot, every IPv4 spelling (`2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376`,
 * `127.1`) as dotted quads, IPv6 compressed without brackets (`::ffff:127.0.0.1` becomes `::ffff:7f00:1`).
 * Undefined for what is no host (`1.2.3.4.5`, `foo.123`, userinfo, paths).
 */
export function canonicalHost(host: string): string | undefined {
  const bare = host.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (bare.includes(":") && isIP(bare) !== 6) return undefined;
  const literal = isIP(bare) === 6 ? `[${bare}]` : bare;
  if (literal === "" || /[/?#@\\\s]/.test(literal)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${literal}/`);
  } catch {
    return undefined;
  }
  if (url.port !== "" || url.username !== "" || url.password !== "") return undefined;
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * `host[:port]` (a CONNECT target, a Host header, a URL's authority) by Node's URL parser: the canonical
 * host and the port (defaultPort when none is given), or undefined for anything else (userinfo, a path).
 */
export function parseAuthority(text: string, defaultPort: number): { host: string; port: number } | undefined {
  let url: URL;
  try {
    // A scheme without a default port, so an explicit :80 or :443 stays visible.
    url = new URL(`cadc-authority://${text}`);
  } catch {
    return undefined;
  }
  if (url.username !== "" || url.password !== "" || url.pathname !== "" || url.search !== "" || url.hash !== "" || /[\s\\]/.test(text)) return undefined;
  const host = canonicalHost(url.hostname);
  return host === undefined ? undefined : { host, port: url.port === "" ? defaultPort : Number(url.port) };
}
