/**
 * Codex: `[mcp_servers.NAME]` tables in `$CODEX_HOME/config.toml`. Codex expands no variables
 * (openai/codex #2680), so every `${VAR}` is mapped onto one of its by-name mechanisms, and whatever
 * has no such mechanism is reported rather than written as literal `${VAR}` text:
 *
 * - env `KEY = "${KEY}"` → `env_vars = ["KEY"]` (forwarded from Codex's environment); a literal → `env`;
 *   `KEY = "${OTHER}"` or `"x-${A}"` cannot be expressed (Codex cannot rename or interpolate): left out.
 * - header `Authorization = "Bearer ${T}"` → `bearer_token_env_var = "T"`; `H = "${V}"` →
 *   `env_http_headers = { H = "V" }`; a literal → `http_headers`; anything else: left out.
 * - `${VAR}` in command, args, cwd or url, and SSE servers (Codex speaks streamable HTTP only):
 *   the server is skipped for Codex.
 * - A disabled server is kept with `enabled = false`, so `codex mcp list` shows it as disabled.
 */
import { stringify } from "smol-toml";
import type { McpRender, McpServer, RemoteServer, StdioServer } from "../model.js";
import { exactRef, hasRefs } from "../refs.js";
import { compact, nonEmpty, refsInLaunchFields, serversFor, Warnings } from "./common.js";

export interface CodexServer {
  command?: string;
  args?: string[];
  cwd?: string;
  env_vars?: string[];
  env?: Record<string, string>;
  url?: string;
  bearer_token_env_var?: string;
  http_headers?: Record<string, string>;
  env_http_headers?: Record<string, string>;
  enabled?: false;
}

export interface CodexMcpConfig {
  mcp_servers: Record<string, CodexServer>;
}

const BEARER = /^Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}$/i;

export function renderCodex(servers: readonly McpServer[]): McpRender<CodexMcpConfig> {
  const warnings = new Warnings();
  const mcp_servers: Record<string, CodexServer> = {};
  for (const server of serversFor("codex", servers, true)) {
    const unexpanded = refsInLaunchFields(server);
    if (unexpanded.length > 0) {
      for (const field of unexpanded) {
        const message = "codex does not expand ${VAR} here; server skipped for codex (pass secrets through env instead)";
        warnings.add(server, field, message);
      }
      continue;
    }
    if (server.transport === "sse") {
      warnings.add(server, "type", "codex supports only streamable HTTP remote servers, not SSE; server skipped for codex");
      continue;
    }
    const entry = server.transport === "stdio" ? stdioEntry(server, warnings) : remoteEntry(server, warnings);
    mcp_servers[server.name] = server.enabled ? entry : { ...entry, enabled: false };
  }
  return { config: { mcp_servers }, warnings: warnings.list };
}

/** The `[mcp_servers.*]` tables as TOML text ("" when there are none), for mergeCodexToml. */
export function codexToml(config: CodexMcpConfig): string {
  return Object.keys(config.mcp_servers).length === 0 ? "" : stringify(config);
}

function stdioEntry(server: StdioServer, warnings: Warnings): CodexServer {
  const envVars: string[] = [];
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(server.env)) {
    const ref = exactRef(value);
    if (ref === key) envVars.push(key);
    else if (!hasRefs(value)) env[key] = value;
    else {
      warnings.add(
        server,
        `env.${key}`,
        `codex cannot rename or interpolate variables (value ${JSON.stringify(value)}); ${key} is left unset for codex. ` +
          `Store the secret as ${key} and write ${key} = "\${${key}}"`,
      );
    }
  }
  return compact<CodexServer>({
    command: server.command,
    args: server.args.length > 0 ? [...server.args] : undefined,
    cwd: server.cwd,
    env_vars: envVars.length > 0 ? envVars : undefined,
    env: nonEmpty(env),
  });
}

function remoteEntry(server: RemoteServer, warnings: Warnings): CodexServer {
  let bearer: string | undefined;
  const literal: Record<string, string> = {};
  const fromEnv: Record<string, string> = {};
  for (const [header, value] of Object.entries(server.headers)) {
    const bearerRef = header.toLowerCase() === "authorization" ? BEARER.exec(value)?.[1] : undefined;
    const ref = exactRef(value);
    if (bearerRef !== undefined) bearer = bearerRef;
    else if (ref !== undefined) fromEnv[header] = ref;
    else if (!hasRefs(value)) literal[header] = value;
    else {
      warnings.add(
        server,
        `headers.${header}`,
        'codex can send a header from a variable only as the whole value ("${VAR}") or as "Bearer ${VAR}" ' +
          "in Authorization; header left out for codex",
      );
    }
  }
  return compact<CodexServer>({
    url: server.url,
    bearer_token_env_var: bearer,
    http_headers: nonEmpty(literal),
    env_http_headers: nonEmpty(fromEnv),
  });
}
