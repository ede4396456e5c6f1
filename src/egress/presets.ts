/**
 * The hosts a container's allowlist starts with, as data: what is used while the agent runs. The agent's
 * own API, login and update hosts (from the catalogue), GitHub for git over HTTPS, VS Code's server and
 * marketplace hosts, the package registries the repository's files show it uses, and the hosts of remote
 * MCP servers; then the named presets asked for (allow-presets.ts) and the user's hosts. Multi-tenant
 * storage and the OS archives are never in it unless asked for. Pure: callers pass what they read.
 * docs/egress.md gives each host's reason; docs/agents/<id>.md each agent's.
 */
import type { AgentRecord } from "../catalogue/agents.js";
import type { McpServer } from "../mcp/model.js";
import { allowPresetHosts, type AllowPresetId } from "./allow-presets.js";

export const GITHUB_HOSTS = ["github.com", "api.github.com", "codeload.github.com"];

/** VS Code Server download and the extension marketplace (for configs opened in VS Code). */
export const VSCODE_HOSTS = [
  "update.code.visualstudio.com",
  "vscode.download.prss.microsoft.com",
  "marketplace.visualstudio.com",
  "*.gallerycdn.vsassets.io",
  "*.vscode-cdn.net",
];

export const REGISTRY_IDS = ["npm", "pypi", "cargo", "go", "rubygems"] as const;
export type RegistryId = (typeof REGISTRY_IDS)[number];

export interface Registry {
  id: RegistryId;
  hosts: readonly string[];
  /** A repository uses the registry when one of these files is at its root. */
  markers: readonly string[];
}

export const REGISTRIES: readonly Registry[] = [
  { id: "npm", hosts: ["registry.npmjs.org", "registry.yarnpkg.com"], markers: ["package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", ".npmrc"] },
  { id: "pypi", hosts: ["pypi.org", "files.pythonhosted.org"], markers: ["requirements.txt", "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "poetry.lock", "uv.lock"] },
  { id: "cargo", hosts: ["crates.io", "index.crates.io", "static.crates.io"], markers: ["Cargo.toml", "Cargo.lock"] },
  // proxy.golang.org redirects module zips to storage.googleapis.com: a Go repository adds --allow-preset storage.
  { id: "go", hosts: ["proxy.golang.org", "sum.golang.org"], markers: ["go.mod", "go.sum"] },
  { id: "rubygems", hosts: ["rubygems.org", "index.rubygems.org"], markers: ["Gemfile", "Gemfile.lock", "*.gemspec"] },
];

function matchesMarker(file: string, marker: string): boolean {
  return marker.startsWith("*") ? file.endsWith(marker.slice(1)) && !file.includes("/") : file === marker;
}

/** The registries a repository uses, from its root files (paths relative to the root). */
export function detectRegistries(files: readonly string[]): RegistryId[] {
  const found = new Set<RegistryId>();
  for (const registry of REGISTRIES) {
    if (registry.markers.some((marker) => files.some((file) => matchesMarker(file, marker)))) found.add(registry.id);
  }
  return REGISTRY_IDS.filter((id) => found.has(id));
}

/** Host names of remote MCP servers (their `url`). */
export function mcpHosts(servers: readonly McpServer[]): string[] {
  const hosts: string[] = [];
  for (const server of servers) {
    const url = (server as { url?: unknown }).url;
    if (typeof url !== "string") continue;
    try {
      const parsed = new URL(url);
      const port = parsed.port && parsed.port !== "443" && parsed.port !== "80" ? `:${parsed.port}` : "";
      hosts.push(`${parsed.hostname.toLowerCase()}${port}`);
    } catch {
      // An MCP source with a bad URL is reported by the MCP commands; it adds no host here.
    }
  }
  return hosts;
}

/** Registries that local MCP servers started by a package runner (`npx`, `uvx`, …) download from. */
const RUNNER_REGISTRY: Readonly<Record<string, RegistryId>> = { npx: "npm", npm: "npm", pnpm: "npm", yarn: "npm", bunx: "npm", uvx: "pypi", uv: "pypi", pipx: "pypi", pip: "pypi" };

export function mcpRegistries(servers: readonly McpServer[]): RegistryId[] {
  const found = new Set<RegistryId>();
  for (const server of servers) {
    const command = (server as { command?: unknown }).command;
    const runner = typeof command === "string" ? RUNNER_REGISTRY[command.split("/").pop() ?? ""] : undefined;
    if (runner) found.add(runner);
  }
  return REGISTRY_IDS.filter((id) => found.has(id));
}

export interface PresetInput {
  registries: readonly RegistryId[];
  mcpServers?: readonly McpServer[];
  /** `--allow-preset` names. */
  allowPresets?: readonly AllowPresetId[];
  /** `--allow-host` entries. */
  extra?: readonly string[];
}

/** The whole preset, deduplicated, in a fixed order (agent, GitHub, VS Code, registries, named presets, MCP, user). */
export function presetHosts(record: AgentRecord, input: PresetInput): string[] {
  const registries = new Set([...input.registries, ...mcpRegistries(input.mcpServers ?? [])]);
  const registryHosts = REGISTRIES.filter((registry) => registries.has(registry.id)).flatMap((registry) => registry.hosts);
  return [
    ...new Set([
      ...record.outboundHosts,
      ...GITHUB_HOSTS,
      ...VSCODE_HOSTS,
      ...registryHosts,
      ...allowPresetHosts(input.allowPresets ?? []),
      ...mcpHosts(input.mcpServers ?? []),
      ...(input.extra ?? []).map((host) => host.toLowerCase()),
    ]),
  ];
}
