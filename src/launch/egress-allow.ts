/**
 * `egress allow` as one operation, for the CLI and the dashboard alike: entries join the running
 * enforcer's allowlist (its allow.txt, read on the next connection, no restart), and with `save` the
 * repository's .devcontainer/egress.toml too. The file is planned first, so a file that cannot be edited
 * leaves the container's policy as it was.
 */
import { allowedRules, blockedHosts, type BlockedHost } from "../egress/blocked.js";
import type { Connection } from "../egress/connection.js";
import { allowHost, connections, type EgressTarget } from "../egress/inspect.js";
import { applyPolicyChange, planPolicyChange, policyRepo, type PolicyChange } from "./policy-repo.js";

/** What is blocked for this container now, less what has been allowed since (from its log, read here unless given). */
export async function blockedNow(target: EgressTarget, name: string, log?: readonly Connection[]): Promise<BlockedHost[]> {
  return blockedHosts(log ?? (await connections(target)), name, allowedRules(target.id));
}

export interface AllowSave {
  /** The repository whose policy file is edited (default: the one the container came from). */
  repo?: string;
}

export interface AllowOutcome {
  /** The entries as the enforcer lists them. */
  allowed: string[];
  /** With `save`: the policy file's change (an empty diff when every entry was listed already). */
  change?: PolicyChange;
}

export async function allowEntries(target: EgressTarget, entries: readonly string[], save?: AllowSave): Promise<AllowOutcome> {
  const change = save ? planPolicyChange(await policyRepo(target, save.repo), entries) : undefined;
  const allowed = entries.map((entry) => allowHost(target, entry));
  if (change) applyPolicyChange(change);
  return { allowed, ...(change ? { change } : {}) };
}
