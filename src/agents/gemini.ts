/** Gemini CLI (Google). Facts and their sources: docs/agents/gemini.md. */
import { renderGemini, type GeminiMcpConfig } from "../mcp/render/gemini.js";
import { jsonMcp } from "./json-mcp.js";
import { defineAgent } from "./record.js";

export const gemini = defineAgent({
  id: "gemini",
  title: "Gemini CLI",
  featureVersion: "1.1.4",
  npmPackage: "@google/gemini-cli",
  binary: "gemini",
  configEnv: "GEMINI_CLI_HOME",
  configSubdir: ".gemini",
  settingsEnv: {},
  tokenEnv: ["GEMINI_API_KEY"],
  credentialFiles: ["oauth_creds.json"],
  hostLogin: [
    {
      staged: "oauth_creds.json",
      locations: [{ env: "GEMINI_CLI_HOME", path: ".gemini/oauth_creds.json" }, { path: ".gemini/oauth_creds.json" }],
    },
  ],
  // Only with GEMINI_FORCE_ENCRYPTED_FILE_STORAGE=true (the default is the file).
  keychainService: "gemini-cli-oauth",
  singleUseRefresh: false,
  hostLoginHowTo: "run `gemini` on this host and choose Login with Google",
  tokenHowTo: "export GEMINI_API_KEY=<a key from Google AI Studio>",
  // A copied oauth_creds.json is used only when this selects Login with Google (it outranks GEMINI_API_KEY).
  copyEnv: { GOOGLE_GENAI_USE_GCA: "true" },
  outboundHosts: [
    "cloudcode-pa.googleapis.com",
    "generativelanguage.googleapis.com",
    "accounts.google.com",
    "www.googleapis.com",
    "oauth2.googleapis.com",
  ],
  homepage: "https://github.com/google-gemini/gemini-cli",
  mcp: jsonMcp<GeminiMcpConfig>("settings.json", "mcpServers", renderGemini),
  // Headless in a folder it has not been told to trust, the CLI stops; the container is the sandbox.
  headless: ["env", "GEMINI_CLI_TRUST_WORKSPACE=true", "gemini", "-p", '"$PROMPT"', "--approval-mode", "yolo"],
  gateway: {
    baseUrlEnv: "GOOGLE_GEMINI_BASE_URL",
    env: ["GOOGLE_GEMINI_BASE_URL", "GEMINI_MODEL"],
    // With GOOGLE_GEMINI_BASE_URL set, the CLI infers a "gateway" auth type that headless runs refuse
    // ("Invalid auth method selected."); an explicit API-key auth type wins over that inference.
    seed: { file: "settings.json", json: { security: { auth: { selectedType: "gemini-api-key" } } } },
  },
  pinnedVersion: "0.60.0",
  broker: {
    hosts: ["generativelanguage.googleapis.com"],
    baseUrlEnv: "GOOGLE_GEMINI_BASE_URL",
    // Since 0.44 a key must start with AIza, so the placeholder does (google-gemini/gemini-cli #27550).
    credentials: [{ env: "GEMINI_API_KEY", from: ["GEMINI_API_KEY"], placeholder: "AIzaCadcBrokerPlaceholder000000000000000", header: "x-goog-api-key" }],
    // Login with Google: the CLI sends its access token to Code Assist (CODE_ASSIST_ENDPOINT overrides it).
    login: { format: "google", staged: "oauth_creds.json", hosts: ["cloudcode-pa.googleapis.com"], header: "authorization", baseUrlEnv: "CODE_ASSIST_ENDPOINT" },
  },
});
