import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { loginSpec } from "../../../src/egress/broker-args.js";
import { credentialsFor, inject, parseCredentials, parseRefused, refusedBy, withLoginToken } from "../../../src/egress/broker.js";
import { idleRefreshers } from "../../../src/egress/inspect.js";
import { codexLogin } from "../../../src/egress/logins/codex.js";
import { googleLogin } from "../../../src/egress/logins/google.js";
import { jwtClaims } from "../../../src/egress/logins/format.js";
import { poster, Refresher, refreshAt } from "../../../src/egress/refresher.js";
import { codexAuthJson, googleOAuthCreds, startOAuthServer, type OAuthServer } from "../../support/oauth-server.js";

function hostAuthJson(tokens: { access: string; refresh: string; idToken: string }, extra: Record<string, unknown> = {}): string {
  return codexAuthJson(tokens, "acct-test", extra);
}

let server: OAuthServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("Codex's placeholder login", () => {
  it("keeps only the account and plan claims, never expires, and holds none of the host's tokens", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 60 });
    const tokens = server.issue();
    const placeholder = codexLogin.renderPlaceholder(hostAuthJson(tokens));
    for (const secret of [tokens.access, tokens.refresh, tokens.idToken, "user@example.invalid"]) expect(placeholder).not.toContain(secret);
    const json = JSON.parse(placeholder) as { auth_mode: string; tokens: Record<string, string>; last_refresh: string };
    expect(json.auth_mode).toBe("chatgpt");
    expect(json.tokens.account_id).toBe("acct-test");
    expect(json.tokens.access_token).toBe(codexLogin.placeholder);
    expect(jwtClaims(json.tokens.id_token!)).toEqual({ exp: 4_102_444_800, "https://api.openai.com/auth": { chatgpt_account_id: "acct-test", chatgpt_plan_type: "pro" } });
    expect(jwtClaims(json.tokens.access_token!).exp).toBe(4_102_444_800);
    expect(Date.parse(json.last_refresh)).toBeGreaterThan(Date.now() + 50 * 365 * 86_400_000);
  });

  it("reads the host's login (expiry from the access token, the account header) and says why a file holds none", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100 });
    const login = codexLogin.parse(hostAuthJson(server.issue()));
    if (typeof login === "string") throw new Error(login);
    expect(login.headers).toEqual({ "chatgpt-account-id": "acct-test" });
    expect(login.expiresAt - login.issuedAt!).toBe(100_000);
    expect(refreshAt(login)).toBe(login.issuedAt! + 70_000);
    expect(codexLogin.parse('{"OPENAI_API_KEY":"sk-x"}')).toBe("auth.json holds no ChatGPT login (no tokens)");
    expect(codexLogin.parse("not json")).toBe("auth.json is not JSON");
  });
});

describe("Gemini's Google login", () => {
  it("gets a placeholder without the host's tokens, no refresh token and an expiry in 2100; the CLI inside is logged in by the placeholder variables", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 60, rotate: false });
    const tokens = server.issue();
    const placeholder = googleLogin.renderPlaceholder(googleOAuthCreds(tokens, 60));
    for (const secret of [tokens.access, tokens.refresh, tokens.idToken, "user@example.invalid"]) expect(placeholder).not.toContain(secret);
    expect(JSON.parse(placeholder)).toEqual({ access_token: googleLogin.placeholder, token_type: "Bearer", scope: "https://www.googleapis.com/auth/cloud-platform", expiry_date: 4_102_444_800_000 });
    expect(googleLogin.env).toEqual({ GOOGLE_GENAI_USE_GCA: "true", GOOGLE_CLOUD_ACCESS_TOKEN: googleLogin.placeholder });
  });

  it("reads the host's login (issued when its id token was) and says why a file holds none", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100, rotate: false });
    const login = googleLogin.parse(googleOAuthCreds(server.issue(), 100));
    if (typeof login === "string") throw new Error(login);
    expect(login.headers).toEqual({});
    expect(Math.abs(login.expiresAt - login.issuedAt! - 100_000)).toBeLessThan(2_000);
    expect(googleLogin.parse('{"access_token":"ya29.x"}')).toBe("oauth_creds.json holds no Google login (no tokens)");
  });

  it("refreshes with the CLI's client at 70% of the token's life, keeps the refresh token Google does not rotate, and writes the expiry as google-auth-library does", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100, rotate: false });
    const dir = mkdtempSync(join(tmpdir(), "cadc-refresher-"));
    dirs.push(dir);
    const login = join(dir, "oauth_creds.json");
    const clock = { now: Date.now() };
    const refresher = new Refresher({ format: googleLogin, login, out: join(dir, "out"), staged: "oauth_creds.json", tokenUrl: server.url, post: poster(), now: () => clock.now });
    const tokens = server.issue();
    writeFileSync(login, googleOAuthCreds(tokens, 100), { mode: 0o600 });
    await refresher.tick();
    expect(server.used).toEqual([]);
    clock.now += 75_000;
    await refresher.tick();
    expect(server.used).toEqual([tokens.refresh]);
    const host = JSON.parse(readFileSync(login, "utf8")) as Record<string, unknown>;
    expect(host).toMatchObject({ access_token: server.issued.at(-1), refresh_token: tokens.refresh, expiry_date: clock.now + 100_000, scope: "https://www.googleapis.com/auth/cloud-platform" });
    expect(statSync(login).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, "out", "current"), "utf8"))).toEqual({ access_token: server.issued.at(-1), headers: {} });
    expect(googleLogin.request(googleLogin.parse(readFileSync(login, "utf8")) as never, "").body).toContain("client_id=681255809395-");
  });
});

describe("the login refresher (scripted token endpoint on loopback: single-use rotating refresh tokens)", () => {
  function setup(lifetimeSeconds: number, clock: { now: number }) {
    const dir = mkdtempSync(join(tmpdir(), "cadc-refresher-"));
    dirs.push(dir);
    const login = join(dir, "auth.json");
    const out = join(dir, "out");
    const refresher = new Refresher({ format: codexLogin, login, out, staged: "auth.json", tokenUrl: server!.url, post: poster(), now: () => clock.now });
    return { dir, login, out, refresher };
  }

  it("publishes the current token, refreshes before expiry, writes the rotated pair back atomically in the file's mode, and never reuses a refresh token", async () => {
    const clock = { now: Date.now() };
    server = await startOAuthServer({ lifetimeSeconds: 100, now: () => clock.now });
    const { login, out, refresher } = setup(100, clock);
    const first = server.issue();
    writeFileSync(login, hostAuthJson(first, { custom: "kept" }));
    chmodSync(login, 0o600);
    await refresher.tick();
    expect(JSON.parse(readFileSync(join(out, "current"), "utf8"))).toEqual({ access_token: first.access, headers: { "chatgpt-account-id": "acct-test" } });
    expect(server.used).toEqual([]);
    // Five lifetimes: each tick past 70% of a token's life rotates once.
    for (let round = 0; round < 5; round++) {
      clock.now += 75_000;
      await refresher.tick();
      await refresher.tick();
    }
    expect(server.used).toHaveLength(5);
    expect(new Set(server.used).size).toBe(5);
    expect(server.reuses()).toBe(0);
    const host = JSON.parse(readFileSync(login, "utf8")) as { custom: string; tokens: { access_token: string; refresh_token: string } };
    expect(host.custom).toBe("kept");
    expect(host.tokens.access_token).toBe(server.issued.at(-1));
    expect(server.isCurrent(host.tokens.access_token)).toBe(true);
    expect(statSync(login).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(out, "current"), "utf8")).access_token).toBe(host.tokens.access_token);
    expect(readFileSync(join(out, "placeholder", "auth.json"), "utf8")).not.toContain(host.tokens.refresh_token);
  });

  it("adopts a refresh the host's CLI made instead of refreshing", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100 });
    const clock = { now: Date.now() };
    const { login, out, refresher } = setup(100, clock);
    writeFileSync(login, hostAuthJson(server.issue()));
    await refresher.tick();
    const byHost = server.issue();
    writeFileSync(login, hostAuthJson(byHost));
    await refresher.tick();
    expect(server.used).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "current"), "utf8")).access_token).toBe(byHost.access);
  });

  it("on invalid_grant leaves the host's file byte-identical, says why in one line with the fix, and does not retry until the file changes", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100 });
    const clock = { now: Date.now() };
    const { login, out, refresher } = setup(100, clock);
    const tokens = server.issue();
    const text = hostAuthJson({ ...tokens, refresh: "rt-unknown" });
    writeFileSync(login, text);
    clock.now += 90_000;
    await refresher.tick();
    await refresher.tick();
    expect(readFileSync(login, "utf8")).toBe(text);
    expect(server.used).toEqual(["rt-unknown"]);
    const status = JSON.parse(readFileSync(join(out, "status"), "utf8")) as { state: string; message: string };
    expect(status).toEqual({ state: "failed", message: "the login could not be refreshed (invalid_grant); log in again on the host: codex login" });
    // The enforcers stop injecting the last access token, until a new login lands in the file.
    expect(existsSync(join(out, "current"))).toBe(false);
    const again = server.issue();
    writeFileSync(login, hostAuthJson(again));
    clock.now = Date.now();
    await refresher.tick();
    expect(JSON.parse(readFileSync(join(out, "current"), "utf8")).access_token).toBe(again.access);
  });

  it("withdraws the current token when the host's login file is gone (a logout on the host)", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100 });
    const { login, out, refresher } = setup(100, { now: Date.now() });
    writeFileSync(login, hostAuthJson(server.issue()));
    await refresher.tick();
    expect(existsSync(join(out, "current"))).toBe(true);
    rmSync(login);
    await refresher.tick();
    expect(existsSync(join(out, "current"))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "status"), "utf8")).message).toMatch(/^no login at .*; log in again on the host: codex login$/);
  });

  it("publishes nothing for a file that holds no login", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 100 });
    const { login, out, refresher } = setup(100, { now: Date.now() });
    writeFileSync(login, '{"OPENAI_API_KEY":"sk-x"}');
    await refresher.tick();
    expect(existsSync(join(out, "current"))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, "status"), "utf8")).state).toBe("failed");
  });
});

describe("the enforcer with a brokered login", () => {
  const [credential] = parseCredentials(`codex-login ${codexLogin.placeholder} chatgpt.com,gw.example authorization @codex-123`);

  it("takes the login's token and headers from its refresher's file, and nothing malformed", () => {
    expect(credential!.login).toBe("codex-123");
    const current = withLoginToken(credential!, JSON.stringify({ access_token: "at-current-123", headers: { "chatgpt-account-id": "acct-1", "Bad Name": "x" } }));
    expect(current).toMatchObject({ secret: "at-current-123", set: { "chatgpt-account-id": "acct-1" } });
    expect(withLoginToken(credential!, '{"access_token":"a b"}')).toBeUndefined();
    expect(withLoginToken(credential!, "garbage")).toBeUndefined();
  });

  it("puts the token into the declared header only, and sets the account header only on a request that carried the placeholder", () => {
    const current = withLoginToken(credential!, JSON.stringify({ access_token: "at-current-123", headers: { "chatgpt-account-id": "acct-1" } }))!;
    expect(credentialsFor([current], "chatgpt.com", 443)).toHaveLength(1);
    expect(credentialsFor([current], "auth.openai.com", 443)).toHaveLength(0);
    const headers: Record<string, string> = { authorization: `Bearer ${codexLogin.placeholder}`, "x-other": codexLogin.placeholder, "chatgpt-account-id": "forged" };
    expect(inject(headers, [current])).toEqual(["codex-login"]);
    expect(headers).toEqual({ authorization: "Bearer at-current-123", "x-other": codexLogin.placeholder, "chatgpt-account-id": "acct-1" });
    const plain: Record<string, string> = { authorization: "Bearer something-else" };
    expect(inject(plain, [current])).toEqual([]);
    expect(plain).toEqual({ authorization: "Bearer something-else" });
  });

  it("refuses a bare token host on every port, and a host:port on that port only", () => {
    const rules = parseRefused("auth.openai.com\n10.0.0.1:8443\n");
    for (const port of [443, 80, 8080]) expect(refusedBy(rules, "auth.openai.com", port)).toBe(true);
    expect(refusedBy(rules, "AUTH.openai.com.", 80)).toBe(true);
    expect(refusedBy(rules, "10.0.0.1", 8443)).toBe(true);
    expect(refusedBy(rules, "10.0.0.1", 443)).toBe(false);
    expect(refusedBy(rules, "api.openai.com", 443)).toBe(false);
  });

  it("reads the refused token endpoints", () => {
    expect(parseRefused("auth.openai.com\n10.0.0.1:8443\n\nnot a host!\n")).toEqual([{ host: "auth.openai.com" }, { host: "10.0.0.1", port: 8443 }]);
  });

  it("gets Codex's login from the agent module: the key variables take precedence, the override variable is Codex's own", () => {
    const [flag, spec] = loginSpec(agent("codex"));
    expect(flag).toBe("--login");
    expect(spec!.split("=")).toEqual([
      "codex",
      "CODEX_HOME:auth.json,:.codex/auth.json",
      "auth.json",
      codexLogin.placeholder,
      "chatgpt.com",
      "OPENAI_BASE_URL",
      "authorization",
      "OPENAI_API_KEY,CODEX_API_KEY",
      "https://auth.openai.com/oauth/token",
      "CODEX_REFRESH_TOKEN_URL_OVERRIDE",
      "",
    ]);
  });

  it("gets Gemini's login from the agent module: Code Assist's variable, the broker's own override, the placeholder variables", () => {
    const [flag, spec] = loginSpec(agent("gemini"));
    expect(flag).toBe("--login");
    expect(spec!.split("=")).toEqual([
      "google",
      "GEMINI_CLI_HOME:.gemini/oauth_creds.json,:.gemini/oauth_creds.json",
      "oauth_creds.json",
      googleLogin.placeholder,
      "cloudcode-pa.googleapis.com",
      "CODE_ASSIST_ENDPOINT",
      "authorization",
      "GEMINI_API_KEY",
      "https://oauth2.googleapis.com/token",
      "CADC_GOOGLE_TOKEN_URL_OVERRIDE",
      `GOOGLE_GENAI_USE_GCA:true,GOOGLE_CLOUD_ACCESS_TOKEN:${googleLogin.placeholder}`,
    ]);
    expect(loginSpec(agent("qwen"))).toEqual([]);
  });

  it("removes a login's refresher with the last enforcer that mounts its login, and nothing else", () => {
    const refreshers = ["cadc-broker-login-codex-1", "cadc-broker-login-codex-2", "something-else"];
    expect(idleRefreshers(refreshers, ["/broker", "/logins/codex-1", "/state", ""])).toEqual(["cadc-broker-login-codex-2"]);
    expect(idleRefreshers(refreshers, [])).toEqual(["cadc-broker-login-codex-1", "cadc-broker-login-codex-2"]);
    expect(idleRefreshers(refreshers, ["/logins/codex-1", "/logins/codex-2"])).toEqual([]);
  });
});
