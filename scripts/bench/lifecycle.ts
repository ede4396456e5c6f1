/**
 * Issue 21 measurements: `prune` on 50 orphans, and the size of the enforcer bundle. The orphans are what
 * 50 agent containers removed by `docker rm -f` leave: an enforcer (created, not started), its internal
 * network and its workspace volume, all labelled as egress.sh and the devcontainer CLI label them, for one
 * throwaway folder. `prune <folder>` is timed (so nothing else on the engine is touched), first
 * `--dry-run` (the reads and the volumes' sizes), then for real.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EGRESS_LABEL } from "../../src/egress/layout.js";
import { LABELS } from "../../src/labels.js";
import { packagePath } from "../../src/paths.js";
import { workspaceVolume } from "../../src/workspace/layout.js";
import { BASE_IMAGE, removeContainers } from "../../test/support/docker.js";
import { timed } from "./support.js";
import { cliArgs } from "../../test/support/cli.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

const ORPHANS = 50;
/** The enforcer bundle before issue 21's layering (commit 8d8e4fa), for the note. */
const BUNDLE_BEFORE = 98_529;

const docker = (...args: string[]) => execFileSync("docker", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

export async function run(report: Report): Promise<void> {
  const bundle = statSync(packagePath("egress", "proxy.cjs")).size;
  report("enforcer bundle (egress/proxy.cjs)", bundle / 1000, "kB", `${(BUNDLE_BEFORE / 1000).toFixed(1)} kB before issue 21's layering`);

  const tag = `bench${Date.now().toString(36)}`;
  const folder = mkdtempSync(join(tmpdir(), `${tag}-repo-`));
  const state = mkdtempSync(join(tmpdir(), `${tag}-state-`));
  const label = `agent-dc-bench=${tag}`;
  const env = { ...process.env, XDG_STATE_HOME: state };
  try {
    for (let i = 0; i < ORPHANS; i += 1) {
      const id = `${tag}o${i}`;
      const labels = ["--label", label, "--label", `${EGRESS_LABEL}=${id}`, "--label", `${EGRESS_LABEL}.workspace=${folder}`];
      docker("create", ...labels, "--label", `${EGRESS_LABEL}.config=bench`, "--name", `cadc-egress-${id}`, BASE_IMAGE, "true");
      // An explicit subnet: 50 networks from Docker's default pools could exhaust them for everyone else on the engine.
      docker("network", "create", "--internal", "--subnet", `10.251.${i}.0/24`, ...labels, `cadc-egress-${id}`);
      docker("volume", "create", "--label", label, "--label", `${LABELS.workspace}=codex`, workspaceVolume(id));
    }
    const prune = (...flags: string[]) => timed(process.execPath, cliArgs(["prune", folder, "--grace", "0", "--keep-images", "--json", ...flags]), { env });
    const dry = prune("--dry-run");
    const listed = (JSON.parse(dry.stdout) as { removed: unknown[] }).removed.length;
    report(`prune --dry-run, ${ORPHANS} orphans (${listed} objects)`, dry.seconds, "s");
    const real = prune();
    const removed = (JSON.parse(real.stdout) as { removed: unknown[] }).removed.length;
    report(`prune, ${ORPHANS} orphans (${removed} objects removed)`, real.seconds, "s", `${((real.seconds * 1000) / Math.max(1, removed)).toFixed(0)} ms per object`);
  } finally {
    removeContainers(label);
    for (const kind of ["network", "volume"]) {
      const left = docker(kind, "ls", "-q", "--filter", `label=${label}`).split("\n").filter(Boolean);
      if (left.length > 0) docker(kind, "rm", ...left);
    }
    rmSync(folder, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}
