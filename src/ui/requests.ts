/**
 * What the page may ask for, checked here (the page is never trusted): the launch form becomes `launch`'s
 * argv, its auth modes and gateways refused exactly as the CLI refuses its flags (the same functions, the
 * same one line), and an Allow names one host, which must be a valid name or address.
 */
import { agent, AGENT_IDS, isAgentId, type AgentId } from "../catalogue/agents.js";
import { suggestableHost } from "../egress/blocked.js";
import { UserError } from "../errors.js";
import { authAndGateway } from "../launch/auth-gateway.js";
import { DEFAULT_EGRESS } from "../scaffold-defaults.js";
import { DashboardError, EGRESS_MODES, type AllowRequest, type LaunchForm } from "./model.js";

const bad = (message: string, hint?: string) => new DashboardError(message, hint, 400);

/** The variable an agent's gateway base URL goes into; undefined for an agent that takes none from its environment. */
export function gatewayVariable(id: AgentId): string | undefined {
  const gateway = agent(id).gateway;
  return "baseUrlEnv" in gateway ? gateway.baseUrlEnv : undefined;
}

/** A per-agent field (`auth`, `gateway`): agent id to text, empty values dropped. */
function perAgent(value: unknown, what: string, agents: readonly string[]): [AgentId, string][] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw bad(`${what} must map agents to text`);
  const entries: [AgentId, string][] = [];
  for (const [id, text] of Object.entries(value)) {
    if (text === undefined || text === "") continue;
    if (typeof text !== "string") throw bad(`${what} of ${id} must be text`);
    if (!isAgentId(id) || !agents.includes(id)) throw bad(`${what}: ${id} is not one of the agents checked`);
    entries.push([id, text]);
  }
  return entries;
}

/** `launch`'s argv from the form, every value in `--flag=value` form so nothing typed becomes a flag. */
export function launchArgs(form: LaunchForm): string[] {
  if (typeof form.source !== "string" || form.source.trim() === "") throw bad("give a repository: a local path or a git URL");
  if (!Array.isArray(form.agents) || form.agents.length === 0 || !form.agents.every((a) => (AGENT_IDS as readonly string[]).includes(a))) {
    throw bad(`choose at least one agent of ${AGENT_IDS.join(", ")}`);
  }
  if (form.egress !== undefined && form.egress !== "" && !(EGRESS_MODES as readonly string[]).includes(form.egress)) throw bad(`egress is one of ${EGRESS_MODES.join(", ")}`);
  const text = (value: unknown, what: string): string | undefined => {
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string") throw bad(`${what} must be text`);
    return value;
  };
  const branch = text(form.branch, "branch");
  const prompt = text(form.prompt, "prompt");
  const agents = [...new Set(form.agents)] as AgentId[];
  const auth = perAgent(form.auth, "auth", agents).map(([id, mode]) => `${id}=${mode}`);
  const agentEnv = perAgent(form.gateway, "gateway", agents).map(([id, url]) => {
    const name = gatewayVariable(id);
    if (name === undefined) throw bad(`gateway: ${id} takes no gateway base URL from its environment`);
    return `${name}=${url}`;
  });
  try {
    authAndGateway(agents, auth, agentEnv, form.egress || DEFAULT_EGRESS);
  } catch (error) {
    if (error instanceof UserError) throw bad(error.message, error.hint);
    throw error;
  }
  return [
    "launch",
    ...form.agents.map((a) => `--agent=${a}`),
    ...(branch ? [`--branch=${branch}`] : []),
    ...(form.egress ? [`--egress=${form.egress}`] : []),
    ...auth.map((entry) => `--auth=${entry}`),
    ...agentEnv.map((entry) => `--agent-env=${entry}`),
    ...(prompt ? [`--task=${prompt}`] : []),
    "--",
    form.source,
  ];
}

/** An Allow: one blocked host (a valid DNS name or IP address, as the page listed it), maybe saved to the repository. */
export function allowRequest(body: Record<string, unknown>): AllowRequest {
  const { host, save } = body;
  if (typeof host !== "string" || !suggestableHost(host)) throw bad(`not a host name or address: ${JSON.stringify(typeof host === "string" ? host.slice(0, 300) : host ?? null)}`);
  if (save !== undefined && typeof save !== "boolean") throw bad("save must be true or false");
  return { host: host.toLowerCase(), save: save === true };
}
