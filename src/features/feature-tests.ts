/**
 * An agent Feature's tests for `devcontainer features test`: the default test, scenarios (Node.js from a
 * mirror on a plain image; a pinned version with nodeVersion=none on an image with its own Node.js, beside
 * the mcp Feature, which renders this agent's config with the MCP module this Feature installs) and
 * duplicate.sh (installed twice, with alternate options: idempotence).
 * Scenario images and the mirror come from ${localEnv:…} so the same files run on the local test bed.
 */
import { configDir, configEnvValue, configRoot, type AgentRecord } from "../catalogue/agents.js";
import { MCP_FEATURE_DIR } from "../mcp/container.js";
import { testScenario, type FeatureTests } from "./feature.js";

function checks(record: AgentRecord): string {
  return `check "${record.binary} runs as the agent user" ${record.binary} --version
check "runs as UID 1000" bash -c '[ "$(id -u)" = 1000 ]'
check "config relocated" bash -c '[ "$${record.configEnv}" = "${configEnvValue(record)}" ]'
check "config dir private and ours" bash -c '[ "$(stat -c %a:%u ${configRoot(record)})" = 700:1000 ]'
check "config dir writable" bash -c 'touch ${configDir(record)}/.probe && rm ${configDir(record)}/.probe'
check "hook reports" bash -c '/usr/local/share/agent-devcontainer/${record.id}/hook post-start | grep -q "\\[agent-devcontainer\\] ${record.id}:"'
check "apt lists cleaned" bash -c '[ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial -e auxfiles)" ]'`;
}

/** The mcp Feature's hook, run in a workspace with one server, finds this agent and writes its config, privately. */
function mcpCheck(record: AgentRecord): string {
  const file = `${configDir(record)}/${record.mcp.file}`;
  return `check "the mcp Feature renders this agent's config" bash -c 'w="$(mktemp -d)" && mkdir "$w/.devcontainer" && printf "%s\\n" "[mcp_servers.probe]" "command = \\"true\\"" >"$w/.devcontainer/mcp.toml" && (cd "$w" && ${MCP_FEATURE_DIR}/hook post-start) | grep -q "→ ${record.id};" && grep -q probe ${file} && [ "$(stat -c %a ${file})" = 600 ]'`;
}

/** The test bed's Node.js image keeps node in /opt/node: the Feature must use it and add none of its own. */
const imageNodeCheck = `check "image's node kept" bash -c '[ "$(command -v node)" = /opt/node/bin/node ] && [ ! -e /usr/local/bin/node ]'`;

export function agentFeatureTests(record: AgentRecord): FeatureTests {
  const pinnedVersion = record.pinnedVersion;
  const id = record.id;
  const versionCheck = `check "pinned version installed" bash -c '${record.binary} --version | grep -qF "${pinnedVersion}"'`;
  // Each scenario is a full image build, so the pinned version rides on the image that brings its own Node.js.
  return {
    source: "src/features/feature-tests.ts",
    checks: () => checks(record),
    scenarios: {
      node_from_mirror: {
        config: testScenario("AGENT_DC_TEST_BASE_IMAGE", id, { nodeMirror: "${localEnv:AGENT_DC_TEST_NODE_MIRROR}" }),
        checks: `check "node from the mirror" bash -c '[ "$(command -v node)" = /usr/local/bin/node ]'`,
      },
      pinned_version_image_node: {
        // The mcp Feature rides on this build (no scenario of its own), on the image's Node.js like the agent.
        config: testScenario("AGENT_DC_TEST_NODE_IMAGE", id, { version: pinnedVersion, nodeVersion: "none" }, { mcp: { nodeVersion: "none" } }),
        checks: `${versionCheck}\n${imageNodeCheck}\n${mcpCheck(record)}`,
      },
    },
  };
}
