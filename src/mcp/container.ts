/**
 * Where MCP things live inside an agent container. The mcp Feature's install.sh, its hooks, the launcher
 * and the devcontainer.json part all take these paths from here, so they cannot drift apart.
 */
import { HOOKS_ROOT, STATE_ROOT } from "../agents/derived.js";

/** The mcp Feature's installed hooks: `hook` (render at create/start) and `run-server` (the launcher). */
export const MCP_FEATURE_DIR = `${HOOKS_ROOT}/mcp`;
/** Wraps every stdio server whose env references variables; see src/mcp/launcher.ts. */
export const LAUNCHER_PATH = `${MCP_FEATURE_DIR}/run-server`;
/** The Feature's options as baked in at build time (KEY=value lines). */
export const FEATURE_OPTIONS_PATH = `${MCP_FEATURE_DIR}/options.env`;

/** Private (0700) state of the agent user: what the launcher needs to start each server. */
export const MCP_STATE_DIR = `${STATE_ROOT}/mcp`;
/** Env templates per server (`${VAR}` references, never values), written by the hook, read by the launcher. */
export const LAUNCH_SPEC_PATH = `${MCP_STATE_DIR}/servers.json`;

/** Where devcontainer.json mounts the host's secrets env file, read-only. */
export const SECRETS_STAGING_PATH = "/run/agent-devcontainer/mcp-secrets.env";

/** Overrides the source path at run time (absolute, or relative to the workspace folder). */
export const SOURCE_ENV = "AGENT_DC_MCP_SOURCE";
