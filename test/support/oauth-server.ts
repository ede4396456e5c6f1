/**
 * A scripted OAuth token endpoint that keeps the vendors' rules (issue 26): refresh tokens are single-use
 * and rotate, access tokens live for `lifetimeSeconds`, and reusing a refresh token answers `invalid_grant`
 * and revokes its whole family. With `rotate: false` it keeps Google's instead: the answer has no refresh
 * token, and the one presented stays valid. Plain HTTP on loopback for unit tests, HTTPS (a test CA's certificate) for
 * the end-to-end ones; `now` may be a test's own clock. It records every refresh token it was sent, so a test can prove none was used twice.
 */
import { randomBytes } from "node:crypto";
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import { unsignedJwt } from "../../src/egress/logins/format.js";

export interface OAuthServer {
  url: string;
  /** The first login: an access and a refresh token of a new family. */
  issue(): { access: string; refresh: string; idToken: string };
  /** Every refresh token sent, in order (a reuse shows up twice). */
  used: string[];
  /** Every access token issued, in order, and when (ms, parallel); every id token issued; and whether one is current (issued last in a live family, not expired). */
  issued: string[];
  issuedAt: number[];
  idTokens: string[];
  isCurrent(access: string): boolean;
  reuses(): number;
  /** Revokes every family (the account logged out elsewhere): each refresh from now on answers invalid_grant. */
  revokeAll(): void;
  close(): Promise<void>;
}

/** A host's Codex `auth.json` holding a ChatGPT login of this server's tokens (`extra` fields are kept as they are). */
export function codexAuthJson(tokens: { access: string; refresh: string; idToken: string }, accountId = "acct-test", extra: Record<string, unknown> = {}): string {
  const login = { id_token: tokens.idToken, access_token: tokens.access, refresh_token: tokens.refresh, account_id: accountId };
  return `${JSON.stringify({ auth_mode: "chatgpt", OPENAI_API_KEY: null, tokens: login, last_refresh: new Date().toISOString(), ...extra }, null, 2)}\n`;
}

/** A host's Gemini CLI `oauth_creds.json` holding a Google login of this server's tokens (as google-auth-library stores it). */
export function googleOAuthCreds(tokens: { access: string; refresh: string; idToken: string }, lifetimeSeconds: number): string {
  const creds = { access_token: tokens.access, refresh_token: tokens.refresh, scope: "https://www.googleapis.com/auth/cloud-platform", token_type: "Bearer", id_token: tokens.idToken, expiry_date: Date.now() + lifetimeSeconds * 1000 };
  return `${JSON.stringify(creds, null, 2)}\n`;
}

/**
 * A host's Claude Code `.credentials.json` holding a Claude.ai login of this server's tokens, written as the
 * CLI writes it (one line of JSON); `extra` top-level keys sit beside `claudeAiOauth` (an MCP server's OAuth).
 */
export function claudeCredentials(tokens: { access: string; refresh: string }, lifetimeSeconds: number, extra: Record<string, unknown> = {}): string {
  const oauth = { accessToken: tokens.access, refreshToken: tokens.refresh, expiresAt: Date.now() + lifetimeSeconds * 1000, scopes: ["user:inference", "user:profile", "user:sessions:claude_code"], subscriptionType: "max", rateLimitTier: "default_claude_max_20x", accountUuid: "account-uuid-e2e" };
  return JSON.stringify({ claudeAiOauth: oauth, ...extra });
}

export async function startOAuthServer(options: { lifetimeSeconds: number; host?: string; tls?: { key: string; cert: string }; accountId?: string; now?: () => number; rotate?: boolean }): Promise<OAuthServer> {
  const families = new Map<string, { revoked: boolean; access: string; expires: number }>();
  const refreshes = new Map<string, { family: string; spent: boolean }>();
  const used: string[] = [];
  const issued: string[] = [];
  const issuedAt: number[] = [];
  const idTokens: string[] = [];
  let reused = 0;
  const clock = options.now ?? Date.now;
  const account = options.accountId ?? "acct-test";
  const token = (prefix: string): string => `${prefix}${randomBytes(16).toString("hex")}`;
  const mint = (family: string) => {
    const now = Math.floor(clock() / 1000);
    const access = unsignedJwt({ exp: now + options.lifetimeSeconds, iat: now, jti: token("") });
    const refresh = token("rt-");
    families.set(family, { revoked: false, access, expires: (now + options.lifetimeSeconds) * 1000 });
    refreshes.set(refresh, { family, spent: false });
    issued.push(access);
    issuedAt.push(clock());
    const idToken = unsignedJwt({ iat: now, exp: now + options.lifetimeSeconds, email: "user@example.invalid", "https://api.openai.com/auth": { chatgpt_account_id: account, chatgpt_plan_type: "pro" } });
    idTokens.push(idToken);
    return { access, refresh, idToken };
  };
  const answer = (res: ServerResponse, status: number, body: object): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      let body: Record<string, string> = {};
      try {
        body = req.headers["content-type"]?.includes("json") ? (JSON.parse(text) as Record<string, string>) : Object.fromEntries(new URLSearchParams(text));
      } catch {
        return answer(res, 400, { error: "invalid_request" });
      }
      if (req.method !== "POST" || body.grant_type !== "refresh_token") return answer(res, 400, { error: "unsupported_grant_type" });
      const presented = body.refresh_token ?? "";
      used.push(presented);
      const entry = refreshes.get(presented);
      if (!entry) return answer(res, 400, { error: "invalid_grant" });
      const family = families.get(entry.family)!;
      if (entry.spent) {
        reused += 1;
        family.revoked = true;
        return answer(res, 400, { error: "invalid_grant", error_description: "refresh_token_reused" });
      }
      if (family.revoked) return answer(res, 400, { error: "invalid_grant" });
      if (options.rotate === false) {
        const next = mint(entry.family);
        refreshes.delete(next.refresh);
        return answer(res, 200, { access_token: next.access, id_token: next.idToken, expires_in: options.lifetimeSeconds, token_type: "Bearer" });
      }
      entry.spent = true;
      const next = mint(entry.family);
      answer(res, 200, { access_token: next.access, refresh_token: next.refresh, id_token: next.idToken, expires_in: options.lifetimeSeconds, token_type: "Bearer" });
    });
  };
  const server: Server = options.tls ? createHttps(options.tls, handle) : createHttp(handle);
  await new Promise<void>((resolve) => server.listen(0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://${options.host ?? "127.0.0.1"}:${port}/oauth/token`,
    issue: () => mint(token("family-")),
    used,
    issued,
    issuedAt,
    idTokens,
    isCurrent: (access) => [...families.values()].some((family) => !family.revoked && family.access === access && family.expires > clock()),
    reuses: () => reused,
    revokeAll: () => {
      for (const family of families.values()) family.revoked = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
