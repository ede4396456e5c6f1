/**
 * How each agent runs one prompt unattended inside its container: the agent module's `headless` command
 * (src/agents/<id>.ts). `PROMPT` is a shell variable, never interpolated into the workflow text.
 */
import { allAgents, type AgentId } from "../catalogue/agents.js";

export const HEADLESS: Readonly<Record<AgentId, readonly string[]>> = Object.fromEntries(
  allAgents().map((record) => [record.id, record.headless]),
) as Record<AgentId, readonly string[]>;
