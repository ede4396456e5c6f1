/**
 * How a launch's agents log in and which model gateway each uses, from `--auth` and `--agent-env` entries
 * (the CLI's flags, the page's launch form): checked together, since a brokered agent's gateway must be
 * https:// (the broker terminates TLS only). Every refusal names the flag, one line, before anything starts.
 */
import { agent, type AgentId } from "../catalogue/agents.js";
import { applyAuthFlags, assertBrokerEgress } from "../auth/modes.js";
import { brokerGatewayProblem } from "../egress/broker-gateway.js";
import { UserError } from "../errors.js";
import type { AuthMode, ScaffoldOptions } from "../generated/scaffold-options.js";
import { agentEnvProblem, gatewayEnv } from "../render/parts/gateway.js";

export interface AuthAndGateway {
  auth: Record<AgentId, AuthMode>;
  agentEnv?: Record<string, string>;
}

export function authAndGateway(agents: readonly AgentId[], authEntries: readonly string[], agentEnvEntries: readonly string[], egress: string | undefined): AuthAndGateway {
  const auth = applyAuthFlags(agents, authEntries);
  assertBrokerEgress(auth, egress);
  const agentEnv = agentEnvOption(agentEnvEntries, agents);
  assertBrokerGateways(agents, auth, agentEnv);
  return { auth, ...agentEnv };
}

function assertBrokerGateways(agents: readonly AgentId[], auth: Readonly<Record<AgentId, string>>, options: Pick<ScaffoldOptions, "agentEnv">): void {
  for (const id of agents) {
    const problem = auth[id] === "broker" ? brokerGatewayProblem(agent(id), gatewayEnv(agent(id), options)) : undefined;
    if (problem) throw new UserError(`--agent-env ${problem}`);
  }
}

/** `--agent-env KEY=VALUE` entries, checked against the chosen agents' gateway variables. */
function agentEnvOption(entries: readonly string[], agents: readonly AgentId[]): { agentEnv?: Record<string, string> } {
  if (entries.length === 0) return {};
  const agentEnv: Record<string, string> = {};
  for (const entry of entries) {
    const split = entry.indexOf("=");
    if (split <= 0) throw new UserError(`--agent-env: expected KEY=VALUE, got ${JSON.stringify(entry)}`);
    const [name, value] = [entry.slice(0, split), entry.slice(split + 1)];
    const problem = agentEnvProblem(agents.map(agent), name, value);
    if (problem) throw new UserError(`--agent-env: ${problem}`);
    agentEnv[name] = value;
  }
  return { agentEnv };
}
