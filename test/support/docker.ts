/** The real Docker engine the end-to-end tests run against (started by .ci/run or scripts/testbed/docker.sh). */
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, constants, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

export const BASE_IMAGE = process.env.AGENT_DC_TEST_BASE_IMAGE ?? "agent-dc-test/debian:bookworm";
export const NODE_IMAGE = process.env.AGENT_DC_TEST_NODE_IMAGE ?? "agent-dc-test/debian-node-git:bookworm";

export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/**
 * Puts test/support/docker-shim first on this process's PATH (the workers inherit it), in front of the engine's
 * own CLI, which the shim runs.
 */
export function useDockerShim(): void {
  const path = process.env.PATH ?? "";
  const real = path.split(delimiter).map((dir) => join(dir, "docker")).find((file) => isExecutable(file));
  if (!real) throw new Error("no docker CLI on PATH");
  process.env.AGENT_DC_REAL_DOCKER = real;
  process.env.PATH = `${fileURLToPath(new URL("docker-shim", import.meta.url))}${delimiter}${path}`;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function dockerAvailable(): boolean {
  return spawnSync("docker", ["info"], { stdio: "ignore", timeout: 20_000 }).status === 0;
}

export function imageExists(image: string): boolean {
  return spawnSync("docker", ["image", "inspect", image], { stdio: "ignore" }).status === 0;
}

/**
 * The CPU time a running container has used so far, in seconds, read from its own cgroup through
 * `docker exec` (cgroup v2's cpu.stat, else v1's cpuacct.usage): measured, for the benchmarks' CPU figures.
 */
export function containerCpuSeconds(container: string): number {
  const text = docker("exec", container, "sh", "-c", "cat /sys/fs/cgroup/cpu.stat 2>/dev/null || cat /sys/fs/cgroup/cpuacct/cpuacct.usage");
  const usec = /^usage_usec (\d+)$/m.exec(text)?.[1];
  const seconds = usec === undefined ? Number(text) / 1e9 : Number(usec) / 1e6;
  if (!Number.isFinite(seconds) || text === "") throw new Error(`no CPU usage in the cgroup of ${container}: ${JSON.stringify(text.slice(0, 200))}`);
  return seconds;
}

/** The default bridge's gateway: the host address containers and build steps can reach. */
export function bridgeGateway(): string {
  const [gateway = "", subnet = ""] = docker(
    "network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Gateway}}|{{.Subnet}}{{end}}",
  ).split("|");
  if (gateway) return gateway;
  // Docker 20.10 from Debian leaves Gateway empty: the bridge then takes the subnet's first address.
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(subnet);
  if (!match) throw new Error(`cannot find the Docker bridge address (subnet "${subnet}")`);
  return `${match[1]}.${match[2]}.${match[3]}.${Number(match[4]) + 1}`;
}

/**
 * The base image with what most development images already have: git, curl, and Node.js in /opt/node (not
 * /usr/local, so tests can tell it from one a Feature installs). Used by the "image has Node" scenarios.
 */
export function ensureNodeImage(tarball: string): void {
  if (imageExists(NODE_IMAGE)) return;
  const context = mkdtempSync(join(tmpdir(), "node-image-"));
  try {
    copyFileSync(tarball, join(context, basename(tarball)));
    writeFileSync(
      join(context, "Dockerfile"),
      [
        `FROM ${BASE_IMAGE}`,
        "RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends curl git >/dev/null && rm -rf /var/lib/apt/lists/*",
        `ADD ${basename(tarball)} /opt/`,
        `RUN ln -s /opt/${basename(tarball, ".tar.gz")} /opt/node`,
        "ENV PATH=/opt/node/bin:$PATH",
        "",
      ].join("\n"),
    );
    execFileSync("docker", ["build", "-q", "-t", NODE_IMAGE, context], { stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

/** Removes every container carrying `label` (key=value) and their anonymous volumes. */
export function removeContainers(label: string): void {
  const ids = docker("ps", "-aq", "--filter", `label=${label}`).split("\n").filter(Boolean);
  if (ids.length > 0) docker("rm", "-f", "-v", ...ids);
}
