/**
 * The review dashboard (`ui`): time to first render of the list with 20 containers, and the page's
 * transfer size, in Debian's headless Chromium. The 20 containers are made-up records at the data layer
 * (test/support/ui-fake.ts), not launched containers: this measures the server and the page, not Docker.
 * "First render" is the page's own `list-rendered` mark, from the start of navigation (the token
 * redirect included), in a fresh browser context each time (nothing cached); the first, cold browser
 * start is reported apart from the median of the next five.
 * Then issue 21's figure, on the real engine: `/api/list` of the live dashboard, asked again and again
 * while `docker stop` of a container holds the engine (a container whose PID 1 ignores SIGTERM, so the
 * stop takes its whole timeout).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LABELS } from "../../src/labels.js";
import { liveDashboard } from "../../src/ui/live.js";
import { COOKIE } from "../../src/ui/security.js";
import { startUi } from "../../src/ui/server.js";
import { launchChromium } from "../../test/support/browser.js";
import { BASE_IMAGE, removeContainers } from "../../test/support/docker.js";
import { fakeDashboard } from "../../test/support/ui-fake.js";
import { median } from "./support.js";

const CONTAINERS = 20;
const RUNS = 6;

type Report = (name: string, value: number, unit: string, note?: string, reference?: { goal?: string; floor?: string }) => void;

export async function run(report: Report): Promise<void> {
  const dashboard = fakeDashboard(CONTAINERS);
  const server = await startUi(dashboard);
  const browser = await launchChromium();
  try {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector(`#list tbody tr:nth-child(${CONTAINERS})`);
      const measured = (await page.evaluate(`({
        rendered: performance.getEntriesByName("list-rendered")[0].startTime,
        bytes: [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce((sum, entry) => sum + entry.transferSize, 0),
      })`)) as { rendered: number; bytes: number };
      times.push(measured.rendered);
      bytes = measured.bytes;
      await context.close();
    }
    const list = Buffer.byteLength(JSON.stringify(await dashboard.list()));
    report(`first render of the list, ${CONTAINERS} containers (cold browser)`, times[0]!, "ms", "fake records at the data layer");
    report(`first render of the list, ${CONTAINERS} containers (median of ${RUNS - 1})`, median(times.slice(1)), "ms", "fake records at the data layer");
    report(`page transfer: HTML, CSS, JS and the list of ${CONTAINERS}`, bytes / 1024, "kB", "uncompressed, headers included");
    report(`of which the list of ${CONTAINERS} containers`, list / 1024, "kB", "JSON body; later changes come as SSE events of the same shape");
  } finally {
    await browser.close();
    await server.close();
  }
  await listDuringStop(report);
}

async function listDuringStop(report: Report): Promise<void> {
  const tag = `bench-ui-${Date.now().toString(36)}`;
  const state = mkdtempSync(join(tmpdir(), `${tag}-`));
  execFileSync("docker", ["run", "-d", "--name", tag, "--label", `${LABELS.agent}=codex`, "--label", `agent-dc-bench=${tag}`, BASE_IMAGE, "sleep", "infinity"], { stdio: "ignore" });
  const server = await startUi(liveDashboard({ stateRoot: state, cli: [], cwd: state }));
  try {
    const list = async (): Promise<number> => {
      const start = performance.now();
      const response = await fetch(`${server.origin}/api/list`, { headers: { cookie: `${COOKIE}=${server.token}` } });
      if (!response.ok || !(await response.text()).includes(tag)) throw new Error(`/api/list answered ${response.status} without ${tag}`);
      return performance.now() - start;
    };
    await list();
    let stopped = false;
    const stop = new Promise<void>((resolve, reject) =>
      spawn("docker", ["stop", "-t", "5", tag], { stdio: "ignore" })
        .on("error", reject)
        .on("close", () => ((stopped = true), resolve())),
    );
    const times: number[] = [];
    // Bounded: at most 500 lists, about one every 10 ms, while the 5-second stop runs.
    for (let i = 0; i < 500 && !stopped; i += 1) {
      times.push(await list());
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await stop;
    report(`/api/list while a container stops (median of ${times.length}, live dashboard)`, median(times), "ms", `slowest ${Math.round(Math.max(...times))} ms`, { goal: "≤ 100 ms" });
  } finally {
    await server.close();
    removeContainers(`agent-dc-bench=${tag}`);
    rmSync(state, { recursive: true, force: true });
  }
}
