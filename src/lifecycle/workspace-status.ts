/** What deleting a container's workspace would lose, asked of the workspace hook inside (`rm`'s guard). */
import { HOOKS_ROOT } from "../features/feature.js";
import { WORKSPACE_FEATURE_ID } from "../features/workspace-feature.js";
import { LaunchError } from "../launch/errors.js";
import { escapeLine } from "../terminal.js";
import type { WorkspaceStatus } from "../workspace/status.js";
import { docker, dockerOk } from "../engine/docker.js";
import type { EngineContainer } from "../engine/containers.js";

/** Starts a stopped container for it (the hook runs inside). The answer comes from inside: only its expected shape is believed. */
export async function workspaceStatus(name: string, container: Pick<EngineContainer, "id" | "running">): Promise<WorkspaceStatus> {
  if (!container.running) await dockerOk(["start", container.id]);
  const result = await docker(["exec", container.id, `${HOOKS_ROOT}/${WORKSPACE_FEATURE_ID}/hook`, "status"], 60_000);
  const refuse = (why: string) => new LaunchError(`cannot check ${name} for unpushed work: ${escapeLine(why.slice(0, 300))}`, "pass --force to remove it anyway");
  if (result.status !== 0) throw refuse(result.stderr.trim().split("\n").pop() ?? "");
  try {
    const status = JSON.parse(result.stdout) as WorkspaceStatus;
    if (typeof status.provisioned === "boolean" && typeof status.branch === "string" && Number.isInteger(status.uncommitted) && Number.isInteger(status.unpushed)) {
      return { provisioned: status.provisioned, branch: escapeLine(status.branch), uncommitted: status.uncommitted, unpushed: status.unpushed };
    }
  } catch {
    // fall through: not JSON
  }
  throw refuse("its answer is not a workspace status");
}

/** The user the config runs the agent as (the last `remoteUser` in the devcontainer CLI's metadata label), for the commands a refusal suggests. */
export function remoteUserOf(container: Pick<EngineContainer, "labels">): string {
  try {
    const entries = JSON.parse(container.labels["devcontainer.metadata"] ?? "[]") as { remoteUser?: unknown }[];
    const user = entries.map((e) => e.remoteUser).filter((u): u is string => typeof u === "string" && /^[a-z_][a-z0-9_-]*$/i.test(u)).pop();
    return user ?? "agent";
  } catch {
    return "agent";
  }
}
