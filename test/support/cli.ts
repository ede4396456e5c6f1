/** The real CLI as a user runs it, for end-to-end tests: its own process, stdin closed (not a terminal). */
import { spawn, type ChildProcess } from "node:child_process";
import { CLI_BUNDLE } from "../../scripts/build-cli.js";

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

/**
 * Node's arguments to run the CLI as it ships: the bundle the e2e files' global setup builds from the sources
 * (scripts/build-cli.ts). Through tsx every run would cost about 0.7 s of CPU more, on a suite bound by CPU.
 */
export function cliArgs(args: readonly string[]): string[] {
  return [CLI_BUNDLE, ...args];
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
