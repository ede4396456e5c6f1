/**
 * The MCP source the scaffolder writes once, for the user to own: valid, with every example commented
 * out, so a fresh container gets no servers until the user enables one.
 */
import { AGENT_IDS } from "../catalogue/agents.js";
import { LEGACY_MCP_SOURCE } from "./locate.js";

/** @param secretsFile the host secrets file as the user gave it (e.g. `~/.config/…/mcp-secrets.env`), if any. */
export function renderMcpStarter(secretsFile: string | undefined): string {
  const secrets = secretsFile
    ? [
        `# Secrets: write \${NAME} in env values and put NAME=value lines in ${secretsFile} on the host.`,
        "# That file is mounted read-only and read when a server starts; no value is ever copied into the repo,",
        "# the image or an agent's config.",
      ]
    : ["# Secrets: write ${NAME} in env values; the value comes from the container's environment."];
  return [
    "# MCP servers for every agent container (Claude Code, Codex, Copilot CLI, Gemini CLI) and VS Code.",
    "# Rendered into each agent's own config when its container starts: restart the container after an edit.",
    "# Check it from the host with: npx create-agent-devcontainer mcp check",
    `# (A ${LEGACY_MCP_SOURCE} at the repository root with [mcp_servers] tables is read when this file is absent.)`,
    ...secrets,
    "",
    "# A local server (stdio):",
    "# [mcp_servers.everything]",
    '# command = "npx"',
    '# args = ["-y", "@modelcontextprotocol/server-everything"]',
    '# env = { API_TOKEN = "${API_TOKEN}" }',
    `# agents = ${JSON.stringify(AGENT_IDS.slice(0, 2)).replace(",", ", ")}    # only these agents get it (default: all, and VS Code)`,
    "# enabled = false                 # keep it, but switched off",
    "",
    "# A remote server: agents send its headers themselves, so a ${NAME} in them must be set in the",
    "# environment the agent runs in (e.g. devcontainer exec --remote-env NAME=…), not in the secrets file.",
    "# [mcp_servers.docs]",
    '# url = "https://mcp.example.com/mcp"',
    '# headers = { Authorization = "Bearer ${DOCS_TOKEN}" }',
    "",
  ].join("\n");
}
