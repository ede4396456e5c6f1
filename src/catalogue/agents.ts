/**
 * The agent catalogue: everything agent-specific lives in these records, so the rest of the code
 * looks agents up instead of branching on their names. Facts come from shared/reference/agents.md.
 */

export const AGENT_IDS = ["claude", "codex", "copilot", "gemini"] as const;
export type AgentId = (typeof AGENT_IDS)[number];

/** Writable, per-container state lives under one root owned by the agent user (never under a host mount). */
export const STATE_ROOT = "/var/lib/agent-devcontainer";

/**
 * Where one file of a login lives: under the first location whose variable is set (a location without
 * `env` is the default, under $HOME). Resolved the same way on the host and in the container, where the
 * relocation variables point into STATE_ROOT, so the container path is exactly where the agent reads.
 */
export interface LoginLocation {
  env?: string;
  path: string;
}

/** One file of a host login that `copy` auth stages and copies into the container. */
export interface LoginFile {
  /** Name of the copy in the staging folder (unique per agent). */
  staged: string;
  locations: readonly LoginLocation[];
  /** Only these top-level keys of a JSON file are staged (the account part), and merged in key by key. */
  keys?: readonly string[];
  /** A file holds a login when it exists and (if given) its text matches this pattern. */
  loginPattern?: string;
}

/** A tool whose login the containers reuse: every agent, and gh (for the `origin` remote). */
export interface LoginSource {
  id: string;
  title: string;
  /** Environment variables that carry a long-lived login token, in the tool's own order of precedence. */
  tokenEnv: readonly string[];
  /** The host's login files (shared/reference/agents.md, "Where credentials live"). */
  hostLogin: readonly LoginFile[];
  /** macOS Keychain item (service name) that holds the login instead of a file, when the tool uses one. */
  keychainService?: string;
  /** Refresh tokens are single-use: a copy and the host's login diverge at the first refresh. */
  singleUseRefresh: boolean;
  /** How to log in on the host so that a file `copy` can read exists. */
  hostLoginHowTo: string;
  /** How to get a long-lived token for `token` auth. */
  tokenHowTo: string;
}

export interface AgentRecord extends LoginSource {
  id: AgentId;
  /** Human name, used in container names and docs. */
  title: string;
  /** npm package that ships the CLI, and the binary it puts on PATH. */
  npmPackage: string;
  binary: string;
  /** Environment variable that relocates the agent's whole config into `configRoot`. */
  configEnv: string;
  /** The folder the agent then reads and writes, relative to `configRoot` ("" when it is the root itself). */
  configSubdir: string;
  /** Container-friendly settings baked into the image's environment (no secrets ever go here). */
  settingsEnv: Readonly<Record<string, string>>;
  /** Files inside the config folder whose presence means a stored login. */
  credentialFiles: readonly string[];
  /** Hosts the agent must reach (for an egress allowlist). */
  outboundHosts: readonly string[];
  homepage: string;
  /** Non-secret settings a container needs when a copied login file is its credential. */
  copyEnv: Readonly<Record<string, string>>;
  /** Top-level JSON keys seeded into a config file (relative to configDir) once a login is present. */
  loginSeed?: { file: string; json: Readonly<Record<string, unknown>> };
  /** A token variable that takes effect only once the agent's own login command stores it in `file`. */
  tokenLogin?: { env: string; args: readonly string[]; file: string; field: string };
  /** Auth mode `broker`: what the egress enforcer needs to keep the secret on the host (docs/broker.md). */
  broker: BrokerFacts;
}

/**
 * The enforcer replaces a placeholder with the host's secret in HTTPS requests to `hosts` (and to the host of
 * the gateway `baseUrlEnv` points at), and nowhere else; the container holds only the placeholder.
 */
export interface BrokerFacts {
  /** Names (`*.domain` allowed) whose requests get the secret; HTTPS on 443 only. */
  hosts: readonly string[];
  /** The variable that points the CLI at a model gateway; passed through, and its host gets the secret too. */
  baseUrlEnv?: string;
  /** Each variable the CLI reads a secret from, the host variables that hold it (first set wins), and a placeholder the CLI's own checks accept. */
  credentials: readonly BrokerCredential[];
}

export interface BrokerCredential {
  env: string;
  from: readonly string[];
  placeholder: string;
}

const catalogue: Readonly<Record<AgentId, AgentRecord>> = {
  claude: {
    id: "claude",
    title: "Claude Code",
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
    outboundHosts: [
      "api.anthropic.com",
      "claude.ai",
      "claude.com",
      "platform.claude.com",
      "mcp-proxy.anthropic.com",
      "downloads.claude.ai",
      "storage.googleapis.com",
      "code.claude.com",
    ],
    broker: {
      hosts: ["api.anthropic.com"],
      baseUrlEnv: "ANTHROPIC_BASE_URL",
      // The CLI sends an API key as x-api-key and a setup-token as a Bearer token; it checks neither's format.
      credentials: [
        { env: "ANTHROPIC_API_KEY", from: ["ANTHROPIC_API_KEY"], placeholder: "sk-ant-api03-cadc-broker-placeholder-0000000000000000AA" },
        { env: "CLAUDE_CODE_OAUTH_TOKEN", from: ["CLAUDE_CODE_OAUTH_TOKEN"], placeholder: "sk-ant-oat01-cadc-broker-placeholder-0000000000000000AA" },
      ],
    },
    homepage: "https://code.claude.com/docs",
  },
  codex: {
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
    broker: {
      hosts: ["api.openai.com"],
      baseUrlEnv: "OPENAI_BASE_URL",
      credentials: [{ env: "OPENAI_API_KEY", from: ["OPENAI_API_KEY", "CODEX_API_KEY"], placeholder: "sk-proj-cadc-broker-placeholder-0000000000000000" }],
    },
    homepage: "https://developers.openai.com/codex/cli",
  },
  copilot: {
    id: "copilot",
    title: "Copilot CLI",
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
    broker: {
      hosts: ["api.github.com", "*.githubcopilot.com"],
      // Copilot refuses classic ghp_ tokens by their prefix: the placeholder looks like a fine-grained one.
      credentials: [
        { env: "COPILOT_GITHUB_TOKEN", from: ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"], placeholder: "github_pat_cadcBrokerPlaceholder0000000000000000000000" },
      ],
    },
    homepage: "https://docs.github.com/copilot/how-tos/copilot-cli",
  },
  gemini: {
    id: "gemini",
    title: "Gemini CLI",
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
    broker: {
      hosts: ["generativelanguage.googleapis.com"],
      baseUrlEnv: "GOOGLE_GEMINI_BASE_URL",
      credentials: [{ env: "GEMINI_API_KEY", from: ["GEMINI_API_KEY"], placeholder: "AIzaCadcBrokerPlaceholder000000000000000" }],
    },
    homepage: "https://github.com/google-gemini/gemini-cli",
  },
};

/** gh's login, copied or passed like an agent's, so git can use `gh auth git-credential` for `origin`. */
export const GITHUB_CLI: LoginSource = {
  id: "gh",
  title: "GitHub CLI",
  tokenEnv: ["GH_TOKEN", "GITHUB_TOKEN"],
  hostLogin: [
    {
      // Holds the token only when gh stores it outside the system keyring (--insecure-storage).
      staged: "gh-hosts.yml",
      locations: [{ env: "GH_CONFIG_DIR", path: "hosts.yml" }, { env: "XDG_CONFIG_HOME", path: "gh/hosts.yml" }, { path: ".config/gh/hosts.yml" }],
      loginPattern: "oauth_token:",
    },
  ],
  keychainService: "gh:github.com",
  singleUseRefresh: false,
  hostLoginHowTo: "run `gh auth login --insecure-storage` on this host (gh keeps the token in the keyring otherwise)",
  tokenHowTo: "export GH_TOKEN=\"$(gh auth token)\"",
};

export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}

export function agent(id: AgentId): AgentRecord {
  return catalogue[id];
}

export function allAgents(): AgentRecord[] {
  return AGENT_IDS.map(agent);
}

/** The root the relocation variable points at: `${STATE_ROOT}/<id>`. */
export function configRoot(record: AgentRecord): string {
  return `${STATE_ROOT}/${record.id}`;
}

/** The folder the agent actually reads and writes (its config dir after relocation). */
export function configDir(record: AgentRecord): string {
  return record.configSubdir ? `${configRoot(record)}/${record.configSubdir}` : configRoot(record);
}

/** The environment a container needs for this agent: relocation plus its container-friendly settings. */
export function agentEnvironment(record: AgentRecord): Record<string, string> {
  return { [record.configEnv]: configRoot(record), ...record.settingsEnv };
}
