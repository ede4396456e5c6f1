/** The real CLI as a user runs it, for end-to-end tests: its own process, stdin closed (not a terminal). */
import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { packagePath } from "../../src/paths.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Killed after this long (default 15 minutes). */
  timeoutMs?: number;
  /** Called with all of stderr so far whenever more arrives (to interrupt at a given line, say). */
  onStderr?: (text: string, child: ChildProcess) => void;
}

/** Node's arguments to run the CLI from source; tsx by path, so the CLI may run in any folder. */
export function cliArgs(args: readonly string[]): string[] {
  const tsx = pathToFileURL(packagePath("node_modules", "tsx", "dist", "loader.mjs")).href;
  return ["--import", tsx, packagePath("src", "cli", "main.ts"), ...args];
}

export function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15 * 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
