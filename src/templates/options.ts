/**
 * Template options. A template can only substitute `${templateOption:id}` into its files, so an option
 * exists only where the renderers express it as a value: each agent's version (its Feature's `version`
 * option) and the MCP source path. The auth mode changes the config's structure (mounts, host steps,
 * remoteEnv), so it is fixed to the scaffolder's default and documented instead.
 */
import { agent, type AgentId } from "../catalogue/agents.js";
import type { FeatureOption } from "../model/feature.js";

export type TemplateOption = Extract<FeatureOption, { type: "string" }>;

export function placeholder(option: string): string {
  return `\${templateOption:${option}}`;
}

export function versionOptionId(id: AgentId): string {
  return `${id}Version`;
}

export const MCP_SOURCE_OPTION = "mcpSource";

export function versionOption(id: AgentId): TemplateOption {
  const record = agent(id);
  return {
    type: "string",
    default: "latest",
    proposals: ["latest"],
    description: `${record.title} version: an npm version, range or dist-tag of ${record.npmPackage}.`,
  };
}

export function mcpSourceOption(defaultPath: string): TemplateOption {
  return {
    type: "string",
    default: defaultPath,
    proposals: [defaultPath, "config.toml"],
    description: "The MCP source of truth ([mcp_servers.<name>] tables), relative to the repository root.",
  };
}

/** A value no renderer would produce by itself, standing in for a string option while rendering. */
export function sentinel(option: string, suffix = ""): string {
  return `template-option-${option}${suffix}`;
}

/**
 * Puts `${templateOption:…}` where a string option's value went. Rendering with two different stand-ins
 * and comparing proves the option changed the output only as a value; otherwise it cannot be a template
 * option, and that is a renderer bug worth failing the generator for.
 */
export function substituteOption(option: string, render: (value: string) => string, suffix = ".toml"): string {
  const [a, b] = [sentinel(option, suffix), sentinel(`${option}-other`, suffix)];
  const first = render(a).split(a).join(placeholder(option));
  const second = render(b).split(b).join(placeholder(option));
  if (first !== second) throw new Error(`template option ${option} changes the config's structure, not just a value`);
  return first;
}
