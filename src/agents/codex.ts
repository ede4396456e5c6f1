/** Codex CLI (OpenAI). Facts and their sources: docs/agents/codex.md. */
import { mergeCodexToml } from "../mcp/merge.js";
import { codexToml, renderCodex, type CodexMcpConfig } from "../mcp/render/codex.js";
import { defineAgent } from "./record.js";

export const codex = defineAgent({
  id: "codex",
  title: "Codex CLI",
  featureVersion: "1.1.4",
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
  // Codex reads neither variable from the environment (OPENAI_BASE_URL was removed, openai/codex #16720):
  // a headless run turns them into a model provider (a custom one speaks the plain Responses API over
  // HTTP(S), with the key from OPENAI_API_KEY), and the hook writes the URL into config.toml for
  // interactive runs.
  gateway: {
    baseUrlEnv: "OPENAI_BASE_URL",
    env: ["OPENAI_BASE_URL", "OPENAI_MODEL"],
    seed: { file: "config.toml", tomlKey: "openai_base_url" },
    headlessArgs: [
      '${OPENAI_BASE_URL:+-c model_provider=gateway -c model_providers.gateway.name=gateway -c model_providers.gateway.env_key=OPENAI_API_KEY -c "model_providers.gateway.base_url=$OPENAI_BASE_URL"}',
      '${OPENAI_MODEL:+-m "$OPENAI_MODEL"}',
    ],
  },
  pinnedVersion: "0.169.0",
  broker: {
    hosts: ["api.openai.com"],
    // The host's OPENAI_BASE_URL names the gateway (the hook writes it into config.toml: the gateway's seed).
    baseUrlEnv: "OPENAI_BASE_URL",
    credentials: [{ env: "OPENAI_API_KEY", from: ["OPENAI_API_KEY", "CODEX_API_KEY"], placeholder: "sk-proj-cadc-broker-placeholder-0000000000000000", header: "authorization" }],
    // A ChatGPT login: Codex sends its access token to chatgpt.com/backend-api/codex (or openai_base_url).
    login: { format: "codex", staged: "auth.json", hosts: ["chatgpt.com"], header: "authorization" },
  },
});
