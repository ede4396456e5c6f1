/** The in-container half of auth, on temp folders standing in for the staging mount and config dirs. */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { copyStagedLogins, seedGateway, seedLogin, storeTokenLogin } from "../../../src/hooks/agent-login.js";
import { tempDir } from "../../support/temp-dir.js";

function put(path: string, content: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** A staging folder with Claude's and gh's files, and the container's relocated config dir. */
function claudeSetup(root: string) {
  const staging = join(root, "staged");
  put(join(staging, "credentials.json"), '{"claudeAiOauth":{"refreshToken":"host"}}');
  put(join(staging, "account.json"), '{"oauthAccount":{"emailAddress":"me@example.com"},"hasCompletedOnboarding":true}');
  put(join(staging, "gh-hosts.yml"), "github.com:\n    oauth_token: gho_fake\n");
  const config = join(root, "config");
  const home = join(root, "home");
  mkdirSync(config, { mode: 0o700 });
  mkdirSync(home);
  return { staging, config, home, env: { CLAUDE_CONFIG_DIR: config } };
}

describe("copyStagedLogins", () => {
  it("puts each staged file where the tool reads it, private (0600) in private folders", ({ onTestFinished }) => {
    const { staging, config, home, env } = claudeSetup(tempDir(onTestFinished));

    const report = copyStagedLogins(agent("claude"), staging, env, home);

    expect(report.skipped).toEqual([]);
    expect(readFileSync(join(config, ".credentials.json"), "utf8")).toBe('{"claudeAiOauth":{"refreshToken":"host"}}');
    expect(mode(join(config, ".credentials.json"))).toBe(0o600);
    expect(readFileSync(join(home, ".config/gh/hosts.yml"), "utf8")).toContain("gho_fake");
    expect(mode(join(home, ".config/gh/hosts.yml"))).toBe(0o600);
    expect(mode(join(home, ".config/gh"))).toBe(0o700);
  });

  it("merges the account part into .claude.json, keeping everything already there", ({ onTestFinished }) => {
    const { staging, config, home, env } = claudeSetup(tempDir(onTestFinished));
    put(join(config, ".claude.json"), '{"mcpServers":{"docs":{"command":"x"}},"hasCompletedOnboarding":false}');

    copyStagedLogins(agent("claude"), staging, env, home);

    expect(JSON.parse(readFileSync(join(config, ".claude.json"), "utf8"))).toEqual({
      mcpServers: { docs: { command: "x" } },
      hasCompletedOnboarding: false,
      oauthAccount: { emailAddress: "me@example.com" },
    });
    expect(mode(join(config, ".claude.json"))).toBe(0o600);
  });

  it("never replaces a login the agent already refreshed in this container, so a re-run changes nothing", ({ onTestFinished }) => {
    const { staging, config, home, env } = claudeSetup(tempDir(onTestFinished));
    copyStagedLogins(agent("claude"), staging, env, home);
    writeFileSync(join(config, ".credentials.json"), '{"claudeAiOauth":{"refreshToken":"refreshed-inside"}}');

    const again = copyStagedLogins(agent("claude"), staging, env, home);

    expect(again).toEqual({ copied: [], skipped: [] });
    expect(readFileSync(join(config, ".credentials.json"), "utf8")).toContain("refreshed-inside");
  });

  it("does nothing without a staging folder (token and volume modes)", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    expect(copyStagedLogins(agent("codex"), join(root, "absent"), { CODEX_HOME: root }, root)).toEqual({ copied: [], skipped: [] });
    expect(existsSync(join(root, "auth.json"))).toBe(false);
  });

  it("skips a file it cannot read as JSON, naming it, and still copies the rest", ({ onTestFinished }) => {
    const { staging, config, home, env } = claudeSetup(tempDir(onTestFinished));
    writeFileSync(join(staging, "account.json"), "{not json");

    const report = copyStagedLogins(agent("claude"), staging, env, home);

    expect(report.skipped).toEqual([expect.stringMatching(/^account\.json: .*not valid JSON/)]);
    expect(existsSync(join(config, ".credentials.json"))).toBe(true);
  });

  it("places Gemini's login under .gemini/ in its relocated home", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    put(join(root, "staged/oauth_creds.json"), '{"refresh_token":"r"}');

    copyStagedLogins(agent("gemini"), join(root, "staged"), { GEMINI_CLI_HOME: join(root, "g") }, root);

    expect(readFileSync(join(root, "g/.gemini/oauth_creds.json"), "utf8")).toBe('{"refresh_token":"r"}');
  });
});

describe("seedLogin", () => {
  it("marks Claude's onboarding done once a token is there, keeping the file's other keys", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    put(join(dir, ".claude.json"), '{"userID":"u"}');

    const done = seedLogin(agent("claude"), dir, { CLAUDE_CODE_OAUTH_TOKEN: "t" });

    expect(done).toContain("hasCompletedOnboarding");
    expect(JSON.parse(readFileSync(join(dir, ".claude.json"), "utf8"))).toEqual({ userID: "u", hasCompletedOnboarding: true });
  });

  it("seeds nothing while the agent has no login (it must still offer to log in), nor for agents without a seed", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    expect(seedLogin(agent("claude"), dir, { CLAUDE_CODE_OAUTH_TOKEN: "" })).toBeUndefined();
    expect(seedLogin(agent("gemini"), dir, { GEMINI_API_KEY: "k" })).toBeUndefined();
    expect(existsSync(join(dir, ".claude.json"))).toBe(false);
  });
});

describe("seedGateway", () => {
  it("pins Gemini's API-key auth when a gateway is set (the CLI would infer an auth type headless runs refuse)", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    put(join(dir, "settings.json"), '{"mcpServers":{}}');

    expect(seedGateway(agent("gemini"), dir, { GOOGLE_GEMINI_BASE_URL: "https://gw.example" })).toContain("security");
    expect(JSON.parse(readFileSync(join(dir, "settings.json"), "utf8"))).toEqual({ mcpServers: {}, security: { auth: { selectedType: "gemini-api-key" } } });
  });

  it("puts the gateway into Codex's config.toml, ahead of its tables, once", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    put(join(dir, "config.toml"), '[mcp_servers.docs]\nurl = "https://mcp.example"\n');
    const env = { OPENAI_BASE_URL: "https://gw.example/v1" };

    expect(seedGateway(agent("codex"), dir, env)).toContain("openai_base_url");
    expect(seedGateway(agent("codex"), dir, env)).toBeUndefined();
    expect(readFileSync(join(dir, "config.toml"), "utf8")).toBe('openai_base_url = "https://gw.example/v1"\n[mcp_servers.docs]\nurl = "https://mcp.example"\n');
  });

  it("seeds nothing without a gateway, nor for agents that need no seed", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    expect(seedGateway(agent("gemini"), dir, {})).toBeUndefined();
    expect(seedGateway(agent("claude"), dir, { ANTHROPIC_BASE_URL: "https://gw.example" })).toBeUndefined();
    expect(existsSync(join(dir, "settings.json"))).toBe(false);
  });
});

describe("storeTokenLogin", () => {
  /** A stand-in for `codex login --with-api-key`: stores the key read from stdin in $CODEX_HOME/auth.json. */
  function fakeCodex(root: string): string {
    const bin = join(root, "bin");
    put(join(bin, "codex"), '#!/bin/sh\n[ "$*" = "login --with-api-key" ] || exit 9\nread -r key\nprintf \'{"OPENAI_API_KEY":"%s"}\' "$key" > "$CODEX_HOME/auth.json"\necho run >> "$CODEX_HOME/runs"\n');
    chmodSync(join(bin, "codex"), 0o755);
    return bin;
  }

  it("stores the key with the agent's own login command, once per key", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const env = { PATH: `${fakeCodex(root)}:/usr/bin:/bin`, CODEX_HOME: root, OPENAI_API_KEY: "sk-one" };

    expect(storeTokenLogin(agent("codex"), root, env)).toContain("$OPENAI_API_KEY stored with `codex login --with-api-key`");
    expect(storeTokenLogin(agent("codex"), root, env)).toBeUndefined();
    expect(storeTokenLogin(agent("codex"), root, { ...env, OPENAI_API_KEY: "sk-two" })).toBeDefined();

    expect(JSON.parse(readFileSync(join(root, "auth.json"), "utf8"))).toEqual({ OPENAI_API_KEY: "sk-two" });
    expect(readFileSync(join(root, "runs"), "utf8")).toBe("run\nrun\n");
  });

  it("does nothing without the variable, or for agents that read their token from the environment", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    expect(storeTokenLogin(agent("codex"), root, { OPENAI_API_KEY: "" })).toBeUndefined();
    expect(storeTokenLogin(agent("claude"), root, { CLAUDE_CODE_OAUTH_TOKEN: "t" })).toBeUndefined();
  });

  it("fails with the command's name but never the key when the login command fails", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    expect(() => storeTokenLogin(agent("codex"), root, { PATH: "/nonexistent", OPENAI_API_KEY: "sk-secret-value" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("sk-secret-value") }),
    );
  });
});
