/**
 * Background tasks: `task <name> "<prompt>"` (a follow-up in a launched container, on its branch), `wait
 * <name…>` (blocks until their tasks end; exit 1 if any did not end done), `diff <name>` (its imported
 * branch against the commit it started from; --stat, --json). `launch --task` starts the first task.
 */
import { escapeControls, escapeLine, quotePath, safeJson } from "../terminal.js";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UserError } from "../errors.js";
import { findLaunch } from "../launch/manage.js";
import { stateRoot } from "../launch/state.js";
import { diffLaunch, hostRunOf } from "../tasks/diff.js";
import { hostRunNotice } from "../launch/host-run.js";
import { startTask } from "../tasks/start.js";
import { elapsed, readTaskStatus, type TaskStatus } from "../tasks/status.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp, type StringFlag } from "./args.js";

export const TASK_FILE_FLAG = { type: "string", arg: "path", help: "the task's prompt, read from a file" } as const satisfies StringFlag;

export const TASK = defineCommand({
  usage: 'task <name> "<prompt>" [--task-file <path>] [--json]',
  description: `Runs the agent headless on a further task in a launched container, on its branch (a
follow-up): what it leaves is committed, pushed to its outbox and imported into the host repository.
Returns once the task runs; see list, logs --follow, wait and diff.`,
  flags: { "task-file": TASK_FILE_FLAG, json: JSON_FLAG, help: HELP_FLAG },
});

export const WAIT = defineCommand({
  usage: "wait <name…> [--json]",
  description: "Blocks until the containers' tasks end; exits 1 if any did not end done.",
  flags: { json: JSON_FLAG, help: HELP_FLAG },
});

export const DIFF = defineCommand({
  usage: "diff <name> [--stat] [--json]",
  description: "The container's branch, as imported into the host repository, against the commit it started from.",
  flags: { stat: { type: "boolean", help: "only the files and their added and removed lines" }, json: JSON_FLAG, help: HELP_FLAG },
});

/** `--task` or `--task-file`, read and checked before anything starts. */
export function taskPrompt(text: string | undefined, file: string | undefined, cwd: string): string | undefined {
  if (text !== undefined && file !== undefined) throw new UserError("give the prompt as text or with --task-file, not both");
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

/** Starts a task; one line for the user, an error (exit 1) if it could not start (needs-login, a blocked model host). */
export async function startAndReport(name: string, prompt: string, json: boolean): Promise<TaskStatus> {
  const status = await startTask(findLaunch(stateRoot(), name), prompt);
  if (status.state !== "running") {
    throw new UserError(`${name}: ${escapeLine(status.reason ?? status.state)}`, "the container is unchanged; retry with: create-agent-devcontainer task <name> <prompt>");
  }
  if (!json) process.stderr.write(`${name}: task ${status.id} running (follow: create-agent-devcontainer logs --follow ${name}; wait: create-agent-devcontainer wait ${name})\n`);
  return status;
}

export async function runTask(argv: string[]): Promise<void> {
  const args = parseOrHelp(TASK, argv);
  if (!args) return;
  const { values, positionals } = args;
  const [name, text, ...rest] = positionals;
  if (name === undefined || rest.length > 0) throw new UserError("task takes a container name and one prompt", 'e.g. task claude-repo "add a test for parse()"');
  const prompt = taskPrompt(text, values["task-file"], process.cwd());
  if (prompt === undefined) throw new UserError("task needs a prompt (or --task-file <path>)");
  const status = await startAndReport(name, prompt, values.json);
  if (values.json) process.stdout.write(`${safeJson({ name, ...status }, 2)}\n`);
}

/** How often `wait` and `logs --follow` look again. */
export const POLL_MS = 500;

export async function runWait(argv: string[]): Promise<void> {
  const args = parseOrHelp(WAIT, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length === 0) throw new UserError("wait takes one or more container names", "see: create-agent-devcontainer list");
  const finals = new Map<string, TaskStatus & { hostRun?: string[] }>();
  const watched = positionals.map((name) => findLaunch(stateRoot(), name));
  for (const found of watched) {
    if (!readTaskStatus(found.paths)) throw new UserError(`${found.name} has no task`, `start one with: create-agent-devcontainer task ${found.name} "<prompt>"`);
  }
  while (finals.size < watched.length) {
    for (const found of watched) {
      const status = readTaskStatus(found.paths);
      if (!finals.has(found.name) && status && status.state !== "running") {
        // The task imported its branch as it ended: the host repository says what in it runs on the host.
        const hostRun = found.record ? hostRunOf(found) : undefined;
        finals.set(found.name, { ...status, ...(hostRun ? { hostRun } : {}) });
        if (!values.json) process.stderr.write(`${found.name}: task ${status.id} ${status.state} after ${elapsed(status, new Date())}${status.reason ? `: ${escapeLine(status.reason)}` : ""}\n`);
        if (!values.json && hostRun?.length) process.stderr.write(`  ${hostRunNotice(hostRun)}\n`);
      }
    }
    if (finals.size < watched.length) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  if (values.json) process.stdout.write(`${safeJson(positionals.map((name) => ({ name, ...finals.get(name)! })), 2)}\n`);
  const failed = [...finals.entries()].filter(([, status]) => status.state !== "done");
  if (failed.length > 0) throw new UserError(failed.map(([name, status]) => `${name} ${status.state}`).join(", "), "see: create-agent-devcontainer logs <name>");
}

export async function runDiff(argv: string[]): Promise<void> {
  const args = parseOrHelp(DIFF, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UserError("diff takes one container name", "see: create-agent-devcontainer list");
  const diff = diffLaunch(findLaunch(stateRoot(), positionals[0]!), { stat: values.stat });
  if (values.json) return void process.stdout.write(`${safeJson(diff, 2)}\n`);
  // On stderr, so the patch on stdout still applies (git apply), and said before it: a pager shows it first.
  if (diff.hostRun.length > 0) process.stderr.write(`${hostRunNotice(diff.hostRun)}\n`);
  if (values.stat) {
    const hostRun = new Set(diff.hostRun);
    const names = diff.files.map((f) => quotePath(f.path));
    const width = Math.max(0, ...names.map((name) => name.length));
    const lines = diff.files.map((f, i) => ` ${escapeLine(f.status)} ${names[i]!.padEnd(width)} | +${f.added} -${f.removed}${hostRun.has(f.path) ? "  (runs on the host)" : ""}`);
    return void process.stdout.write(`${[...lines, ` ${diff.files.length} file(s) changed since ${diff.base.slice(0, 12)}`].join("\n")}\n`);
  }
  process.stdout.write(escapeControls(diff.patch));
}
