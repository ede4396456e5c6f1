/** Renders templates/src/<id>/: one Dev Container Template per agent and one with every agent. */
import { agent } from "../catalogue/agents.js";
import { DEFAULT_MCP_SOURCE_PATH } from "../scaffold-defaults.js";
import { REPO_URL } from "../features/refs.js";
import type { TemplateMetadata } from "../model/template.js";
import { mergeTrees, prefixTree, renderJson, type Tree } from "../core/tree.js";
import { renderTemplateConfig, templateHostScripts } from "./config.js";
import { templateDefinitions, type TemplateDefinition } from "./definitions.js";
import { MCP_SOURCE_OPTION, mcpSourceOption, versionOption, versionOptionId } from "./options.js";
import { renderTemplateReadme } from "./readme.js";

export const TEMPLATE_VERSION = "1.0.0";
export { templateDefinitions };

export function renderTemplateMetadata(template: TemplateDefinition): TemplateMetadata {
  const titles = template.agents.map((id) => agent(id).title);
  const name = template.agents.length === 1 ? `${titles[0]} (isolated agent)` : "All coding agents (isolated)";
  return {
    id: template.id,
    version: TEMPLATE_VERSION,
    name,
    description: `${titles.join(", ")} in a container of its own: non-root UID 1000, no-new-privileges, its own clone of the repository, logins copied in read-only, one MCP source for every agent.`,
    documentationURL: `${REPO_URL}/tree/main/templates/src/${template.id}`,
    licenseURL: `${REPO_URL}/blob/main/LICENSE`,
    publisher: "create-agent-devcontainer",
    keywords: ["ai", "agent", ...template.agents],
    options: {
      ...Object.fromEntries(template.agents.map((id) => [versionOptionId(id), versionOption(id)])),
      [MCP_SOURCE_OPTION]: mcpSourceOption(DEFAULT_MCP_SOURCE_PATH),
    },
    platforms: ["Any"],
  };
}

export function renderTemplate(template: TemplateDefinition): Tree {
  const metadata = renderTemplateMetadata(template);
  return new Map([
    ["devcontainer-template.json", { content: renderJson(metadata) }],
    [".devcontainer/devcontainer.json", { content: renderTemplateConfig(template.agents) }],
    ["README.md", { content: renderTemplateReadme(metadata, template) }],
    ...templateHostScripts(template.agents),
  ]);
}

export function renderTemplates(): Tree {
  return mergeTrees(...templateDefinitions().map((template) => prefixTree(`templates/src/${template.id}`, renderTemplate(template))));
}
