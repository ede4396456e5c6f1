/** What every renderer shares: choosing the servers a target gets, warnings, and reference checks. */
import type { McpServer } from "../model.js";
import { hasBareDollar, hasRefs } from "../refs.js";

/**
 * The servers a target gets, in source order. A disabled server is left out unless the target can
 * mark it disabled itself (Codex's `enabled = false`): leaving it out is what `enabled = false` asks for.
 */
export function serversFor(target: string, servers: readonly McpServer[], keepDisabled = false): McpServer[] {
  return servers.filter((server) => (server.agents === "all" || server.agents.includes(target)) && (keepDisabled || server.enabled));
}

/** Collects warnings as `mcp_servers.NAME.FIELD: message`, the path a user edits in the source. */
export class Warnings {
  readonly list: string[] = [];

  add(server: McpServer, field: string | undefined, message: string): void {
    this.list.push(`mcp_servers.${server.name}${field ? `.${field}` : ""}: ${message}`);
  }
}

/**
 * Launch fields (command, args, cwd, url) that hold `${VAR}` references. For a target that does not
 * expand them there, a literal `${TOKEN}` argument or URL would be passed on and fail obscurely; the
 * renderers skip such a server for that target with a warning instead.
 */
export function refsInLaunchFields(server: McpServer): string[] {
  if (server.transport !== "stdio") return hasRefs(server.url) ? ["url"] : [];
  const fields = hasRefs(server.command) ? ["command"] : [];
  server.args.forEach((arg, index) => {
    if (hasRefs(arg)) fields.push(`args[${index}]`);
  });
  if (server.cwd !== undefined && hasRefs(server.cwd)) fields.push("cwd");
  return fields;
}

/** Warns about literal `$NAME` text in the given map values, for targets that expand bare `$NAME`. */
export function warnBareDollars(
  warnings: Warnings,
  server: McpServer,
  field: "env" | "headers",
  values: Readonly<Record<string, string>>,
  target: string,
): void {
  for (const [key, value] of Object.entries(values)) {
    if (hasBareDollar(value)) {
      warnings.add(server, `${field}.${key}`, `${target} expands $NAME in this value, so the literal text will change`);
    }
  }
}

/** Copies a map, or returns undefined for an empty one so the key is left out ("empty values omitted"). */
export function nonEmpty(values: Readonly<Record<string, string>>): Record<string, string> | undefined {
  return Object.keys(values).length > 0 ? { ...values } : undefined;
}

/** Builds an object in the given key order, leaving out undefined values. */
export function compact<T extends object>(entries: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as T;
}
