/**
 * How each agent runs one prompt unattended inside its container (shared/reference/agents.md, "Running
 * agents unattended", and each CLI's --help): the container is the sandbox, so the agent's own approval
 * prompts are turned off. `PROMPT` is a shell variable, never interpolated into the workflow text.
 */
import type { AgentId } from "../catalogue/agents.js";

export const HEADLESS: Readonly<Record<AgentId, readonly string[]>> = {
  claude: ["claude", "-p", '"$PROMPT"', "--dangerously-skip-permissions"],
  codex: ["codex", "exec", "--dangerously-bypass-approvals-and-sandbox", '"$PROMPT"'],
  copilot: ["copilot", "-p", '"$PROMPT"', "--allow-all-tools"],
  gemini: ["gemini", "-p", '"$PROMPT"', "--approval-mode", "yolo"],
};
