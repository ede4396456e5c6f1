/**
 * Issue 5 measurements, with the real CLI (built, as users run it) on the local test bed:
 * - launch to ready on a cached image (the previous launch removed), beside the raw `devcontainer up` of the same
 *   config and a bare `docker run`;
 * - provisioning a repository with 100 MB of ignored files (20 000 × 5 KB) and 1 000 tracked ones in the
 *   container, beside a plain `cp -r` of the folder (the original design) and a bare `git clone
 *   --no-hardlinks` (the floor) on the host, and the same clone inside the container, in one run;
 * - four agents launched at once, and every agent (`--agent all`), versus one.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HOOKS_ROOT } from "../../src/features/feature.js";
import { LABELS } from "../../src/labels.js";
import { devcontainerScript } from "../../src/launch/devcontainer-cli.js";
import { cliArgs } from "../../test/support/cli.js";
import { NODE_IMAGE, ensureNodeImage } from "../../test/support/docker.js";
import { ensureNodeMirror } from "../../test/support/node-mirror.js";
import { median, timed } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string, reference?: { goal?: string; floor?: string }) => void;

const AGENT = "codex";
const FOUR = ["claude", "codex", "gemini", "qwen"];
const RUNS = 3;
const LARGE = { dirs: 200, filesPerDir: 100, bytes: 5 * 1024 };
const TRACKED = 1000;

interface Bed {
  root: string;
  repo: string;
  env: NodeJS.ProcessEnv;
  cli: string[];
}

function setUp(): Bed {
  const root = mkdtempSync(join(tmpdir(), "bench-workspace-"));
  const home = join(root, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Bench\n\temail = bench@example.com\n[safe]\n\tdirectory = *\n");
  const env = { ...process.env, HOME: home, XDG_STATE_HOME: join(root, "state"), GIT_CONFIG_NOSYSTEM: "1" };
  const repo = join(root, "bench-repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { env, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  for (let i = 0; i < TRACKED; i += 1) writeFileSync(join(repo, "src", `module-${i}.js`), `export const value${i} = ${i};\n`.repeat(20));
  writeFileSync(join(repo, ".gitignore"), "node_modules/\n");
  git("add", ".");
  git("commit", "-qm", "tracked sources");
  const chunk = Buffer.alloc(LARGE.bytes, "x");
  for (let d = 0; d < LARGE.dirs; d += 1) {
    mkdirSync(join(repo, "node_modules", `pkg-${d}`), { recursive: true });
    for (let f = 0; f < LARGE.filesPerDir; f += 1) writeFileSync(join(repo, "node_modules", `pkg-${d}`, `f${f}.js`), chunk);
  }
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "1000:1000", repo]);
  return { root, repo, env, cli: cliArgs([]) };
}

function launchArgs(bed: Bed, agents: string[], branch: string): string[] {
  const flags = agents.flatMap((agent) => ["--agent", agent]);
  return [...bed.cli, "launch", bed.repo, ...flags, "--branch", branch, "--local-features", "--base-image", NODE_IMAGE, "--json"];
}

function launch(bed: Bed, agent: string | string[], branch: string): { seconds: number; names: string[]; logs: string[] } {
  const run = timed(process.execPath, launchArgs(bed, typeof agent === "string" ? [agent] : agent, branch), { env: bed.env });
  const launched = JSON.parse(run.stdout) as { name: string; logFile: string }[];
  return { seconds: run.seconds, names: launched.map((l) => l.name), logs: launched.map((l) => readFileSync(l.logFile, "utf8")) };
}

function rm(bed: Bed, name: string): void {
  timed(process.execPath, [...bed.cli, "rm", "--force", name], { env: bed.env });
}

/** The workspace hook's own timing: "workspace: ready in /workspace on … (1.23 s)". */
function provisionSeconds(log: string): number {
  const match = /workspace: ready in \S+ on \S+ \((\d+\.\d+) s\)/.exec(log);
  if (!match) throw new Error("no provisioning time in the launch log");
  return Number(match[1]);
}

/**
 * Provisioning against its floor in one container, alternating, warm caches for both: the workspace hook
 * on an emptied /workspace, then a bare `git clone --no-hardlinks` from the same mount into the same volume.
 */
function provisioningVsClone(name: string): { hook: number; clone: number } {
  const script = `ms() { s=$(date +%s%N); "$@" >/dev/null 2>&1 || exit 1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
for i in $(seq ${RUNS}); do
  find /workspace -mindepth 1 -delete
  echo "hook $(ms ${HOOKS_ROOT}/workspace/hook on-create)"
  echo "clone $(ms git clone -q --no-hardlinks /mnt/host-repo.git /workspace/.floor)"
  rm -rf /workspace/.floor
done`;
  const lines = timed("docker", ["exec", name, "bash", "-c", script]).stdout.trim().split("\n");
  const times = (kind: string) => lines.filter((line) => line.startsWith(`${kind} `)).map((line) => Number(line.split(" ")[1]) / 1e6);
  return { hook: median(times("hook")), clone: median(times("clone")) };
}

/**
 * The floor: the very config `launch` rendered (same mounts, Features, hooks), brought up by the devcontainer
 * CLI alone once the launched container and its volume are gone; its state folder stays for `rm`.
 */
function floor(bed: Bed, name: string): number {
  const stateDir = join(bed.env.XDG_STATE_HOME!, "create-agent-devcontainer", "launch", name);
  execFileSync("docker", ["rm", "-f", name], { stdio: "ignore" });
  execFileSync("docker", ["volume", "rm", `agent-workspace-${name}`, `agent-outbox-${name}`], { stdio: "ignore" });
  const config = join(stateDir, ".devcontainer", AGENT, "devcontainer.json");
  const args = [devcontainerScript(), "up", "--workspace-folder", stateDir, "--config", config, "--id-label", `${LABELS.launch}=${name}`];
  return timed(process.execPath, args, { env: bed.env }).seconds;
}

export async function run(report: Report): Promise<void> {
  ensureNodeImage(ensureNodeMirror().tarball);
  const bed = setUp();
  try {
    const first = launch(bed, AGENT, "warm-up");
    report("first launch (builds the image, unless an earlier run left its layer cache)", first.seconds, "s", AGENT);
    rm(bed, first.names[0]!);
    const dockerRun = median([0, 1, 2].map(() => timed("docker", ["run", "--rm", NODE_IMAGE, "true"]).seconds));

    const launches: number[] = [];
    const floors: number[] = [];
    const provisions: number[] = [];
    let inside = { hook: 0, clone: 0 };
    for (let i = 0; i < RUNS; i += 1) {
      const one = launch(bed, AGENT, `run-${i}`);
      launches.push(one.seconds);
      provisions.push(provisionSeconds(one.logs[0]!));
      if (i === 0) inside = provisioningVsClone(one.names[0]!);
      floors.push(floor(bed, one.names[0]!));
      rm(bed, one.names[0]!);
    }
    const floorText = `devcontainer up ${median(floors).toFixed(2)} s; docker run ${dockerRun.toFixed(2)} s`;
    report("launch to ready, cached image (after an rm)", median(launches), "s", `median of ${RUNS}`, { goal: "≤ 2.0 s", floor: floorText });
    report("devcontainer up floor, same config", median(floors), "s", `median of ${RUNS}`);
    report("docker run --rm <image> true", dockerRun, "s", "median of 3");
    // Each launch is followed by its floor: the median of those differences resists a load that drifts.
    report("launch overhead over devcontainer up", median(launches.map((seconds, i) => seconds - floors[i]!)), "s", "median per run", { floor: "0 s" });

    const copyTo = join(bed.root, "copy");
    const cp = timed("cp", ["-r", bed.repo, copyTo]).seconds;
    const clone = timed("git", ["clone", "-q", "--no-hardlinks", bed.repo, join(bed.root, "clone")], { env: bed.env }).seconds;
    report("cp -r of the repository (100 MB ignored)", cp, "s");
    report("git clone --no-hardlinks (floor)", clone, "s");
    report("provisioning during launch (cold caches, inside devcontainer up)", median(provisions), "s", `median of ${RUNS}`);
    report("workspace provisioning (the hook), in the container", inside.hook, "s", `median of ${RUNS}, alternating with the clone`);
    report("git clone --no-hardlinks, same container and volume", inside.clone, "s", `median of ${RUNS}`);
    report("provisioning / bare clone", inside.hook / inside.clone, "×", "", { goal: "≤ 2×", floor: "1×" });
    report("cp -r / bare clone", cp / clone, "×");
    rmSync(copyTo, { recursive: true, force: true });

    const allWarm = launch(bed, "all", "all-warm-up");
    report(`first launch of all ${allWarm.names.length} agents (builds their images)`, allWarm.seconds, "s");
    for (const name of allWarm.names) rm(bed, name);
    const single = launch(bed, AGENT, "single");
    rm(bed, single.names[0]!);
    const four = launch(bed, FOUR, "four");
    for (const name of four.names) rm(bed, name);
    const all = launch(bed, "all", "all");
    for (const name of all.names) rm(bed, name);
    report("one agent launched", single.seconds, "s", "cached image");
    report("four agents launched at once", four.seconds, "s", FOUR.join(", "), { goal: `≤ 2× one (${(2 * single.seconds).toFixed(2)} s)`, floor: `one: ${single.seconds.toFixed(2)} s` });
    report("four at once / one", four.seconds / single.seconds, "×", "", { goal: "≤ 2×", floor: "1× (2 cores: about 2×)" });
    report(`all ${all.names.length} agents launched at once (--agent all)`, all.seconds, "s", `${(all.seconds / single.seconds).toFixed(2)}× one`);
  } finally {
    if (existsSync(bed.root)) rmSync(bed.root, { recursive: true, force: true });
  }
}
