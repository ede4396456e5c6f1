/**
 * The repository a launch works on, resolved on the host: a local checkout (any folder in it, a worktree,
 * a checkout whose .git is a file, or a bare repository), or a git URL cloned bare into the launch's state
 * folder. What the container mounts as `local` is always a git dir; the working tree never leaves the host.
 */
import { existsSync, rmSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { git, GitError, gitConfigGet, gitResult } from "../workspace/git.js";
import type { GitIdentity } from "../workspace/launch-input.js";
import { LaunchError } from "./errors.js";

export interface HostRepo {
  /** Short name for container names and labels. */
  name: string;
  /** The git dir the container mounts as `local` (a worktree's common dir). */
  gitDir: string;
  /** The checkout's top folder (absent for bare repositories and URLs): carried changes come from here. */
  worktree?: string;
  /** The commit new branches start from: this checkout's HEAD. */
  base: string;
  identity: GitIdentity;
  /** True when `gitDir` is our own bare clone of a URL, deleted with the launch. */
  disposable: boolean;
}

export type Source = { kind: "path"; path: string } | { kind: "url"; url: string };

/** A git URL: scheme://… or scp-like user@host:path. Anything else must be an existing folder. */
const URL_PATTERN = /^(?:[a-z][a-z0-9+.-]*:\/\/[^\s]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+)$/;

export function classifySource(source: string, cwd: string): Source {
  const path = resolve(cwd, source);
  if (existsSync(path)) return { kind: "path", path };
  if (URL_PATTERN.test(source) && !source.startsWith("-")) return { kind: "url", url: source };
  throw new LaunchError(`no such folder, and not a git URL: ${source}`, "pass a local repository or an https://, ssh:// or user@host:path URL");
}

export function resolveLocalRepo(path: string): HostRepo {
  if (!statSync(path).isDirectory()) throw new LaunchError(`not a folder: ${path}`, "pass the folder of a git repository");
  const probe = gitResult(["rev-parse", "--is-bare-repository"], { cwd: path });
  if (probe.status !== 0) throw new LaunchError(`not a git repository: ${path}`, "pass a folder inside a git checkout, or a git URL");
  const bare = probe.stdout.trim() === "true";
  const worktree = bare ? undefined : git(["rev-parse", "--show-toplevel"], { cwd: path });
  const cwd = worktree ?? path;
  const gitDir = absolute(cwd, git(["rev-parse", bare ? "--git-dir" : "--git-common-dir"], { cwd }));
  if (gitConfigGet("extensions.refStorage", { cwd }) === "reftable") {
    throw new LaunchError(`${cwd} uses the reftable ref format, which launch does not support yet`, "use a repository with the default (files) ref format");
  }
  return {
    name: repoName(worktree ?? gitDir),
    gitDir,
    ...(worktree ? { worktree } : {}),
    base: headCommit(cwd),
    identity: identityOf(cwd),
    disposable: false,
  };
}

/** Clones `url` bare into `dest` (a new folder in the launch state); removes it again if that fails. */
export function cloneUrl(url: string, dest: string): HostRepo {
  try {
    git(["clone", "--bare", "--quiet", "--", url, dest]);
  } catch (error) {
    rmSync(dest, { recursive: true, force: true });
    const reason = error instanceof GitError ? error.message.replace(/^git .*? failed: (fatal: )?/, "") : String(error);
    throw new LaunchError(`cannot clone ${url}: ${reason}`, "check the URL and that this host can reach and read it");
  }
  return { name: repoName(url), gitDir: dest, base: headCommit(dest), identity: identityOf(dest), disposable: true };
}

/** A second container on the same URL clones the first one's copy (local, no network), never sharing it. */
export function cloneLocalCopy(first: HostRepo, dest: string): HostRepo {
  git(["clone", "--bare", "--quiet", "--no-hardlinks", "--", first.gitDir, dest]);
  const upstream = gitConfigGet("remote.origin.url", { gitDir: first.gitDir });
  if (upstream !== undefined) git([`--git-dir=${dest}`, "remote", "set-url", "origin", upstream]);
  return { ...first, gitDir: dest };
}

function headCommit(cwd: string): string {
  const result = gitResult(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd });
  if (result.status !== 0) throw new LaunchError(`${cwd} has no commits yet`, "commit something first: the agent's branch starts from HEAD");
  return result.stdout.trim();
}

function identityOf(cwd: string): GitIdentity {
  const name = gitConfigGet("user.name", { cwd });
  const email = gitConfigGet("user.email", { cwd });
  return { ...(name ? { name } : {}), ...(email ? { email } : {}) };
}

export function repoName(pathOrUrl: string): string {
  const last = pathOrUrl.replace(/[/\\]+$/, "").split(/[/\\:]/).pop() ?? "";
  const name = last.replace(/\.git$/, "");
  return name === "" || name === "." ? "repo" : name;
}

function absolute(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}
