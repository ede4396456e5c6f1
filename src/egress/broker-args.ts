/**
 * The host step's broker arguments (egress.sh `--secrets FILE --broker SPEC...`), from data: the agent
 * module's `broker` field, and the `${VAR}`s in remote MCP servers' headers. A SPEC is
 * `VAR=FROM,...=PLACEHOLDER=HOST,...=BASE-URL-VAR=HEADER,...`; a FROM of `@NAME` is NAME in the MCP
 * secrets file; HEADERs are the only request headers the enforcer puts the secret into.
 */
import { brokerOf, type AgentRecord } from "../catalogue/agents.js";
import type { McpServer } from "../mcp/model.js";
import { loginFormat } from "./logins/index.js";

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function spec(env: string, from: readonly string[], placeholder: string, hosts: readonly string[], baseUrlEnv: string, headers: readonly string[]): string[] {
  return ["--broker", [env, from.join(","), placeholder, hosts.join(","), baseUrlEnv, headers.join(",")].join("=")];
}

/** The variables in remote HTTPS servers' headers: with the broker, held by the enforcer, never in the container. */
export function brokeredMcpNames(servers: readonly McpServer[]): string[] {
  return [...headerHosts(servers).keys()];
}

/** A remote server's header variables, each injected only into HTTPS requests to that server's host, in the headers that name it. */
export function mcpBrokerSpecs(servers: readonly McpServer[]): string[] {
  return [...headerHosts(servers)].flatMap(([name, { hosts, headers }]) =>
    spec(name, [`@${name}`, name], `cadc-broker-placeholder-${name}`, [...hosts].sort(), "", [...headers].sort()),
  );
}

function headerHosts(servers: readonly McpServer[]): Map<string, { hosts: Set<string>; headers: Set<string> }> {
  const found = new Map<string, { hosts: Set<string>; headers: Set<string> }>();
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
    for (const [header, value] of Object.entries(server.headers)) {
      for (const match of value.matchAll(REFERENCE)) {
        const entry = found.get(match[1]!) ?? { hosts: new Set<string>(), headers: new Set<string>() };
        entry.hosts.add(host);
        // Only a plain header name travels in the host step's arguments (which refuses a secret with none).
        if (/^[a-z0-9-]+$/i.test(header)) entry.headers.add(header.toLowerCase());
        found.set(match[1]!, entry);
      }
    }
  }
  return found;
}

export function brokerArgs(record: AgentRecord, servers: readonly McpServer[] = [], secretsFile?: string): string[] {
  const broker = brokerOf(record);
  const agent = (broker?.credentials ?? []).flatMap((credential) =>
    spec(credential.env, credential.from, credential.placeholder, credential.hosts ?? broker!.hosts, credential.baseUrlEnv ?? broker!.baseUrlEnv ?? "", [credential.header]),
  );
  const mcp = mcpBrokerSpecs(servers);
  return [...(mcp.length > 0 && secretsFile ? ["--secrets", secretsFile] : []), ...agent, ...loginSpec(record), ...mcp];
}

/**
 * `--login FORMAT=LOCATIONS=STAGED=PLACEHOLDER=HOSTS=BASE-URL-VAR=HEADER=KEY-VARS=TOKEN-URL=TOKEN-URL-VAR=ENV`:
 * the agent's subscription login, used by the host step when none of KEY-VARS is set. LOCATIONS are the
 * login file's `VAR:path` (an empty VAR is the default under $HOME), first set variable first; ENV the
 * container's placeholder variables, `VAR:value,...`.
 */
export function loginSpec(record: AgentRecord): string[] {
  const broker = brokerOf(record);
  const login = broker?.login;
  const format = login ? loginFormat(login.format) : undefined;
  const file = record.hostLogin.find((entry) => entry.staged === login?.staged);
  if (!broker || !login || !format || !file) return [];
  const locations = file.locations.map((location) => `${location.env ?? ""}:${location.path}`);
  const keys = [...new Set(broker.credentials.flatMap((credential) => credential.from))];
  const env = Object.entries(format.env ?? {}).map(([name, value]) => `${name}:${value}`);
  const fields = [format.id, locations.join(","), login.staged, format.placeholder, login.hosts.join(","), login.baseUrlEnv ?? broker.baseUrlEnv ?? "", login.header, keys.join(","), format.tokenUrl, format.tokenUrlEnv ?? "", env.join(",")];
  return ["--login", fields.join("=")];
}
