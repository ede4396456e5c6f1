/**
 * Issue 13 measurements: what a background task adds around the agent's own run, with the built CLI on a
 * launched (so already built) Codex container, against the scripted model API on the Docker bridge.
 * - start: the `task` command invoked (the container ready) → the agent started in the container (the
 *   transcript's timestamped start line);
 * - landing: the agent exited → its branch imported into the host repository (task.json's endedAt).
 * Medians of three follow-up tasks.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packagePath } from "../../src/paths.js";
import { bridgeGateway, NODE_IMAGE, ensureNodeImage } from "../../test/support/docker.js";
import { startModelApi } from "../../test/support/model-api.js";
import { ensureNodeMirror } from "../../test/support/node-mirror.js";
import { median } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

const RUNS = 3;
const AGENT = "codex";

/** The CLI without blocking this process's event loop (it serves the model API). */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packagePath("dist", "cli", "main.js"), ...args], { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} failed: ${stderr}`))));
  });
}

export async function run(report: Report): Promise<void> {
  ensureNodeImage(ensureNodeMirror().tarball);
  const api = await startModelApi(bridgeGateway());
  const root = mkdtempSync(join(tmpdir(), "bench-tasks-"));
  const home = join(root, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Bench\n\temail = bench@example.com\n[safe]\n\tdirectory = *\n");
  const env = { ...process.env, HOME: home, XDG_STATE_HOME: join(root, "state"), GIT_CONFIG_NOSYSTEM: "1", OPENAI_API_KEY: "sk-bench" };
  const repo = join(root, "task-repo");
  mkdirSync(repo);
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
  writeFileSync(join(repo, "README.md"), "# bench\n");
  execFileSync("git", ["-C", repo, "add", "."], { env });
  execFileSync("git", ["-C", repo, "commit", "-qm", "initial"], { env });
  spawnSync("npm", ["run", "--silent", "build"], { cwd: packagePath(), stdio: "ignore" });
  const name = `${AGENT}-task-repo-bench`;
  const stateDir = join(root, "state", "create-agent-devcontainer", "launch", name);
  try {
    await cli(["launch", repo, "--agent", AGENT, "--branch", "bench", "--auth", "token", "--local-features", "--base-image", NODE_IMAGE,
      "--agent-env", `OPENAI_BASE_URL=${api.url}/v1`, "--agent-env", "OPENAI_MODEL=scripted"], env);
    const starts: number[] = [];
    const landings: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const invoked = Date.now();
      await cli(["task", name, `create bench-${i}.txt`], env);
      await cli(["wait", name], env);
      const transcript = readFileSync(join(stateDir, "task.log"), "utf8");
      const id = (JSON.parse(readFileSync(join(stateDir, "task.json"), "utf8")) as { id: number; endedAt: string }).id;
      const started = new RegExp(`\\[task ${id}\\] agent started (\\S+)`).exec(transcript)?.[1];
      const exited = new RegExp(`\\[task ${id}\\] agent exited with 0 at (\\S+)`).exec(transcript)?.[1];
      const ended = (JSON.parse(readFileSync(join(stateDir, "task.json"), "utf8")) as { endedAt: string }).endedAt;
      if (!started || !exited) throw new Error(`task ${id} has no start or exit line:\n${transcript.slice(-2000)}`);
      starts.push((Date.parse(started) - invoked) / 1000);
      landings.push((Date.parse(ended) - Date.parse(exited)) / 1000);
    }
    report("task invoked → agent started", median(starts), "s", `median of ${RUNS}; goal ≤ 2 s`);
    report("agent exited → branch on the host", median(landings), "s", `median of ${RUNS}; commit, push, sync; goal ≤ 2 s`);
  } finally {
    spawnSync(process.execPath, [packagePath("dist", "cli", "main.js"), "rm", "--force", name], { env, stdio: "ignore" });
    await api.close();
    rmSync(root, { recursive: true, force: true });
  }
}
