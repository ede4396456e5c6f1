/** Shared helpers for the benchmark modules: timing, medians, the local test bed. */
import { spawnSync } from "node:child_process";

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs a command to completion and returns its wall time in seconds; throws if it fails. */
export function timed(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { seconds: number; stdout: string; stderr: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { ...options, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr?.slice(-2000)}`);
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

export function imageSize(image: string): number {
  return Number(timed("docker", ["image", "inspect", "-f", "{{.Size}}", image]).stdout.trim());
}

export const MB = 1024 * 1024;
