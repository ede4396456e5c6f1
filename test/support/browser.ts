/**
 * Headless Chromium from Debian's archive (scripts/testbed/docker.sh installs it), driven by
 * playwright-core at that executable: nothing downloads a browser.
 */
import { chromium, type Browser } from "playwright-core";
import { findOnPath } from "../../src/core/on-path.js";

export function chromiumPath(): string | undefined {
  return process.env.AGENT_DC_TEST_CHROMIUM ?? findOnPath("chromium");
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no chromium on PATH: run scripts/testbed/docker.sh (apt-get install chromium)");
  // --no-sandbox: the test bed runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
}
