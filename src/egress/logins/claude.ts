/**
 * Claude Code's subscription login (Claude Pro/Max), `.credentials.json` (shared/reference/agents.md,
 * "Subscription logins"): `{claudeAiOauth: {accessToken, refreshToken, expiresAt (ms), scopes,
 * subscriptionType, rateLimitTier, ...}}`, other top-level keys (MCP servers' OAuth) beside it.
 *
 * The CLI is closed source; what follows was read from its own bundle, @anthropic-ai/claude-code 2.1.329
 * (the native linux-x64 binary of @anthropic-ai/claude-code-linux-x64, grepped for `TOKEN_URL`,
 * `grant_type:"refresh_token"`, `.oauth_refresh.lock`; docs/agents/claude.md, "Subscription login"):
 * - token endpoint `https://platform.claude.com/v1/oauth/token`, client id `9d1c250a-…`; its own override
 *   (`CLAUDE_CODE_CUSTOM_OAUTH_URL`) takes only Anthropic's approved hosts, so the broker has its own;
 * - the refresh is JSON `{grant_type, refresh_token, client_id, scope}`, the scope the login's `scopes`
 *   joined by spaces (the CLI's fallback when its wider default set is refused); the answer's
 *   `{access_token, refresh_token?, expires_in, scope?, refresh_token_expires_in?}` is stored as
 *   `expiresAt = now + expires_in * 1000`, the refresh token kept when none comes back;
 * - the CLI refreshes when `now + 5 min >= expiresAt`, under a lock directory `.oauth_refresh.lock` in its
 *   config folder (proper-lockfile: mkdir, mtime touched every 5 s, stale after 60 s), re-reads the file
 *   under it and adopts a newer token; it notices a rewritten file by its mtime;
 * - it writes the file as JSON, mode 0600, and is logged in when `claudeAiOauth.scopes` holds
 *   `user:inference` and `accessToken` is set; it sends `Authorization: Bearer` with
 *   `anthropic-beta: oauth-2025-04-20`.
 * The access token is opaque (`sk-ant-oat01-…`): the file does not say when it was issued.
 */
import { FAR_FUTURE_SECONDS, jsonObject, type LoginFormat } from "./format.js";

const CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
/** The CLI's own scopes of a Claude.ai login, for a file that names none. */
const DEFAULT_SCOPES = ["user:profile", "user:inference", "user:sessions:claude_code", "user:mcp_servers", "user:file_upload"];
/** Non-secret fields the CLI reads from a login (its plan and limits); everything else stays on the host. */
const KEPT = ["scopes", "subscriptionType", "rateLimitTier"] as const;
const PLACEHOLDER = "sk-ant-oat01-cadc-broker-placeholder-login-0000000000000000AA";

interface OAuth {
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: number;
  scopes?: string[];
  clientId?: string;
  [key: string]: unknown;
}

function oauthOf(text: string): { json: Record<string, unknown>; oauth: OAuth } | undefined {
  const json = jsonObject(text);
  const oauth = json?.claudeAiOauth;
  return json && oauth && typeof oauth === "object" && !Array.isArray(oauth) ? { json, oauth: oauth as OAuth } : undefined;
}

/** The host file's own layout kept: indented or on one line, with or without a final newline. */
function serialize(text: string, json: Record<string, unknown>): string {
  const indented = /^\{\s*\n/.test(text);
  return `${indented ? JSON.stringify(json, null, 2) : JSON.stringify(json)}${text.endsWith("\n") ? "\n" : ""}`;
}

export const claudeLogin: LoginFormat = {
  id: "claude",
  tokenUrl: "https://platform.claude.com/v1/oauth/token",
  // The CLI's own override accepts only Anthropic's hosts: this one is the broker's, for tests.
  tokenUrlEnv: "CADC_CLAUDE_TOKEN_URL_OVERRIDE",
  placeholder: PLACEHOLDER,
  relogin: "claude, then /login",
  lock: ".oauth_refresh.lock",
  parse(text) {
    const found = oauthOf(text);
    if (!jsonObject(text)) return ".credentials.json is not JSON";
    const { accessToken: access, refreshToken: refresh, expiresAt } = found?.oauth ?? {};
    if (!access || !refresh) return ".credentials.json holds no Claude.ai login (no claudeAiOauth tokens)";
    // The CLI sends the beta itself on a login; the enforcer makes sure of it (the API refuses a Bearer token without).
    return { access, refresh, expiresAt: typeof expiresAt === "number" ? expiresAt : 0, headers: {}, append: { "anthropic-beta": "oauth-2025-04-20" } };
  },
  renderPlaceholder(text) {
    const oauth = oauthOf(text)?.oauth ?? {};
    const kept = Object.fromEntries(KEPT.filter((key) => oauth[key] !== undefined).map((key) => [key, oauth[key]]));
    // No MCP servers' tokens, no account ids: only what makes the CLI logged in and never refreshing.
    const placeholder = { claudeAiOauth: { accessToken: PLACEHOLDER, refreshToken: "cadc-broker-placeholder", expiresAt: FAR_FUTURE_SECONDS * 1000, scopes: DEFAULT_SCOPES, ...kept } };
    return `${JSON.stringify(placeholder, null, 2)}\n`;
  },
  request(login, text) {
    const oauth = oauthOf(text)?.oauth ?? {};
    const scopes = Array.isArray(oauth.scopes) && oauth.scopes.length > 0 ? oauth.scopes : DEFAULT_SCOPES;
    const body = { grant_type: "refresh_token", refresh_token: login.refresh, client_id: typeof oauth.clientId === "string" && oauth.clientId !== "" ? oauth.clientId : CLIENT_ID, scope: scopes.join(" ") };
    return { type: "application/json", body: JSON.stringify(body) };
  },
  apply(text, answer, now) {
    const found = oauthOf(text);
    if (!found) return text;
    const next: OAuth = { ...found.oauth };
    if (typeof answer.access_token === "string" && answer.access_token !== "") next.accessToken = answer.access_token;
    if (typeof answer.refresh_token === "string" && answer.refresh_token !== "") next.refreshToken = answer.refresh_token;
    if (typeof answer.expires_in === "number") next.expiresAt = now + answer.expires_in * 1000;
    if (typeof answer.refresh_token_expires_in === "number") next.refreshTokenExpiresAt = now + answer.refresh_token_expires_in * 1000;
    if (typeof answer.scope === "string" && answer.scope.trim() !== "") next.scopes = answer.scope.split(" ").filter(Boolean);
    return serialize(text, { ...found.json, claudeAiOauth: next });
  },
};
