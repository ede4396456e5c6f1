/** An agent's Feature (metadata, install.sh, README, tests), defined from its catalogue record. */
import { agentEnvironment, configDir, configRoot, STATE_ROOT, type AgentRecord } from "../catalogue/agents.js";
import { MCP_MODULE_FILE, mcpModulePath } from "../mcp/agent-module.js";
import { shellQuote } from "../core/shell-quote.js";
import type { Tree } from "../core/tree.js";
import { agentFeatureTests } from "./feature-tests.js";
import { HOOKS_ROOT, hookCommand, renderFeature, renderFeatureMetadata, renderFeatureTests, renderInstallScript, type FeatureDefinition } from "./feature.js";
import { agentOptions } from "./options.js";
import { DEFAULT_FEATURE_OWNER, FEATURE_MAJOR, REPO_NAME } from "./refs.js";

export function agentFeature(record: AgentRecord): FeatureDefinition {
  const containerEnv = { ...agentEnvironment(record), NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt" };
  return {
    id: record.id,
    version: record.featureVersion,
    name: record.title,
    description: `Installs ${record.title} (${record.npmPackage}) for a non-root user, with its config relocated to a private, writable per-container folder.`,
    keywords: [...new Set(["ai", "agent", record.id, record.binary])],
    options: agentOptions(record.npmPackage),
    metadata: {
      containerEnv,
      postCreateCommand: hookCommand(record.id, "post-create"),
      postStartCommand: hookCommand(record.id, "post-start"),
    },
    source: "src/features/agent-feature.ts",
    install: {
      steps: `require_root_on_debian
trust_system_cas
apt_install curl git
resolve_agent_user
install_node "$NODE_VERSION" "$NODE_MIRROR"
install_npm_package ${shellQuote(record.npmPackage)} "$VERSION" ${shellQuote(record.binary)} ${shellQuote(record.configEnv)}
make_private_dir ${shellQuote(configRoot(record))}
install_hooks "$FEATURE_DIR" ${shellQuote(`${HOOKS_ROOT}/${record.id}`)}
# This agent's MCP module: the mcp Feature's hook loads it to render the agent's MCP config.
install -m 0644 "$FEATURE_DIR/hooks/${MCP_MODULE_FILE}" ${shellQuote(mcpModulePath(record.id))}
clean_apt
printf '%s ready for %s; config in %s\\n' ${shellQuote(record.title)} "$AGENT_USER" ${shellQuote(configRoot(record))}
`,
    },
    readme: {
      usage: `"features": {
  "ghcr.io/${DEFAULT_FEATURE_OWNER}/${REPO_NAME}/${record.id}:${FEATURE_MAJOR}": {}
}`,
      setup: `- \`${record.binary}\` from npm (\`${record.npmPackage}\`), checked with \`${record.binary} --version\` at build time.
- Node.js when the image has none: from the official distribution (SHA-256 checked), or with \`nodeMirror: "npm"\`
  from the npm registry (its sha512 integrity checked), and the tools it needs
  (ca-certificates, curl, git) on Debian or Ubuntu.
- A non-root user with UID 1000 (the configured \`remoteUser\`, or \`agent\`) when the image has none.
- A private (0700) config folder under \`${STATE_ROOT}\`, owned by that user, that the agent writes to at run time.
- A create/start hook that prepares that folder and reports the agent's version and login state.
- \`${mcpModulePath(record.id)}\`: this agent's part of MCP for the \`mcp\` Feature, whose hook loads it to
  render the MCP source into \`${configDir(record)}/${record.mcp.file}\`.`,
      after: `## Environment

| Variable | Value |
|---|---|
${Object.entries(containerEnv)
  .map(([name, value]) => `| \`${name}\` | \`${value}\` |`)
  .join("\n")}

No secrets are baked into the image: logins are provided at run time (see the project README).`,
    },
    tests: agentFeatureTests(record),
  };
}

export function renderAgentFeatureMetadata(record: AgentRecord) {
  return renderFeatureMetadata(agentFeature(record));
}

export function renderAgentInstallScript(record: AgentRecord): string {
  return renderInstallScript(agentFeature(record));
}

export function renderAgentFeature(record: AgentRecord, hookBundle: string, mcpModule: string): Tree {
  return renderFeature(agentFeature(record), { "hooks/hook.js": hookBundle, [`hooks/${MCP_MODULE_FILE}`]: mcpModule });
}

export function renderAgentFeatureTests(record: AgentRecord): Tree {
  return renderFeatureTests(agentFeature(record));
}
