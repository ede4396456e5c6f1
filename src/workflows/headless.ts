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

/**
 * Words a background task appends when a model gateway is set (the catalogue's `gateway` variables), for a
 * CLI that does not read those variables itself. Codex takes its endpoint as a model provider: a custom
 * one speaks the plain Responses API over HTTP(S), with the key from OPENAI_API_KEY (`--auth token`).
 */
export const HEADLESS_GATEWAY: Readonly<Record<AgentId, readonly string[]>> = {
  claude: [],
  codex: [
    '${OPENAI_BASE_URL:+-c model_provider=gateway -c model_providers.gateway.name=gateway -c model_providers.gateway.env_key=OPENAI_API_KEY -c "model_providers.gateway.base_url=$OPENAI_BASE_URL"}',
    '${OPENAI_MODEL:+-m "$OPENAI_MODEL"}',
  ],
  copilot: [],
  gemini: [],
};
