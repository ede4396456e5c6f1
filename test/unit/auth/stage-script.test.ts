/** The host step of `copy` auth, run for real with /bin/sh against throwaway home folders. */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agent, allAgents } from "../../../src/catalogue/agents.js";
import { renderLoginTable, stageCommand } from "../../../src/auth/stage-script.js";
import { hostStagingSource, HOST_STATE_DIR } from "../../../src/auth/locations.js";
import { HOST_SCRIPTS } from "../../../src/generated/host-scripts.js";
import { tempDir } from "../../support/temp-dir.js";

const STATE = ".local/state/create-agent-devcontainer";

function put(path: string, content: string, mode = 0o600): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content, { mode });
}

function stage(id: Parameters<typeof agent>[0], home: string, env: Record<string, string> = {}, upstreamAccess = false) {
  // What initializeCommand runs, with the script's text in place of its rendered file.
  const [shell, path, ...args] = stageCommand(agent(id), upstreamAccess);
  const result = spawnSync(shell!, ["-c", HOST_SCRIPTS["stage-login"], path!, ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...env }, encoding: "utf8" });
  return { code: result.status, log: result.stderr, dir: join(home, STATE, "auth", id) };
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** A folder of commands for PATH: links to real ones plus small fakes. */
function binDir(root: string, links: string[], fakes: Record<string, string>): string {
  const bin = join(root, "bin");
  mkdirSync(bin, { recursive: true });
  for (const name of links) {
    const real = spawnSync("/bin/sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
    symlinkSync(real, join(bin, name));
  }
  for (const [name, body] of Object.entries(fakes)) put(join(bin, name), `#!/bin/sh\n${body}\n`, 0o755);
  return bin;
}

const BASIC = ["cp", "mv", "rm", "chmod", "mkdir", "tr", "uname", "cat"];

describe("the copy host step", () => {
  it("stages copies of the login files, leaving the originals byte-for-byte and time-for-time unchanged", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".claude/.credentials.json"), '{"claudeAiOauth":{"accessToken":"sk-ant-oat01-fake"}}');
    put(join(home, ".claude.json"), JSON.stringify({ oauthAccount: { emailAddress: "me@example.com" }, userID: "u1", projects: { "/src": {} }, mcpServers: { s: { command: "x" } } }));
    put(join(home, ".config/gh/hosts.yml"), "github.com:\n    oauth_token: gho_fake\n");
    const before = ["/.claude/.credentials.json", "/.claude.json", "/.config/gh/hosts.yml"].map((p) => [readFileSync(home + p), statSync(home + p).mtimeMs]);

    const { code, dir } = stage("claude", home, {}, true);
    // (the default staging folder, where a scaffolded config's mount reads)

    expect(code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["account.json", "credentials.json", "gh-hosts.yml"]);
    expect(readFileSync(join(dir, "credentials.json"), "utf8")).toBe('{"claudeAiOauth":{"accessToken":"sk-ant-oat01-fake"}}');
    expect(readFileSync(join(dir, "gh-hosts.yml"), "utf8")).toContain("gho_fake");
    const after = ["/.claude/.credentials.json", "/.claude.json", "/.config/gh/hosts.yml"].map((p) => [readFileSync(home + p), statSync(home + p).mtimeMs]);
    expect(after).toEqual(before);
  });

  it("stages gh's login, which can push to the upstream, only with upstream access, and drops an earlier copy", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".codex/auth.json"), "{}");
    put(join(home, ".config/gh/hosts.yml"), "github.com:\n    oauth_token: gho_fake\n");
    expect(readdirSync(stage("codex", home, {}, true).dir).sort()).toEqual(["auth.json", "gh-hosts.yml"]);

    const { code, dir } = stage("codex", home);

    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual(["auth.json"]);
  });

  it("stages only the account part of ~/.claude.json, never its projects or MCP servers", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".claude.json"), JSON.stringify({ oauthAccount: { emailAddress: "me@example.com" }, primaryApiKey: "sk-ant-api-fake", projects: { "/src": {} }, mcpServers: { s: { env: { T: "secret" } } } }));

    const { dir } = stage("claude", home);

    expect(JSON.parse(readFileSync(join(dir, "account.json"), "utf8"))).toEqual({
      oauthAccount: { emailAddress: "me@example.com" },
      primaryApiKey: "sk-ant-api-fake",
    });
  });

  it("keeps the state dir private to the host user and the copies readable by the container's UID 1000", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".codex/auth.json"), '{"tokens":{}}');

    const { dir } = stage("codex", home);

    expect(mode(join(home, STATE))).toBe(0o700);
    expect(mode(dir)).toBe(0o755);
    expect(mode(join(dir, "auth.json"))).toBe(0o644);
  });

  it("follows the host's relocation variables", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, "elsewhere/.gemini/oauth_creds.json"), '{"refresh_token":"r"}');
    put(join(home, "xdg/gh/hosts.yml"), "github.com:\n    oauth_token: gho_xdg\n");

    const { dir } = stage("gemini", home, { GEMINI_CLI_HOME: join(home, "elsewhere"), XDG_CONFIG_HOME: join(home, "xdg") }, true);

    expect(readFileSync(join(dir, "oauth_creds.json"), "utf8")).toBe('{"refresh_token":"r"}');
    expect(readFileSync(join(dir, "gh-hosts.yml"), "utf8")).toContain("gho_xdg");
  });

  it.for(allAgents().map((record) => record.id))(
    "exits 0 with an empty staging folder when the host has no %s login, saying how to find the fix",
    (id, { onTestFinished }) => {
      const home = tempDir(onTestFinished);

      const { code, dir, log } = stage(id, home);

      expect(code).toBe(0);
      expect(readdirSync(dir)).toEqual([]);
      expect(log).toContain("starts without it");
      expect(log).toContain("npx create-agent-devcontainer doctor");
    },
  );

  it("drops a staged copy once the host login is gone, so a logout on the host is not undone", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".codex/auth.json"), "{}");
    const { dir } = stage("codex", home);
    expect(readdirSync(dir)).toContain("auth.json");

    spawnSync("rm", [join(home, ".codex/auth.json")]);
    stage("codex", home);

    expect(readdirSync(dir)).toEqual([]);
  });

  it("leaves the account part on the host, and still exits 0, when node is not on PATH", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".claude.json"), '{"oauthAccount":{}}');
    put(join(home, ".claude/.credentials.json"), "{}");
    const bin = binDir(home, BASIC, {});

    const { code, dir, log } = stage("claude", home, { PATH: bin });

    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual(["credentials.json"]);
    expect(log).toContain("node is not on PATH");
  });

  it("on WSL, finds a login kept in the Windows user's profile when the Linux home has none", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    const windows = join(home, "mnt-c-users-me");
    put(join(windows, ".codex/auth.json"), '{"from":"windows"}');
    const bin = binDir(home, BASIC, {
      "cmd.exe": `printf 'C:\\\\Users\\\\me\\r\\n'`,
      wslpath: `[ "$1" = -u ] && [ "$2" = 'C:\\Users\\me' ] && echo '${windows}'`,
    });

    const { dir } = stage("codex", home, { PATH: bin, WSL_DISTRO_NAME: "Ubuntu" });

    expect(readFileSync(join(dir, "auth.json"), "utf8")).toBe('{"from":"windows"}');
  });

  it("on macOS, says the login is in the Keychain (and how to switch) instead of failing", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    const bin = binDir(home, ["cp", "mv", "rm", "chmod", "mkdir", "tr"], {
      uname: "echo Darwin",
      // Only the existence check (no -w) is allowed: it neither reads the secret nor prompts.
      security: `[ "$*" = "find-generic-password -s Claude Code-credentials" ]`,
    });

    const { code, log } = stage("claude", home, { PATH: bin });

    expect(code).toBe(0);
    expect(log).toContain("the login is in the macOS Keychain ('Claude Code-credentials')");
    expect(log).toContain("use token auth instead");
  });

  it("treats a folder where a login file should be as no login", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    mkdirSync(join(home, ".codex/auth.json"), { recursive: true });

    const { code, dir } = stage("codex", home);

    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("the stage-login host script", () => {
  it("is ShellCheck-clean POSIX sh, login table included", () => {
    const result = spawnSync("shellcheck", ["-s", "sh", "-"], { input: HOST_SCRIPTS["stage-login"], encoding: "utf8" });

    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("carries the catalogue's login table as rendered now (npm run generate keeps it so)", () => {
    expect(HOST_SCRIPTS["stage-login"]).toContain(renderLoginTable());
  });

  it("stages into the default folder the scaffolded mount reads, or into the one it is given (launch's)", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    put(join(home, ".codex/auth.json"), "{}");
    expect(readdirSync(stage("codex", home).dir)).toEqual(["auth.json"]);
    expect(hostStagingSource("codex")).toBe(`\${localEnv:HOME}/${HOST_STATE_DIR}/auth/codex`);

    const [shell, path, ...args] = stageCommand(agent("codex"), false, join(home, "xdg", "auth", "codex"));
    spawnSync(shell!, ["-c", HOST_SCRIPTS["stage-login"], path!, ...args], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home }, encoding: "utf8" });
    expect(readdirSync(join(home, "xdg", "auth", "codex"))).toEqual(["auth.json"]);
  });

  it("puts catalogue values into the script through shellQuote, each one word", () => {
    expect(renderLoginTable()).toContain(`stage credentials.json - 'Claude Code-credentials' CLAUDE_CONFIG_DIR .credentials.json '' .claude/.credentials.json`);
  });

  it("is run by argv from initializeCommand, naming the agent and its staging folder, so no host shell parses the config's values", () => {
    expect(stageCommand(agent("codex"), false)).toEqual(["/bin/sh", ".devcontainer/host/stage-login.sh", "codex"]);
    expect(stageCommand(agent("codex"), true, "/s/auth/codex")).toEqual(["/bin/sh", ".devcontainer/host/stage-login.sh", "codex", "--upstream-access", "/s/auth/codex"]);
  });

  it.for(["", "../x", "claude;id", "nobody"])("stages nothing and still exits 0 for a bad or unknown agent id %j", (id, { onTestFinished }) => {
    const home = tempDir(onTestFinished);
    const result = spawnSync("/bin/sh", ["-c", HOST_SCRIPTS["stage-login"], "stage-login.sh", id], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home }, encoding: "utf8" });

    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/nothing staged/);
  });
});
