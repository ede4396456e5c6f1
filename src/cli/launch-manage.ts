/**
 * Companion commands for launched containers, each `<command> [name] [--json]`: list, stop, start, rm
 * (asks before deleting unpushed work unless --force; refuses without a terminal), logs (with the tasks'
 * transcript; --follow while one runs). `list` shows each container's latest task.
 */
import { controlEscaper, escapeControls, escapeLine, safeJson } from "../terminal.js";
import { egressSummary } from "../egress/inspect.js";
import { existsSync, readFileSync } from "node:fs";
import { restart } from "../launch/devcontainer-cli.js";
import { containerLogs, stopContainer, startContainer } from "../launch/docker.js";
import { LaunchError } from "../launch/errors.js";
import { keepWorkRefusal } from "../launch/keep-work.js";
import { age, describeSync, findLaunch, listLaunches, removeLaunch, syncLaunch, targetOf, workspaceStatusOf } from "../launch/manage.js";
import type { Found } from "../launch/state.js";
import { statePaths, stateRoot } from "../launch/state.js";
import { commitsAhead, hostRunOf } from "../tasks/diff.js";
import { elapsed, readTaskStatus, taskFiles, type TaskStatus } from "../tasks/status.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp, type CommandSpec, type Flags } from "./args.js";
import { UserError } from "../errors.js";
import { hostRunNotice } from "../launch/host-run.js";
import { clackConfirmer, type Confirmer } from "./launch-prompts.js";
import { POLL_MS } from "./task-command.js";

const BASIC = { json: JSON_FLAG, help: HELP_FLAG } as const;

export const LIST = defineCommand({
  usage: "list [--json]",
  description: `Launched containers: agent, repo, branch, state, age, egress, and each one's latest task: its
state (running, done, failed, needs-login, with the reason), how long it ran, and the commits its branch
is ahead of the commit it started from.`,
  flags: BASIC,
});
export const STOP = defineCommand({ usage: "stop <name> [--json]", description: "Stops a launched container, after importing its pushed work.", flags: BASIC });
export const START = defineCommand({ usage: "start <name> [--json]", description: "Starts a stopped launched container (its postStart hooks run).", flags: BASIC });
export const RM = defineCommand({
  usage: "rm <name> [--force] [--json]",
  description: "Imports a launched container's pushed work, then removes the container, its volumes and its state.",
  flags: { force: { type: "boolean", short: "f", help: "remove even with uncommitted or unpushed work in it" }, ...BASIC },
});
export const LOGS = defineCommand({
  usage: "logs <name> [--follow] [--json]",
  description: "The launch's full devcontainer log, the container's output and its tasks' transcript.",
  flags: { follow: { type: "boolean", short: "f", help: "print the tasks' transcript as it grows, until the running task ends" }, ...BASIC },
});

interface Parsed {
  names: string[];
  json: boolean;
  force: boolean;
  follow: boolean;
}

/** The arguments as the commands here use them; undefined when --help printed the command's help. */
function parse(spec: CommandSpec<typeof BASIC> | typeof RM | typeof LOGS, argv: string[]): Parsed | undefined {
  const parsed = parseOrHelp<Flags>(spec, argv);
  return parsed && { names: parsed.positionals, json: parsed.values.json === true, force: parsed.values.force === true, follow: parsed.values.follow === true };
}

function oneName(command: string, parsed: Parsed): string {
  if (parsed.names.length !== 1) throw new UserError(`${command} takes one container name`, "see: create-agent-devcontainer list");
  return parsed.names[0]!;
}

function print(json: boolean, value: unknown, human: string): void {
  if (json) process.stdout.write(`${safeJson(value, 2)}\n`);
  else process.stderr.write(human.endsWith("\n") ? human : `${human}\n`);
}

export async function runList(argv: string[]): Promise<void> {
  const parsed = parse(LIST, argv);
  if (!parsed) return;
  const rows = listLaunches();
  // Listing imports what running containers pushed (a running task's supervisor imports its own at the end),
  // so the branches it names are in the repository.
  for (const row of rows.filter((r) => r.state === "running" && !taskRunning(r.name))) await autoSync(row.name, "list");
  const tasks = rows.map((r) => taskOf(r.name));
  if (parsed.json) return print(true, rows.map((r, i) => ({ ...r, ...tasks[i] })), "");
  if (rows.length === 0) return void process.stderr.write("no launched containers (start one with: create-agent-devcontainer launch <repo> --agent <name>)\n");
  const now = new Date();
  const egress = rows.map((r) => egressCell(r.name));
  const taskCells = tasks.map(({ task, ahead }) =>
    (task ? [`${task.id}: ${task.state}${task.reason ? ` (${task.reason})` : ""}`, elapsed(task, now)] : ["-", "-"]).concat(ahead === undefined ? "-" : `+${ahead}`),
  );
  // HOST-RUN: how many files the branch changes that run on the host (host-run.ts); named below the table.
  const hostRunCells = tasks.map(({ hostRun }) => (hostRun === undefined ? "-" : hostRun.length > 0 ? `${hostRun.length}!` : "0"));
  const table = [
    ["NAME", "AGENT", "REPO", "BRANCH", "STATE", "AGE", "EGRESS", "TASK", "ELAPSED", "AHEAD", "HOST-RUN"],
    ...rows.map((r, i) => [r.name, r.agent, r.repo, r.branch, r.state, age(r.createdAt, now), egress[i]!, ...taskCells[i]!, hostRunCells[i]!].map(escapeLine)),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  process.stdout.write(`${table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n")}\n`);
  for (const [i, { hostRun }] of tasks.entries()) if (hostRun?.length) process.stdout.write(`${rows[i]!.name}: ${hostRunNotice(hostRun)}\n`);
}

function taskRunning(name: string): boolean {
  return readTaskStatus(statePaths(stateRoot(), name))?.state === "running";
}

/**
 * A container's latest task, its branch's commits ahead of the base and the files it changes that run on
 * the host (both read in the host repository), where there are any.
 */
function taskOf(name: string): { task?: TaskStatus; ahead?: number; hostRun?: string[] } {
  try {
    const found = findLaunch(stateRoot(), name);
    const task = readTaskStatus(found.paths);
    const ahead = found.record ? commitsAhead(found) : undefined;
    const hostRun = found.record ? hostRunOf(found) : undefined;
    return { ...(task ? { task } : {}), ...(ahead !== undefined ? { ahead } : {}), ...(hostRun !== undefined ? { hostRun } : {}) };
  } catch (error) {
    if (error instanceof LaunchError) return {};
    throw error;
  }
}

/** The container's egress mode and the hosts it was refused, e.g. "allowlist, blocked: pypi.org +2". */
function egressCell(name: string): string {
  const summary = egressSummary(name);
  if (!summary) return "open";
  const [first, ...rest] = summary.blocked;
  return first ? `${summary.mode}, blocked: ${first.host}${rest.length ? ` +${rest.length}` : ""}` : summary.mode;
}

export async function runStop(argv: string[]): Promise<void> {
  const parsed = parse(STOP, argv);
  if (!parsed) return;
  const name = oneName("stop", parsed);
  const found = requireContainer(findLaunch(stateRoot(), name));
  if (found.container.running) {
    await autoSync(name, "stop");
    stopContainer(found.container.id);
  }
  print(parsed.json, { name, state: "exited" }, `stopped ${name}`);
}

export async function runStart(argv: string[]): Promise<void> {
  const parsed = parse(START, argv);
  if (!parsed) return;
  const name = oneName("start", parsed);
  const found = requireContainer(findLaunch(stateRoot(), name));
  // Through devcontainer up when the config is still there: it also runs the postStart hooks.
  const target = targetOf(found);
  if (target) await restart(target, found.paths.log);
  else if (!found.container.running) startContainer(found.container.id);
  print(parsed.json, { name, state: "running" }, `started ${name}`);
}

export async function runRm(argv: string[], confirmer: Confirmer = clackConfirmer): Promise<void> {
  const parsed = parse(RM, argv);
  if (!parsed) return;
  const name = oneName("rm", parsed);
  const found = findLaunch(stateRoot(), name);
  if (!parsed.force) {
    // Unimported work would go with the outbox: import it, and refuse when that fails.
    const outcome = await syncLaunch(found);
    if (outcome?.status === "imported") process.stderr.write(`${describeSync(outcome, found.record?.localRepo ?? "")}\n`);
    await checkNothingLost(found, confirmer);
  }
  const removed = removeLaunch(found);
  print(parsed.json, removed, `removed ${name}: ${removed.container ? "container, " : ""}volumes ${removed.volume} and ${removed.outboxVolume}${removed.stateDir ? `, ${removed.stateDir}` : ""}`);
}

/** Imports a container's pushed work on the way; a refusal is reported and changes nothing. */
async function autoSync(name: string, during: string): Promise<void> {
  try {
    const found = findLaunch(stateRoot(), name);
    const outcome = await syncLaunch(found);
    if (outcome?.status === "imported") process.stderr.write(`${describeSync(outcome, found.record?.localRepo ?? "")}\n`);
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    process.stderr.write(`${during}: not imported: ${error.message}${error.hint ? ` (${error.hint})` : ""}\n`);
  }
}

async function checkNothingLost(found: Found, confirmer: Confirmer): Promise<void> {
  const status = workspaceStatusOf(found);
  if (status.uncommitted === 0 && status.unpushed === 0) return;
  const refusal = keepWorkRefusal(found.name, status, found.record !== undefined && found.record.localRepo === found.paths.bareRepo);
  if (!process.stdin.isTTY) throw new UserError(refusal.message, refusal.hint);
  if (!(await confirmer.confirm(`${refusal.message}. Delete them with the workspace?`))) throw new UserError("kept it; nothing was removed", refusal.hint);
}

export async function runLogs(argv: string[]): Promise<void> {
  const parsed = parse(LOGS, argv);
  if (!parsed) return;
  const name = oneName("logs", parsed);
  const found = findLaunch(stateRoot(), name);
  const transcriptFile = taskFiles(found.paths).transcript;
  if (parsed.follow) return follow(found, transcriptFile);
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  const logFile = found.paths.log;
  const launchLog = read(logFile);
  const containerLog = found.container ? containerLogs(found.container.id) : "";
  const transcript = read(transcriptFile);
  if (parsed.json) return print(true, { name, logFile, launchLog, containerLog, transcriptFile, transcript }, "");
  // All three hold what the container printed (its hooks' output in the launch log, the agent's in the transcript).
  process.stdout.write(escapeControls(`${launchLog}${containerLog ? `\n--- container output ---\n${containerLog}` : ""}${transcript ? `\n--- tasks ---\n${transcript}` : ""}`));
}

/** The transcript as it grows, until the task ends (at once when none runs). */
async function follow(found: Found, file: string): Promise<void> {
  let offset = 0;
  const escaper = controlEscaper();
  for (;;) {
    const running = readTaskStatus(found.paths)?.state === "running";
    if (existsSync(file)) {
      const text = readFileSync(file);
      if (text.length > offset) process.stdout.write(escaper.write(text.subarray(offset)));
      offset = text.length;
    }
    if (!running) return void process.stdout.write(escaper.end());
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function requireContainer(found: Found): Found & { container: NonNullable<Found["container"]> } {
  if (!found.container) throw new LaunchError(`${found.name} has no container (a launch that did not finish?)`, `remove what is left with: create-agent-devcontainer rm ${found.name}`);
  return found as Found & { container: NonNullable<Found["container"]> };
}
