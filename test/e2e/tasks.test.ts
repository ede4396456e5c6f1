/**
 * Background tasks end to end, through the real CLI, the real devcontainer CLI, Docker and the real agent
 * CLIs (Claude Code, Codex, Copilot CLI with its BYOK provider, Gemini CLI and Qwen Code), against the
 * scripted model API on the Docker bridge: the five launched at once with `--task` on one repository, with token auth and their gateway settings (`--agent-env`), behind
 * the default allowlist egress, which admits the gateway's host. Each asks its own file-writing tool to
 * create a file; the supervisor commits, pushes and imports the branch; the host's checkout is untouched.
 * Then: a task that cannot start (no token; its model host blocked by egress) fails in one line and leaves
 * the container usable, a follow-up task lands on the same branch, and model errors (401, 500) end tasks
 * `failed` with the reason in `list`.
 */
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LABELS } from "../../src/labels.js";
import { runCli, type CliRun } from "../support/cli.js";
import { bridgeGateway, docker } from "../support/docker.js";
import { SCRIPTED_CONTENT, startModelApi, type ModelApi } from "../support/model-api.js";

const RUN = randomBytes(3).toString("hex");
const REPO = `tasks-${RUN}`;
const AGENTS = ["claude", "codex", "copilot", "gemini", "qwen"] as const;
const NAMES = Object.fromEntries(AGENTS.map((agent) => [agent, `${agent}-${REPO}-t`])) as Record<(typeof AGENTS)[number], string>;
const TITLES = { claude: "Claude Code", codex: "Codex CLI", copilot: "Copilot CLI", gemini: "Gemini CLI", qwen: "Qwen Code" } as const;
const KEY = `sk-scripted-${RUN}`;
/** Gemini CLI refuses a key that does not start with AIza (since 0.44). */
const GEMINI_KEY = `AIzaScripted${RUN}`;

let root = "";
let repo = "";
let env: NodeJS.ProcessEnv = {};
let api: ModelApi;

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(args, { env: { ...env, ...extraEnv } });
}

async function ok(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const run = await cli(args, extraEnv);
  if (run.code !== 0) throw new Error(`${args.join(" ")} exited ${run.code}:\n${run.stderr.slice(-4000)}`);
  return run.stdout;
}

function git(...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", env }).trim();
}

/** HEAD, the checked-out branch, the index's bytes and the tracked files: what a task must never change. */
function hostCheckout(): string {
  const hash = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
  return JSON.stringify({
    head: readFileSync(join(repo, ".git", "HEAD"), "utf8"),
    main: git("rev-parse", "refs/heads/main"),
    index: hash(readFileSync(join(repo, ".git", "index"))),
    files: git("ls-files").split("\n").map((file) => [file, hash(readFileSync(join(repo, file)))]),
    status: git("status", "--porcelain"),
  });
}

interface ListRow {
  name: string;
  task?: { id: number; state: string; reason?: string; baseCommit: string };
  ahead?: number;
}

async function listed(name: string): Promise<ListRow> {
  const rows = JSON.parse(await ok(["list", "--json"])) as ListRow[];
  return rows.find((row) => row.name === name)!;
}

describe.skipIf(!inject("docker"))("background tasks: a prompt in, a reviewed branch out", () => {
  let before = "";
  let base = "";

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "cad-tasks-"));
    const home = join(root, "home");
    mkdirSync(home);
    writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Host User\n\temail = host@example.com\n[safe]\n\tdirectory = *\n");
    api = await startModelApi(bridgeGateway());
    const image = process.env.AGENT_DC_TEST_BASE_IMAGE;
    const mirror = process.env.AGENT_DC_TEST_NODE_MIRROR;
    if (!image || !mirror) throw new Error("the e2e global setup did not provide the test bed");
    env = { ...process.env, HOME: home, XDG_STATE_HOME: join(root, "state"), GIT_CONFIG_NOSYSTEM: "1", ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY, COPILOT_PROVIDER_API_KEY: KEY, GEMINI_API_KEY: GEMINI_KEY };
    repo = join(root, REPO);
    mkdirSync(repo);
    execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
    writeFileSync(join(repo, "README.md"), "# fixture\n");
    // Copilot's create tool writes into an existing folder only.
    mkdirSync(join(repo, "notes"));
    writeFileSync(join(repo, "notes", ".keep"), "");
    git("add", ".");
    git("commit", "-qm", "initial");
    base = git("rev-parse", "HEAD");
    before = hostCheckout();
    const run = await cli([
      "launch", repo, ...AGENTS.flatMap((agent) => ["--agent", agent]), "--branch", "t", "--auth", "token",
      "--local-features", "--base-image", image, "--node-mirror", mirror,
      "--agent-env", `ANTHROPIC_BASE_URL=${api.url}`, "--agent-env", "CLAUDE_CODE_MAX_RETRIES=0",
      "--agent-env", `OPENAI_BASE_URL=${api.url}/v1`, "--agent-env", "OPENAI_MODEL=scripted",
      "--agent-env", `COPILOT_PROVIDER_BASE_URL=${api.url}`, "--agent-env", "COPILOT_PROVIDER_TYPE=anthropic", "--agent-env", "COPILOT_MODEL=scripted",
      "--agent-env", `GOOGLE_GEMINI_BASE_URL=${api.url}`,
      "--task", "create notes/from-agent.txt", "--json",
    ]);
    if (run.code !== 0) {
      // The failed launch's own log goes with the temporary folder: keep its end in the error.
      const log = /\(full log: (\S+)\)/.exec(run.stderr)?.[1];
      const tail = log ? `\n--- ${log} ---\n${readFileSync(log, "utf8").slice(-3000)}` : "";
      throw new Error(`launch failed (${run.code}):\n${run.stderr.slice(-4000)}${tail}`);
    }
  }, 20 * 60_000);

  afterAll(async () => {
    for (const name of Object.values(NAMES)) {
      if (docker("ps", "-aq", "--filter", `label=${LABELS.launch}=${name}`)) await cli(["rm", "--force", "--keep-image", name]);
    }
    await api?.close();
    rmSync(root, { recursive: true, force: true });
  }, 5 * 60_000);

  it("runs the five agents' tasks at once; all end done and land on their branches in the host repository", async () => {
    const waited = await cli(["wait", ...Object.values(NAMES)]);
    expect(waited.code, waited.stderr).toBe(0);
    for (const agent of AGENTS) {
      expect(waited.stderr).toMatch(new RegExp(`${NAMES[agent]}: task 1 done`));
      expect(git("show", `refs/heads/${agent}/t:notes/from-agent.txt`)).toBe(SCRIPTED_CONTENT.trim());
      expect(git("log", "-1", "--format=%s", `${agent}/t`)).toBe(`${TITLES[agent]}: create notes/from-agent.txt`);
      const row = await listed(NAMES[agent]);
      expect(row.task).toMatchObject({ id: 1, state: "done", baseCommit: base });
      expect(row.ahead).toBe(1);
    }
    // Each CLI reached the scripted API with the key from the host's environment, through the default
    // allowlist, which admitted the gateway's host because it is the agent's base URL.
    expect(api.seen.some((line) => line.startsWith("POST /v1/messages") && line.endsWith(KEY))).toBe(true);
    expect(api.seen.some((line) => line.startsWith("POST /v1/responses") && line.endsWith(KEY))).toBe(true);
    expect(api.seen.some((line) => line.startsWith("POST /v1/chat/completions") && line.endsWith(KEY))).toBe(true);
    expect(api.seen.some((line) => /^POST \S+:streamGenerateContent\S* /.test(line) && line.endsWith(GEMINI_KEY))).toBe(true);
    const gateway = new URL(api.url).hostname;
    for (const name of Object.values(NAMES)) {
      const egress = JSON.parse(await ok(["egress", name, "--json"])) as { mode: string; connections: { host: string; verdict: string }[] };
      expect(egress.mode).toBe("allowlist");
      expect(egress.connections.some((c) => c.host === gateway && c.verdict === "allowed")).toBe(true);
    }
    expect(hostCheckout()).toBe(before);
  });

  it("diff shows the file against the commit the branch started from; logs has the transcript", async () => {
    const diff = JSON.parse(await ok(["diff", NAMES.codex, "--json"])) as { base: string; files: { path: string; added: number; status: string }[]; patch: string };
    expect(diff.base).toBe(base);
    expect(diff.files).toEqual([{ path: "notes/from-agent.txt", added: 1, removed: 0, status: "A" }]);
    expect(diff.patch).toContain(`+${SCRIPTED_CONTENT.trim()}`);
    expect(await ok(["diff", NAMES.claude, "--stat"])).toContain("notes/from-agent.txt | +1 -0");
    const logs = await ok(["logs", "--follow", NAMES.claude]);
    expect(logs).toContain("=== task 1 in");
    expect(logs).toMatch(/\[task 1\] agent started \d{4}-/);
    expect(logs).toContain("[task 1] done");
  });

  it("a task without a login fails fast in one line and leaves the container usable; a follow-up lands on the same branch", async () => {
    const refused = await cli(["task", NAMES.claude, "create notes/second.txt"], { ANTHROPIC_API_KEY: "" });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain("Claude Code has no token");
    expect((await listed(NAMES.claude)).task).toMatchObject({ id: 2, state: "needs-login" });
    await ok(["task", NAMES.claude, "create notes/second.txt"]);
    await ok(["wait", NAMES.claude]);
    expect(git("show", `refs/heads/claude/t:notes/second.txt`)).toBe(SCRIPTED_CONTENT.trim());
    expect((await listed(NAMES.claude)).ahead).toBe(2);
    expect(hostCheckout()).toBe(before);
  });

  it("a task whose model host the egress blocks fails fast in one line; once allowed, it lands", async () => {
    const host = new URL(api.url).host; // ip:port, as the allowlist and the refusal write it
    const { id } = JSON.parse(await ok(["egress", NAMES.codex, "--json"])) as { id: string };
    const preset = join(root, "state", "create-agent-devcontainer", "egress", id, "preset.txt");
    const rules = readFileSync(preset, "utf8");
    expect(rules.split("\n")).toContain(host);
    writeFileSync(preset, rules.split("\n").filter((line) => line !== host).join("\n"));
    const refused = await cli(["task", NAMES.codex, "create notes/third.txt"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain(`cannot reach its model at ${host}: blocked by the egress allowlist; allow it with: create-agent-devcontainer egress allow ${NAMES.codex} ${host}`);
    expect((await listed(NAMES.codex)).task).toMatchObject({ state: "failed", reason: expect.stringContaining("blocked by the egress allowlist") });
    await ok(["egress", "allow", NAMES.codex, host]);
    await ok(["task", NAMES.codex, "create notes/third.txt"]);
    await ok(["wait", NAMES.codex]);
    expect(git("show", `refs/heads/codex/t:notes/third.txt`)).toBe(SCRIPTED_CONTENT.trim());
  });

  it("model errors (401 for Claude, 500 for Codex) end the tasks failed with the reason in list; wait exits 1", async () => {
    await ok(["task", NAMES.claude, "create notes/never.txt"], { ANTHROPIC_API_KEY: "fail-401" });
    await ok(["task", NAMES.codex, "create notes/never.txt"], { OPENAI_API_KEY: "fail-500" });
    const waited = await cli(["wait", NAMES.claude, NAMES.codex]);
    expect(waited.code).toBe(1);
    const claude = await listed(NAMES.claude);
    expect(claude.task?.state).toBe("failed");
    expect(claude.task?.reason).toMatch(/Claude Code exited with 1: .*Invalid API key/);
    expect((await listed(NAMES.codex)).task).toMatchObject({ state: "failed", reason: expect.stringMatching(/^Codex CLI exited with 1: /) });
    const table = await ok(["list"]);
    expect(table).toMatch(new RegExp(`${NAMES.claude} .*failed \\(Claude Code exited with 1`));
    expect(() => execFileSync("git", ["-C", repo, "cat-file", "-e", "refs/heads/claude/t:notes/never.txt"], { env, stdio: "ignore" })).toThrow();
  });
});
