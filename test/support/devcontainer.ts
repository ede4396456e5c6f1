/**
 * The real `devcontainer` CLI (from @devcontainers/cli in devDependencies) driven the way a user would:
 * `up` a config, `exec` in the container, and clean up by the id label the test chose.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allAgents, GITHUB_CLI } from "../../src/catalogue/agents.js";
import { packagePath } from "../../src/paths.js";
import { docker, removeContainers } from "./docker.js";
import { EGRESS_LABEL } from "../../src/egress/layout.js";
import { removeEnforcer } from "../../src/egress/inspect.js";

export const DEVCONTAINER_BIN = packagePath("node_modules", ".bin", "devcontainer");

export interface UpResult {
  containerId: string;
  remoteUser: string;
  remoteWorkspaceFolder: string;
  /** Everything the CLI logged (stderr): build output and lifecycle hook output. */
  log: string;
}

export interface Container {
  id: string;
  /** `--id-label` that identifies this test's container; pass it to `exec` and `remove`. */
  idLabel: string;
  workspace: string;
  config: string;
  up: UpResult;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

let fakeHome: string | undefined;

/**
 * The host environment the CLI sees in tests: a throwaway HOME and no login tokens, so a test run never stages
 * or forwards the developer's real logins into its containers (the default auth mode copies them).
 * Tests that exercise logins pass their own env.
 */
export function testHostEnv(): NodeJS.ProcessEnv {
  fakeHome ??= mkdtempSync(join(tmpdir(), "agent-dc-home-"));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fakeHome };
  for (const name of [...allAgents().flatMap((a) => a.tokenEnv), ...GITHUB_CLI.tokenEnv]) delete env[name];
  return env;
}

/** A label unique to one test, so parallel runs and leftovers never collide. */
export function uniqueIdLabel(prefix = "agent-dc-test"): string {
  return `${prefix}=${randomBytes(6).toString("hex")}`;
}

function run(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEVCONTAINER_BIN, args, { cwd: options.cwd, env: options.env ?? testHostEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** `devcontainer up`; throws with the CLI's own message and log tail when it fails. */
export async function up(
  workspace: string,
  config: string,
  options: { idLabel?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<Container> {
  const idLabel = options.idLabel ?? uniqueIdLabel();
  const args = [
    "up",
    "--workspace-folder", workspace,
    "--config", config,
    "--id-label", idLabel,
    "--buildkit", "never",
    ...(options.extraArgs ?? []),
  ];
  const result = await run(args, { ...(options.env ? { env: options.env } : {}), timeoutMs: options.timeoutMs ?? 15 * 60_000 });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  let outcome: { outcome?: string; containerId?: string; remoteUser?: string; remoteWorkspaceFolder?: string; message?: string } = {};
  try {
    outcome = JSON.parse(line) as typeof outcome;
  } catch {
    // not JSON: reported below with the log
  }
  if (result.code !== 0 || outcome.outcome !== "success" || !outcome.containerId) {
    throw new Error(`devcontainer up failed (${result.code}): ${outcome.message ?? line}\n${result.stderr.slice(-4000)}`);
  }
  return {
    id: outcome.containerId,
    idLabel,
    workspace,
    config,
    up: {
      containerId: outcome.containerId,
      remoteUser: outcome.remoteUser ?? "",
      remoteWorkspaceFolder: outcome.remoteWorkspaceFolder ?? "",
      log: result.stderr,
    },
  };
}

/** `devcontainer exec` as the remote user; resolves with the exit code and output (never throws on non-zero). */
export function exec(container: Container, command: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; remoteEnv?: Record<string, string> } = {}): Promise<RunResult> {
  const remoteEnv = Object.entries(options.remoteEnv ?? {}).flatMap(([k, v]) => ["--remote-env", `${k}=${v}`]);
  return run(
    ["exec", "--workspace-folder", container.workspace, "--config", container.config, "--id-label", container.idLabel, ...remoteEnv, ...command],
    { ...(options.env ? { env: options.env } : {}), timeoutMs: options.timeoutMs ?? 5 * 60_000 },
  );
}

/** Like exec, but throws unless the command exits 0; returns stdout trimmed. */
export async function execOk(container: Container, command: string[], options: Parameters<typeof exec>[2] = {}): Promise<string> {
  const result = await exec(container, command, options);
  if (result.code !== 0) throw new Error(`${command.join(" ")} exited ${result.code}: ${result.stderr || result.stdout}`);
  return result.stdout.trim();
}

/** `devcontainer read-configuration`: the CLI's own parse of a config (throws if it rejects it). */
export function readConfiguration(workspace: string, config: string): unknown {
  const result = spawnSync(DEVCONTAINER_BIN, ["read-configuration", "--workspace-folder", workspace, "--config", config], {
    encoding: "utf8",
    timeout: 60_000,
    env: testHostEnv(),
  });
  if (result.status !== 0) throw new Error(`read-configuration rejected ${config}: ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout) as unknown;
}

export function inspect(container: Container): Record<string, unknown> {
  return (JSON.parse(docker("inspect", container.id)) as Record<string, unknown>[])[0]!;
}

/**
 * Removes the container, its anonymous volumes, its own workspace clone and outbox volumes, and its egress
 * enforcer and network if it has them. Other named volumes (shared auth volumes) are the caller's to remove.
 */
export function remove(container: Container): void {
  const inspected = spawnSync("docker", ["inspect", "-f", "{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}} {{end}}{{end}}", container.id], {
    encoding: "utf8",
  });
  // Already gone (a test may remove its own container): nothing of it is left to find.
  const volumes = (inspected.status === 0 ? inspected.stdout : "").trim().split(" ").filter((name) => name.startsWith("agent-workspace-") || name.startsWith("agent-outbox-"));
  const egress = spawnSync("docker", ["inspect", "-f", `{{index .Config.Labels "${EGRESS_LABEL}"}}`, container.id], { encoding: "utf8" });
  removeContainers(container.idLabel);
  if (volumes.length > 0) docker("volume", "rm", "-f", ...volumes);
  // A config with enforced egress also brought up its enforcer and network.
  const egressId = egress.status === 0 ? egress.stdout.trim() : "";
  if (egressId !== "" && egressId !== "<no value>") removeEnforcer(egressId);
}
