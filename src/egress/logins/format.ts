/**
 * A subscription login the broker keeps on the host (docs/broker.md, "Subscription logins"): how to read the
 * host's login file, the placeholder login a container gets instead, and how to refresh it. One module per
 * CLI's file format (./codex.ts, ./google.ts, ./claude.ts); the refresher (../refresher.ts) and the host step only go through this.
 */

/** What the refresher needs from the host's login file. */
export interface HostLogin {
  access: string;
  refresh: string;
  /** When the access token stops working, and when it was issued (ms since the epoch; issued may be unknown). */
  expiresAt: number;
  issuedAt?: number;
  /** Non-secret headers the API needs besides the token (Codex: ChatGPT-Account-Id), set by the enforcer. */
  headers: Record<string, string>;
  /** Comma-separated list headers the enforcer makes hold this value, the request's own values kept (Claude: anthropic-beta). */
  append?: Record<string, string>;
}

export interface LoginFormat {
  id: string;
  /** The CLI's own token endpoint, and the variable that overrides it (the CLI's own name, honoured the same way). */
  tokenUrl: string;
  tokenUrlEnv?: string;
  /** The access token the placeholder login carries: the enforcer swaps it for the current one. */
  placeholder: string;
  /** Variables the container gets, where the CLI takes its login from the environment (no secret in them). */
  env?: Readonly<Record<string, string>>;
  /** The command that logs in again on the host, for a one-line failure. */
  relogin: string;
  /** The login in the file's text, or why there is none (one line). */
  parse(text: string): HostLogin | string;
  /** The login file a container gets: accepted by the CLI as logged in, never expiring, no credential in it. */
  renderPlaceholder(text: string): string;
  /**
   * The CLI's refresh lock: a directory of this name next to the login file, taken as the CLI takes it
   * (mkdir; another holder's counts until its mtime is a minute old), so the CLI and the broker never
   * refresh at once (Claude's `.oauth_refresh.lock`).
   */
  lock?: string;
  /** The refresh request's body and content type (from the login and its file's text). */
  request(login: HostLogin, text: string): { body: string; type: string };
  /** The host file's text with the token endpoint's answer applied, everything else kept. */
  apply(text: string, answer: Record<string, unknown>, now: number): string;
}

/** A login file's JSON object, or undefined for anything else. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const json = JSON.parse(text) as unknown;
    return json && typeof json === "object" && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a JWT (unverified: only the host's own login is read this way), or {} for anything else. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  return (part && jsonObject(Buffer.from(part, "base64url").toString("utf8"))) || {};
}

/** An unsigned JWT (`alg: none`) carrying only the given claims: what a CLI parses, no credential. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.cadc-broker-placeholder`;
}

/** 2100-01-01: a placeholder's expiry, so the CLI inside never tries to refresh. */
export const FAR_FUTURE_SECONDS = 4_102_444_800;
