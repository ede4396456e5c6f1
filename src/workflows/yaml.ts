/** Workflows are data rendered to YAML by the `yaml` package: deterministic, with a "generated" header. */
import { stringify } from "yaml";

/** Actions pinned by major version: updates within a major arrive, breaking ones do not. */
export const ACTIONS = {
  checkout: "actions/checkout@v4",
  setupNode: "actions/setup-node@v4",
  setupQemu: "docker/setup-qemu-action@v3",
  setupBuildx: "docker/setup-buildx-action@v3",
  login: "docker/login-action@v3",
  metadata: "docker/metadata-action@v5",
  buildPush: "docker/build-push-action@v6",
} as const;

/** The Node.js the workflows run the tools with. */
export const WORKFLOW_NODE = "22";

export type Step = Record<string, unknown>;
export type Workflow = Record<string, unknown>;

/** A GitHub expression, written out: `${{ … }}`. */
export function expr(expression: string): string {
  return `\${{ ${expression} }}`;
}

export function renderWorkflow(header: string, workflow: Workflow): string {
  return `# ${header}\n${stringify(workflow, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
