/**
 * OpenCode. Facts and their sources: docs/agents/opencode.md.
 *
 * MCP: the `mcp` key of `$OPENCODE_CONFIG_DIR/opencode.json`. A local server is `type: "local"` with the
 * command and its arguments in one `command` array and `environment`; a remote one `type: "remote"` with
 * `url` and `headers` (OpenCode tries streamable HTTP, then SSE). OpenCode substitutes `{env:NAME}` in its
 * config, so each `${NAME}` reference is written that way. A disabled server stays, with `enabled: false`.
 */
import type { McpRender, McpServer } from "../mcp/model.js";
import { mapRefs } from "../mcp/refs.js";
import { compact, nonEmpty, serversFor, Warnings } from "../mcp/render/common.js";
import { jsonMcp } from "./json-mcp.js";
import { defineAgent } from "./record.js";

interface OpencodeServer {
  type: "local" | "remote";
  command?: string[];
  environment?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
  enabled: boolean;
}

interface OpencodeMcpConfig {
  mcp: Record<string, OpencodeServer>;
}

const toEnv = (value: string) => mapRefs(value, (name) => `{env:${name}}`);
const mapValues = (values: Readonly<Record<string, string>>) =>
  nonEmpty(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, toEnv(value)])));

export function renderOpencode(servers: readonly McpServer[]): McpRender<OpencodeMcpConfig> {
  const warnings = new Warnings();
  const mcp: Record<string, OpencodeServer> = {};
  for (const server of serversFor("opencode", servers, true)) {
    if (server.transport === "stdio") {
      if (server.cwd !== undefined) warnings.add(server, "cwd", "opencode has no working-directory setting for a server; it starts in the workspace");
      mcp[server.name] = compact<OpencodeServer>({
        type: "local",
        command: [server.command, ...server.args].map(toEnv),
        environment: mapValues(server.env),
        url: undefined,
        headers: undefined,
        enabled: server.enabled,
      });
    } else {
      mcp[server.name] = compact<OpencodeServer>({
        type: "remote",
        command: undefined,
        environment: undefined,
        url: toEnv(server.url),
        headers: mapValues(server.headers),
        enabled: server.enabled,
      });
    }
  }
  return { config: { mcp }, warnings: warnings.list };
}

export const opencode = defineAgent({
  id: "opencode",
  title: "OpenCode",
  featureVersion: "1.1.4",
  npmPackage: "opencode-ai",
  binary: "opencode",
  configEnv: "OPENCODE_CONFIG_DIR",
  configSubdir: "",
  settingsEnv: { OPENCODE_DISABLE_AUTOUPDATE: "1" },
  // OpenCode Zen's key, then the providers' own keys, which OpenCode picks up from the environment.
  tokenEnv: ["OPENCODE_API_KEY", "ANTHROPIC_API_KEY", "OPENAI_API_KEY"],
  // `opencode auth login` writes ~/.local/share/opencode/auth.json, outside the relocated config: token auth only.
  credentialFiles: [],
  hostLogin: [],
  singleUseRefresh: false,
  hostLoginHowTo: "OpenCode keeps its login outside the config folder a container gets: use token auth",
  tokenHowTo: "export OPENCODE_API_KEY=<an OpenCode Zen key> (or ANTHROPIC_API_KEY / OPENAI_API_KEY for those providers)",
  copyEnv: {},
  outboundHosts: ["opencode.ai", "models.dev", "api.anthropic.com", "api.openai.com"],
  homepage: "https://opencode.ai/docs",
  mcp: jsonMcp<OpencodeMcpConfig>("opencode.json", "mcp", renderOpencode),
  // OpenCode asks for no approval unless its permission settings say so.
  headless: ["opencode", "run", '"$PROMPT"'],
  gateway: { none: "OpenCode takes a custom endpoint from its config (provider.<id>.options.baseURL in opencode.json), not from its environment" },
  pinnedVersion: "1.18.30",
  // Each provider's key only to that provider (OpenCode's docs: NODE_EXTRA_CA_CERTS is honoured). A gateway
  // set in opencode.json (a provider's baseURL) is not seen by the broker: allow its host and use token auth.
  broker: {
    hosts: [],
    credentials: [
      { env: "OPENCODE_API_KEY", from: ["OPENCODE_API_KEY"], placeholder: "sk-cadc-broker-placeholder-opencode-00000000000000", header: "authorization", hosts: ["opencode.ai"] },
      { env: "ANTHROPIC_API_KEY", from: ["ANTHROPIC_API_KEY"], placeholder: "sk-ant-api03-cadc-broker-placeholder-0000000000000000AA", header: "x-api-key", hosts: ["api.anthropic.com"] },
      { env: "OPENAI_API_KEY", from: ["OPENAI_API_KEY"], placeholder: "sk-proj-cadc-broker-placeholder-0000000000000000", header: "authorization", hosts: ["api.openai.com"] },
    ],
  },
});
