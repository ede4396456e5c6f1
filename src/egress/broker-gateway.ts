/**
 * A model gateway under auth mode `broker` (issue 22). The gateway's base URL may come from the host's
 * environment (the host step reads it when the container comes up) or from the config (`--agent-env`, the
 * page's launch form): either way its host gets the key, so a config's gateway joins the hosts of the
 * credentials that read that variable here, before the host step's arguments are rendered. The broker
 * only terminates TLS, so a gateway that is not `https://` would get the placeholder: it is refused.
 */
import { brokerOf, type AgentBroker, type AgentRecord, type BrokerCredential } from "../catalogue/agents.js";

/** The host of an https:// base URL as a broker host (`host`, or `host:port` off 443); undefined for others. */
export function brokerGatewayHost(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" || url.hostname === "") return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return url.port && url.port !== "443" ? `${host}:${url.port}` : host;
}

function baseUrlEnvOf(broker: AgentBroker, credential: BrokerCredential): string | undefined {
  return credential.baseUrlEnv ?? broker.baseUrlEnv;
}

/** The agent with each credential whose base-URL variable the config sets also brokered for that gateway's host. */
export function withConfigGateway(record: AgentRecord, gatewayEnv: Readonly<Record<string, string>>): AgentRecord {
  const broker = brokerOf(record);
  if (!broker) return record;
  const credentials = broker.credentials.map((credential) => {
    const name = baseUrlEnvOf(broker, credential);
    const host = name !== undefined && gatewayEnv[name] !== undefined ? brokerGatewayHost(gatewayEnv[name]) : undefined;
    if (host === undefined) return credential;
    const hosts = credential.hosts ?? broker.hosts;
    return hosts.includes(host) ? credential : { ...credential, hosts: [...hosts, host] };
  });
  return { ...record, broker: { ...broker, credentials } };
}

/**
 * Why the config's gateway cannot be brokered, in one line naming both fixes, or undefined: a base-URL
 * variable of a brokered credential set to anything but an https:// URL.
 */
export function brokerGatewayProblem(record: AgentRecord, gatewayEnv: Readonly<Record<string, string>>): string | undefined {
  const broker = brokerOf(record);
  if (!broker) return undefined;
  const names = new Set(broker.credentials.map((credential) => baseUrlEnvOf(broker, credential)).filter((name) => name !== undefined));
  for (const name of names) {
    const value = gatewayEnv[name];
    if (value === undefined || brokerGatewayHost(value) !== undefined) continue;
    return `${name}=${value} is not https://, so the broker cannot put ${record.id}'s key into its requests: use an https:// URL, or --auth ${record.id}=token`;
  }
  return undefined;
}
