/**
 * The agent registry: one line per agent module (src/agents/<id>.ts), each holding everything
 * agent-specific, so the rest of the code looks agents up instead of branching on their ids. Schema enums,
 * the agents table in docs/agents.md and every generated Feature, image and Template come from this list
 * (`npm run generate`). How to add one: docs/adding-an-agent.md.
 */
import { amp } from "../agents/amp.js";
import { claude } from "../agents/claude.js";
import { codex } from "../agents/codex.js";
import { copilot } from "../agents/copilot.js";
import { gemini } from "../agents/gemini.js";
import { opencode } from "../agents/opencode.js";
import { qwen } from "../agents/qwen.js";
import type { AgentRecord as AgentModule } from "../agents/record.js";

export type { AgentBroker, AgentMcp, BrokerCredential, LoginFile, LoginLocation, LoginSource, ModelGateway, NoBroker } from "../agents/record.js";
// What is derived from one record needs no registry (the in-container hooks bundle one agent only): re-exported here.
export * from "../agents/derived.js";
export { GITHUB_CLI } from "../agents/github-cli.js";

const AGENTS = [claude, codex, copilot, gemini, qwen, amp, opencode] as const;

export type AgentId = (typeof AGENTS)[number]["id"];
export const AGENT_IDS: readonly AgentId[] = AGENTS.map((record) => record.id);
/** One agent's record, as the registry hands it out. */
export type AgentRecord = AgentModule<AgentId>;

export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}

const byId = new Map<string, AgentRecord>(AGENTS.map((record) => [record.id, record]));

export function agent(id: AgentId): AgentRecord {
  return byId.get(id)!;
}

export function allAgents(): AgentRecord[] {
  return [...AGENTS];
}
