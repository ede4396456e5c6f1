/**
 * Gemini CLI's Login with Google, `oauth_creds.json` (shared/reference/agents.md, "Subscription logins";
 * source: google-gemini/gemini-cli packages/core/src/code_assist/oauth2.ts): google-auth-library's
 * Credentials, `{access_token, refresh_token, scope, token_type, id_token, expiry_date (ms)}`, refreshed
 * with the CLI's installed-app client at Google's token endpoint (form-encoded). Google does not rotate
 * the refresh token: its answer has none, and the file keeps the one it has.
 *
 * Inside, the CLI is logged in by its environment, not by a file: `GOOGLE_GENAI_USE_GCA` with
 * `GOOGLE_CLOUD_ACCESS_TOKEN` gives a client that holds only that token and never refreshes (oauth2.ts,
 * step 1). A cached `oauth_creds.json` would not do: the CLI checks it at Google's tokeninfo endpoint, on the
 * token endpoint's own host, which the broker refuses. The staged file is still a placeholder login
 * (no refresh token, an expiry in 2100), so the container's files say which login it has.
 */
import { FAR_FUTURE_SECONDS, jsonObject, jwtClaims, type LoginFormat } from "./format.js";

// An installed application's client: "the client secret is obviously not treated as a secret" (oauth2.ts,
// quoting developers.google.com/identity/protocols/oauth2#installed).
const CLIENT_ID = "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com";
const CLIENT_SECRET = "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";
const PLACEHOLDER = "ya29.cadc-broker-placeholder";

interface Credentials {
  access_token?: string;
  refresh_token?: string;
  id_token?: string;
  expiry_date?: number;
  [key: string]: unknown;
}

function read(text: string): Credentials | undefined {
  return jsonObject(text) as Credentials | undefined;
}

export const googleLogin: LoginFormat = {
  id: "google",
  tokenUrl: "https://oauth2.googleapis.com/token",
  // The CLI has no override of its own: this one is the broker's, for tests.
  tokenUrlEnv: "CADC_GOOGLE_TOKEN_URL_OVERRIDE",
  placeholder: PLACEHOLDER,
  env: { GOOGLE_GENAI_USE_GCA: "true", GOOGLE_CLOUD_ACCESS_TOKEN: PLACEHOLDER },
  relogin: "gemini (choose Login with Google)",
  parse(text) {
    const json = read(text);
    if (!json) return "oauth_creds.json is not JSON";
    const { access_token: access, refresh_token: refresh, expiry_date: expiresAt } = json;
    if (!access || !refresh) return "oauth_creds.json holds no Google login (no tokens)";
    // Google's access tokens are opaque; the id token of the same answer says when they were issued.
    const issued = jwtClaims(json.id_token ?? "").iat;
    return {
      access,
      refresh,
      expiresAt: typeof expiresAt === "number" ? expiresAt : 0,
      ...(typeof issued === "number" ? { issuedAt: issued * 1000 } : {}),
      headers: {},
    };
  },
  renderPlaceholder(text) {
    const json = read(text) ?? {};
    const placeholder = { access_token: PLACEHOLDER, token_type: "Bearer", ...(typeof json.scope === "string" ? { scope: json.scope } : {}), expiry_date: FAR_FUTURE_SECONDS * 1000 };
    return `${JSON.stringify(placeholder, null, 2)}\n`;
  },
  request(login) {
    const body = new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: "refresh_token", refresh_token: login.refresh });
    return { type: "application/x-www-form-urlencoded", body: body.toString() };
  },
  apply(text, answer, now) {
    const json = read(text) ?? {};
    const next: Credentials = { ...json };
    for (const key of ["access_token", "refresh_token", "id_token", "scope", "token_type"] as const) {
      const value = answer[key];
      if (typeof value === "string" && value !== "") next[key] = value;
    }
    // As google-auth-library stores it: the expiry in ms instead of expires_in.
    if (typeof answer.expires_in === "number") next.expiry_date = now + answer.expires_in * 1000;
    return `${JSON.stringify(next, null, 2)}\n`;
  },
};
