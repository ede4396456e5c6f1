/**
 * The in-container half of auth, run by the agent's hook as the agent user at create time and at every
 * start: copy staged host logins into the agent's private config, store a token the agent only reads from
 * its own file, seed the flags that keep its UI from asking to log in again. Every step is safe to re-run
 * and never replaces a login the agent already has (it may have refreshed it: Claude's and Codex's refresh
 * tokens are single-use); a login that appears on the host later reaches a container that has none.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { GITHUB_CLI } from "../agents/github-cli.js";
import type { AgentRecord } from "../agents/record.js";
import { resolveLoginPath, stagedDir } from "../auth/locations.js";
import { HookStepError } from "../hook-steps.js";
import { writeFilesAtomic } from "../write/atomic.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface CopyReport {
  copied: string[];
  /** Files that could not be copied: the agent starts without them, as with a missing host login. */
  skipped: string[];
}

/** Copies each staged file (the agent's and gh's) to where the tool reads it. */
export function copyStagedLogins(record: AgentRecord, staging = stagedDir(record.id), env: Env = process.env, home = homedir()): CopyReport {
  const report: CopyReport = { copied: [], skipped: [] };
  if (!existsSync(staging)) return report;
  for (const file of [record, GITHUB_CLI].flatMap((source) => source.hostLogin)) {
    const staged = join(staging, file.staged);
    if (!existsSync(staged)) continue;
    const target = resolveLoginPath(file, env, home);
    try {
      if (file.keys) {
        const added = mergeJsonKeys(target, parseJson(staged, readFileSync(staged, "utf8")));
        if (added.length > 0) report.copied.push(`${added.join(", ")} → ${target}`);
      } else if (writeIfAbsent(target, readFileSync(staged))) {
        report.copied.push(target);
      }
    } catch (error) {
      report.skipped.push(`${file.staged}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return report;
}

/**
 * Stores the token with the agent's own login command when it reads none from the environment; `dir` is
 * the agent's config folder. Again at every start, so a changed token replaces the stored one.
 */
export function storeTokenLogin(record: AgentRecord, dir: string, env: Env = process.env): string | undefined {
  const login = record.tokenLogin;
  const value = login ? env[login.env] : undefined;
  if (!login || !value) return undefined;
  const file = join(dir, login.file);
  if (existsSync(file) && (parseJson(file, readFileSync(file, "utf8")) as Record<string, unknown>)[login.field] === value) return undefined;
  const result = spawnSync(record.binary, login.args, { input: value, env, encoding: "utf8", timeout: 60_000 });
  if (result.error || result.status !== 0) {
    throw new HookStepError(`${record.binary} ${login.args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
  return `$${login.env} stored with \`${record.binary} ${login.args.join(" ")}\` in ${file}`;
}

/** Once a login is present (a token or a credential file), seeds the flags that skip the UI's onboarding. */
export function seedLogin(record: AgentRecord, dir: string, env: Env = process.env): string | undefined {
  const seed = record.loginSeed;
  if (!seed) return undefined;
  const loggedIn = record.tokenEnv.some((name) => env[name]) || record.credentialFiles.some((name) => existsSync(join(dir, name)));
  if (!loggedIn) return undefined;
  const added = mergeJsonKeys(join(dir, seed.file), seed.json);
  return added.length > 0 ? `${added.join(", ")} → ${join(dir, seed.file)}` : undefined;
}

/** With a gateway set in the agent's base-URL variable (any auth mode), seeds what the CLI needs to use it. */
export function seedGateway(record: AgentRecord, dir: string, env: Env = process.env): string | undefined {
  if (!("baseUrlEnv" in record.gateway)) return undefined;
  const { baseUrlEnv, seed } = record.gateway;
  const url = env[baseUrlEnv];
  if (!seed || !url) return undefined;
  const added = "json" in seed ? mergeJsonKeys(join(dir, seed.file), seed.json) : prependTomlKey(join(dir, seed.file), seed.tomlKey, url);
  return added.length > 0 ? `${added.join(", ")} → ${join(dir, seed.file)} (for $${baseUrlEnv})` : undefined;
}

/** Sets a top-level TOML key (before any table) unless the file has it; the value is a JSON string, valid TOML. */
function prependTomlKey(path: string, key: string, value: string): string[] {
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (new RegExp(`^\\s*${key}\\s*=`, "m").test(current)) return [];
  writeFilesAtomic([{ path, content: `${key} = ${JSON.stringify(value)}\n${current}`, mode: 0o600 }], { dirMode: 0o700 });
  return [key];
}

/** Adds the top-level keys the file lacks (keeping every value it has); writes only when it adds one. */
function mergeJsonKeys(path: string, values: unknown): string[] {
  if (!isObject(values)) throw new HookStepError(`staged data for ${path} is not a JSON object`);
  const current = existsSync(path) ? parseJson(path, readFileSync(path, "utf8")) : {};
  if (!isObject(current)) throw new HookStepError(`${path} is not a JSON object; left as it is`);
  const added = Object.keys(values).filter((key) => !(key in current));
  if (added.length === 0) return [];
  const merged = { ...current, ...Object.fromEntries(added.map((key) => [key, values[key]])) };
  writeFilesAtomic([{ path, content: `${JSON.stringify(merged, null, 2)}\n`, mode: 0o600 }], { dirMode: 0o700 });
  return added;
}

/** Creates `path` (0600) unless it exists: linking the finished temp file fails rather than replace one. */
function writeIfAbsent(path: string, content: Buffer): boolean {
  if (existsSync(path)) return false;
  return writeFilesAtomic([{ path, content, mode: 0o600 }], { dirMode: 0o700, keepExisting: true }).length > 0;
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HookStepError(`${path} is not valid JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
