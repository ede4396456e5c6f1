/**
 * The review dashboard (`ui`): time to first render of the list with 20 containers, and the page's
 * transfer size, in Debian's headless Chromium. The 20 containers are made-up records at the data layer
 * (test/support/ui-fake.ts), not launched containers: this measures the server and the page, not Docker.
 * "First render" is the page's own `list-rendered` mark, from the start of navigation (the token
 * redirect included), in a fresh browser context each time (nothing cached); the first, cold browser
 * start is reported apart from the median of the next five.
 */
import { startUi } from "../../src/ui/server.js";
import { launchChromium } from "../../test/support/browser.js";
import { fakeDashboard } from "../../test/support/ui-fake.js";
import { median } from "./support.js";

const CONTAINERS = 20;
const RUNS = 6;

type Report = (name: string, value: number, unit: string, note?: string) => void;

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
}
