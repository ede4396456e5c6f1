/** The pieces of a task's run that need no container: its command, its commit message, its status file. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statePaths } from "../../../src/launch/state.js";
import { agent } from "../../../src/catalogue/agents.js";
import { agentScript, commitMessage, headlessCommand, remoteEnvArgs } from "../../../src/tasks/runner.js";
import { elapsed, readTaskStatus, taskFiles, writeTaskRecord } from "../../../src/tasks/status.js";
import { tempDir } from "../../support/temp-dir.js";

describe("a task's command in the container", () => {
  it("reads the prompt from a file into $PROMPT, so no text of it is ever parsed by the shell", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const prompt = join(dir, "prompt");
    writeFileSync(prompt, `it's "quoted" $(touch ${join(dir, "pwned")}) \`x\`\nline 2`);
    const script = agentScript(["printf", "'%s|'", '"$PROMPT"']);
    const out = execFileSync("sh", ["-c", script, "sh", "3", prompt], { encoding: "utf8" });
    expect(out).toMatch(/^\[task 3\] agent started \d{4}-\d\d-\d\dT/);
    expect(out.split("\n").slice(1).join("\n")).toBe(`it's "quoted" $(touch ${join(dir, "pwned")}) \`x\`\nline 2|`);
    expect(() => execFileSync("test", ["-e", join(dir, "pwned")])).toThrow();
  });

  it("turns Codex's gateway variables into a model provider, and adds nothing without them", () => {
    const words = (env: Record<string, string>) =>
      execFileSync("sh", ["-c", `PROMPT=p; for w in ${headlessCommand(agent("codex")).map((w) => w.replace(/^codex$/, "")).join(" ")}; do printf '%s\\n' "$w"; done`], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } }).trim().split("\n");
    expect(words({})).toEqual(["exec", "--dangerously-bypass-approvals-and-sandbox", "p"]);
    expect(words({ OPENAI_BASE_URL: "http://gw:4000/v1", OPENAI_MODEL: "m 1" })).toEqual([
      "exec", "--dangerously-bypass-approvals-and-sandbox", "p",
      "-c", "model_provider=gateway", "-c", "model_providers.gateway.name=gateway", "-c", "model_providers.gateway.env_key=OPENAI_API_KEY",
      "-c", "model_providers.gateway.base_url=http://gw:4000/v1", "-m", "m 1",
    ]);
  });

  it("commits with the prompt's first line as the subject, shortened", () => {
    expect(commitMessage("Codex CLI", 2, "  add a test\nfor parse()")).toBe("Codex CLI: add a test\n\nTask 2, run headless by create-agent-devcontainer.\n");
    expect(commitMessage("Claude Code", 1, "x".repeat(100)).split("\n")[0]).toBe(`Claude Code: ${"x".repeat(59)}…`);
  });
});

describe("task status", () => {
  it("reports a running task whose supervisor is gone as failed, with why", ({ onTestFinished }) => {
    const paths = statePaths(tempDir(onTestFinished), "claude-app-x");
    mkdirSync(paths.dir);
    expect(readTaskStatus(paths)).toBeUndefined();
    const task = { id: 1, state: "running" as const, prompt: "p", startedAt: "2026-01-01T00:00:00.000Z", baseCommit: "a".repeat(40) };
    writeTaskRecord(paths, { ...task, supervisor: process.pid });
    expect(readTaskStatus(paths)).toEqual(task);
    const gone = execFileSync("sh", ["-c", "sh -c 'echo $$'"], { encoding: "utf8" }).trim();
    writeTaskRecord(paths, { ...task, supervisor: Number(gone) });
    expect(readTaskStatus(paths)).toMatchObject({ state: "failed", reason: expect.stringContaining("supervisor stopped") });
    expect(taskFiles(paths)).toEqual({ status: join(paths.dir, "task.json"), transcript: join(paths.dir, "task.log") });
  });

  it("says how long a task ran", () => {
    const task = { id: 1, state: "done" as const, prompt: "p", startedAt: "2026-01-01T00:00:00.000Z", baseCommit: "" };
    expect(elapsed({ ...task, endedAt: "2026-01-01T00:00:42.000Z" }, new Date())).toBe("42s");
    expect(elapsed({ ...task, endedAt: "2026-01-01T00:03:05.000Z" }, new Date())).toBe("3m05s");
    expect(elapsed({ ...task, state: "running" }, new Date("2026-01-01T01:02:00.000Z"))).toBe("1h02m");
  });
});

describe("remoteEnvArgs", () => {
  it("resolves ${localEnv:…} as the devcontainer CLI does and keeps token values out of the argv", () => {
    const remote = { ANTHROPIC_API_KEY: "${localEnv:ANTHROPIC_API_KEY}", GH_TOKEN: "${localEnv:GH_TOKEN}", X: "${localEnv:MISSING:fallback}", ANTHROPIC_BASE_URL: "http://gw:4000" };
    const { args, env } = remoteEnvArgs(remote, { ANTHROPIC_API_KEY: "sk-secret" });
    expect(args).toEqual(["-e", "ANTHROPIC_API_KEY", "-e", "GH_TOKEN", "-e", "X", "-e", "ANTHROPIC_BASE_URL=http://gw:4000"]);
    expect(args.join(" ")).not.toContain("sk-secret");
    expect(env).toEqual({ ANTHROPIC_API_KEY: "sk-secret", GH_TOKEN: "", X: "fallback" });
  });
});
