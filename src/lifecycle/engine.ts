/**
 * The lifecycle's Docker calls, asynchronous (the dashboard's HTTP server runs them: a slow `docker stop`
 * must not freeze every open page), as argv, never through a shell. `DOCKER_HOST` and the current context
 * reach the CLI through the environment as they are.
 */
import { spawn } from "node:child_process";
import { LaunchError } from "../launch/errors.js";

export interface DockerResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const OUTPUT_LIMIT = 64 * 1024 * 1024;

export function docker(args: readonly string[], timeoutMs = 120_000): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => void (stdout.length < OUTPUT_LIMIT && (stdout += chunk.toString("utf8"))));
    child.stderr.on("data", (chunk: Buffer) => void (stderr.length < OUTPUT_LIMIT && (stderr += chunk.toString("utf8"))));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(new LaunchError(error.code === "ENOENT" ? "docker is not installed (or not on PATH)" : `docker ${args[0]} failed: ${error.message}`, "install Docker and start its engine")),
    );
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Its stdout, trimmed; a failure is one line naming the command. */
export async function dockerOk(args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await docker(args, timeoutMs);
  if (result.status !== 0) throw new LaunchError(`docker ${args.join(" ")} failed: ${result.stderr.trim().split("\n").pop() ?? ""}`);
  return result.stdout.trim();
}

/** `docker <kind> inspect` of several at once, as parsed JSON; none given, none asked. */
export async function inspectAll<T>(kind: "container" | "network" | "volume" | "image", ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  const args = [kind, "inspect", ...ids];
  const result = await docker(args);
  // One removed since it was listed (by anyone: another rm, VS Code, a test beside us) is left out, not a failure.
  const vanished = result.stderr.split("\n").filter(Boolean).every((line) => /^Error: No such (object|container|network|volume|image)/i.test(line));
  if (result.status !== 0 && !vanished) throw new LaunchError(`docker ${args.join(" ")} failed: ${result.stderr.trim().split("\n").pop() ?? ""}`);
  return JSON.parse(result.stdout.trim() || "[]") as T[];
}

/** Removes one thing; already gone is not an error. Resolves with whether it was there. */
export async function removeOne(kind: "container" | "network" | "volume" | "image", id: string): Promise<boolean> {
  const args = kind === "container" ? ["rm", "-f", "-v", id] : [kind, "rm", id];
  const result = await docker(args);
  if (result.status === 0) return true;
  if (/no such|not found/i.test(result.stderr)) return false;
  throw new LaunchError(`cannot remove ${kind} ${id}: ${result.stderr.trim().split("\n").pop() ?? ""}`);
}
