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
