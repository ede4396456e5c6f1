/**
 * What follows from one agent record alone: where its state lives in the container, its environment, its
 * broker facts. No registry here, so the in-container hook of one agent bundles that agent's record only.
 */
import type { AgentBroker, AgentRecord } from "./record.js";

/** Writable, per-container state lives under one root owned by the agent user (never under a host mount). */
export const STATE_ROOT = "/var/lib/agent-devcontainer";

/** Where each Feature of ours installs its hooks, in a folder named by its id (an agent's MCP module too). */
export const HOOKS_ROOT = "/usr/local/share/agent-devcontainer";

/** The root the relocation variable points at: `${STATE_ROOT}/<id>`. */
export function configRoot(record: Pick<AgentRecord, "id">): string {
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
