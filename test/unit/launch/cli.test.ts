/**
 * `launch` and its companion commands as a user runs them, on input that must fail before anything is
 * created: one line on stderr, exit 1, nothing in the state folder, the repository untouched.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../support/temp-dir.js";
import { isolateGit, makeRepo, sh } from "../workspace/git-fixture.js";
import { cliArgs } from "../../support/cli.js";


function cli(cwd: string, state: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      cliArgs(args),
      { cwd, env: { ...process.env, XDG_STATE_HOME: state, NO_COLOR: "1" }, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

// One git config for the whole file: the tests run concurrently and share this process's environment.
let gitHome = "";
beforeAll(() => {
  gitHome = mkdtempSync(join(tmpdir(), "cad-git-"));
  isolateGit(gitHome);
});
afterAll(() => rmSync(gitHome, { recursive: true, force: true }));

describe.concurrent("launch on bad input", { timeout: 30_000 }, () => {
  it.for<[string[], string]>([
    [["--agent", "claude"], "launch takes one repository"],
    [["REPO"], "launch needs --agent"],
    [["REPO", "--agent", "nobody"], 'unknown agent "nobody"'],
    [["REPO", "--agent", "claude", "--branch", "a b"], '--branch: "a b" makes an invalid branch name (claude/a b): it contains a space'],
    [["REPO", "--agent", "claude", "--branch", "x..y"], "it contains '..'"],
    [["REPO", "--agent", "claude", "--branch", "${devcontainerId}"], '--branch contains "${", which devcontainer.json would substitute'],
    [["PLAIN", "--agent", "claude"], "not a git repository: "],
    [["missing-folder", "--agent", "codex"], "no such folder, and not a git URL: missing-folder"],
    [["https://example.invalid/a.git", "--agent", "codex", "--carry-changes"], "--carry-changes needs a local checkout"],
    [["REPO", "--agent", "claude", "--auth", "claude=magic"], '--auth: unknown mode "magic"'],
    [["REPO", "--agent", "claude", "--bogus"], "unknown flag --bogus (see launch --help)"],
    [["REPO", "--agent", "claude", "--task-file", "no-such-prompt.md"], "--task-file: cannot read no-such-prompt.md: ENOENT"],
    [["REPO", "--agent", "claude", "--task", "  "], "--task: the prompt is empty"],
    [["REPO", "--agent", "claude", "--agent-env", "OPENAI_BASE_URL=https://x"], "--agent-env: OPENAI_BASE_URL is not a gateway variable of claude"],
    [["REPO", "--agent", "claude", "--agent-env", "ANTHROPIC_BASE_URL=https://u:key@x"], "--agent-env: ANTHROPIC_BASE_URL must not hold credentials"],
    [
      ["REPO", "--agent", "claude", "--auth", "broker", "--agent-env", "ANTHROPIC_BASE_URL=http://gw.example:4000"],
      "create-agent-devcontainer: --agent-env ANTHROPIC_BASE_URL=http://gw.example:4000 is not https://, so the broker cannot put claude's key into its requests: use an https:// URL, or --auth claude=token\n",
    ],
  ])("launch %j: one line, exit 1, nothing created", async ([args, message], { onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const repo = makeRepo(join(root, "repo"));
    mkdirSync(join(root, "plain"));
    const state = join(root, "state");
    const before = sh(repo, "status", "--porcelain", "--ignored");

    const argv = args.map((arg) => (arg === "REPO" ? repo : arg === "PLAIN" ? join(root, "plain") : arg));
    const run = await cli(root, state, "launch", ...argv);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(state)).toBe(false);
    expect(sh(repo, "status", "--porcelain", "--ignored")).toBe(before);
    expect(readdirSync(join(repo, ".git", "refs", "heads"))).toEqual(["main"]);
  });

  it("launch --help lists every flag", async ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const run = await cli(root, join(root, "state"), "launch", "--help");
    expect(run.code).toBe(0);
    for (const flag of ["--agent", "--branch", "--carry-changes", "--base-image", "--local-features", "--auth", "--node-mirror", "--json"]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it.for<[string[], string]>([
    [["rm", "../etc"], 'not a container name: "../etc"'],
    [["shell"], "shell takes a container name"],
    [["stop", "a", "b"], "stop takes one container name"],
    [["logs", "--tail", "x"], "unknown flag --tail"],
    [["task", "x"], "task needs a prompt"],
    [["wait"], "wait takes one or more container names"],
    [["diff", "a", "b"], "diff takes one container name"],
  ])("%j: one line, exit 1", async ([args, message], { onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const run = await cli(root, join(root, "state"), ...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});
