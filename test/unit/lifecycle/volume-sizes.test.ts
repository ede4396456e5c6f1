import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LABELS } from "../../../src/labels.js";
import type { Inventory } from "../../../src/lifecycle/inventory.js";
import { orphanNotice } from "../../../src/lifecycle/orphan-notice.js";
import type { Orphans } from "../../../src/lifecycle/owned.js";
import { volumeSizes } from "../../../src/lifecycle/prune.js";
import { fakeDocker, withDockerPath } from "../../support/fake-docker.js";
import { tempDir } from "../../support/temp-dir.js";

const AT = "2026-01-01T00:00:00Z";
const NOW = new Date("2026-01-01T01:00:00Z");
const volume = { name: "agent-outbox-a", labels: { [LABELS.workspace]: "/w" }, createdAt: AT };
const orphans: Orphans = { enforcers: [], networks: [], volumes: [volume], images: [] };
const ROWS = JSON.stringify([{ Name: "agent-outbox-a", Size: "1.5MB" }]);

/**
 * An engine CLI that answers `system df` with `failure` (on stderr, exit 1) the first `times` calls, then
 * with the sizes; it counts the calls in a file beside it.
 */
function engine(dir: string, failure: string, times: number): { binary: string; calls: () => number } {
  const count = join(dir, "calls");
  const binary = fakeDocker(dir, `
echo x >> '${count}'
[ "$1" = system ] || exit 0
if [ "$(wc -l < '${count}')" -le ${times} ]; then echo '${failure}' >&2; exit 1; fi
echo '${ROWS}'`);
  return { binary, calls: () => (existsSync(count) ? readFileSync(count, "utf8").split("\n").filter(Boolean).length : 0) };
}

describe("the orphaned volumes' sizes", () => {
  it("wait out another disk usage read (engines before 23.0 refuse a second one at once)", async ({ onTestFinished }) => {
    const { binary, calls } = engine(tempDir(onTestFinished), "Error response from daemon: a disk usage operation is already running", 2);
    const sizes = await withDockerPath(binary, () => volumeSizes(orphans));
    expect(sizes).toEqual(new Map([["agent-outbox-a", 1_500_000]]));
    expect(calls()).toBe(3);
  });

  it("fail at once on any other error, naming it", async ({ onTestFinished }) => {
    const { binary, calls } = engine(tempDir(onTestFinished), "Cannot connect to the Docker daemon at unix:///var/run/docker.sock.", 1);
    const error = await withDockerPath(binary, () => volumeSizes(orphans)).catch((e: unknown) => e);
    expect(String(error)).toContain("Cannot connect to the Docker daemon");
    expect(calls()).toBe(1);
  });

  it("are left out of the notice when the engine cannot tell them, and the notice still names what is left", async ({ onTestFinished }) => {
    const { binary } = engine(tempDir(onTestFinished), "Error response from daemon: something else", 1);
    const inventory: Inventory = { containers: [], networks: [], volumes: [volume], images: [] };
    const line = await withDockerPath(binary, () => orphanNotice(NOW, Promise.resolve(inventory)));
    expect(line).toBe("left behind by removed agent containers: 1 volume; run `create-agent-devcontainer prune`");
  });
});
