/**
 * Amp (Sourcegraph). Facts and their sources: docs/agents/amp.md.
 *
 * Amp is relocated by its settings file (AMP_SETTINGS_FILE), not a folder. MCP: the `amp.mcpServers` key
 * of that file: `command`, `args`, `env` for a local server, `url`, `headers` for a remote one (Amp picks
 * the transport). Amp resolves `${VAR}` references itself, so they stay as written. Disabled servers are
 * left out.
 */
import type { McpRender, McpServer } from "../mcp/model.js";
import { compact, nonEmpty, serversFor, warnBareDollars, Warnings } from "../mcp/render/common.js";
import { jsonMcp } from "./json-mcp.js";
import { defineAgent } from "./record.js";

interface AmpServer {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}

interface AmpMcpConfig {
  "amp.mcpServers": Record<string, AmpServer>;
}

export function renderAmp(servers: readonly McpServer[]): McpRender<AmpMcpConfig> {
  const warnings = new Warnings();
  const mcpServers: Record<string, AmpServer> = {};
  for (const server of serversFor("amp", servers)) {
    if (server.transport === "stdio") {
      warnBareDollars(warnings, server, "env", server.env, "amp");
      if (server.cwd !== undefined) warnings.add(server, "cwd", "amp has no working-directory setting for a server; it starts in the workspace");
      mcpServers[server.name] = compact<AmpServer>({
        command: server.command,
        args: server.args.length > 0 ? [...server.args] : undefined,
        env: nonEmpty(server.env),
      });
    } else {
      warnBareDollars(warnings, server, "headers", server.headers, "amp");
      mcpServers[server.name] = compact<AmpServer>({ url: server.url, headers: nonEmpty(server.headers) });
    }
  }
  return { config: { "amp.mcpServers": mcpServers }, warnings: warnings.list };
}

export const amp = defineAgent({
  id: "amp",
  title: "Amp",
  featureVersion: "1.1.4",
  npmPackage: "@sourcegraph/amp",
  binary: "amp",
  configEnv: "AMP_SETTINGS_FILE",
  configEnvFile: "settings.json",
  configSubdir: "",
  settingsEnv: {},
  tokenEnv: ["AMP_API_KEY"],
  // `amp login` stores its key in ~/.local/share/amp/secrets.json, outside the relocated settings: token auth only.
  credentialFiles: [],
  hostLogin: [],
  singleUseRefresh: false,
  hostLoginHowTo: "Amp keeps its login outside a file the container can be given: use token auth",
  tokenHowTo: "export AMP_API_KEY=<an access token from ampcode.com/settings>",
  copyEnv: {},
  outboundHosts: ["ampcode.com"],
  homepage: "https://ampcode.com/manual",
  mcp: jsonMcp<AmpMcpConfig>("settings.json", "amp.mcpServers", renderAmp),
  headless: ["amp", "-x", '"$PROMPT"'],
  // Amp reaches models only through its service; AMP_URL names that service (e.g. a company's Amp server).
  gateway: { baseUrlEnv: "AMP_URL", env: ["AMP_URL"] },
  pinnedVersion: "0.0.1789963237-g4ed0c7",
  // AMP_API_KEY must look like a Settings access token (`sgamp_…`); it goes to the Amp service (AMP_URL,
  // default ampcode.com), which reaches the models itself. Amp trusts NODE_EXTRA_CA_CERTS like Node.js.
  broker: {
    hosts: ["ampcode.com"],
    baseUrlEnv: "AMP_URL",
    credentials: [{ env: "AMP_API_KEY", from: ["AMP_API_KEY"], placeholder: "sgamp_cadc_broker_placeholder_00000000000000000000000000", header: "authorization" }],
  },
});
