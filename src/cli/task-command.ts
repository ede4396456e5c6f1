/**
 * Background tasks: `task <name> "<prompt>"` (a follow-up in a launched container, on its branch), `wait
 * <name…>` (blocks until their tasks end; exit 1 if any did not end done), `diff <name>` (its imported
 * branch against the commit it started from; --stat, --json). `launch --task` starts the first task.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { LaunchError } from "../launch/errors.js";
import { findLaunch } from "../launch/manage.js";
import { stateRoot } from "../launch/state.js";
import { diffLaunch } from "../tasks/diff.js";
import { startTask } from "../tasks/start.js";
import { elapsed, readTaskStatus, type TaskStatus } from "../tasks/status.js";
import { parseCommandLine } from "./args.js";
import { UserError } from "./errors.js";

async function guarded<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw error instanceof LaunchError ? new UserError(error.message, error.hint) : error;
  }
}

/** `--task` or `--task-file`, read and checked before anything starts. */
export function taskPrompt(text: string | undefined, file: string | undefined, cwd: string): string | undefined {
  if (text !== undefined && file !== undefined) throw new UserError("give --task or --task-file, not both");
  let prompt = text;
  if (file !== undefined) {
    try {
      prompt = readFileSync(resolve(cwd, file), "utf8");
    } catch (error) {
      throw new UserError(`--task-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (prompt !== undefined && prompt.trim() === "") throw new UserError(`${file !== undefined ? "--task-file" : "--task"}: the prompt is empty`);
  return prompt;
}

/** Starts a task; one line for the user, an error (exit 1) if the agent cannot work (needs-login). */
export async function startAndReport(name: string, prompt: string, json: boolean): Promise<TaskStatus> {
  const status = await guarded(() => startTask(findLaunch(stateRoot(), name), prompt));
  if (status.state === "needs-login") throw new UserError(`${name}: ${status.reason ?? "not logged in"}`, "the container is unchanged; retry with: create-agent-devcontainer task <name> <prompt>");
  if (!json) process.stderr.write(`${name}: task ${status.id} running (follow: create-agent-devcontainer logs --follow ${name}; wait: create-agent-devcontainer wait ${name})\n`);
  return status;
}

export async function runTask(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { "task-file": { type: "string" }, json: { type: "boolean" } }, "see --help");
  const [name, text, ...rest] = positionals;
  if (name === undefined || rest.length > 0) throw new UserError('task takes a container name and one prompt', 'e.g. task claude-repo "add a test for parse()"');
  const prompt = taskPrompt(text, values["task-file"], process.cwd());
  if (prompt === undefined) throw new UserError("task needs a prompt (or --task-file <path>)");
  const status = await startAndReport(name, prompt, values.json ?? false);
  if (values.json) process.stdout.write(`${JSON.stringify({ name, ...status }, null, 2)}\n`);
}

/** How often `wait` and `logs --follow` look again. */
export const POLL_MS = 500;

export async function runWait(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: "boolean" } }, "see --help");
  if (positionals.length === 0) throw new UserError("wait takes one or more container names", "see: create-agent-devcontainer list");
  const finals = new Map<string, TaskStatus>();
  const paths = await guarded(() => positionals.map((name) => ({ name, paths: findLaunch(stateRoot(), name).paths })));
  for (const { name, paths: p } of paths) {
    if (!readTaskStatus(p)) throw new UserError(`${name} has no task`, `start one with: create-agent-devcontainer task ${name} "<prompt>"`);
  }
  while (finals.size < paths.length) {
    for (const { name, paths: p } of paths) {
      const status = readTaskStatus(p);
      if (!finals.has(name) && status && status.state !== "running") {
        finals.set(name, status);
        if (!values.json) process.stderr.write(`${name}: task ${status.id} ${status.state} after ${elapsed(status, new Date())}${status.reason ? `: ${status.reason}` : ""}\n`);
      }
    }
    if (finals.size < paths.length) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (values.json) process.stdout.write(`${JSON.stringify(positionals.map((name) => ({ name, ...finals.get(name)! })), null, 2)}\n`);
  const failed = [...finals.entries()].filter(([, status]) => status.state !== "done");
  if (failed.length > 0) throw new UserError(`${failed.map(([name, status]) => `${name} ${status.state}`).join(", ")}`, "see: create-agent-devcontainer logs <name>");
}

export async function runDiff(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { stat: { type: "boolean" }, json: { type: "boolean" } }, "see --help");
  if (positionals.length !== 1) throw new UserError("diff takes one container name", "see: create-agent-devcontainer list");
  const diff = await guarded(() => diffLaunch(findLaunch(stateRoot(), positionals[0]!), { stat: values.stat ?? false }));
  if (values.json) return void process.stdout.write(`${JSON.stringify(diff, null, 2)}\n`);
  if (values.stat) {
    const width = Math.max(0, ...diff.files.map((f) => f.path.length));
    const lines = diff.files.map((f) => ` ${f.status} ${f.path.padEnd(width)} | +${f.added} -${f.removed}`);
    return void process.stdout.write(`${[...lines, ` ${diff.files.length} file(s) changed since ${diff.base.slice(0, 12)}`].join("\n")}\n`);
  }
  process.stdout.write(diff.patch);
}
