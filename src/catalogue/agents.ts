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
import type { AgentBroker, AgentRecord as AgentModule, LoginSource } from "../agents/record.js";

export type { AgentBroker, AgentMcp, BrokerCredential, LoginFile, LoginLocation, LoginSource, ModelGateway, NoBroker } from "../agents/record.js";

const AGENTS = [claude, codex, copilot, gemini, qwen, amp, opencode] as const;

export type AgentId = (typeof AGENTS)[number]["id"];
export const AGENT_IDS: readonly AgentId[] = AGENTS.map((record) => record.id);
/** One agent's record, as the registry hands it out. */
export type AgentRecord = AgentModule<AgentId>;

/** Writable, per-container state lives under one root owned by the agent user (never under a host mount). */
export const STATE_ROOT = "/var/lib/agent-devcontainer";

/** gh's login, copied or passed like an agent's, so git can use `gh auth git-credential` for `origin`. */
export const GITHUB_CLI: LoginSource = {
  id: "gh",
  title: "GitHub CLI",
  tokenEnv: ["GH_TOKEN", "GITHUB_TOKEN"],
  hostLogin: [
    {
      // Holds the token only when gh stores it outside the system keyring (--insecure-storage).
      staged: "gh-hosts.yml",
      locations: [{ env: "GH_CONFIG_DIR", path: "hosts.yml" }, { env: "XDG_CONFIG_HOME", path: "gh/hosts.yml" }, { path: ".config/gh/hosts.yml" }],
      loginPattern: "oauth_token:",
    },
  ],
  keychainService: "gh:github.com",
  singleUseRefresh: false,
  hostLoginHowTo: "run `gh auth login --insecure-storage` on this host (gh keeps the token in the keyring otherwise)",
  tokenHowTo: "export GH_TOKEN=\"$(gh auth token)\"",
};

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

/** The root the relocation variable points at: `${STATE_ROOT}/<id>`. */
export function configRoot(record: AgentRecord): string {
  return `${STATE_ROOT}/${record.id}`;
}

/** The folder the agent actually reads and writes (its config dir after relocation). */
export function configDir(record: AgentRecord): string {
  return record.configSubdir ? `${configRoot(record)}/${record.configSubdir}` : configRoot(record);
}

/** The relocation variable's value: the config root, or the settings file in it for an agent relocated by a file. */
export function configEnvValue(record: AgentRecord): string {
  return record.configEnvFile ? `${configRoot(record)}/${record.configEnvFile}` : configRoot(record);
}

/** The config root an environment points the agent at (its default when the variable is unset). */
export function configRootIn(record: AgentRecord, env: Readonly<Record<string, string | undefined>>): string {
  const value = env[record.configEnv];
  if (!value) return configRoot(record);
  return record.configEnvFile ? value.slice(0, value.lastIndexOf("/")) || "/" : value;
}

/** The environment a container needs for this agent: relocation plus its container-friendly settings. */
export function agentEnvironment(record: AgentRecord): Record<string, string> {
  return { [record.configEnv]: configEnvValue(record), ...record.settingsEnv };
}

/** The agent's broker facts, or undefined when its credential cannot be brokered (`brokerRefusal` says why). */
export function brokerOf(record: AgentRecord): AgentBroker | undefined {
  return "unsupported" in record.broker ? undefined : record.broker;
}

/** Why `--auth <agent>=broker` cannot work for this agent, or undefined when it can. */
export function brokerRefusal(record: AgentRecord): string | undefined {
  return "unsupported" in record.broker ? record.broker.unsupported : undefined;
}
