/**
 * Issue 11 measurements: what the egress enforcer costs. `devcontainer up` of the same codex config in
 * `open` and in `allowlist` mode (image cached; allowlist once with the enforcer and its network created
 * by the host step, once with them already running), and a 100 MB HTTPS download from a host of the
 * test's own internet, through the enforcer and directly (same image, same server, same network), with the
 * enforcer's CPU time for it read from its cgroup.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EGRESS_LABEL, enforcerName } from "../../src/egress/layout.js";
import { DEFAULT_LIMITS } from "../../src/limits/limits.js";
import { DEVCONTAINER_BIN, testHostEnv } from "../../test/support/devcontainer.js";
import { BASE_IMAGE, bridgeGateway, containerCpuSeconds, NODE_IMAGE, ensureNodeImage, removeContainers } from "../../test/support/docker.js";
import { CURL_TIMING, parseTiming, summarize, type Timing } from "../../test/support/download-timing.js";
import { createInternet, DNS_IMAGE } from "../../test/support/internet.js";
import { baseImageWithTestCa } from "../../test/support/test-ca.js";
import { ensureNodeMirror, serveDirectory } from "../../test/support/node-mirror.js";
import { fixtureRepo } from "../../test/support/scaffold.js";
import { median, timedAsync } from "./support.js";
import { cliArgs } from "../../test/support/cli.js";

type Report = (name: string, value: number, unit: string, note?: string, reference?: { goal?: string; floor?: string }) => void;

const AGENT = "codex";
const SIZE = 100 * 1024 * 1024;

export async function run(report: Report): Promise<void> {
  const nodeMirror = ensureNodeMirror();
  ensureNodeImage(nodeMirror.tarball);
  const { url: mirror, server } = await serveDirectory(nodeMirror.dir, bridgeGateway());
  const internet = createInternet({ baseImage: BASE_IMAGE, nodeImage: NODE_IMAGE });
  const base = baseImageWithTestCa(BASE_IMAGE);
  const stateHome = mkdtempSync(join(tmpdir(), `${internet.runId}-state-`));
  const env = {
    ...testHostEnv(),
    XDG_STATE_HOME: stateHome,
    CADC_EGRESS_NETWORK: internet.network,
    CADC_EGRESS_DNS: internet.dns,
    CADC_EGRESS_IMAGE: `${internet.runId}-enforcer:1`,
  };
  const repos = { open: fixtureRepo(`bench-open-${internet.runId}`), allowlist: fixtureRepo(`bench-allow-${internet.runId}`) };
  const label = `agent-dc-bench=${internet.runId}`;
  const ids = new Set<string>();
  const images = new Set<string>();
  try {
    for (const [mode, repo] of Object.entries(repos)) {
      execFileSync(process.execPath, cliArgs([repo, "--yes", "--agent", AGENT, "--local-features", "--base-image", base, "--node-mirror", mirror, "--egress", mode, "--allow-host", "allowed.test"]), { env });
      if (mode === "allowlist") writeFileSync(join(repo, ".devcontainer", "egress.toml"), `private = ["${internet.subnet}"]\n`);
    }
    const up = (mode: keyof typeof repos) =>
      timedAsync(DEVCONTAINER_BIN, ["up", "--workspace-folder", repos[mode], "--config", `${repos[mode]}/.devcontainer/${AGENT}/devcontainer.json`, "--id-label", `${label}-${mode}`, "--buildkit", "never", "--remove-existing-container"], { env });
    const egressId = (): string => {
      const id = execFileSync("docker", ["ps", "-q", "--filter", `label=${label}-allowlist`], { encoding: "utf8" }).trim();
      const value = execFileSync("docker", ["inspect", "-f", `{{index .Config.Labels "${EGRESS_LABEL}"}}`, id], { encoding: "utf8" }).trim();
      ids.add(value);
      images.add(execFileSync("docker", ["inspect", "-f", "{{.Config.Image}}", id], { encoding: "utf8" }).trim());
      return value;
    };
    const dropEnforcer = (id: string): void => {
      spawnSync("docker", ["rm", "-f", enforcerName(id)], { stdio: "ignore" });
      spawnSync("docker", ["network", "rm", enforcerName(id)], { stdio: "ignore" });
    };
    // Warm-up: builds the Feature image (shared by both configs) and the enforcer image.
    await up("open");
    await up("allowlist");
    const id = egressId();
    const open: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      open.push(await up("open"));
      warm.push(await up("allowlist"));
      removeContainers(`${label}-allowlist`);
      dropEnforcer(id);
      cold.push(await up("allowlist"));
    }
    report("devcontainer up, open, image cached (median of 3)", median(open), "s");
    report("devcontainer up, allowlist, enforcer running (median of 3)", median(warm), "s", `+${(median(warm) - median(open)).toFixed(2)} s over open`);
    report("devcontainer up, allowlist, enforcer and network created (median of 3)", median(cold), "s", `+${(median(cold) - median(open)).toFixed(2)} s over open`, { goal: "≤ 1 s over open", floor: `open: ${median(open).toFixed(2)} s` });

    const agentId = execFileSync("docker", ["ps", "-q", "--filter", `label=${label}-allowlist`], { encoding: "utf8" }).trim();
    const image = [...images][0]!;
    const curl = ["curl", "-sS", "-o", "/dev/null", "-w", CURL_TIMING, `https://allowed.test/bytes/${SIZE}`];
    const through: Timing[] = [];
    const direct: Timing[] = [];
    const cpuBefore = containerCpuSeconds(enforcerName(id));
    for (let i = 0; i < 3; i++) {
      through.push(parseTiming(execFileSync("docker", ["exec", "-u", "1000", agentId, ...curl], { encoding: "utf8" })));
      direct.push(parseTiming(execFileSync("docker", ["run", "--rm", "--network", internet.network, "--add-host", `allowed.test:${internet.addresses.allowed}`, image, ...curl.slice(0, 1), "--noproxy", "*", ...curl.slice(1)], { encoding: "utf8" })));
    }
    // The enforcer only relays the three downloads through it in this loop.
    const cpu = (containerCpuSeconds(enforcerName(id)) - cpuBefore) / 3;
    const [t, d] = [summarize(through), summarize(direct)];
    report("100 MB HTTPS download through the enforcer (median of 3)", t.total, "s", `set-up ${t.setUp.toFixed(3)} s`);
    report("100 MB HTTPS download direct, same image and server (median of 3)", d.total, "s", `set-up ${d.setUp.toFixed(3)} s`);
    report("100 MB HTTPS download, enforcer / direct", t.total / d.total, "×", `transfer alone: ${(t.transfer / d.transfer).toFixed(2)}×`, { goal: "≤ 1.2×", floor: `1× (direct: ${d.total.toFixed(2)} s)` });
    report("enforcer CPU per 100 MB relayed (its cgroup, mean of 3)", cpu, "s", `of its ${DEFAULT_LIMITS.enforcer.cpus} CPU limit`);
  } finally {
    const openId = execFileSync("docker", ["ps", "-aq", "--filter", `label=${label}-open`], { encoding: "utf8" }).trim();
    if (openId) images.add(execFileSync("docker", ["inspect", "-f", "{{.Config.Image}}", openId], { encoding: "utf8" }).trim());
    removeContainers(`${label}-open`);
    removeContainers(`${label}-allowlist`);
    for (const id of ids) {
      spawnSync("docker", ["rm", "-f", enforcerName(id)], { stdio: "ignore" });
      spawnSync("docker", ["network", "rm", enforcerName(id)], { stdio: "ignore" });
    }
    internet.remove();
    spawnSync("docker", ["image", "rm", "-f", ...images, `${internet.runId}-enforcer:1`, base, DNS_IMAGE], { stdio: "ignore" });
    for (const repo of Object.values(repos)) rmSync(join(repo, ".."), { recursive: true, force: true });
    rmSync(stateHome, { recursive: true, force: true });
    server.close();
  }
}
