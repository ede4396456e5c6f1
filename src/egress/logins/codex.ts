/**
 * Codex's ChatGPT login, `auth.json` (shared/reference/agents.md, "Subscription logins"; source:
 * openai/codex codex-rs/login/src/auth/manager.rs): `{auth_mode, OPENAI_API_KEY, tokens{id_token,
 * access_token, refresh_token, account_id}, last_refresh}`. Codex reads the account id and plan from the
 * id token's claims, refreshes after the access token's `exp` or when `last_refresh` is over 8 days old,
 * and sends `Authorization: Bearer` with `ChatGPT-Account-Id`.
 */
import { FAR_FUTURE_SECONDS, jsonObject, jwtClaims, unsignedJwt, type LoginFormat } from "./format.js";

const CLIENT_ID = "app_EMoamEEZ73f0CkXaXp7hrann";
const AUTH_CLAIM = "https://api.openai.com/auth";
/** Codex's own refresh interval, the expiry of an access token whose `exp` cannot be read. */
const REFRESH_INTERVAL_MS = 8 * 24 * 3600_000;

interface AuthJson {
  auth_mode?: string;
  tokens?: { id_token?: string; access_token?: string; refresh_token?: string; account_id?: string };
  last_refresh?: string;
  [key: string]: unknown;
}

function read(text: string): AuthJson | undefined {
  return jsonObject(text) as AuthJson | undefined;
}

function authClaims(idToken: string | undefined): Record<string, unknown> {
  const claim = jwtClaims(idToken ?? "")[AUTH_CLAIM];
  return claim && typeof claim === "object" ? (claim as Record<string, unknown>) : {};
}

function accountId(json: AuthJson): string | undefined {
  const id = json.tokens?.account_id ?? authClaims(json.tokens?.id_token).chatgpt_account_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** The access token's placeholder: a JWT whose only claims are a far expiry and what it is. */
const PLACEHOLDER = unsignedJwt({ exp: FAR_FUTURE_SECONDS, cadc: "broker-placeholder" });

export const codexLogin: LoginFormat = {
  id: "codex",
  tokenUrl: "https://auth.openai.com/oauth/token",
  tokenUrlEnv: "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
  placeholder: PLACEHOLDER,
  relogin: "codex login",
  parse(text) {
    const json = read(text);
    if (!json) return "auth.json is not JSON";
    const { access_token: access, refresh_token: refresh } = json.tokens ?? {};
    if (!access || !refresh) return "auth.json holds no ChatGPT login (no tokens)";
    const account = accountId(json);
    if (!account) return "auth.json names no ChatGPT account";
    const claims = jwtClaims(access);
    const lastRefresh = Date.parse(json.last_refresh ?? "");
    const expiresAt = typeof claims.exp === "number" ? claims.exp * 1000 : (Number.isNaN(lastRefresh) ? 0 : lastRefresh) + REFRESH_INTERVAL_MS;
    const issuedAt = typeof claims.iat === "number" ? claims.iat * 1000 : Number.isNaN(lastRefresh) ? undefined : lastRefresh;
    return { access, refresh, expiresAt, ...(issuedAt !== undefined ? { issuedAt } : {}), headers: { "chatgpt-account-id": account } };
  },
  renderPlaceholder(text) {
    const json = read(text) ?? {};
    const account = accountId(json) ?? "";
    const plan = authClaims(json.tokens?.id_token).chatgpt_plan_type;
    // Only the claims Codex reads: the account and the plan. No email, no user id, no signature.
    const id = unsignedJwt({ exp: FAR_FUTURE_SECONDS, [AUTH_CLAIM]: { chatgpt_account_id: account, ...(typeof plan === "string" ? { chatgpt_plan_type: plan } : {}) } });
    const placeholder = {
      auth_mode: json.auth_mode ?? "chatgpt",
      OPENAI_API_KEY: null,
      tokens: { id_token: id, access_token: PLACEHOLDER, refresh_token: "cadc-broker-placeholder", account_id: account },
      // In the future: Codex never finds it over 8 days old.
      last_refresh: new Date(FAR_FUTURE_SECONDS * 1000).toISOString(),
    };
    return `${JSON.stringify(placeholder, null, 2)}\n`;
  },
  request(login) {
    return { type: "application/json", body: JSON.stringify({ client_id: CLIENT_ID, grant_type: "refresh_token", refresh_token: login.refresh, scope: "openid profile email" }) };
  },
  apply(text, answer, now) {
    const json = read(text) ?? {};
    const tokens = { ...json.tokens };
    for (const [field, key] of [["id_token", "id_token"], ["access_token", "access_token"], ["refresh_token", "refresh_token"]] as const) {
      const value = answer[key];
      if (typeof value === "string" && value !== "") tokens[field] = value;
    }
    return `${JSON.stringify({ ...json, tokens, last_refresh: new Date(now).toISOString() }, null, 2)}\n`;
  },
};
