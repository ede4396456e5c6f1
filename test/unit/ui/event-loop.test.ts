/**
 * The dashboard's reads wait for Docker without holding the event loop: with an engine CLI that takes a
 * second to answer, timers keep firing meanwhile (a synchronous call would stop them for the whole second,
 * and every other page's request with them).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveDashboard } from "../../../src/ui/live.js";

describe("the dashboard on a slow engine", () => {
  const dir = mkdtempSync(join(tmpdir(), "slow-docker-"));
  const path = process.env.PATH;
  beforeAll(() => {
    writeFileSync(join(dir, "docker"), "#!/bin/sh\nsleep 1\necho 'Error: No such container' >&2\nexit 1\n");
    chmodSync(join(dir, "docker"), 0o755);
    process.env.PATH = `${dir}:${path ?? ""}`;
  });
  afterAll(() => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the event loop turning while a container's egress is read", async () => {
    const dashboard = liveDashboard({ stateRoot: join(dir, "state"), cli: [], cwd: dir });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const started = Date.now();
    try {
      expect(await dashboard.egress("claude-app")).toEqual({ mode: "open", connections: [], blocked: [] });
    } finally {
      clearInterval(timer);
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(ticks).toBeGreaterThan(20);
  });

  it("answers the list from its last read of the containers, reading them again behind the answer", async () => {
    const calls = join(dir, "calls");
    writeFileSync(join(dir, "docker"), `#!/bin/sh\nsleep 1\necho >> '${calls}'\n`);
    chmodSync(join(dir, "docker"), 0o755);
    const answered = () => (existsSync(calls) ? readFileSync(calls, "utf8").length : 0);
    const dashboard = liveDashboard({ stateRoot: join(dir, "state"), cli: [], cwd: dir });
    // The first list has nothing to show yet: it waits for its read (two docker calls at once).
    expect(await dashboard.list()).toEqual([]);
    expect(answered()).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Stale now: answered from the last read before the next one's docker calls return.
    expect(await dashboard.list()).toEqual([]);
    expect(answered()).toBe(2);
    // Bounded: the read behind the answer ends within the fake engine's second, plus margin.
    for (let i = 0; i < 50 && answered() < 4; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered()).toBe(4);
  });
});
