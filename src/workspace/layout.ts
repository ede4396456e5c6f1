/**
 * Where the isolated workspace lives inside the container and how it reaches the host repository. Shared by
 * the config renderer, the workspace Feature, its hook and the launcher, so the four cannot disagree.
 */

/** The clone: the root of a per-container named volume, owned by the agent user (the Feature creates it). */
export const WORKSPACE_DIR = "/workspace";

/** The host repository's git dir (its common dir for worktrees): read-only, except what a push writes. */
export const HOST_REPO_MOUNT = "/mnt/host-repo.git";

/** Launch inputs (branch, base commit, identity, carried changes), mounted read-only by `launch`. */
export const LAUNCH_INPUT_MOUNT = "/mnt/agent-devcontainer/launch";
export const LAUNCH_INPUT_FILE = "launch.json";
/** Carried changes inside the launch inputs: two patches (index, working tree) and a copy of new files. */
export const CARRY = { dir: "carry", staged: "carry/staged.patch", unstaged: "carry/unstaged.patch", untracked: "carry/untracked" } as const;

/** Tells the hook whose branch namespace it provisions (set by the config, not secret). */
export const AGENT_ENV = "AGENT_DEVCONTAINER_AGENT";

/** Written inside the clone's .git when provisioning finished: its presence makes the hook a no-op. */
export const PROVISIONED_MARKER = "agent-devcontainer-workspace.json";

/** Named volume holding a container's clone. */
export function workspaceVolume(suffix: string): string {
  return `agent-workspace-${suffix}`;
}

/**
 * The parts of the host git dir a push writes, relative to it: new objects, and the agent's own branch
 * namespace with its reflogs. Everything else (config, hooks, HEAD, index, packed-refs, other branches)
 * stays read-only, so an agent can neither plant code the host later runs nor move the host's branches.
 */
export function pushWritableDirs(agentId: string): string[] {
  return ["objects", `refs/heads/${agentId}`, `logs/refs/heads/${agentId}`];
}

/**
 * The command `git push` runs for `local` (inside the container): whatever the host repo's own config
 * says, never update a checked-out branch, and never start a gc that would rewrite the host's packs.
 */
export const LOCAL_RECEIVE_PACK =
  "git -c receive.denyCurrentBranch=refuse -c receive.denyDeleteCurrent=refuse -c receive.autogc=false receive-pack";
