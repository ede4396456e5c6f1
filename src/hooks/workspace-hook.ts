/**
 * In-container entry point of the workspace Feature, bundled as hooks/hook.js and run as the remote user:
 * `hook.js workspace on-create` provisions the clone (the Feature's onCreateCommand);
 * `hook.js workspace status` prints what deleting the workspace would lose, as JSON (for `rm`).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { git, gitResult } from "../workspace/git.js";
import { parseLaunchInput, type LaunchInput } from "../workspace/launch-input.js";
import { AGENT_ENV, AGENT_ID_PATTERN, HOST_REPO_MOUNT, LAUNCH_INPUT_FILE, LAUNCH_INPUT_MOUNT, OUTBOX_DIR, WORKSPACE_DIR } from "../workspace/layout.js";
import { findOnPath } from "../core/on-path.js";
import { isProvisioned, markerPath, provisionSteps, type ProvisionedState } from "../workspace/provision.js";
import { workspaceStatus } from "../workspace/status.js";
import { log, runSteps } from "../hook-steps.js";

function main(argv: string[]): number {
  const [, phase = ""] = argv;
  if (phase !== "on-create" && phase !== "status") {
    process.stderr.write(`usage: hook.js workspace <on-create|status> (got "${phase}")\n`);
    return 2;
  }
  // The Feature alone (no config of ours around it) has nothing to clone: a no-op, not a failure.
  if (phase === "on-create" && !existsSync(HOST_REPO_MOUNT)) {
    log(`workspace: no host repository mounted at ${HOST_REPO_MOUNT}; nothing to provision`);
    return 0;
  }
  const agentId = process.env[AGENT_ENV] ?? "";
  if (!AGENT_ID_PATTERN.test(agentId)) {
    process.stderr.write(`[agent-devcontainer] workspace: ${AGENT_ENV} must be an agent id, such as claude (got "${agentId}")\n`);
    return 2;
  }
  if (phase === "on-create") return onCreate(agentId);
  const status = workspaceStatus(WORKSPACE_DIR, agentId, readInput()?.localDisposable ?? false);
  process.stdout.write(`${JSON.stringify(status)}\n`);
  return 0;
}

function onCreate(agentId: string): number {
  if (isProvisioned(WORKSPACE_DIR)) {
    const { branch } = readMarker();
    log(`workspace: ${WORKSPACE_DIR} already provisioned on ${branch}; nothing changed`);
    return 0;
  }
  trustHostRepo();
  const started = Date.now();
  const input = readInput();
  const plan = {
    hostRepo: HOST_REPO_MOUNT,
    outbox: OUTBOX_DIR,
    workspace: WORKSPACE_DIR,
    agentId,
    ...(input ? { input, inputDir: LAUNCH_INPUT_MOUNT } : {}),
    now: new Date(),
    hasGh: findOnPath("gh") !== undefined,
    log: (message: string) => log(`workspace: ${message}`),
  };
  const code = runSteps("workspace on-create", provisionSteps(plan));
  if (code === 0) {
    const { branch } = readMarker();
    log(`workspace: ready in ${WORKSPACE_DIR} on ${branch} (${((Date.now() - started) / 1000).toFixed(2)} s)`);
    log("workspace: git push goes to the outbox (remote local); import it into the host repository with: npx create-agent-devcontainer sync");
  }
  return code;
}

function readMarker(): ProvisionedState {
  return JSON.parse(readFileSync(markerPath(WORKSPACE_DIR), "utf8")) as ProvisionedState;
}

function readInput(): LaunchInput | undefined {
  const path = join(LAUNCH_INPUT_MOUNT, LAUNCH_INPUT_FILE);
  return existsSync(path) ? parseLaunchInput(readFileSync(path, "utf8")) : undefined;
}

/** When the host repo belongs to another UID (a Linux host user other than 1000), git would refuse to read it. */
function trustHostRepo(): void {
  if (statSync(HOST_REPO_MOUNT).uid === process.getuid?.()) return;
  const trusted = gitResult(["config", "--global", "--get-all", "safe.directory"]).stdout.split("\n");
  if (!trusted.includes(HOST_REPO_MOUNT)) git(["config", "--global", "--add", "safe.directory", HOST_REPO_MOUNT]);
}

process.exitCode = main(process.argv.slice(2));
