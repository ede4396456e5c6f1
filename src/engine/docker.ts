/**
 * The one place that runs the engine's CLI, always as argv, never through a shell. `DOCKER_HOST` and the
 * current context reach it through the environment as they are; the binary is configurable (dockerPath). Asynchronous first: the dashboard's HTTP
 * server and the lifecycle run these, and a slow `docker stop` must not freeze every open page. The
 * synchronous form is for the launch and task steps that run one after another in a CLI process.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process";
import { UserError } from "../errors.js";

/** The engine's CLI did not run, or an operation that must succeed failed: one line, as every expected failure. */
export class DockerError extends UserError {}

export interface DockerResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The engine's CLI to run instead of `docker` from PATH, as the devcontainer CLI's `--docker-path` (which gets it too). */
export const ENV_DOCKER_PATH = "CREATE_AGENT_DEVCONTAINER_DOCKER_PATH";

/** The binary every call runs: the setting, read at each call (a test or the dashboard's process may set it late), else `docker`. */
export function dockerPath(env: NodeJS.ProcessEnv = process.env): string {
  return env[ENV_DOCKER_PATH] || "docker";
}

const OUTPUT_LIMIT = 64 * 1024 * 1024;

function notRun(args: readonly string[], error: NodeJS.ErrnoException): DockerError {
  const binary = dockerPath();
  if (error.code !== "ENOENT") return new DockerError(`docker ${args[0]} failed: ${error.message}`, "install Docker and start its engine");
  return binary === "docker"
    ? new DockerError("docker is not installed (or not on PATH)", `install Docker and start its engine, or set ${ENV_DOCKER_PATH} to its CLI`)
    : new DockerError(`no such docker binary: ${binary} (${ENV_DOCKER_PATH})`, `set ${ENV_DOCKER_PATH} to the engine's CLI, or unset it to use docker from PATH`);
}

const lastLine = (text: string) => text.trim().split("\n").pop() ?? "";

export function docker(args: readonly string[], timeoutMs = 120_000): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(dockerPath(), args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => void (stdout.length < OUTPUT_LIMIT && (stdout += chunk.toString("utf8"))));
    child.stderr.on("data", (chunk: Buffer) => void (stderr.length < OUTPUT_LIMIT && (stderr += chunk.toString("utf8"))));
    child.on("error", (error: NodeJS.ErrnoException) => reject(notRun(args, error)));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Its stdout, trimmed; a failure is one line naming the command. */
export async function dockerOk(args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await docker(args, timeoutMs);
  if (result.status !== 0) throw new DockerError(`docker ${args.join(" ")} failed: ${lastLine(result.stderr)}`);
  return result.stdout.trim();
}

type EngineObject = "container" | "network" | "volume" | "image";

/** `docker <kind> inspect` of several at once, as parsed JSON; none given, none asked. */
export async function inspectAll<T>(kind: EngineObject, ids: readonly string[]): Promise<T[]> {
  return ids.length === 0 ? [] : inspected<T>(kind, ids, await docker([kind, "inspect", ...ids]));
}

/** The same, synchronously: for the launcher's steps. */
export function inspectAllSync<T>(kind: EngineObject, ids: readonly string[]): T[] {
  return ids.length === 0 ? [] : inspected<T>(kind, ids, dockerSync([kind, "inspect", ...ids]));
}

/** One removed since it was listed (by anyone: another rm, VS Code, a test beside us) is left out, not a failure. */
function inspected<T>(kind: EngineObject, ids: readonly string[], result: DockerResult): T[] {
  const vanished = result.stderr.split("\n").filter(Boolean).every((line) => /^Error.*(\bno such (object|container|network|volume|image)\b|\bnot found$)/i.test(line));
  if (result.status !== 0 && !vanished) throw new DockerError(`docker ${kind} inspect ${ids.join(" ")} failed: ${lastLine(result.stderr)}`);
  return JSON.parse(result.stdout.trim() || "[]") as T[];
}

/** Removes one thing; already gone is not an error. Resolves with whether it was there. */
export async function removeOne(kind: EngineObject, id: string): Promise<boolean> {
  const args = kind === "container" ? ["rm", "-f", "-v", id] : [kind, "rm", id];
  const result = await docker(args);
  if (result.status === 0) return true;
  if (/no such|not found/i.test(result.stderr)) return false;
  throw new DockerError(`cannot remove ${kind} ${id}: ${lastLine(result.stderr)}`);
}

export interface SyncOptions {
  timeoutMs?: number;
  /** Written to its stdin. */
  input?: string;
  /** Its whole environment, when it must differ from this process's (another engine's DOCKER_HOST). */
  env?: NodeJS.ProcessEnv;
}

/** The synchronous form, for a CLI's steps that wait for each other anyway (never on the dashboard's request path). */
export function dockerSync(args: readonly string[], options: SyncOptions = {}): DockerResult {
  const result = spawnSync(dockerPath(), args, { encoding: "utf8", timeout: options.timeoutMs ?? 120_000, maxBuffer: OUTPUT_LIMIT, ...(options.input !== undefined ? { input: options.input } : {}), ...(options.env ? { env: options.env } : {}) });
  if (result.error && result.status === null && (result.error as NodeJS.ErrnoException).code !== "ETIMEDOUT") throw notRun(args, result.error);
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Its stdout, trimmed; a failure is one line naming the command. */
export function dockerSyncOk(args: readonly string[], options?: SyncOptions): string {
  const result = dockerSync(args, options);
  if (result.status !== 0) throw new DockerError(`docker ${args.join(" ")} failed: ${lastLine(result.stderr)}`);
  return result.stdout.trim();
}

/** A running `docker …` whose output the caller streams (logs --follow, an agent's task). */
export function dockerProcess(args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn(dockerPath(), args, options);
}

/** The argv that runs `docker …`, for a runner that takes a whole command (a bounded stream into a file). */
export function dockerCommand(args: readonly string[]): string[] {
  return [dockerPath(), ...args];
}
