/** Renders an agent's Feature (metadata, install.sh, README) from its catalogue record. */
import { agentEnvironment, configRoot, STATE_ROOT, type AgentRecord } from "../catalogue/agents.js";
import type { FeatureMetadata } from "../model/feature.js";
import { renderJson, type Tree } from "../render/tree.js";
import { agentOptions } from "./options.js";
import { renderFeatureReadme } from "./readme.js";
import { REPO_URL } from "./refs.js";
import { shellQuote } from "../render/shell-quote.js";
import { renderOptionChecks, installScriptPreamble } from "./shell-lib.js";

export const FEATURE_VERSION = "1.0.0";
/** Where Features install their hook bundles inside the image. */
export const HOOKS_ROOT = "/usr/local/share/agent-devcontainer";

export function hookCommand(id: string, phase: "post-create" | "post-start"): string {
  return `${HOOKS_ROOT}/${id}/hook ${phase}`;
}

export function renderAgentFeatureMetadata(record: AgentRecord): FeatureMetadata {
  return {
    id: record.id,
    version: FEATURE_VERSION,
    name: record.title,
    description: `Installs ${record.title} (${record.npmPackage}) for a non-root user, with its config relocated to a private, writable per-container folder.`,
    documentationURL: `${REPO_URL}/tree/main/features/src/${record.id}`,
    licenseURL: `${REPO_URL}/blob/main/LICENSE`,
    keywords: [...new Set(["ai", "agent", record.id, record.binary])],
    options: Object.fromEntries(agentOptions(record.npmPackage).map((spec) => [spec.name, spec.option])),
    containerEnv: {
      ...agentEnvironment(record),
      NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt",
    },
    postCreateCommand: hookCommand(record.id, "post-create"),
    postStartCommand: hookCommand(record.id, "post-start"),
  };
}

export function renderAgentInstallScript(record: AgentRecord): string {
  return `${installScriptPreamble(record.id, "src/features/agent-feature.ts")}
${renderOptionChecks(agentOptions(record.npmPackage))}

require_root_on_debian
trust_system_cas
apt_install curl git
resolve_agent_user
install_node "$NODE_VERSION" "$NODE_MIRROR"
install_npm_package ${shellQuote(record.npmPackage)} "$VERSION" ${shellQuote(record.binary)} ${shellQuote(record.configEnv)}
make_private_dir ${shellQuote(configRoot(record))}
install_hooks "$FEATURE_DIR" ${shellQuote(`${HOOKS_ROOT}/${record.id}`)}
clean_apt
printf '%s ready for %s; config in %s\\n' ${shellQuote(record.title)} "$AGENT_USER" ${shellQuote(configRoot(record))}
`;
}

export function renderAgentFeature(record: AgentRecord, hookBundle: string): Tree {
  const metadata = renderAgentFeatureMetadata(record);
  return new Map([
    ["devcontainer-feature.json", { content: renderJson(metadata) }],
    ["install.sh", { content: renderAgentInstallScript(record), mode: 0o755 }],
    ["hooks/hook.js", { content: hookBundle }],
    ["README.md", { content: renderFeatureReadme(metadata, record, STATE_ROOT) }],
  ]);
}
