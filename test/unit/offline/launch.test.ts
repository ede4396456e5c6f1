/**
 * `launch` on an engine that cannot pull its base image, with the real engine: a registry on loopback where
 * nothing listens fails at once, as Docker Hub does for a machine without it. The fix comes in one line,
 * before any state folder, volume or container exists.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { baseImageFix } from "../../../src/offline/hints.js";
import { tempDir } from "../../support/temp-dir.js";
import { isolateGit, makeRepo } from "../workspace/git-fixture.js";
import { cliArgs } from "../../support/cli.js";

const MISSING = "127.0.0.1:2/agent-dc-test/missing:offline";

let gitHome = "";
beforeAll(() => {
  gitHome = mkdtempSync(join(tmpdir(), "cad-git-"));
  isolateGit(gitHome);
});
afterAll(() => rmSync(gitHome, { recursive: true, force: true }));

it("launch with a base image the engine cannot pull names the image, the flag, the variable and the README section", { timeout: 60_000 }, async ({ onTestFinished }) => {
  const root = tempDir(onTestFinished);
  const repo = makeRepo(join(root, "repo"));
  const state = join(root, "state");
  const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      cliArgs(["launch", repo, "--agent", "claude", "--base-image", MISSING]),
      { cwd: root, env: { ...process.env, XDG_STATE_HOME: state, NO_COLOR: "1" }, timeout: 50_000 },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
    child.stdin?.end();
  });

  expect(run.code).toBe(1);
  const last = run.stderr.trim().split("\n").pop()!;
  expect(last).toMatch(new RegExp(`^create-agent-devcontainer: cannot pull the base image ${MISSING.replace(/[.]/g, "\\.")} \\(.*127\\.0\\.0\\.1:2.*\\) \\(`));
  expect(last.endsWith(`(${baseImageFix()})`)).toBe(true);
  expect(existsSync(join(state, "create-agent-devcontainer", "launch"))).toBe(false);
});
