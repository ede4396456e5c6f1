/**
 * Where the isolated workspace lives inside the container and how it reaches the host repository. Shared by
 * the config renderer, the workspace Feature, its hook and the launcher, so the four cannot disagree.
 */

/** The clone: the root of a per-container named volume, owned by the agent user (the Feature creates it). */
export const WORKSPACE_DIR = "/workspace";

/**
 * The host repository's git dir (its common dir for worktrees) as the container sees it, read-only: the
 * clone's source and the objects the outbox borrows. It is a view the host step builds (HOST_VIEW_DIR:
 * sanitised configs, copies of HEAD and packed-refs, sanitised submodule copies) with the repository's
 * live `objects` and `refs` mounted into it (HOST_LIVE_DIRS); no other file of the git dir is mounted.
 */
export const HOST_REPO_MOUNT = "/mnt/host-repo.git";

/** The git dir's folders mounted as they are, into the view: nothing in them is config. */
export const HOST_LIVE_DIRS = ["objects", "refs"] as const;

/**
 * The outbox: a bare repository on its own per-container volume, the only git repository outside the clone
 * that the agent can write. `git push` goes here; the host imports from it with `sync`, by its own git.
 */
export const OUTBOX_DIR = "/var/lib/agent-devcontainer/outbox.git";

/** Launch inputs (branch, base commit, identity, carried changes), mounted read-only by `launch`. */
export const LAUNCH_INPUT_MOUNT = "/mnt/agent-devcontainer/launch";
export const LAUNCH_INPUT_FILE = "launch.json";
/** Carried changes inside the launch inputs: two patches (index, working tree) and a copy of new files. */
export const CARRY = { dir: "carry", staged: "carry/staged.patch", unstaged: "carry/unstaged.patch", untracked: "carry/untracked" } as const;

/** Tells the hook whose branch namespace it provisions (set by the config, not secret). */
export const AGENT_ENV = "AGENT_DEVCONTAINER_AGENT";
/**
 * What its value must look like: an agent id's shape, checked without the agent registry, which the
 * workspace Feature does not carry (a change to one agent changes that agent's Feature only).
 */
export const AGENT_ID_PATTERN = /^[a-z][a-z0-9-]*$/;

/** Written inside the clone's .git when provisioning finished: its presence makes the hook a no-op. */
export const PROVISIONED_MARKER = "agent-devcontainer-workspace.json";

/** Named volume holding a container's clone. */
export function workspaceVolume(suffix: string): string {
  return `agent-workspace-${suffix}`;
}

/** Named volume holding a container's outbox. */
export function outboxVolume(suffix: string): string {
  return `agent-outbox-${suffix}`;
}

/** In the host-side folder of one container (launch's state folder, or the scaffolded config's): the git dir's view. */
export const HOST_VIEW_DIR = "git-view";

/**
 * The read-only remote for the host repository inside the clone (`git fetch host` brings the host's branches).
 * upload-pack serves a partial clone's filter, which the read-only mount's config cannot enable.
 */
export const HOST_REMOTE = "host";
export const HOST_UPLOAD_PACK = "git -c uploadpack.allowFilter=true -c uploadpack.allowAnySHA1InWant=true upload-pack";
