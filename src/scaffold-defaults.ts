/**
 * The scaffolder's defaults for what the flags leave out. The CLI, the Templates (which render the
 * scaffolder's output with these defaults) and the tests read them from here.
 */
import { DEFAULT_MCP_SOURCE } from "./mcp/locate.js";

export const DEFAULT_BASE_IMAGE = "debian:trixie-slim";
export const DEFAULT_USER = "agent";
export const DEFAULT_WORKSPACE = "clone";
export const DEFAULT_MCP_SOURCE_PATH = DEFAULT_MCP_SOURCE;
export const DEFAULT_MCP_SECRETS_FILE = "~/.config/agent-devcontainer/mcp-secrets.env";
export const DEFAULT_EGRESS = "allowlist";

/**
 * Environment variables that stand in for --base-image and --node-mirror when the flag is absent: set once
 * in a shell profile on a network with its own image registry or Node.js mirror (and by the tests, which
 * run the README's commands as written against the test bed).
 */
export const ENV_BASE_IMAGE = "CREATE_AGENT_DEVCONTAINER_BASE_IMAGE";
export const ENV_NODE_MIRROR = "CREATE_AGENT_DEVCONTAINER_NODE_MIRROR";
