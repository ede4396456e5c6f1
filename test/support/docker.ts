/** The real Docker engine the end-to-end tests run against (started by .ci/run or scripts/testbed/docker.sh). */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

export const BASE_IMAGE = process.env.AGENT_DC_TEST_BASE_IMAGE ?? "agent-dc-test/debian:bookworm";
export const NODE_IMAGE = process.env.AGENT_DC_TEST_NODE_IMAGE ?? "agent-dc-test/debian-node-git:bookworm";

export function docker(...args: string[]): string {
  return execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function dockerAvailable(): boolean {
  return spawnSync("docker", ["info"], { stdio: "ignore", timeout: 20_000 }).status === 0;
}

export function imageExists(image: string): boolean {
  return spawnSync("docker", ["image", "inspect", image], { stdio: "ignore" }).status === 0;
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
