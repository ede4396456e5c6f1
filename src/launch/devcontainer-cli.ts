/**
 * The real `devcontainer` CLI, from this package's own dependency (resolved, not looked up on PATH), run
 * with arguments as argv. `up` runs in its own process group so an interrupted launch can stop it and
 * every docker process it started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { dockerPath } from "../engine/docker.js";
import { LaunchError } from "./errors.js";
import { acquireLock } from "./build-lock.js";
import { parseLogLine, STARTING } from "./progress.js";

function cliManifest(): { path: string; bin: Record<string, string>; version: string } {
  const path = createRequire(import.meta.url).resolve("@devcontainers/cli/package.json");
  return { path, ...(JSON.parse(readFileSync(path, "utf8")) as { bin: Record<string, string>; version: string }) };
}

/** The CLI's entry script, run with this Node.js. */
export function devcontainerScript(): string {
  const { path: manifest, bin: bins } = cliManifest();
  const bin = bins.devcontainer;
  if (!bin) throw new Error("@devcontainers/cli has no devcontainer binary");
  return join(dirname(manifest), bin);
}

export function devcontainerVersion(): string {
  return cliManifest().version;
}

export interface Target {
  workspaceFolder: string;
  config: string;
  /** `key=value`: finds the container again (exec, start). */
  idLabel: string;
}

/** Where the CLI finds the container again, and the engine's CLI it runs (the adapter's). */
export function targetArgs(target: Target): string[] {
  return ["--workspace-folder", target.workspaceFolder, "--config", target.config, "--id-label", target.idLabel, "--docker-path", dockerPath()];
}

export interface UpOutcome {
  containerId: string;
  remoteUser: string;
  remoteWorkspaceFolder: string;
}

export interface UpOptions {
  /** Receives each long step as it starts. */
  onStage(stage: string): void;
  logFile: string;
  signal?: AbortSignal;
  /** Held from the start until the image is built (see build-lock.ts). */
  buildLock?: string;
}

/** `devcontainer up`; resolves with the outcome, or rejects with LaunchError naming the failure. */
export async function up(target: Target, options: UpOptions): Promise<UpOutcome> {
  const release = options.buildLock
    ? await acquireLock(options.buildLock, () => options.onStage("waiting for another launch's image build"), options.signal)
    : () => undefined;
  try {
    return await runUp(target, options, release);
  } finally {
    release();
  }
}

function runUp(target: Target, options: UpOptions, releaseBuildLock: () => void): Promise<UpOutcome> {
  const child = spawn(process.execPath, [devcontainerScript(), "up", ...targetArgs(target), "--log-format", "json"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log = createWriteStream(options.logFile, { flags: "a", mode: 0o600 });
  let hookFailure: string | undefined;
  const stages = new Set<string>();
  createInterface({ input: child.stderr! }).on("line", (line) => {
    const parsed = parseLogLine(line);
    log.write(parsed.text);
    if (parsed.stage === STARTING) releaseBuildLock();
    if (parsed.stage && !stages.has(parsed.stage)) options.onStage(parsed.stage);
    if (parsed.stage) stages.add(parsed.stage);
    if (parsed.hookFailure) hookFailure = parsed.hookFailure;
  });
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  const stop = (): void => stopGroup(child);
  options.signal?.addEventListener("abort", stop, { once: true });
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new LaunchError(`cannot run devcontainer: ${error.message}`)));
    child.on("close", (code) => {
      options.signal?.removeEventListener("abort", stop);
      log.end(() => {
        if (options.signal?.aborted) return reject(new LaunchError("interrupted"));
        const outcome = lastJson(stdout) as Partial<UpOutcome & { outcome: string; message: string; description: string }>;
        if (code === 0 && outcome.outcome === "success" && outcome.containerId) {
          return resolve({
            containerId: outcome.containerId,
            remoteUser: outcome.remoteUser ?? "",
            remoteWorkspaceFolder: outcome.remoteWorkspaceFolder ?? "",
          });
        }
        const why = hookFailure ?? outcome.description ?? outcome.message?.split("\n")[0] ?? `exit ${String(code)}`;
        reject(new LaunchError(`devcontainer up failed: ${why}`));
      });
    });
  });
}

/** Stops the CLI and its docker children (one process group: ours, by its id). */
function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }, 5_000).unref();
}

function lastJson(text: string): Record<string, unknown> {
  const line = text.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * `devcontainer exec` as the remote user, in the workspace, with the config's remoteEnv (tokens from the
 * host environment in `token` auth). Interactive when our stdin is a terminal.
 */
export function exec(target: Target, command: readonly string[], capture: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [devcontainerScript(), "exec", ...targetArgs(target), ...command], {
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new LaunchError(`cannot run devcontainer: ${error.message}`)));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `devcontainer up` on an existing, stopped container: starts it and runs its postStart hooks. */
export function restart(target: Target, logFile: string): Promise<UpOutcome> {
  return up(target, { onStage: () => undefined, logFile });
}
