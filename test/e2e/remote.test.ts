/**
 * A remote Docker engine, stood for by the test bed's second engine (scripts/testbed/second-engine.sh): its
 * own socket, data root and subnets, and bind mounts that resolve in another root. The CLI tells it from the
 * local engine by DOCKER_HOST and engine IDs, and `launch` refuses it at once, before anything is created on
 * either engine, since every launch bind-mounts client paths. The run stops the engine and leaves nothing.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LABELS } from "../../src/labels.js";
import { containerName } from "../../src/launch/names.js";
import { packagePath } from "../../src/paths.js";
import { runCli } from "../support/cli.js";
import { docker } from "../support/docker.js";

const SCRIPT = packagePath("scripts", "testbed", "second-engine.sh");
const secondEngine = (action: "start" | "stop") => execFileSync("bash", [SCRIPT, action], { encoding: "utf8", timeout: 300_000 }).trim();
const onSecond = (endpoint: string, ...args: string[]) => execFileSync("docker", args, { encoding: "utf8", env: { ...process.env, DOCKER_HOST: endpoint } }).trim();

let endpoint = "";
let home = "";
let repo = "";

describe.skipIf(!inject("docker"))("a remote engine (the test bed's second engine)", () => {
  beforeAll(() => {
    endpoint = secondEngine("start");
    home = mkdtempSync(join(tmpdir(), "cad-remote-"));
    repo = join(home, "repo");
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo });
    git("init", "-q");
    git("commit", "-q", "--allow-empty", "-m", "first");
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
    secondEngine("stop");
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain("agent-dc-engine2");
  });

  it("is another engine, with an empty store, that launch refuses before creating anything on either engine", async () => {
    expect(endpoint).toMatch(/^unix:\/\/\/.+\.sock$/);
    expect(onSecond(endpoint, "info", "--format", "{{.ID}}")).not.toBe(docker("info", "--format", "{{.ID}}"));
    expect(onSecond(endpoint, "images", "-q")).toBe("");

    const env = { ...process.env, HOME: home, XDG_STATE_HOME: join(home, "state"), DOCKER_HOST: endpoint };
    const run = await runCli(["launch", repo, "--agent", "codex", "--branch", "remote"], { env, cwd: repo });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the Docker engine at ${endpoint} is remote (a socket to another engine than the default socket's)`);
    expect(run.stderr).toContain("CREATE_AGENT_DEVCONTAINER_ENGINE=local");

    for (const listing of [["ps", "-aq"], ["volume", "ls", "-q"], ["images", "-q"]]) expect(onSecond(endpoint, ...listing)).toBe("");
    const name = containerName("codex", "repo", "remote");
    expect(docker("ps", "-aq", "--filter", `label=${LABELS.launch}=${name}`)).toBe("");
    expect(docker("volume", "ls", "-q", "--filter", `name=${name}`)).toBe("");
    expect(readdirSync(home)).toEqual(["repo"]);
  });
});
