/**
 * What one agent module declares: everything agent-specific, so the rest of the code looks it up in the
 * registry (src/catalogue/agents.ts) instead of branching on an agent's id. See docs/adding-an-agent.md.
 */
import type { McpRender, McpServer } from "../mcp/model.js";

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
  /** The host's login files (docs/agents/<id>.md, "Credentials"); empty when `copy` has nothing to copy. */
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

/** Where the agent keeps its user-scope MCP servers, and how our MCP source becomes that file. */
export interface AgentMcp {
  /** The file, relative to the agent's config dir (configDir()), that holds its user-scope MCP servers. */
  file: string;
  /** The MCP source as the agent's own config shape (pure data), with what it could not express. */
  render(servers: readonly McpServer[]): McpRender<object>;
  /** A rendered config as the agent's file format writes it (what `mcp render` prints). */
  text(config: object): string;
  /** The existing file's text with only its MCP part replaced by `config`; throws McpMergeError when unreadable. */
  merge(existing: string | undefined, config: object): string;
  /** Arguments of the agent's own command that lists the servers it read: the honest check of a rendered file. */
  list: readonly string[];
}

export interface AgentRecord<Id extends string = string> extends LoginSource {
  id: Id;
  /** Human name, used in container names and docs. */
  title: string;
  /**
   * The version of this agent's Dev Container Feature (semver): bump it when the Feature's content changes;
   * `npm run generate` fails until then (see scripts/feature-versions.ts).
   */
  featureVersion: string;
  /** npm package that ships the CLI, and the binary it puts on PATH. */
  npmPackage: string;
  binary: string;
  /** Environment variable that relocates the agent's whole config into `configRoot`. */
  configEnv: string;
  /** When that variable names the agent's settings file rather than its folder: the file's name in `configRoot`. */
  configEnvFile?: string;
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
  mcp: AgentMcp;
  /**
   * The command that runs one prompt unattended inside the container (the container is the sandbox, so
   * the agent's own approval prompts are off). `"$PROMPT"` is a shell variable, never interpolated.
   */
  headless: readonly string[];
  /** How a user points the agent at their own model endpoint (LiteLLM, a Bedrock/Vertex proxy, a corporate one). */
  gateway: ModelGateway;
  /** An older released version the Feature's pinned-version test scenario installs (any real release works). */
  pinnedVersion: string;
  /** Auth mode `broker`: what the egress enforcer needs to keep the secret on the host, or why it cannot (docs/broker.md). */
  broker: AgentBroker | NoBroker;
}

/**
 * The enforcer replaces a placeholder with the host's secret in HTTPS requests to `hosts` (and to the host of
 * the gateway `baseUrlEnv` points at), and nowhere else; the container holds only the placeholder.
 */
export interface AgentBroker {
  /** Names (`*.domain` allowed) whose requests get the secret; HTTPS on 443 only. */
  hosts: readonly string[];
  /** The variable that points the CLI at a model gateway; passed through, and its host gets the secret too. */
  baseUrlEnv?: string;
  /** Each variable the CLI reads a secret from, the host variables that hold it (first set wins), and a placeholder the CLI's own checks accept. */
  credentials: readonly BrokerCredential[];
  /**
   * A subscription login the broker keeps on the host when none of the credentials' variables is set: one
   * refresher per login file, a placeholder login inside, the current access token swapped in by the
   * enforcer, the token endpoint refused (docs/broker.md, "Subscription logins").
   */
  login?: BrokerLogin;
}

export interface BrokerLogin {
  /** The login file's format (src/egress/logins/): its placeholder, token endpoint and refresh. */
  format: string;
  /** The `hostLogin` entry (by staged name) whose file holds the login; the placeholder is staged as it. */
  staged: string;
  /** The API hosts the access token goes to (the gateway of `baseUrlEnv` too), in `header` only. */
  hosts: readonly string[];
  header: string;
  /** The variable that points the CLI at the login's API, when not the broker's `baseUrlEnv` (Gemini: Code Assist's). */
  baseUrlEnv?: string;
}

export interface BrokerCredential {
  env: string;
  from: readonly string[];
  placeholder: string;
  /** The request header (lower case) the CLI sends this secret in: the broker puts it there and into no other header. */
  header: string;
  /** This credential's own hosts and gateway variable, for an agent that talks to several providers (default: the agent's). */
  hosts?: readonly string[];
  baseUrlEnv?: string;
}

/** An agent whose credential the enforcer cannot hold: `--auth <agent>=broker` is refused, naming this reason. */
export interface NoBroker {
  unsupported: string;
}

/**
 * A model gateway: the agent's own documented variables `--agent-env` may set (never a secret: keys come
 * through `--auth token`), the one whose URL's host the egress allowlist admits, and, for a CLI that does
 * not read those variables itself, the words a headless run appends to use them. `keyEnv` is the gateway's
 * own key when it is not one of the agent's login variables: passed like a token (by name, from the host's
 * environment at each exec), only to a container whose base URL is set. `none` says why an agent takes no
 * endpoint from its environment.
 */
export type ModelGateway =
  | { baseUrlEnv: string; env: readonly string[]; headlessArgs?: readonly string[]; keyEnv?: string; seed?: GatewaySeed }
  | { none: string };

/**
 * What the CLI needs in a config file (relative to configDir) to use its key with the gateway `baseUrlEnv`
 * names, written by the hook whenever that variable is set (any auth mode): top-level JSON keys, or a
 * top-level TOML key set to the variable's value (for a CLI that reads its gateway only from its config).
 */
export type GatewaySeed = { file: string; json: Readonly<Record<string, unknown>> } | { file: string; tomlKey: string };

/** Declares an agent module; keeps the id's literal type so the registry can derive AgentId from it. */
export function defineAgent<const Id extends string>(record: AgentRecord<Id>): AgentRecord<Id> {
  return record;
}
