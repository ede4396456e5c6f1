/**
 * Every agent container on the engine, launched or brought up from a scaffolded config (plain `devcontainer
 * up`, VS Code), as `list` and the dashboard show them: two `docker ps` and their inspects, asynchronous, or
 * from an inventory already read (inventory.ts).
 */
import { EGRESS_LABEL } from "../egress/layout.js";
import { failingLogin } from "../egress/login-status.js";
import { LABELS } from "../labels.js";
import { containersLabelled, type AppliedLimits, type EngineContainer } from "../engine/containers.js";

/** The devcontainer CLI's label on every container it creates: the folder it was brought up from. */
export const DEVCONTAINER_FOLDER_LABEL = "devcontainer.local_folder";

export type ContainerKind = "launched" | "scaffolded";

export interface ListRow {
  name: string;
  kind: ContainerKind;
  agent: string;
  repo: string;
  /** A launched container's branch; empty for a scaffolded one (it picks its own). */
  branch: string;
  state: string;
  createdAt: string;
  id: string;
  /** A launched container's state folder; empty for a scaffolded one. */
  stateDir: string;
  /** A scaffolded container's host folder. */
  folder?: string;
  /** The container's and its enforcer's limits, as Docker applies them (0: none). */
  limits: AppliedLimits;
  enforcerLimits?: AppliedLimits;
  /** Why its brokered subscription login fails, with the fix (one line); absent while it works. */
  login?: string;
}

export function kindOf(container: EngineContainer): ContainerKind {
  return container.labels[LABELS.launch] ? "launched" : "scaffolded";
}

/** A container's name as the commands take it: a launch's own name, else Docker's. */
export function nameOf(container: EngineContainer): string {
  return container.labels[LABELS.launch] || container.name;
}

export function folderOf(container: EngineContainer): string | undefined {
  return container.labels[LABELS.localFolder] || container.labels[DEVCONTAINER_FOLDER_LABEL] || undefined;
}

const ENFORCER_LABEL = `${EGRESS_LABEL}.config`;

export async function listContainers(): Promise<ListRow[]> {
  const [agents, enforcers] = await Promise.all([containersLabelled(LABELS.agent), containersLabelled(ENFORCER_LABEL)]);
  return listRows([...agents, ...enforcers]);
}

/** The rows of the agent containers among these (any containers: an inventory's, or the labelled ones), by name. */
export function listRows(containers: readonly EngineContainer[]): ListRow[] {
  const agents = containers.filter((c) => LABELS.agent in c.labels);
  const enforcers = containers.filter((c) => ENFORCER_LABEL in c.labels);
  const enforcerOf = (c: EngineContainer) => enforcers.find((e) => c.labels[EGRESS_LABEL] && e.labels[EGRESS_LABEL] === c.labels[EGRESS_LABEL]);
  return agents
    .map((c): ListRow => {
      const enforcer = enforcerOf(c);
      const folder = kindOf(c) === "scaffolded" ? folderOf(c) : undefined;
      const login = failingLogin(c.labels[EGRESS_LABEL]);
      return {
        name: nameOf(c),
        kind: kindOf(c),
        agent: c.labels[LABELS.agent] ?? "",
        repo: c.labels[LABELS.repo] ?? "",
        branch: c.labels[LABELS.branch] ?? "",
        state: c.status,
        createdAt: c.createdAt,
        id: c.id.slice(0, 12),
        stateDir: c.labels[LABELS.stateDir] ?? "",
        ...(folder ? { folder } : {}),
        limits: c.limits,
        ...(enforcer ? { enforcerLimits: enforcer.limits } : {}),
        ...(login ? { login } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
