/** `--agent-env KEY=VALUE` (repeatable), shared by the scaffolder and `launch`: only the agents' gateway variables. */
import { agent, type AgentId } from "../catalogue/agents.js";
import { agentEnvProblem } from "../render/parts/gateway.js";
import { UserError } from "./errors.js";

export function parseAgentEnv(entries: readonly string[], agents: readonly AgentId[]): Record<string, string> | undefined {
  if (entries.length === 0) return undefined;
  const env: Record<string, string> = {};
  for (const entry of entries) {
    const split = entry.indexOf("=");
    if (split <= 0) throw new UserError(`--agent-env: expected KEY=VALUE, got ${JSON.stringify(entry)}`);
    const [name, value] = [entry.slice(0, split), entry.slice(split + 1)];
    const problem = agentEnvProblem(agents.map(agent), name, value);
    if (problem) throw new UserError(`--agent-env: ${problem}`);
    env[name] = value;
  }
  return env;
}
