/**
 * What `launch` hands the workspace hook (launch.json in the read-only launch mount). Written on the host,
 * validated again in the container: nothing in it reaches a shell, and git only gets checked names.
 */
import { branchNameProblem } from "./ref-names.js";

export interface GitIdentity {
  name?: string;
  email?: string;
}

export interface LaunchInput {
  version: 1;
  /** The full branch to create and check out, `<agent>/<feature>`. */
  branch: string;
  /** The commit the branch starts from: the host checkout's HEAD (a worktree's own HEAD, not the main one). */
  base: string;
  /** The host's `user.name` / `user.email` for this repo, when set. */
  identity?: GitIdentity;
  /** Whether the launch folder holds carried changes to apply on top of `base`. */
  carry: boolean;
  /** True when `local` is a throwaway clone in the launch state (a git URL launch), so only `origin` keeps work. */
  localDisposable: boolean;
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

export function renderLaunchInput(input: LaunchInput): string {
  return `${JSON.stringify(input, null, 2)}\n`;
}

/** Parses launch.json; throws with the field at fault. */
export function parseLaunchInput(text: string): LaunchInput {
  const value = JSON.parse(text) as Partial<Record<keyof LaunchInput, unknown>>;
  if (value.version !== 1) throw new Error(`unsupported launch input version ${String(value.version)}`);
  if (typeof value.branch !== "string" || branchNameProblem(value.branch)) throw new Error(`invalid branch ${JSON.stringify(value.branch)}`);
  if (typeof value.base !== "string" || !COMMIT.test(value.base)) throw new Error(`invalid base commit ${JSON.stringify(value.base)}`);
  if (typeof value.carry !== "boolean" || typeof value.localDisposable !== "boolean") throw new Error("carry and localDisposable must be booleans");
  const input: LaunchInput = { version: 1, branch: value.branch, base: value.base, carry: value.carry, localDisposable: value.localDisposable };
  const identity = value.identity as GitIdentity | undefined;
  if (identity !== undefined) {
    if (typeof identity !== "object" || identity === null) throw new Error("identity must be an object");
    input.identity = {
      ...(typeof identity.name === "string" && identity.name !== "" ? { name: identity.name } : {}),
      ...(typeof identity.email === "string" && identity.email !== "" ? { email: identity.email } : {}),
    };
  }
  return input;
}
