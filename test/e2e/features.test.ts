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
import { DEVCONTAINER_BIN } from "../support/devcontainer.js";
import { NODE_IMAGE } from "../support/docker.js";
import { featureSchemaErrors } from "../support/official-schemas.js";

const FEATURES = readdirSync(packagePath("features", "src")).sort();

describe.skipIf(!inject("docker"))("the published Features", () => {
  it.each(FEATURES)("%s passes devcontainer features test, scenarios and duplicate included", (id) => {
    const result = spawnSync(
      DEVCONTAINER_BIN,
      ["features", "test", "-p", packagePath("features"), "-f", id, "-i", NODE_IMAGE, "--remote-user", "agent"],
      { encoding: "utf8", timeout: 20 * 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) throw new Error(`features test ${id} failed:\n${output.slice(-6000)}`);
    expect(output).not.toMatch(/❌/);
    // The default test, each scenario and the duplicate test each report on their own.
    const scenarios = Object.keys(JSON.parse(readFileSync(packagePath("features", "test", id, "scenarios.json"), "utf8")) as object);
    expect(output.match(/Test Passed!/g)?.length ?? 0).toBeGreaterThanOrEqual(2 + scenarios.length);
  });

  it("packages offline, and the packaged metadata is valid against the official Feature schema", () => {
    const out = mkdtempSync(join(tmpdir(), "features-package-"));
    try {
      const result = spawnSync(DEVCONTAINER_BIN, ["features", "package", "-o", out, packagePath("features", "src")], { encoding: "utf8", timeout: 120_000 });
      expect(result.status, result.stderr).toBe(0);
      const collection = JSON.parse(readFileSync(join(out, "devcontainer-collection.json"), "utf8")) as { features: { id: string }[] };
      expect(collection.features.map((f) => f.id).sort()).toEqual(FEATURES);
      for (const metadata of collection.features) expect(featureSchemaErrors(metadata), metadata.id).toEqual([]);
      for (const id of FEATURES) expect(readdirSync(out)).toContain(`devcontainer-feature-${id}.tgz`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
