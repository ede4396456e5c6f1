/** GitHub Copilot CLI. Facts and their sources: docs/agents/copilot.md. */
import { renderCopilot, type CopilotMcpConfig } from "../mcp/render/copilot.js";
import { jsonMcp } from "./json-mcp.js";
import { defineAgent } from "./record.js";

export const copilot = defineAgent({
  id: "copilot",
  title: "Copilot CLI",
  featureVersion: "1.1.4",
  npmPackage: "@github/copilot",
  binary: "copilot",
  configEnv: "COPILOT_HOME",
  configSubdir: "",
  settingsEnv: {},
  tokenEnv: ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
  credentialFiles: ["config.json"],
  hostLogin: [
    {
      // Holds a token only where the host has no keychain (Copilot asks before storing it in plaintext).
      staged: "config.json",
      locations: [{ env: "COPILOT_HOME", path: "config.json" }, { path: ".copilot/config.json" }],
      loginPattern: '"(copilot_tokens|copilotTokens)"\\s*:\\s*(\\{\\s*"|\\[\\s*[^\\s\\]]|"[^"])',
    },
  ],
  keychainService: "copilot-cli",
  singleUseRefresh: false,
  hostLoginHowTo: "run `copilot login` on a host without a keychain and accept storing the token in plaintext",
  tokenHowTo:
    "export COPILOT_GITHUB_TOKEN=<a fine-grained token with the Copilot Requests permission> (classic ghp_ tokens are refused)",
  copyEnv: {},
  outboundHosts: [
    "github.com",
    "api.github.com",
    "*.githubcopilot.com",
    "copilot-proxy.githubusercontent.com",
    "origin-tracker.githubusercontent.com",
  ],
  homepage: "https://docs.github.com/copilot/how-tos/copilot-cli",
  mcp: jsonMcp<CopilotMcpConfig>("mcp-config.json", "mcpServers", renderCopilot),
  headless: ["copilot", "-p", '"$PROMPT"', "--allow-all-tools"],
  // BYOK: COPILOT_PROVIDER_TYPE is openai (Chat Completions), azure or anthropic; the provider's key comes from
  // the host's COPILOT_PROVIDER_API_KEY, like a token, and stands in for a GitHub login.
  gateway: {
    baseUrlEnv: "COPILOT_PROVIDER_BASE_URL",
    env: ["COPILOT_PROVIDER_BASE_URL", "COPILOT_PROVIDER_TYPE", "COPILOT_MODEL"],
    keyEnv: "COPILOT_PROVIDER_API_KEY",
  },
  pinnedVersion: "1.0.92",
  broker: {
    hosts: ["api.github.com", "*.githubcopilot.com"],
    // Copilot refuses classic ghp_ tokens by their prefix: the placeholder looks like a fine-grained one.
    credentials: [
      {
        env: "COPILOT_GITHUB_TOKEN",
        from: ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"],
        placeholder: "github_pat_cadcBrokerPlaceholder0000000000000000000000",
        header: "authorization",
      },
    ],
  },
});
