/** Runs the scaffolder as a user would (the real CLI entry point) into a fresh fixture repository. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packagePath } from "../../src/paths.js";
import { cliArgs } from "./cli.js";

/** Runs the CLI; throws with its stderr when it exits non-zero. */
export function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  return execFileSync(process.execPath, cliArgs(args), {
    cwd: options.cwd ?? packagePath(),
    env: options.env ?? process.env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** A small git repository with one commit, named `name` (the repo name the scaffolder derives). */
export function fixtureRepo(name = "fixture-repo"): string {
  const root = join(mkdtempSync(join(tmpdir(), "agent-dc-")), name);
  execFileSync("git", ["init", "-q", "-b", "main", root]);
  writeFileSync(join(root, "README.md"), "# fixture\n");
  const git = (...args: string[]) => execFileSync("git", ["-C", root, ...args], { stdio: "ignore" });
  git("add", ".");
  git("-c", "user.name=Fixture", "-c", "user.email=fixture@example.invalid", "commit", "-qm", "initial");
  return root;
}

/**
 * The scaffolder flags that point a config at the local test bed (no registry, Node.js from the mirror), with
 * the MCP secrets file in a temp folder: a test never creates anything in the runner's real home.
 */
export function testBedFlags(): string[] {
  const image = process.env.AGENT_DC_TEST_BASE_IMAGE;
  const mirror = process.env.AGENT_DC_TEST_NODE_MIRROR;
  if (!image || !mirror) throw new Error("the e2e global setup did not provide the test bed (base image, Node.js mirror)");
  const secrets = join(mkdtempSync(join(tmpdir(), "agent-dc-secrets-")), "mcp-secrets.env");
  // Egress stays open here: these suites test other concerns; test/e2e/egress.test.ts covers the enforcer.
  return ["--local-features", "--base-image", image, "--node-mirror", mirror, "--mcp-secrets", secrets, "--egress", "open"];
}
