/** Container labels that identify what we started; `list` and the tests read them back. */
export const LABEL_PREFIX = "io.github.create-agent-devcontainer";

export const LABELS = {
  agent: `${LABEL_PREFIX}.agent`,
  repo: `${LABEL_PREFIX}.repo`,
  /** Set by `launch` only: the container's name (its devcontainer id label), its branch and its state folder. */
  launch: `${LABEL_PREFIX}.launch`,
  branch: `${LABEL_PREFIX}.branch`,
  stateDir: `${LABEL_PREFIX}.state-dir`,
  /** On a scaffolded config's container: the host folder it was brought up from (where `sync` finds it). */
  localFolder: `${LABEL_PREFIX}.local-folder`,
  /** On a workspace volume (scaffolded or launched): the agent whose clone it holds. */
  workspace: `${LABEL_PREFIX}.workspace`,
} as const;

export function labelArgs(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `--label=${key}=${value}`);
}
