/** Claude Code (Anthropic). Facts and their sources: docs/agents/claude.md. */
import { renderClaude, type ClaudeMcpConfig } from "../mcp/render/claude.js";
import { jsonMcp } from "./json-mcp.js";
import { defineAgent } from "./record.js";

export const claude = defineAgent({
  id: "claude",
  title: "Claude Code",
  featureVersion: "1.1.4",
  npmPackage: "@anthropic-ai/claude-code",
  binary: "claude",
  configEnv: "CLAUDE_CONFIG_DIR",
  configSubdir: "",
  settingsEnv: { DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
  tokenEnv: ["CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY"],
  credentialFiles: [".credentials.json"],
  hostLogin: [
    {
      staged: "credentials.json",
      locations: [{ env: "CLAUDE_CONFIG_DIR", path: ".credentials.json" }, { path: ".claude/.credentials.json" }],
    },
    {
      // Outside ~/.claude unless CLAUDE_CONFIG_DIR is set; only the account part leaves the host (the
      // rest holds per-project history and MCP servers). primaryApiKey is a Console login's key.
      staged: "account.json",
      locations: [{ env: "CLAUDE_CONFIG_DIR", path: ".claude.json" }, { path: ".claude.json" }],
      keys: ["oauthAccount", "primaryApiKey", "customApiKeyResponses", "userID", "hasCompletedOnboarding", "lastOnboardingVersion"],
      loginPattern: '"primaryApiKey"\\s*:\\s*"',
    },
  ],
  keychainService: "Claude Code-credentials",
  singleUseRefresh: true,
  hostLoginHowTo: "run `claude` on this host and log in with /login",
  tokenHowTo: "run `claude setup-token` on this host and export CLAUDE_CODE_OAUTH_TOKEN=<the token it prints>",
  copyEnv: {},
  // With only a token, the interactive UI shows onboarding (and a login prompt) until this is set.
  loginSeed: { file: ".claude.json", json: { hasCompletedOnboarding: true } },
  // What it uses while it runs (docs/agents/claude.md gives each one's reason). Not storage.googleapis.com,
  // the multi-tenant bucket host its older installer used: --allow-preset storage brings it back.
  outboundHosts: [
    "api.anthropic.com",
    "claude.ai",
    "claude.com",
    "platform.claude.com",
    "mcp-proxy.anthropic.com",
    "downloads.claude.ai",
    "code.claude.com",
  ],
  homepage: "https://code.claude.com/docs",
  // With CLAUDE_CONFIG_DIR set, .claude.json lives inside it rather than in $HOME.
  mcp: jsonMcp<ClaudeMcpConfig>(".claude.json", "mcpServers", renderClaude),
  headless: ["claude", "-p", '"$PROMPT"', "--dangerously-skip-permissions"],
  gateway: { baseUrlEnv: "ANTHROPIC_BASE_URL", env: ["ANTHROPIC_BASE_URL", "ANTHROPIC_MODEL", "ANTHROPIC_SMALL_FAST_MODEL", "CLAUDE_CODE_MAX_RETRIES", "API_TIMEOUT_MS"] },
  pinnedVersion: "2.1.329",
  broker: {
    hosts: ["api.anthropic.com"],
    baseUrlEnv: "ANTHROPIC_BASE_URL",
    // The CLI sends an API key as x-api-key and a setup-token as a Bearer token; it checks neither's format.
    credentials: [
      { env: "ANTHROPIC_API_KEY", from: ["ANTHROPIC_API_KEY"], placeholder: "sk-ant-api03-cadc-broker-placeholder-0000000000000000AA", header: "x-api-key" },
      { env: "CLAUDE_CODE_OAUTH_TOKEN", from: ["CLAUDE_CODE_OAUTH_TOKEN"], placeholder: "sk-ant-oat01-cadc-broker-placeholder-0000000000000000AA", header: "authorization" },
    ],
    // A Claude.ai (Pro/Max) login: the CLI sends its access token as a Bearer token to the API (or ANTHROPIC_BASE_URL).
    login: { format: "claude", staged: "credentials.json", hosts: ["api.anthropic.com"], header: "authorization" },
  },
});
