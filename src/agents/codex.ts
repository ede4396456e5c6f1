/** Codex CLI (OpenAI). Facts and their sources: docs/agents/codex.md. */
import { mergeCodexToml } from "../mcp/merge.js";
import { codexToml, renderCodex, type CodexMcpConfig } from "../mcp/render/codex.js";
import { defineAgent } from "./record.js";

export const codex = defineAgent({
  id: "codex",
  title: "Codex CLI",
  npmPackage: "@openai/codex",
  binary: "codex",
  configEnv: "CODEX_HOME",
  configSubdir: "",
  settingsEnv: {},
  tokenEnv: ["OPENAI_API_KEY", "CODEX_API_KEY"],
  credentialFiles: ["auth.json"],
  hostLogin: [{ staged: "auth.json", locations: [{ env: "CODEX_HOME", path: "auth.json" }, { path: ".codex/auth.json" }] }],
  // Only with cli_auth_credentials_store = "keyring" (the default is the file).
  keychainService: "Codex Auth",
  singleUseRefresh: true,
  hostLoginHowTo: "run `codex login` on this host",
  tokenHowTo: "export OPENAI_API_KEY=<an OpenAI API key>",
  copyEnv: {},
  // Interactive Codex reads no key from the environment: the hook stores it with Codex's own login.
  tokenLogin: { env: "OPENAI_API_KEY", args: ["login", "--with-api-key"], file: "auth.json", field: "OPENAI_API_KEY" },
  outboundHosts: ["api.openai.com", "chatgpt.com", "auth.openai.com"],
  homepage: "https://developers.openai.com/codex/cli",
  mcp: {
    file: "config.toml",
    render: renderCodex,
    text: (config) => codexToml(config as CodexMcpConfig),
    merge: (existing, config) => mergeCodexToml(existing, codexToml(config as CodexMcpConfig)),
    list: ["mcp", "list"],
  },
  headless: ["codex", "exec", "--dangerously-bypass-approvals-and-sandbox", '"$PROMPT"'],
  pinnedVersion: "0.169.0",
  broker: {
    hosts: ["api.openai.com"],
    // The host's OPENAI_BASE_URL names the gateway; Codex itself reads it only from its config since the
    // variable was removed (openai/codex #16720), so the hook writes it there.
    baseUrlEnv: "OPENAI_BASE_URL",
    gatewaySeed: { file: "config.toml", tomlKey: "openai_base_url" },
    credentials: [{ env: "OPENAI_API_KEY", from: ["OPENAI_API_KEY", "CODEX_API_KEY"], placeholder: "sk-proj-cadc-broker-placeholder-0000000000000000" }],
  },
});
