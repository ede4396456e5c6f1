/** The auth mode of each agent: chosen by flags, recorded as a container label, read back by `doctor`. */
import { UserError } from "../errors.js";
import { agent, AGENT_IDS, brokerRefusal, isAgentId, type AgentId } from "../catalogue/agents.js";
import type { AuthMode, ScaffoldOptions } from "../generated/scaffold-options.js";
import { LABEL_PREFIX } from "../labels.js";

export const AUTH_MODES: readonly AuthMode[] = ["copy", "token", "volume", "broker"];
export const DEFAULT_AUTH: AuthMode = "copy";

export function isAuthMode(value: string): value is AuthMode {
  return (AUTH_MODES as readonly string[]).includes(value);
}

export function authModeOf(id: AgentId, options: Pick<ScaffoldOptions, "auth">): AuthMode {
  return options.auth?.[id] ?? DEFAULT_AUTH;
}

/** One label per agent, so a config (or a test's container) with several agents keeps each mode. */
export function authLabel(id: AgentId): string {
  return `${LABEL_PREFIX}.auth.${id}`;
}

/** The modes a rendered config records in its `--label=…` run arguments. */
export function modesFromRunArgs(runArgs: readonly string[]): Partial<Record<AgentId, AuthMode>> {
  const modes: Partial<Record<AgentId, AuthMode>> = {};
  for (const arg of runArgs) {
    const match = /^--label=(.+)=([a-z]+)$/.exec(arg);
    if (!match) continue;
    const id = AGENT_IDS.find((candidate) => authLabel(candidate) === match[1]);
    if (id && isAuthMode(match[2]!)) modes[id] = match[2];
  }
  return modes;
}

/** A bad `--auth` entry; the message names the flag. */
export class AuthFlagError extends UserError {}

/** `copy|token|volume|broker` sets every listed agent; `<agent>=<mode>` one of them; later entries win. */
export function applyAuthFlags(
  agents: readonly AgentId[],
  entries: readonly string[],
  base: Partial<Record<AgentId, AuthMode>> = {},
): Record<AgentId, AuthMode> {
  const modes = Object.fromEntries(agents.map((id) => [id, base[id] ?? DEFAULT_AUTH])) as Record<AgentId, AuthMode>;
  for (const entry of entries) {
    const [target, mode] = entry.includes("=") ? (entry.split("=", 2) as [string, string]) : ["", entry];
    if (!isAuthMode(mode)) throw new AuthFlagError(`--auth: unknown mode "${mode}" (use ${AUTH_MODES.join(", ")}, or <agent>=<mode>)`);
    if (target === "") for (const id of agents) modes[id] = mode;
    else if (!isAgentId(target)) throw new AuthFlagError(`--auth: unknown agent "${target}" (choose from ${AGENT_IDS.join(", ")})`);
    else if (!agents.includes(target)) throw new AuthFlagError(`--auth: ${target} is not one of the agents checked`);
    else modes[target] = mode;
  }
  // Checked once all entries apply, so `--auth broker --auth <agent>=token` exempts an agent that cannot be brokered.
  for (const id of agents) {
    const why = modes[id] === "broker" ? brokerRefusal(agent(id)) : undefined;
    if (why) throw new AuthFlagError(`--auth: ${id} cannot use broker: ${why}`, `choose another mode for it, e.g. --auth ${id}=token`);
  }
  return modes;
}

/** Auth mode `broker` works only through the egress enforcer; refuses it with egress `open`. */
export function assertBrokerEgress(modes: Readonly<Partial<Record<AgentId, AuthMode>>>, egress: string | undefined): void {
  const brokered = AGENT_IDS.filter((id) => modes[id] === "broker");
  if (brokered.length > 0 && egress === "open") {
    throw new AuthFlagError(`--auth broker (${brokered.join(", ")}) needs the egress enforcer`, "use --egress allowlist or log, not open");
  }
}
