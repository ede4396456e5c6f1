/**
 * A model gateway (issue 13, "Model gateways"): the agent's own documented base-URL and model variables
 * from `agentEnv`, each agent taking only its own (its module's `gateway`), reach exec'd processes through
 * remoteEnv (the interactive shell and headless tasks alike). Egress admits the base URL's host.
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import type { ConfigPart } from "../parts.js";

/** The variables `--agent-env` may set for this agent (none when it takes no endpoint from its environment). */
export function gatewayVariables(record: AgentRecord): readonly string[] {
  return "env" in record.gateway ? record.gateway.env : [];
}

export function gatewayEnv(record: AgentRecord, options: Pick<ScaffoldOptions, "agentEnv">): Record<string, string> {
  const names = gatewayVariables(record);
  return Object.fromEntries(Object.entries(options.agentEnv ?? {}).filter(([name]) => names.includes(name)));
}

export function gatewayPart(record: AgentRecord, options: ScaffoldOptions): ConfigPart {
  const env = gatewayEnv(record, options);
  // The gateway's own key, by name from the host at each exec (like a token), once its base URL is set.
  if ("keyEnv" in record.gateway && record.gateway.keyEnv && env[record.gateway.baseUrlEnv] !== undefined) {
    env[record.gateway.keyEnv] = `\${localEnv:${record.gateway.keyEnv}}`;
  }
  return Object.keys(env).length > 0 ? { remoteEnv: env } : {};
}

/** `host[:port]` of the agent's base URL, as an allowlist entry (no port: the web ports). */
export function gatewayHosts(record: AgentRecord, options: Pick<ScaffoldOptions, "agentEnv">): string[] {
  if (!("baseUrlEnv" in record.gateway)) return [];
  const value = gatewayEnv(record, options)[record.gateway.baseUrlEnv];
  if (value === undefined) return [];
  const url = new URL(value);
  return [url.port ? `${url.hostname}:${url.port}` : url.hostname];
}

/** Why a `--agent-env` entry cannot be used, or undefined: a name no agent documents, or a base URL that is not one. */
export function agentEnvProblem(records: readonly AgentRecord[], name: string, value: string): string | undefined {
  const owners = records.filter((record) => gatewayVariables(record).includes(name));
  if (owners.length === 0) {
    const known = [...new Set(records.flatMap(gatewayVariables))];
    const without = records.flatMap((r) => ("none" in r.gateway ? [`${r.id}: ${r.gateway.none}`] : []));
    return `${name} is not a gateway variable of ${records.map((r) => r.id).join(", ")}${known.length ? ` (use one of ${known.join(", ")})` : ""}${without.length ? `; ${without.join("; ")}` : ""}`;
  }
  if (owners.some((record) => "baseUrlEnv" in record.gateway && record.gateway.baseUrlEnv === name)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return `${name} is not a URL: ${JSON.stringify(value)}`;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return `${name} must be an http(s) URL: ${JSON.stringify(value)}`;
    if (url.username || url.password) return `${name} must not hold credentials (use --auth token for the key)`;
  }
  return undefined;
}
