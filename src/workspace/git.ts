/** Runs git without a shell: every argument is one argv entry, so nothing a user typed is ever interpreted. */
import { spawnSync } from "node:child_process";

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly status: number | null,
  ) {
    super(`git ${args.join(" ")} failed: ${firstLine(stderr) || `exit ${String(status)}`}`);
  }
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line.startsWith("fatal:") || line.startsWith("error:")) ??
    text.trim().split("\n")[0] ??
    ""
  );
}

export interface GitOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Never prompt (a hook or a launch has no one to answer), never page, never colour. */
const QUIET_ENV = { GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", GIT_OPTIONAL_LOCKS: "0" };

export function gitResult(args: readonly string[], options: GitOptions = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("git", args, {
    cwd: options.cwd,
    env: { ...process.env, ...QUIET_ENV, ...options.env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw new GitError(args, result.error.message, null);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git and returns stdout without its final newline; throws GitError on a non-zero exit. */
export function git(args: readonly string[], options: GitOptions = {}): string {
  const result = gitResult(args, options);
  if (result.status !== 0) throw new GitError(args, result.stderr, result.status);
  return result.stdout.replace(/\n$/, "");
}

/** `git config --get`: the value, or undefined when unset. */
export function gitConfigGet(key: string, options: GitOptions & { gitDir?: string } = {}): string | undefined {
  const args = [...(options.gitDir ? [`--git-dir=${options.gitDir}`] : []), "config", "--get", key];
  const result = gitResult(args, options);
  if (result.status === 1) return undefined;
  if (result.status !== 0) throw new GitError(args, result.stderr, result.status);
  return result.stdout.replace(/\n$/, "");
}
