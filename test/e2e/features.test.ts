/**
 * The Features tested the ecosystem's way: `devcontainer features test` (default test, scenarios and
 * duplicate.sh) on the local images, and `devcontainer features package` offline with the packaged
 * metadata held to the official schema.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { packagePath } from "../../src/paths.js";
import { isAgentId } from "../../src/catalogue/agents.js";
import { DEVCONTAINER_BIN } from "../support/devcontainer.js";
import { NODE_IMAGE } from "../support/docker.js";
import { featureSchemaErrors } from "../support/official-schemas.js";

const FEATURES = readdirSync(packagePath("features", "src")).sort();
/**
 * The agent Features share their install code (src/features/shell-lib.sh): Node.js from the mirror, a pinned
 * version on an image that has Node.js, installing twice. One agent runs those scenarios and the duplicate test;
 * every agent runs its default test, which installs its own CLI and checks it. mcp and workspace run everything.
 */
const SCENARIO_AGENT = "codex";
const fullyTested = (id: string): boolean => id === SCENARIO_AGENT || !isAgentId(id);

describe.skipIf(!inject("docker"))("the published Features", () => {
  it.each(FEATURES)("%s passes devcontainer features test", async (id) => {
    const full = fullyTested(id);
    const args = ["features", "test", "-p", packagePath("features"), "-f", id, "-i", NODE_IMAGE, "--remote-user", "agent"];
    const result = spawnSync(DEVCONTAINER_BIN, full ? args : [...args, "--skip-scenarios", "--skip-duplicated"], {
      encoding: "utf8",
      timeout: 20 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) throw new Error(`features test ${id} failed:\n${output.slice(-6000)}`);
    expect(output).not.toMatch(/❌/);
    // The default test, each scenario and the duplicate test each report on their own.
    const scenarios = Object.keys(JSON.parse(readFileSync(packagePath("features", "test", id, "scenarios.json"), "utf8")) as object);
    expect(output.match(/Test Passed!/g)?.length ?? 0).toBeGreaterThanOrEqual(full ? 2 + scenarios.length : 1);
  });

  /** Runs the codex Feature's install.sh as the build would, in a throwaway container, with one bad option. */
  function installWith(env: Record<string, string>): string {
    const args = ["run", "--rm", "-v", `${packagePath("features", "src", "codex")}:/feature:ro`, "-e", "_REMOTE_USER=agent"];
    for (const [key, value] of Object.entries(env)) args.push("-e", `${key}=${value}`);
    const script = 'bash /feature/install.sh; echo "exit=$?"; command -v codex || echo "no codex"; ls /tmp/pwned 2>/dev/null || echo "no pwned"';
    const result = spawnSync("docker", [...args, NODE_IMAGE, "bash", "-c", script], { encoding: "utf8", timeout: 180_000 });
    return `${result.stdout}\n${result.stderr}`;
  }

  it("fails the install naming the option when npm cannot resolve the version, leaving no binary behind", () => {
    const output = installWith({ VERSION: "999.999.999" });
    expect(output).toContain("option version: npm cannot resolve @openai/codex@999.999.999");
    expect(output).toContain("exit=1");
    expect(output).toContain("no codex");
  });

  it("rejects an option value with shell metacharacters before running anything", () => {
    const output = installWith({ VERSION: "1.0.0;touch /tmp/pwned", NODEMIRROR: "https://x" });
    expect(output).toContain("option version has an invalid value '1.0.0;touch /tmp/pwned'");
    expect(output).toContain("exit=1");
    expect(output).toContain("no pwned");
    expect(output).toContain("no codex");
  });

  it("packages offline, and the packaged metadata is valid against the official Feature schema", () => {
    const parent = mkdtempSync(join(tmpdir(), "features-package-"));
    // The CLI refuses an output folder that already exists.
    const out = join(parent, "out");
    try {
      const result = spawnSync(DEVCONTAINER_BIN, ["features", "package", "-o", out, packagePath("features", "src")], { encoding: "utf8", timeout: 120_000 });
      expect(result.status, result.stderr).toBe(0);
      const collection = JSON.parse(readFileSync(join(out, "devcontainer-collection.json"), "utf8")) as { features: { id: string }[] };
      expect(collection.features.map((f) => f.id).sort()).toEqual(FEATURES);
      for (const metadata of collection.features) expect(featureSchemaErrors(metadata), metadata.id).toEqual([]);
      for (const id of FEATURES) expect(readdirSync(out)).toContain(`devcontainer-feature-${id}.tgz`);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
