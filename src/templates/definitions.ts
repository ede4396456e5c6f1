/** Which templates exist: one per agent and one with every agent. */
import { AGENT_IDS, type AgentId } from "../catalogue/agents.js";

export const ALL_TEMPLATE_ID = "all";

export interface TemplateDefinition {
  id: string;
  agents: AgentId[];
}

export function templateDefinitions(): TemplateDefinition[] {
  return [...AGENT_IDS.map((id) => ({ id, agents: [id] })), { id: ALL_TEMPLATE_ID, agents: [...AGENT_IDS] }];
}
