/**
 * The agents this host has a login or key for, as `doctor` finds them (a login file that holds a login, a
 * token variable that is set, a macOS Keychain item), with what was found: the scaffolder's default set of
 * agents, so `--yes` writes configs for the agents someone uses rather than for every agent there is.
 */
import { allAgents, type AgentId } from "../catalogue/agents.js";
import { candidatePaths, type LoginFacts } from "./diagnose.js";

export interface FoundLogin {
  id: AgentId;
  /** What was found: `~/…` paths, `$VARIABLE` names, Keychain items. */
  found: string[];
}

export function foundLogins(facts: LoginFacts): FoundLogin[] {
  return allAgents().flatMap((record) => {
    const files = record.hostLogin.flatMap((file) => candidatePaths(file, facts).filter((path) => facts.files[path]?.holdsLogin));
    const tokens = record.tokenEnv.filter((name) => facts.tokens.includes(name)).map((name) => `$${name}`);
    const keychain = record.keychainService && facts.keychain.includes(record.keychainService) ? [`Keychain item "${record.keychainService}"`] : [];
    const found = [...files.map((path) => tilde(path, facts.home)), ...tokens, ...keychain];
    return found.length > 0 ? [{ id: record.id, found }] : [];
  });
}

/** The `--yes` default and the sentence that says why: the agents with a login here, else every agent. */
export function defaultAgents(facts: LoginFacts, all: readonly AgentId[]): { agents: AgentId[]; why: string } {
  const found = foundLogins(facts);
  if (found.length === 0) {
    return { agents: [...all], why: `agents: all ${all.length} (no agent login or key found on this host; choose with --agent)` };
  }
  const evidence = found.map(({ id, found: what }) => `${id} ${what.join(", ")}`).join("; ");
  return { agents: found.map(({ id }) => id), why: `agents: ${found.map(({ id }) => id).join(", ")} (their logins or keys are on this host: ${evidence}; choose with --agent)` };
}

function tilde(path: string, home: string): string {
  return home && path.startsWith(`${home}/`) ? `~/${path.slice(home.length + 1)}` : path;
}
