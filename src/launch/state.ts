/**
 * Each launched container's files live in a per-user state folder, never in the user's repository:
 * `$XDG_STATE_HOME/create-agent-devcontainer/launch/<name>/` (default `~/.local/state/…`), private to the
 * user. It holds the rendered config, the inputs the container mounts read-only, the full `up` log, and a
 * record the companion commands read.
 */
import { existsSync, mkdirSync, readFileSync, chmodSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import type { AgentId } from "../catalogue/agents.js";
import { writeFileAtomic } from "../write/atomic.js";
import type { EngineContainer } from "../engine/containers.js";
import type { EngineIdentity } from "../engine/identity.js";
import { LaunchError } from "./errors.js";

export interface LaunchRecord {
  name: string;
  agent: AgentId;
  repo: string;
  /** The local path or git URL given to `launch`. */
  source: string;
  branch: string;
  /** `devcontainer --workspace-folder` and `--config`, as used by `up` (exec and start reuse them). */
  workspaceFolder: string;
  config: string;
  volume: string;
  /** The outbox's volume (records from before the outbox have none). */
  outboxVolume?: string;
  /** The host repository `sync` imports into (for a git URL, the bare clone in this folder). */
  localRepo: string;
  localDisposable: boolean;
  createdAt: string;
  /** The Docker engine it was launched on (records from before this have none). */
  engine?: EngineIdentity;
}

export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(env.HOME || homedir(), ".local", "state");
  return join(base, "create-agent-devcontainer", "launch");
}

export interface StatePaths {
  dir: string;
  /** Mounted read-only into the container: launch.json and carried changes. */
  input: string;
  log: string;
  record: string;
  /** For a git URL: the bare clone that becomes `local`. */
  bareRepo: string;
}

/** Where `copy` auth stages launched containers' logins: beside the launch state, so XDG_STATE_HOME moves both. */
export function loginStagingRoot(root: string): string {
  return join(root, "..", "auth");
}

/** Where a failed launch's log is kept after its state folder is removed (replaced by the next failure). */
export function failedLogPath(root: string, name: string): string {
  return join(root, "..", "failed", `${name}.log`);
}

export function statePaths(root: string, name: string): StatePaths {
  const dir = join(root, name);
  return { dir, input: join(dir, "input"), log: join(dir, "launch.log"), record: join(dir, "launch.json"), bareRepo: join(dir, "repo.git") };
}

/** The folder itself is private; the input folder inside is readable so the container's UID 1000 can read it. */
export function createStateDir(paths: StatePaths): void {
  mkdirSync(join(paths.dir, ".."), { recursive: true, mode: 0o700 });
  try {
    mkdirSync(paths.dir, { mode: 0o700 }); // the claim on the name: exactly one launch creates it
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    throw new LaunchError(`the name ${basename(paths.dir)} is already taken`, `another launch is using it`);
  }
  mkdirSync(paths.input, { mode: 0o755 });
  chmodSync(paths.input, 0o755);
}

export function writeRecord(paths: StatePaths, record: LaunchRecord): void {
  writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`, 0o600);
}

export function readRecord(paths: StatePaths): LaunchRecord | undefined {
  return existsSync(paths.record) ? (JSON.parse(readFileSync(paths.record, "utf8")) as LaunchRecord) : undefined;
}

/**
 * Launched on this engine, so the engine tells whether its container is gone. A record that names no
 * engine (written before they did) counts as this one's: the only engine it can have meant.
 */
export function onEngine(record: LaunchRecord, engine: EngineIdentity): boolean {
  return record.engine === undefined || record.engine.id === engine.id;
}

/** A launched container by name: its container, its state folder, or what is left of either. */
export interface Found {
  name: string;
  container?: EngineContainer;
  record?: LaunchRecord;
  paths: StatePaths;
}
