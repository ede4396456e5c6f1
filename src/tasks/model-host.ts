/**
 * Before a task starts: can the agent reach its model through the container's egress? The model host is the
 * gateway's base URL when the config sets one (`--agent-env`), else the first host the agent's module lists.
 * The probe asks the container's own enforcer (a CONNECT through the proxy, from inside the container), so
 * the answer is the policy in force now, with the files the enforcer reads and any `egress allow` since.
 */
import { allowCommand, allowEntry, suggestableHost } from "../egress/blocked.js";
import { readFileSync } from "node:fs";
import type { AgentRecord } from "../catalogue/agents.js";
import { EGRESS_MODE_LABEL } from "../egress/layout.js";
import { PROXY_ALIAS, PROXY_PORT } from "../egress/proxy-address.js";
import { execCapture } from "../launch/docker.js";
import { blankComments } from "../mcp/merge/json-layout.js";

/** The config's remoteEnv (launch writes JSONC: its comments are blanked as the MCP merge does). */
export function configRemoteEnv(config: string): Record<string, string> {
  const parsed = JSON.parse(blankComments(readFileSync(config, "utf8"))) as { remoteEnv?: Record<string, string> };
  return parsed.remoteEnv ?? {};
}

/** `host` and `port` of the agent's model API as the container's config points it. */
export function modelHost(record: AgentRecord, remoteEnv: Readonly<Record<string, string>>): { host: string; port: number } | undefined {
  const base = "baseUrlEnv" in record.gateway ? remoteEnv[record.gateway.baseUrlEnv] : undefined;
  if (base) {
    const url = new URL(base);
    return { host: url.hostname, port: Number(url.port || (url.protocol === "http:" ? 80 : 443)) };
  }
  const first = record.outboundHosts[0];
  return first ? { host: first, port: 443 } : undefined;
}

/** In the container: a CONNECT through the enforcer, printing its status line (bash's /dev/tcp, no tools needed). */
const PROBE = [
  `exec 3<>/dev/tcp/${PROXY_ALIAS}/${PROXY_PORT} || exit 3`,
  `printf 'CONNECT %s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n' "$1" "$1" >&3`,
  `IFS= read -r -t 10 line <&3; printf '%s\\n' "$line"`,
].join("\n");

/** The enforcer's status line for the host, e.g. "HTTP/1.1 403 Blocked by egress policy". */
export type Probe = (containerId: string, hostPort: string) => string;

const probeThroughEnforcer: Probe = (containerId, hostPort) => {
  const result = execCapture(containerId, ["bash", "-c", PROBE, "bash", hostPort]);
  return result.status === 0 ? result.stdout.trim() : `no answer from the egress proxy (exit ${String(result.status)})`;
};

/**
 * Why the task cannot reach its model, in one line, or undefined: only containers behind an enforcer
 * (allowlist or log) are probed; a 403 is the allowlist's refusal, a 502 a host that does not resolve or answer.
 */
export function modelHostProblem(
  name: string,
  record: AgentRecord,
  container: { id: string; labels: Readonly<Record<string, string>> },
  remoteEnv: Readonly<Record<string, string>>,
  probe: Probe = probeThroughEnforcer,
): string | undefined {
  const mode = container.labels[EGRESS_MODE_LABEL];
  if (mode !== "allowlist" && mode !== "log") return undefined;
  const target = modelHost(record, remoteEnv);
  if (!target) return undefined;
  const hostPort = `${target.host}:${target.port}`;
  const status = probe(container.id, hostPort);
  const code = /^HTTP\/1\.[01] (\d{3})/.exec(status)?.[1];
  if (code === "200") return undefined;
  if (code === "403") {
    const allow = suggestableHost(target.host) ? allowCommand(name, [allowEntry(target.host, target.port)]) : undefined;
    return `${record.title} cannot reach its model at ${hostPort}: blocked by the egress ${mode}${allow ? `; allow it with: ${allow}` : ""}, then run the task again`;
  }
  return `${record.title} cannot reach its model at ${hostPort}: ${code ? `the egress proxy answered ${status.replace(/^HTTP\/1\.[01] /, "")}` : status}`;
}
