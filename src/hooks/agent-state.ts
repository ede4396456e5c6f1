/** The agent's state inside the container: its private config folder and what it reports about itself. */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, chmodSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { configRootIn } from "../agents/derived.js";
import type { AgentRecord } from "../agents/record.js";
import { HookStepError } from "../hook-steps.js";
import { findOnPath } from "../core/on-path.js";

/** Makes sure the agent's config folder exists, belongs to us, is private (0700) and writable. */
export function prepareConfigDir(record: AgentRecord): string {
  const root = configRootIn(record, process.env);
  const dir = record.configSubdir ? join(root, record.configSubdir) : root;
  for (const path of [root, dir]) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    const stat = statSync(path);
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) {
      throw new HookStepError(`${path} belongs to UID ${stat.uid}, not to this user (UID ${uid}); rebuild the container`);
    }
    if ((stat.mode & 0o777) !== 0o700) chmodSync(path, 0o700);
    accessSync(path, constants.W_OK);
  }
  return dir;
}

export interface AgentReport {
  agent: string;
  version: string;
  configDir: string;
  login: string;
}

/**
 * The installed version, from the package.json of the npm package behind the binary that runs first on PATH.
 * Read rather than asked: `gemini --version` costs about 3 s of CPU, at every create and start of every
 * container. Undefined when the binary is not on PATH or not from that package.
 */
function installedVersion(record: AgentRecord): string | undefined {
  const binary = findOnPath(record.binary, process.env.PATH);
  if (binary === undefined) return undefined;
  for (let folder = dirname(realpathSync(binary)); folder !== dirname(folder); folder = dirname(folder)) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (name === record.npmPackage && typeof version === "string") return `${name} ${version}`;
    } catch {
      // no package.json here, or not JSON: the package's own is further up
    }
  }
  return undefined;
}

/** The binary's own answer: for a CLI not installed from its npm package; fails the step when it does not run. */
function reportedVersion(record: AgentRecord): string {
  const result = spawnSync(record.binary, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (result.error || result.status !== 0) {
    throw new HookStepError(`${record.binary} --version failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
  return result.stdout.trim().split("\n")[0] ?? "";
}

/** What the agent says about itself: its installed version, login from token variables or files. */
export function reportAgent(record: AgentRecord, dir: string): AgentReport {
  const token = record.tokenEnv.find((name) => Boolean(process.env[name]));
  const file = record.credentialFiles.find((name) => existsSync(join(dir, name)));
  const login = token
    ? `token from $${token}`
    : file
      ? `stored login in ${join(dir, file)}`
      : `not logged in (set ${record.tokenEnv[0]} or log in inside the container)`;
  return { agent: record.id, version: installedVersion(record) ?? reportedVersion(record), configDir: dir, login };
}
