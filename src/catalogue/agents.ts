/**
 * The agent catalogue: everything agent-specific lives in these records, so the rest of the code
 * looks agents up instead of branching on their names. Facts come from shared/reference/agents.md.
 */

export const AGENT_IDS = ["claude", "codex", "copilot", "gemini"] as const;
export type AgentId = (typeof AGENT_IDS)[number];

/** Writable, per-container state lives under one root owned by the agent user (never under a host mount). */
export const STATE_ROOT = "/var/lib/agent-devcontainer";

export interface AgentRecord {
  id: AgentId;
  /** Human name, used in container names and docs. */
  title: string;
  /** npm package that ships the CLI, and the binary it puts on PATH. */
  npmPackage: string;
  binary: string;
  /** Environment variable that relocates the agent's whole config into `configRoot`. */
  configEnv: string;
  /** The folder the agent then reads and writes, relative to `configRoot` ("" when it is the root itself). */
  configSubdir: string;
  /** Container-friendly settings baked into the image's environment (no secrets ever go here). */
  settingsEnv: Readonly<Record<string, string>>;
  /** Environment variables that carry a long-lived login token. */
  tokenEnv: readonly string[];
  /** Files inside the config folder whose presence means a stored login. */
  credentialFiles: readonly string[];
  /** Hosts the agent must reach (for an egress allowlist). */
  outboundHosts: readonly string[];
  homepage: string;
}

const catalogue: Readonly<Record<AgentId, AgentRecord>> = {
  claude: {
    id: "claude",
    title: "Claude Code",
    npmPackage: "@anthropic-ai/claude-code",
    binary: "claude",
    configEnv: "CLAUDE_CONFIG_DIR",
    configSubdir: "",
    settingsEnv: { DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
    tokenEnv: ["CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY"],
    credentialFiles: [".credentials.json"],
    outboundHosts: [
      "api.anthropic.com",
      "claude.ai",
      "claude.com",
      "platform.claude.com",
      "mcp-proxy.anthropic.com",
      "downloads.claude.ai",
      "storage.googleapis.com",
      "code.claude.com",
    ],
    homepage: "https://code.claude.com/docs",
  },
  codex: {
    id: "codex",
    title: "Codex CLI",
    npmPackage: "@openai/codex",
    binary: "codex",
    configEnv: "CODEX_HOME",
    configSubdir: "",
    settingsEnv: {},
    tokenEnv: ["OPENAI_API_KEY", "CODEX_API_KEY"],
    credentialFiles: ["auth.json"],
    outboundHosts: ["api.openai.com", "chatgpt.com", "auth.openai.com"],
    homepage: "https://developers.openai.com/codex/cli",
  },
  copilot: {
    id: "copilot",
    title: "Copilot CLI",
    npmPackage: "@github/copilot",
    binary: "copilot",
    configEnv: "COPILOT_HOME",
    configSubdir: "",
    settingsEnv: {},
    tokenEnv: ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
    credentialFiles: ["config.json"],
    outboundHosts: [
      "github.com",
      "api.github.com",
      "*.githubcopilot.com",
      "copilot-proxy.githubusercontent.com",
      "origin-tracker.githubusercontent.com",
    ],
    homepage: "https://docs.github.com/copilot/how-tos/copilot-cli",
  },
  gemini: {
    id: "gemini",
    title: "Gemini CLI",
    npmPackage: "@google/gemini-cli",
    binary: "gemini",
    configEnv: "GEMINI_CLI_HOME",
    configSubdir: ".gemini",
    settingsEnv: {},
    tokenEnv: ["GEMINI_API_KEY"],
    credentialFiles: ["oauth_creds.json"],
    outboundHosts: [
      "cloudcode-pa.googleapis.com",
      "generativelanguage.googleapis.com",
      "accounts.google.com",
      "www.googleapis.com",
      "oauth2.googleapis.com",
    ],
    homepage: "https://github.com/google-gemini/gemini-cli",
  },
};

export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}

export function agent(id: AgentId): AgentRecord {
  return catalogue[id];
}

export function allAgents(): AgentRecord[] {
  return AGENT_IDS.map(agent);
}

/** The root the relocation variable points at: `${STATE_ROOT}/<id>`. */
export function configRoot(record: AgentRecord): string {
  return `${STATE_ROOT}/${record.id}`;
}

/** The folder the agent actually reads and writes (its config dir after relocation). */
export function configDir(record: AgentRecord): string {
  return record.configSubdir ? `${configRoot(record)}/${record.configSubdir}` : configRoot(record);
}

/** The environment a container needs for this agent: relocation plus its container-friendly settings. */
export function agentEnvironment(record: AgentRecord): Record<string, string> {
  return { [record.configEnv]: configRoot(record), ...record.settingsEnv };
}
