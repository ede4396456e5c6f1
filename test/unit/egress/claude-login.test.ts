import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { loginSpec } from "../../../src/egress/broker-args.js";
import { inject, parseCredentials, withLoginToken } from "../../../src/egress/broker.js";
import { failureLine } from "../../../src/egress/login-status.js";
import { claudeLogin } from "../../../src/egress/logins/claude.js";
import { poster, Refresher } from "../../../src/egress/refresher.js";
import { claudeCredentials, startOAuthServer, type OAuthServer } from "../../support/oauth-server.js";

const MCP = { mcpOAuth: { "docs|abc": { accessToken: "mcp-secret-token", refreshToken: "mcp-secret-refresh" } } };

let server: OAuthServer | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup(clock: { now: number }) {
  const dir = mkdtempSync(join(tmpdir(), "cadc-claude-login-"));
  dirs.push(dir);
  const login = join(dir, ".credentials.json");
  const out = join(dir, "out");
  const refresher = new Refresher({ format: claudeLogin, login, out, staged: "credentials.json", tokenUrl: server!.url, post: poster(), now: () => clock.now });
  return { dir, login, out, refresher, lock: join(dir, ".oauth_refresh.lock") };
}

function hostOAuth(login: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(login, "utf8")) as { claudeAiOauth: Record<string, unknown> }).claudeAiOauth;
}

describe("Claude Code's subscription login", () => {
  it("gets a placeholder the CLI takes as logged in (user:inference, expiry in 2100), with the plan kept and no token, account id or MCP server's token", async () => {
    server = await startOAuthServer({ lifetimeSeconds: 60 });
    const tokens = server.issue();
    const placeholder = claudeLogin.renderPlaceholder(claudeCredentials(tokens, 60, MCP));
    for (const secret of [tokens.access, tokens.refresh, "mcp-secret", "account-uuid-e2e"]) expect(placeholder).not.toContain(secret);
    expect(JSON.parse(placeholder)).toEqual({
      claudeAiOauth: {
        accessToken: claudeLogin.placeholder,
        refreshToken: "cadc-broker-placeholder",
        expiresAt: 4_102_444_800_000,
        scopes: ["user:inference", "user:profile", "user:sessions:claude_code"],
        subscriptionType: "max",
        rateLimitTier: "default_claude_max_20x",
      },
    });
  });

  it("reads the host's login and says why a file holds none", () => {
    const login = claudeLogin.parse(claudeCredentials({ access: "sk-ant-oat01-a", refresh: "sk-ant-ort01-r" }, 60));
    if (typeof login === "string") throw new Error(login);
    expect(login).toMatchObject({ access: "sk-ant-oat01-a", refresh: "sk-ant-ort01-r", headers: {}, append: { "anthropic-beta": "oauth-2025-04-20" } });
    expect(login.issuedAt).toBeUndefined();
    expect(claudeLogin.parse('{"mcpOAuth":{}}')).toBe(".credentials.json holds no Claude.ai login (no claudeAiOauth tokens)");
    expect(claudeLogin.parse("nope")).toBe(".credentials.json is not JSON");
  });

  it("refreshes as the CLI does: JSON with its client id and the login's scopes", () => {
    const text = claudeCredentials({ access: "a", refresh: "sk-ant-ort01-r" }, 60);
    const request = claudeLogin.request(claudeLogin.parse(text) as never, text);
    expect(request.type).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({ grant_type: "refresh_token", refresh_token: "sk-ant-ort01-r", client_id: "9d1c250a-e61b-44d9-88ed-5944d1962f5e", scope: "user:inference user:profile user:sessions:claude_code" });
  });
});

describe("the refresher on a Claude login (scripted token endpoint: single-use rotating refresh tokens)", () => {
  it("refreshes at 70% of the life it saw, writes the rotated pair back on one line in mode 0600 with everything else kept, and leaves no lock behind", async () => {
    const clock = { now: Date.now() };
    server = await startOAuthServer({ lifetimeSeconds: 100, now: () => clock.now });
    const { login, out, refresher, lock } = setup(clock);
    const first = server.issue();
    writeFileSync(login, claudeCredentials(first, 100, MCP), { mode: 0o600 });
    await refresher.tick();
    expect(JSON.parse(readFileSync(join(out, "current"), "utf8"))).toEqual({ access_token: first.access, headers: {}, append: { "anthropic-beta": "oauth-2025-04-20" } });
    clock.now += 60_000;
    await refresher.tick();
    expect(server.used).toEqual([]);
    for (let round = 0; round < 3; round++) {
      clock.now += 75_000;
      await refresher.tick();
    }
    expect(server.used).toHaveLength(3);
    expect(server.reuses()).toBe(0);
    const text = readFileSync(login, "utf8");
    expect(text.split("\n")).toHaveLength(1);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json.mcpOAuth).toEqual(MCP.mcpOAuth);
    expect(hostOAuth(login)).toMatchObject({ accessToken: server.issued.at(-1), expiresAt: clock.now + 100_000, subscriptionType: "max", accountUuid: "account-uuid-e2e" });
    expect(server.used).not.toContain(hostOAuth(login).refreshToken);
    expect(statSync(login).mode & 0o777).toBe(0o600);
    expect(existsSync(lock)).toBe(false);
  });

  it("while the CLI holds its refresh lock, waits; then adopts the login the CLI wrote instead of spending the refresh token again", async () => {
    const clock = { now: Date.now() };
    server = await startOAuthServer({ lifetimeSeconds: 100, now: () => clock.now });
    const { login, out, refresher, lock } = setup(clock);
    writeFileSync(login, claudeCredentials(server.issue(), 100));
    await refresher.tick();
    clock.now += 80_000;
    mkdirSync(lock);
    await refresher.tick();
    expect(server.used).toEqual([]);
    expect(existsSync(lock)).toBe(true);
    const byHost = server.issue();
    writeFileSync(login, claudeCredentials(byHost, 100));
    rmSync(lock, { recursive: true });
    await refresher.tick();
    expect(server.used).toEqual([]);
    expect(JSON.parse(readFileSync(join(out, "current"), "utf8")).access_token).toBe(byHost.access);
  });

  it("takes over a stale lock (untouched for over a minute) and refreshes", async () => {
    const clock = { now: Date.now() };
    server = await startOAuthServer({ lifetimeSeconds: 100, now: () => clock.now });
    const { login, refresher, lock } = setup(clock);
    writeFileSync(login, claudeCredentials(server.issue(), 100));
    await refresher.tick();
    clock.now += 80_000;
    mkdirSync(lock);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    await refresher.tick();
    expect(server.used).toHaveLength(1);
    expect(existsSync(lock)).toBe(false);
  });

  it("on invalid_grant leaves the host's file byte-identical and says why in one line with the fix", async () => {
    const clock = { now: Date.now() };
    server = await startOAuthServer({ lifetimeSeconds: 100 });
    const { login, out, refresher } = setup(clock);
    const text = claudeCredentials({ ...server.issue(), refresh: "rt-unknown" }, 100);
    writeFileSync(login, text);
    await refresher.tick();
    clock.now += 90_000;
    await refresher.tick();
    expect(readFileSync(login, "utf8")).toBe(text);
    expect(server.used).toEqual(["rt-unknown"]);
    expect(failureLine("claude-123", readFileSync(join(out, "status"), "utf8"))).toBe(
      "claude login: the login could not be refreshed (invalid_grant); log in again on the host: claude, then /login",
    );
  });
});

describe("the enforcer with a brokered Claude login", () => {
  const [credential] = parseCredentials("claude-login sk-ant-oat01-placeholder api.anthropic.com authorization @claude-1\n");
  const current = withLoginToken(credential!, JSON.stringify({ access_token: "sk-ant-oat01-current", headers: {}, append: { "anthropic-beta": "oauth-2025-04-20" } }))!;

  it("swaps the Bearer token and makes anthropic-beta hold the OAuth beta, the CLI's own betas kept", () => {
    const headers: Record<string, string | string[] | undefined> = { authorization: "Bearer sk-ant-oat01-placeholder", "anthropic-beta": "claude-code-20250219, fine-grained-tool-streaming-2025-05-14" };
    expect(inject(headers, [current])).toEqual(["claude-login"]);
    expect(headers).toEqual({ authorization: "Bearer sk-ant-oat01-current", "anthropic-beta": "claude-code-20250219,fine-grained-tool-streaming-2025-05-14,oauth-2025-04-20" });
    const already = { authorization: "Bearer sk-ant-oat01-placeholder", "anthropic-beta": "oauth-2025-04-20" };
    inject(already, [current]);
    expect(already["anthropic-beta"]).toBe("oauth-2025-04-20");
    const plain: Record<string, string> = { authorization: "Bearer something-else" };
    expect(inject(plain, [current])).toEqual([]);
    expect(plain).toEqual({ authorization: "Bearer something-else" });
  });

  it("gets Claude's login from the agent module: the key variables take precedence, the broker's own override", () => {
    const spec = loginSpec(agent("claude"))[1]!.split("=");
    expect(spec).toEqual([
      "claude",
      "CLAUDE_CONFIG_DIR:.credentials.json,:.claude/.credentials.json",
      "credentials.json",
      claudeLogin.placeholder,
      "api.anthropic.com",
      "ANTHROPIC_BASE_URL",
      "authorization",
      "ANTHROPIC_API_KEY,CLAUDE_CODE_OAUTH_TOKEN",
      "https://platform.claude.com/v1/oauth/token",
      "CADC_CLAUDE_TOKEN_URL_OVERRIDE",
      "",
    ]);
  });
});
