/** Container labels that identify what we started; `list` and the tests read them back. */
export const LABEL_PREFIX = "io.github.create-agent-devcontainer";

export const LABELS = {
  agent: `${LABEL_PREFIX}.agent`,
  repo: `${LABEL_PREFIX}.repo`,
} as const;

export function labelArgs(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `--label=${key}=${value}`);
}
