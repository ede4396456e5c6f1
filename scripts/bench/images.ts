/**
 * Issue 7 measurements: the layered images' sizes (base, agents, each agent, each agent's own layer next to
 * its npm package's installed size) and build times with the classic builder on the local base — cold
 * (--no-cache), warm with no change, after bumping one agent's version, and after a hook change.
 * Targets from the issue: base < 700 MB; an agent layer <= its npm install + 10 %; a one-agent bump < 60 s.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_IDS, agent, type AgentId } from "../../src/catalogue/agents.js";
import { AGENTS_IMAGE_NAME, BASE_IMAGE_NAME } from "../../src/images/refs.js";
import { packagePath } from "../../src/paths.js";
import { bridgeGateway } from "../../test/support/docker.js";
import { IMAGE_NAMES, buildBase, buildFeatureImage, ref } from "../../test/support/images.js";
import { ensureNodeMirror, serveDirectory } from "../../test/support/node-mirror.js";
import { MB, imageSize } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string) => Promise<void> | void;

/** Bytes of the layer that installed the agent (its install RUN, not the hook layer). */
function agentLayerSize(image: string, id: AgentId): number {
  const history = execFileSync("docker", ["history", "--no-trunc", "--human=false", "--format", "{{.Size}}\t{{.CreatedBy}}", image], { encoding: "utf8" });
  const line = history
    .split("\n")
    .find((entry) => entry.includes(`features/${id} &&`) && !entry.includes("rm -rf /tmp/agent-devcontainer/features"));
  if (!line) throw new Error(`no install layer for ${id} in ${image}`);
  return Number(line.split("\t")[0]);
}

/** The version of `pkg` installed in the image, so the npm comparison installs the same one. */
function installedVersion(image: string, pkg: string): string {
  const script = `require(require("path").join(require("child_process").execSync("npm root -g").toString().trim(), process.argv[1], "package.json")).version`;
  return execFileSync("docker", ["run", "--rm", "--network", "none", image, "node", "-p", script, pkg], { encoding: "utf8" }).trim();
}

function npmInstalledSize(pkg: string): number {
  const dir = mkdtempSync(join(tmpdir(), "bench-npm-"));
  try {
    // --force: npm here may run an older Node.js than the package's engines, which must not change what installs.
    execFileSync("npm", ["install", "--prefix", dir, "--no-audit", "--no-fund", "--force", "--loglevel=error", pkg], { stdio: "ignore" });
    return Number(execFileSync("du", ["-sb", join(dir, "node_modules")], { encoding: "utf8" }).split("\t")[0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The release before the latest: a real version bump. */
function previousVersion(pkg: string): string {
  const versions = JSON.parse(execFileSync("npm", ["view", pkg, "versions", "--json"], { encoding: "utf8" })) as string[];
  const stable = versions.filter((version) => /^\d+\.\d+\.\d+$/.test(version));
  return stable.at(-2)!;
}

async function buildAll(mirror: string, context: string, noCache: boolean, report: Report, label: string): Promise<number> {
  let total = 0;
  for (const name of IMAGE_NAMES) {
    const build = name === BASE_IMAGE_NAME ? await buildBase(mirror, { noCache }) : await buildFeatureImage(name, { noCache, context });
    total += build.seconds;
    await report(`${name}: build, ${label}`, build.seconds, "s");
  }
  return total;
}

export async function run(report: Report): Promise<void> {
  const mirror = ensureNodeMirror();
  const { url, server } = await serveDirectory(mirror.dir, bridgeGateway());
  // A snapshot of the Features: "no change" must not see a regeneration running in the work tree meanwhile.
  const context = mkdtempSync(join(tmpdir(), "bench-features-"));
  cpSync(packagePath("features", "src"), context, { recursive: true });
  try {
    await report("all images: build, cold (--no-cache)", await buildAll(url, context, true, report, "cold"), "s", "base, then each agent, then agents");
    // After --no-cache, two cached chains exist for the same steps and the first cached build may settle on
    // the older one; "no change" is the build after that, as in any repeated build.
    await buildAll(url, context, false, () => undefined, "settle");
    await report("all images: build, warm, no change", await buildAll(url, context, false, () => undefined, "warm"), "s");

    const base = imageSize(ref(BASE_IMAGE_NAME));
    await report("base image size", base / MB, "MB", "target < 700 MB");
    await report("agents image size", imageSize(ref(AGENTS_IMAGE_NAME)) / MB, "MB");
    for (const id of AGENT_IDS) {
      const record = agent(id);
      await report(`${id} image size`, imageSize(ref(id)) / MB, "MB");
      const layer = agentLayerSize(ref(id), id);
      const version = installedVersion(ref(id), record.npmPackage);
      const npm = npmInstalledSize(`${record.npmPackage}@${version}`);
      const over = `${((layer / npm - 1) * 100).toFixed(1)} % over npm's ${(npm / MB).toFixed(1)} MB for ${version}; target <= +10 %`;
      await report(`${id}: agent layer`, layer / MB, "MB", over);
    }

    const bumped = "claude";
    const version = previousVersion(agent(bumped).npmPackage);
    const bump = await buildFeatureImage(bumped, { tag: "agent-dc-bench/claude-bumped", context, buildArgs: { CLAUDE_VERSION: version } });
    await report(`${bumped} image: rebuild after a version bump (to ${version}), warm`, bump.seconds, "s", "target < 60 s");

    appendFileSync(join(context, bumped, "hooks", "hook.js"), "\n// bench: a hook change\n");
    const hooks = await buildFeatureImage(bumped, { tag: "agent-dc-bench/claude-hooks", context });
    await report(`${bumped} image: rebuild after a hook change, warm`, hooks.seconds, "s");
  } finally {
    server.close();
    rmSync(context, { recursive: true, force: true });
    spawnSync("docker", ["rmi", "-f", "agent-dc-bench/claude-bumped", "agent-dc-bench/claude-hooks"], { stdio: "ignore" });
  }
}
