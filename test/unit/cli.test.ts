/**
 * The CLI as a user runs it: a separate Node process, stdin not a terminal, working in a temp folder.
 * Most tests pass --ghcr-features to keep the written file lists short; one checks the vendored default.
 */
import { AGENT_IDS, allAgents } from "../../src/catalogue/agents.js";
import { locationVariables } from "../../src/auth/locations.js";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { packagePath } from "../../src/paths.js";
import { devContainerSchemaErrors, parseJsonc } from "../support/official-schemas.js";
import { listFiles, tempDir } from "../support/temp-dir.js";
import { cliArgs } from "../support/cli.js";

const MANIFEST = ".devcontainer/.create-agent-devcontainer.json";
const CONFIGS = AGENT_IDS.map((id) => `.devcontainer/${id}/devcontainer.json`);
/** The starter MCP source, written once beside the configs. */
const MCP_SOURCE = ".devcontainer/mcp.toml";
/** The host steps the default configs run (initializeCommand), shared by every agent. */
const HOST_SCRIPTS = [".devcontainer/host/mcp-secrets.sh", ".devcontainer/host/stage-login.sh", ".devcontainer/host/workspace.sh"];
/** The default egress mode (allowlist) adds the host script, the enforcer and the policy starter. */
const EGRESS_FILES = [".devcontainer/egress.toml", ".devcontainer/host/egress-proxy.cjs", ".devcontainer/host/egress.sh"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` with stdin an (empty, closed) pipe, as in a script or CI job. */
function cli(cwd: string, ...args: string[]): Promise<Run> {
  return cliWithEnv(cwd, {}, ...args);
}

/**
 * A user with no agent login or key (a HOME that does not exist, no token variables), so `--yes` takes every
 * agent, unless the test gives its own.
 */
function cliWithEnv(cwd: string, extraEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", HOME: join(cwd, ".no-home"), ...extraEnv };
  const unset = ["CREATE_AGENT_DEVCONTAINER_BASE_IMAGE", "CREATE_AGENT_DEVCONTAINER_NODE_MIRROR", ...allAgents().flatMap((record) => [...record.tokenEnv, ...locationVariables(record.hostLogin)])];
  for (const name of unset) if (!(name in extraEnv)) delete env[name];
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      cliArgs(args),
      { cwd, env, timeout: 30_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

// Each test spawns Node (with tsx) once to three times; under a loaded machine that outgrows the 5 s default.
describe.concurrent("create-agent-devcontainer", { timeout: 30_000 }, () => {
  it("--help lists every flag and exits 0", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, "--help");

    expect(run.code).toBe(0);
    for (const flag of [
      "--agent",
      "--base-image",
      "--user",
      "--local-features",
      "--features-owner",
      "--yes",
      "--dry-run",
      "--force",
      "--json",
      "--help",
      "--version",
    ]) {
      expect(run.stdout).toContain(`${flag} `);
    }
    expect(run.stderr).toBe("");
    expect(listFiles(dir)).toEqual([]);
  });

  it("--version prints the package version", async ({ onTestFinished }) => {
    const { version } = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string };

    const run = await cli(tempDir(onTestFinished), "--version");

    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });

  it("--yes --json --dry-run prints the plan for every agent as JSON and writes nothing", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes", "--json", "--dry-run", "--ghcr-features");

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { root: string; dryRun: boolean; configs: string[]; files: { path: string; action: string }[] };
    expect(result.root).toBe(dir);
    expect(result.dryRun).toBe(true);
    expect(result.configs).toEqual(CONFIGS);
    expect(result.files.map((file) => [file.path, file.action])).toEqual([...CONFIGS, ...HOST_SCRIPTS, ...EGRESS_FILES, MCP_SOURCE].sort().map((path) => [path, "create"]));
    expect(listFiles(dir)).toEqual([]);
  });

  it("--yes writes a schema-valid config per agent and the manifest, then is a no-op on a second run", async ({
    onTestFinished,
  }) => {
    const dir = tempDir(onTestFinished);

    const first = await cli(dir, dir, "--yes", "--ghcr-features");

    expect(first.code).toBe(0);
    expect(first.stdout).toBe("");
    expect(listFiles(dir)).toEqual([MANIFEST, ...CONFIGS, ...HOST_SCRIPTS, ...EGRESS_FILES, MCP_SOURCE].sort());
    for (const path of CONFIGS) {
      expect(first.stderr).toContain(`create ${path}\n`);
      expect(devContainerSchemaErrors(parseJsonc(readFileSync(join(dir, path), "utf8")))).toEqual([]);
    }
    const written = CONFIGS.map((path) => readFileSync(join(dir, path), "utf8"));

    const second = await cli(dir, dir, "--yes", "--ghcr-features");

    expect(second.code).toBe(0);
    // egress.toml is the user's (written once, then kept), so it is not among the up-to-date files.
    expect(second.stderr).toContain(`${CONFIGS.length + HOST_SCRIPTS.length + EGRESS_FILES.length - 1} file(s) already up to date`);
    expect(second.stderr).not.toMatch(/^(create|update|overwrite) /m);
    expect(CONFIGS.map((path) => readFileSync(join(dir, path), "utf8"))).toEqual(written);
  });

  it("--yes takes the agents whose login or key is on this host, and says which and why", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const home = tempDir(onTestFinished);
    mkdirSync(join(home, ".claude"));
    writeFileSync(join(home, ".claude", ".credentials.json"), '{"claudeAiOauth":{"accessToken":"sk-ant-oat01-fake"}}\n');

    const run = await cliWithEnv(dir, { HOME: home, CODEX_API_KEY: "sk-fake" }, dir, "--yes", "--dry-run", "--ghcr-features");

    expect(run.code).toBe(0);
    expect(lines(run.stderr)[0]).toBe(
      "agents: claude, codex (their logins or keys are on this host: claude ~/.claude/.credentials.json; codex $CODEX_API_KEY; choose with --agent)",
    );
    expect(run.stderr).toContain("would create .devcontainer/claude/devcontainer.json\n");
    expect(run.stderr).toContain("would create .devcontainer/codex/devcontainer.json\n");
    expect(run.stderr).not.toContain(".devcontainer/gemini/");
  });

  it("--yes takes every agent when none has a login here, and says so; --agent is taken as given", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const all = await cli(dir, dir, "--yes", "--json", "--dry-run", "--ghcr-features");
    const named = await cliWithEnv(dir, { OPENAI_API_KEY: "sk-fake" }, dir, "--yes", "--json", "--dry-run", "--ghcr-features", "--agent", "gemini");

    expect(JSON.parse(all.stdout)).toMatchObject({ configs: CONFIGS, agentsChosen: "agents: all 7 (no agent login or key found on this host; choose with --agent)" });
    expect(JSON.parse(named.stdout)).toMatchObject({ configs: [".devcontainer/gemini/devcontainer.json"] });
    expect(JSON.parse(named.stdout)).not.toHaveProperty("agentsChosen");
  });

  it("--yes alone vendors every Feature the configs use, so they come up with nothing published", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes");

    expect(run.code).toBe(0);
    for (const path of CONFIGS) {
      const text = readFileSync(join(dir, path), "utf8");
      const config = parseJsonc(text) as { features: Record<string, unknown> };
      for (const ref of Object.keys(config.features)) {
        expect(ref).toMatch(/^\.\.\/features\/[a-z]+$/);
        expect(listFiles(dir)).toContain(`.devcontainer/features/${ref.slice("../features/".length)}/devcontainer-feature.json`);
      }
      expect(text.split("\n").length).toBeLessThan(80);
    }
    for (const path of HOST_SCRIPTS) expect(listFiles(dir)).toContain(path);
  });

  it("rejects --local-features with --ghcr-features as a conflict", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes", "--local-features", "--ghcr-features");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/--local-features and --ghcr-features conflict/)]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("takes the base image and Node.js mirror from the environment when no flag names them", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cliWithEnv(dir, { CREATE_AGENT_DEVCONTAINER_BASE_IMAGE: "registry.example/debian:12", CREATE_AGENT_DEVCONTAINER_NODE_MIRROR: "http://mirror.example/node" }, dir, "--yes", "--agent", "codex");

    expect(run.code).toBe(0);
    const config = parseJsonc(readFileSync(join(dir, ".devcontainer/codex/devcontainer.json"), "utf8")) as { image: string; features: Record<string, unknown> };
    expect(config.image).toBe("registry.example/debian:12");
    expect(config.features["../features/codex"]).toEqual({ nodeMirror: "http://mirror.example/node" });
  });

  it("--help lists every command", async ({ onTestFinished }) => {
    const run = await cli(tempDir(onTestFinished), "--help");

    for (const name of Object.keys(COMMANDS)) expect(run.stdout).toMatch(new RegExp(`^  (\\S+\\|)?${name}[| ]`, "m"));
  });

  it("writes only the agents named with --agent, into the folder given rather than the working directory", async ({
    onTestFinished,
  }) => {
    const cwd = tempDir(onTestFinished);
    const dir = tempDir(onTestFinished);

    const run = await cli(cwd, dir, "--agent", "codex", "--agent", "gemini", "--user", "dev", "--json", "--ghcr-features");

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { configs: string[] }).configs).toEqual([
      ".devcontainer/codex/devcontainer.json",
      ".devcontainer/gemini/devcontainer.json",
    ]);
    expect(listFiles(dir)).toEqual([MANIFEST, ".devcontainer/codex/devcontainer.json", ".devcontainer/gemini/devcontainer.json", ...HOST_SCRIPTS, ...EGRESS_FILES, MCP_SOURCE].sort());
    expect(parseJsonc(readFileSync(join(dir, ".devcontainer/codex/devcontainer.json"), "utf8"))).toMatchObject({ remoteUser: "dev" });
    expect(listFiles(cwd)).toEqual([]);
  });

  it("rejects an unknown agent in one line naming it, writing nothing", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes", "--agent", "cursor");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('unknown agent "cursor"')]);
    expect(run.stdout).toBe("");
    expect(listFiles(dir)).toEqual([]);
  });

  it("rejects a folder that does not exist in one line naming it", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const missing = join(dir, "no-such-repo");

    const run = await cli(dir, missing, "--yes");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining(`no such directory: ${missing}`)]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("rejects --local-features with --features-owner as a conflict, writing nothing", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes", "--local-features", "--features-owner", "x");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/--local-features and --features-owner conflict/)]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("rejects a base image with shell metacharacters in one line naming --base-image and the value", async ({
    onTestFinished,
  }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes", "--base-image", "x;y");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^create-agent-devcontainer: --base-image: .*\(got "x;y"\)/)]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("rejects root as --user", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--yes", "--user", "root");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('--user: is not allowed (got "root")')]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("rejects an unknown flag in one line naming it, without a stack trace", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, "--frobnicate");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining("--frobnicate")]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("rejects more than one folder", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);

    const run = await cli(dir, dir, dir, "--yes");

    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining("expected at most one directory, got 2")]);
    expect(listFiles(dir)).toEqual([]);
  });

  it("refuses to overwrite a generated file the user edited, naming it, keeping the edit and writing nothing", async ({
    onTestFinished,
  }) => {
    const dir = tempDir(onTestFinished);
    expect((await cli(dir, dir, "--yes")).code).toBe(0);
    const edited = join(dir, ".devcontainer/claude/devcontainer.json");
    writeFileSync(edited, '{ "image": "mine" }\n');
    unlinkSync(join(dir, ".devcontainer/codex/devcontainer.json"));
    const manifest = readFileSync(join(dir, MANIFEST), "utf8");

    const run = await cli(dir, dir, "--yes");

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(".devcontainer/claude/devcontainer.json: edited since create-agent-devcontainer wrote it");
    expect(run.stderr).toContain("--force");
    expect(run.stderr).not.toContain("    at ");
    expect(readFileSync(edited, "utf8")).toBe('{ "image": "mine" }\n');
    // Nothing written at all: the deleted config is not recreated and the manifest is as it was.
    expect(listFiles(dir)).not.toContain(".devcontainer/codex/devcontainer.json");
    expect(readFileSync(join(dir, MANIFEST), "utf8")).toBe(manifest);
  });

  it("overwrites an edited generated file with --force", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    expect((await cli(dir, dir, "--yes", "--agent", "claude")).code).toBe(0);
    const path = join(dir, ".devcontainer/claude/devcontainer.json");
    const generated = readFileSync(path, "utf8");
    writeFileSync(path, '{ "image": "mine" }\n');

    const run = await cli(dir, dir, "--yes", "--agent", "claude", "--force");

    expect(run.code).toBe(0);
    expect(run.stderr).toContain("overwrite .devcontainer/claude/devcontainer.json");
    expect(readFileSync(path, "utf8")).toBe(generated);
  });
});
