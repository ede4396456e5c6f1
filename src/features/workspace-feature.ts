/**
 * Renders the workspace Feature: git, the mount point of the clone's volume (owned by the agent user, which
 * Docker copies into a new named volume), and the hook that provisions the clone at create time.
 */
import type { FeatureMetadata } from "../model/feature.js";
import { shellQuote } from "../core/shell-quote.js";
import type { Tree } from "../core/tree.js";
import { HOST_REPO_MOUNT, OUTBOX_DIR, WORKSPACE_DIR } from "../workspace/layout.js";
import { HOOKS_ROOT, renderFeature, renderFeatureMetadata, renderFeatureTests, renderInstallScript, testScenario, type FeatureDefinition } from "./feature.js";
import { nodeOptions } from "./options.js";

export const WORKSPACE_FEATURE_ID = "workspace";
const HOOK_DIR = `${HOOKS_ROOT}/${WORKSPACE_FEATURE_ID}`;

export const WORKSPACE_FEATURE: FeatureDefinition = {
  id: WORKSPACE_FEATURE_ID,
  version: "1.0.8",
  name: "Agent workspace",
  description:
    "Gives an AI coding agent its own clone of the host repository on a per-container volume: remotes origin (upstream), host (the host repository, read-only) and local (an outbox the host imports from, where git push goes), and its own branch.",
  keywords: ["ai", "agent", "git", "workspace"],
  options: nodeOptions(),
  metadata: {
    // onCreate: the clone exists before any agent Feature's postCreate hook and before an editor opens it.
    onCreateCommand: `${HOOK_DIR}/hook on-create`,
  },
  source: "src/features/workspace-feature.ts",
  install: {
    steps: `require_root_on_debian
trust_system_cas
apt_install git
resolve_agent_user
install_node "$NODE_VERSION" "$NODE_MIRROR"
# The clone's volume is mounted here: a new named volume takes this folder's owner, so the agent can write it.
install -d -m 0755 -o "$AGENT_USER" -g "$AGENT_GROUP" ${shellQuote(WORKSPACE_DIR)}
chown "$AGENT_USER:$AGENT_GROUP" ${shellQuote(WORKSPACE_DIR)}
# Likewise the outbox's volume: the only repository outside the clone the agent writes.
install -d -m 0755 -o "$AGENT_USER" -g "$AGENT_GROUP" ${shellQuote(OUTBOX_DIR)}
chown "$AGENT_USER:$AGENT_GROUP" ${shellQuote(OUTBOX_DIR)}
install_hooks "$FEATURE_DIR" ${shellQuote(HOOK_DIR)}
clean_apt
printf 'Agent workspace ready for %s: the clone goes to %s\\n' "$AGENT_USER" ${shellQuote(WORKSPACE_DIR)}
`,
  },
  readme: {
    notes: `The configs written by \`npx create-agent-devcontainer\` (and \`launch\`) add this Feature together with the
mounts it works with; used on its own it installs git and does nothing at create time.`,
    setup: `- git (and Node.js for its hook, when the image has none), on Debian or Ubuntu.
- \`${WORKSPACE_DIR}\`, owned by the non-root agent user (UID 1000): the mount point of the per-container
  volume that holds the clone.
- \`${OUTBOX_DIR}\`, likewise: the mount point of the per-container outbox volume.
- An onCreateCommand that clones the host repository mounted read-only at \`${HOST_REPO_MOUNT}\` into
  \`${WORKSPACE_DIR}\` (what git tracks, never the host's working tree), creates the outbox (a bare repository
  borrowing the host's objects), adds the remotes \`host\`, \`local\` (the outbox) and \`origin\`, sets
  \`remote.pushDefault=local\` and \`push.default=current\`, checks out the agent's branch \`<agent>/<feature>\`,
  initialises submodules from the host's copies, and applies carried changes from \`launch --carry-changes\`.
  Re-running it on a provisioned workspace changes nothing.`,
  },
  tests: {
    source: "src/features/workspace-feature.ts",
    checks: () => `check "git installed" git --version
check "runs as UID 1000" bash -c '[ "$(id -u)" = 1000 ]'
check "workspace folder is the agent's" bash -c '[ "$(stat -c %u ${WORKSPACE_DIR})" = 1000 ]'
check "workspace folder writable" bash -c 'touch ${WORKSPACE_DIR}/.probe && rm ${WORKSPACE_DIR}/.probe'
check "outbox folder is the agent's" bash -c '[ "$(stat -c %u ${OUTBOX_DIR})" = 1000 ]'
check "create hook is a no-op without a host repository" bash -c '${HOOK_DIR}/hook on-create | grep -q "nothing to provision"'
check "status of an unprovisioned workspace" bash -c 'AGENT_DEVCONTAINER_AGENT=claude ${HOOK_DIR}/hook status | grep -qF "\\"provisioned\\":false"'
check "hook refuses a value that is no agent id" bash -c '! AGENT_DEVCONTAINER_AGENT=../x ${HOOK_DIR}/hook status 2>/dev/null'
check "apt lists cleaned" bash -c '[ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial -e auxfiles)" ]'`,
    scenarios: {
      node_from_mirror: {
        config: testScenario("AGENT_DC_TEST_BASE_IMAGE", WORKSPACE_FEATURE_ID, { nodeMirror: "${localEnv:AGENT_DC_TEST_NODE_MIRROR}" }),
        checks: `check "node from the mirror" bash -c '[ "$(command -v node)" = /usr/local/bin/node ]'`,
      },
      image_has_node: {
        config: testScenario("AGENT_DC_TEST_NODE_IMAGE", WORKSPACE_FEATURE_ID, { nodeVersion: "none" }),
        checks: `check "image's node kept" bash -c '[ "$(command -v node)" = /opt/node/bin/node ]'`,
      },
    },
  },
};

export function renderWorkspaceFeatureMetadata(): FeatureMetadata {
  return renderFeatureMetadata(WORKSPACE_FEATURE);
}

export function renderWorkspaceInstallScript(): string {
  return renderInstallScript(WORKSPACE_FEATURE);
}

export function renderWorkspaceFeature(hookBundle: string): Tree {
  return renderFeature(WORKSPACE_FEATURE, { "hooks/hook.js": hookBundle });
}

/** features/test/workspace: `devcontainer features test` runs these (images and mirror from the test bed's env). */
export function renderWorkspaceFeatureTests(): Tree {
  return renderFeatureTests(WORKSPACE_FEATURE);
}
