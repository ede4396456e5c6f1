/**
 * Issue 2 and 3 measurements: the scaffolder's wall time and peak memory on `--yes --dry-run`; `devcontainer
 * up` of a scaffolded config next to a bare `docker run … true`; what each agent Feature adds to the local
 * base image (cold and cached build) next to the agent package's own installed size.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_IDS, agent } from "../../src/catalogue/agents.js";
import { packagePath } from "../../src/paths.js";
import { BASE_IMAGE, bridgeGateway, ensureNodeImage, removeContainers } from "../../test/support/docker.js";
import { DEVCONTAINER_BIN, testHostEnv } from "../../test/support/devcontainer.js";
import { ensureNodeMirror, serveDirectory } from "../../test/support/node-mirror.js";
import { fixtureRepo } from "../../test/support/scaffold.js";
import { MB, imageSize, median, timed, timedAsync } from "./support.js";
import { cliArgs } from "../../test/support/cli.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

/** Prints the CLI's peak RSS at exit, so the measurement is the child's own, not ours. */
const MAX_RSS = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS="+process.resourceUsage().maxRSS+"\\n"))`;

function scaffoldDryRun(report: Report): void {
  const cli = packagePath("dist", "cli", "main.js");
  execFileSync("npm", ["run", "build"], { cwd: packagePath(), stdio: "ignore" });
  const dir = mkdtempSync(join(tmpdir(), "bench-scaffold-"));
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 15; i++) {
    const run = timed(process.execPath, ["--import", MAX_RSS, cli, dir, "--yes", "--dry-run"]);
    times.push(run.seconds * 1000);
    rss.push(Number(/MAXRSS=(\d+)/.exec(run.stderr)?.[1] ?? 0) / 1024);
  }
  rmSync(dir, { recursive: true, force: true });
  report("scaffolder --yes --dry-run, median of 15", median(times), "ms", "target < 300 ms");
  report("scaffolder --yes --dry-run, peak RSS (max of 15)", Math.max(...rss), "MB", "target < 100 MB");
}

async function upVersusFloor(report: Report, mirror: string): Promise<void> {
  const repo = fixtureRepo("bench-repo");
  const config = `${repo}/.devcontainer/claude/devcontainer.json`;
  execFileSync(process.execPath, cliArgs([repo, "--yes", "--agent", "claude", "--local-features", "--base-image", BASE_IMAGE, "--node-mirror", mirror]));
  const label = "agent-dc-bench=up";
  const up = () => timedAsync(DEVCONTAINER_BIN, ["up", "--workspace-folder", repo, "--config", config, "--id-label", label, "--buildkit", "never", "--remove-existing-container"], { env: testHostEnv() });
  try {
    const first = await up();
    const warm = median([await up(), await up(), await up()]);
    const floor = median([1, 2, 3].map(() => timed("docker", ["run", "--rm", BASE_IMAGE, "true"]).seconds));
    report("devcontainer up, claude config, first run on this machine", first, "s", "includes the Feature build unless cached");
    report("devcontainer up, claude config, image cached (median of 3)", warm, "s");
    report("docker run --rm <base> true (floor, median of 3)", floor, "s");
  } finally {
    removeContainers(label);
    rmSync(join(repo, ".."), { recursive: true, force: true });
  }
}

function npmInstalledSize(pkg: string): number {
  const dir = mkdtempSync(join(tmpdir(), "bench-npm-"));
  try {
    execFileSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", pkg], { stdio: "ignore" });
    return Number(execFileSync("du", ["-sb", join(dir, "node_modules")], { encoding: "utf8" }).split("\t")[0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function featureSizes(report: Report, mirror: string): Promise<void> {
  const repo = fixtureRepo("bench-features");
  execFileSync(process.execPath, cliArgs([repo, "--yes", "--local-features", "--base-image", BASE_IMAGE, "--node-mirror", mirror]));
  const base = imageSize(BASE_IMAGE);
  try {
    for (const id of AGENT_IDS) {
      const image = `agent-dc-bench/${id}`;
      const build = (cache: boolean) =>
        timedAsync(DEVCONTAINER_BIN, ["build", "--workspace-folder", repo, "--config", `${repo}/.devcontainer/${id}/devcontainer.json`, "--image-name", image, "--buildkit", "never", ...(cache ? [] : ["--no-cache"])], { env: testHostEnv() });
      report(`${id} Feature: build, cold (--no-cache)`, await build(false), "s");
      report(`${id} Feature: build, layer cache`, await build(true), "s");
      report(`${id} Feature: size added to the base image`, (imageSize(image) - base) / MB, "MB", "Node.js, curl, git and the agent");
      report(`${id}: ${agent(id).npmPackage} installed size (npm, empty folder)`, npmInstalledSize(agent(id).npmPackage) / MB, "MB");
      execFileSync("docker", ["rmi", "-f", image], { stdio: "ignore" });
    }
  } finally {
    rmSync(join(repo, ".."), { recursive: true, force: true });
  }
}

export async function run(report: Report): Promise<void> {
  scaffoldDryRun(report);
  const nodeMirror = ensureNodeMirror();
  ensureNodeImage(nodeMirror.tarball);
  report("Node.js tarball (a Feature prerequisite when the image has none)", Number(execFileSync("du", ["-sb", nodeMirror.tarball], { encoding: "utf8" }).split("\t")[0]) / MB, "MB", "compressed");
  const { url, server } = await serveDirectory(nodeMirror.dir, bridgeGateway());
  try {
    await upVersusFloor(report, url);
    await featureSizes(report, url);
  } finally {
    server.close();
  }
}
