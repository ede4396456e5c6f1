/**
 * Who may talk to the dashboard. A local server that can sync, remove and launch containers is a target
 * for any web page the user visits and for DNS rebinding, so every request must: name our own loopback
 * address in Host (a rebound name does not), carry the per-run token (the printed URL once, then an
 * HttpOnly SameSite=Strict cookie another site cannot send), and, to change anything, come from our own
 * origin (Origin and Sec-Fetch-Site) as JSON (a cross-site form cannot send that without a preflight).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

export const COOKIE = "cadc_ui";

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export interface RequestFacts {
  method: string;
  /** The path and query as received. */
  url: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  cookie: string | undefined;
  contentType: string | undefined;
}

export type Verdict = { allowed: true; viaUrlToken: boolean } | { allowed: false; reason: string };

/** The Host values our own page uses: the loopback addresses we bind, on our port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

const SAFE_METHODS = new Set(["GET", "HEAD"]);

export function judge(facts: RequestFacts, token: string, port: number): Verdict {
  if (!facts.host || !allowedHosts(port).includes(facts.host.toLowerCase())) return { allowed: false, reason: "foreign Host header" };
  const url = new URL(facts.url, "http://localhost");
  const urlToken = url.searchParams.get("token") ?? undefined;
  const viaUrlToken = SAFE_METHODS.has(facts.method) && url.pathname === "/" && sameToken(urlToken, token);
  if (!viaUrlToken && !sameToken(cookieValue(facts.cookie, COOKIE), token)) return { allowed: false, reason: "missing or wrong token" };
  if (SAFE_METHODS.has(facts.method)) return { allowed: true, viaUrlToken };
  if (!facts.origin || !allowedHosts(port).some((host) => facts.origin === `http://${host}`)) return { allowed: false, reason: "foreign or missing Origin" };
  if (facts.secFetchSite !== undefined && facts.secFetchSite !== "same-origin") return { allowed: false, reason: `Sec-Fetch-Site: ${facts.secFetchSite}` };
  if (!(facts.contentType ?? "").startsWith("application/json")) return { allowed: false, reason: "not JSON" };
  return { allowed: true, viaUrlToken: false };
}

export function sessionCookie(token: string): string {
  return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Sent with every response: only our own files run, nothing frames us, no URL (with its token) leaks. */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-resource-policy": "same-origin",
  "cache-control": "no-store",
};
