/** Shared helpers for the benchmark modules: timing, medians, the local test bed. */
import { spawn, spawnSync } from "node:child_process";

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

/**
 * Like timed, without blocking the event loop: for commands that download from a server this process
 * serves (the Node.js mirror), which a synchronous spawn would starve.
 */
export function timedAsync(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Number(process.hrtime.bigint() - start) / 1e9);
      else reject(new Error(`${command} ${args.join(" ")} failed: ${stderr}`));
    });
  });
}
