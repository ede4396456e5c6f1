/** The agent's report at each container create and start, on temp folders standing in for PATH and the npm prefix. */
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { reportAgent } from "../../../src/hooks/agent-state.js";
import { tempDir } from "../../support/temp-dir.js";

const codex = agent("codex");

/** An npm-style prefix: the package's own files, and bin/<binary> linked to its entry point, as npm links it. */
function installed(root: string, manifest: object, entry: string): string {
  const pkg = join(root, "lib", "node_modules", ...codex.npmPackage.split("/"));
  mkdirSync(join(pkg, "bin"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest));
  writeFileSync(join(pkg, "bin", "codex.js"), entry, { mode: 0o755 });
  mkdirSync(join(root, "bin"));
  symlinkSync(join(pkg, "bin", "codex.js"), join(root, "bin", codex.binary));
  return join(root, "bin");
}

describe("reportAgent", () => {
  it("reads the version from the npm package behind the binary, without running it", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    // Run, it would leave a mark: the report must not run it.
    const bin = installed(root, { name: codex.npmPackage, version: "9.8.7" }, `#!/bin/sh\ntouch "${root}/ran"\necho codex-cli 0.0.0\n`);
    vi.stubEnv("PATH", `${join(root, "empty")}:${bin}:/usr/bin:/bin`);
    onTestFinished(() => void vi.unstubAllEnvs());

    expect(reportAgent(codex, root).version).toBe(`${codex.npmPackage} 9.8.7`);
    expect(existsSync(join(root, "ran"))).toBe(false);
  });

  it("asks the binary itself when it is not from the agent's npm package", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const bin = installed(root, { name: "something-else", version: "1.0.0" }, "#!/bin/sh\necho codex-cli 0.42.0\n");
    vi.stubEnv("PATH", `${bin}:/usr/bin:/bin`);
    onTestFinished(() => void vi.unstubAllEnvs());

    expect(reportAgent(codex, root).version).toBe("codex-cli 0.42.0");
  });

  it("fails the step, naming the binary, when it is not installed", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    vi.stubEnv("PATH", `${root}:/usr/bin:/bin`);
    onTestFinished(() => void vi.unstubAllEnvs());

    expect(() => reportAgent(codex, root)).toThrow(/codex --version failed/);
  });
});
