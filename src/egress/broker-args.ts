/**
 * The host step's broker arguments (egress.sh `--secrets FILE --broker SPEC...`), from data: the agent
 * module's `broker` field, and the `${VAR}`s in remote MCP servers' headers. A SPEC is
 * `VAR=FROM,...=PLACEHOLDER=HOST,...=BASE-URL-VAR`; a FROM of `@NAME` is NAME in the MCP secrets file.
 */
import { brokerOf, type AgentRecord } from "../catalogue/agents.js";
import type { McpServer } from "../mcp/model.js";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function spec(env: string, from: readonly string[], placeholder: string, hosts: readonly string[], baseUrlEnv = ""): string[] {
  return ["--broker", [env, from.join(","), placeholder, hosts.join(","), baseUrlEnv].join("=")];
}

/** The variables in remote HTTPS servers' headers: with the broker, held by the enforcer, never in the container. */
export function brokeredMcpNames(servers: readonly McpServer[]): string[] {
  return [...headerHosts(servers).keys()];
}

/** A remote server's header variables, each injected only into HTTPS requests to that server's host. */
export function mcpBrokerSpecs(servers: readonly McpServer[]): string[] {
  return [...headerHosts(servers)].flatMap(([name, targets]) => spec(name, [`@${name}`, name], `cadc-broker-placeholder-${name}`, [...targets].sort()));
}

function headerHosts(servers: readonly McpServer[]): Map<string, Set<string>> {
  const hosts = new Map<string, Set<string>>();
  for (const server of servers) {
    if (server.transport === "stdio") continue;
    let url: URL;
    try {
      url = new URL(server.url);
    } catch {
      continue;
    }
    if (url.protocol !== "https:") continue;
    const host = url.port && url.port !== "443" ? `${url.hostname}:${url.port}` : url.hostname;
    for (const value of Object.values(server.headers)) {
      for (const match of value.matchAll(REFERENCE)) hosts.set(match[1]!, (hosts.get(match[1]!) ?? new Set()).add(host));
    }
  }
  return hosts;
}

export function brokerArgs(record: AgentRecord, servers: readonly McpServer[] = [], secretsFile?: string): string[] {
  const broker = brokerOf(record);
  const agent = (broker?.credentials ?? []).flatMap((credential) =>
    spec(credential.env, credential.from, credential.placeholder, credential.hosts ?? broker!.hosts, credential.baseUrlEnv ?? broker!.baseUrlEnv),
  );
  const mcp = mcpBrokerSpecs(servers);
  return [...(mcp.length > 0 && secretsFile ? ["--secrets", secretsFile] : []), ...agent, ...mcp];
}
