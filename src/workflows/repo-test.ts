/**
 * This repository's pull-request workflow: the same checks as .ci/run. On GitHub's runners Docker is
 * there and images can be pulled, so the end-to-end tests take a pulled Debian as their base image
 * instead of building one with debootstrap (AGENT_DC_TEST_BASE_IMAGE), and the official schemas come
 * from a checkout of devcontainers/spec.
 */
import { ACTIONS, WORKFLOW_NODE, expr, type Step, type Workflow } from "./yaml.js";

const SCHEMAS = { DEVCONTAINER_SCHEMA_DIR: `${expr("github.workspace")}/.spec/schemas` };
export const E2E_BASE_IMAGE = "debian:bookworm-slim";

function setup(): Step[] {
  return [
    { uses: ACTIONS.checkout },
    { name: "Official Dev Container schemas", uses: ACTIONS.checkout, with: { repository: "devcontainers/spec", path: ".spec" } },
    { uses: ACTIONS.setupNode, with: { "node-version": WORKFLOW_NODE, cache: "npm" } },
    { run: "npm ci" },
  ];
}

export function testWorkflow(): Workflow {
  return {
    name: "Test",
    on: { pull_request: {}, push: { branches: ["main"] } },
    permissions: { contents: "read" },
    concurrency: { group: `test-${expr("github.ref")}`, "cancel-in-progress": true },
    jobs: {
      checks: {
        name: "Build, generated files, unit tests",
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 20,
        steps: [
          ...setup(),
          { run: "npm run build" },
          { run: "npm run typecheck" },
          { name: "Generated files are up to date", run: "npm run check:generated" },
          { name: "ShellCheck", run: "npm run lint:sh" },
          { run: "npm run test:unit", env: SCHEMAS },
        ],
      },
      e2e: {
        name: "End-to-end tests (Docker)",
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 90,
        env: { ...SCHEMAS, AGENT_DC_TEST_BASE_IMAGE: E2E_BASE_IMAGE },
        steps: [
          ...setup(),
          { name: "Test bed base image", run: `docker pull ${E2E_BASE_IMAGE}` },
          { run: "npx vitest run --project e2e" },
        ],
      },
    },
  };
}
