/**
 * Companion commands for launched containers, each `<command> [name] [--json]`: list, stop, start, rm
 * (asks before deleting unpushed work unless --force; refuses without a terminal), logs (with the tasks'
 * transcript; --follow while one runs). `list` shows each container's latest task.
 */
import { egressSummary } from "../egress/inspect.js";
import { existsSync, readFileSync } from "node:fs";
import { restart } from "../launch/devcontainer-cli.js";
import { containerLogs, stopContainer, startContainer } from "../launch/docker.js";
import { LaunchError } from "../launch/errors.js";
import { age, describeSync, findLaunch, listLaunches, removeLaunch, syncLaunch, targetOf, workspaceStatusOf, type Found } from "../launch/manage.js";
import { stateRoot, statePaths } from "../launch/state.js";
import { parseCommandLine } from "./args.js";
import { UserError } from "./errors.js";
import { clackConfirmer, type Confirmer } from "./launch-prompts.js";
import { POLL_MS } from "./task-command.js";
import { commitsAhead } from "../tasks/diff.js";
import { elapsed, readTaskStatus, taskFiles, type TaskStatus } from "../tasks/status.js";

interface Parsed {
  names: string[];
  json: boolean;
  force: boolean;
}

function parse(argv: string[], withForce = false): Parsed {
  const force = withForce ? { force: { type: "boolean", short: "f" } } as const : {};
  const { values, positionals } = parseCommandLine(argv, { json: { type: "boolean" }, ...force }, "see --help");
  return { names: positionals, json: values.json ?? false, force: Boolean((values as { force?: boolean }).force) };
}

/** Runs `body`, turning launch failures into the CLI's one-line errors. */
async function guarded<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw error instanceof LaunchError ? new UserError(error.message, error.hint) : error;
  }
}

function oneName(command: string, parsed: Parsed): string {
  if (parsed.names.length !== 1) throw new UserError(`${command} takes one container name`, "see: create-agent-devcontainer list");
  return parsed.names[0]!;
}

function print(json: boolean, value: unknown, human: string): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else process.stderr.write(human.endsWith("\n") ? human : `${human}\n`);
}

export async function runList(argv: string[]): Promise<void> {
  const parsed = parse(argv);
  const rows = await guarded(() => listLaunches());
  // Listing imports what running containers pushed (a running task's supervisor imports its own at the end),
  // so the branches it names are in the repository.
  for (const row of rows.filter((r) => r.state === "running" && !taskRunning(r.name))) await autoSync(row.name, "list");
  const tasks = rows.map((r) => taskOf(r.name));
  if (parsed.json) return print(true, rows.map((r, i) => ({ ...r, ...tasks[i] })), "");
  if (rows.length === 0) return void process.stderr.write("no launched containers (start one with: create-agent-devcontainer launch <repo> --agent <name>)\n");
  const now = new Date();
  const egress = rows.map((r) => egressCell(r.name));
  const taskCells = tasks.map(({ task, ahead }) => (task ? [`${task.id}: ${task.state}${task.reason ? ` (${task.reason})` : ""}`, elapsed(task, now)] : ["-", "-"]).concat(ahead === undefined ? "-" : `+${ahead}`));
  const table = [
    ["NAME", "AGENT", "REPO", "BRANCH", "STATE", "AGE", "EGRESS", "TASK", "ELAPSED", "AHEAD"],
    ...rows.map((r, i) => [r.name, r.agent, r.repo, r.branch, r.state, age(r.createdAt, now), egress[i]!, ...taskCells[i]!]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  process.stdout.write(`${table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n")}\n`);
}

function taskRunning(name: string): boolean {
  return readTaskStatus(statePaths(stateRoot(), name))?.state === "running";
}

/** A container's latest task and its branch's commits ahead of the base (on the host), where there are any. */
function taskOf(name: string): { task?: TaskStatus; ahead?: number } {
  try {
    const found = findLaunch(stateRoot(), name);
    const task = readTaskStatus(found.paths);
    const ahead = found.record ? commitsAhead(found) : undefined;
    return { ...(task ? { task } : {}), ...(ahead !== undefined ? { ahead } : {}) };
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
  return first ? `${summary.mode}, blocked: ${first}${rest.length ? ` +${rest.length}` : ""}` : summary.mode;
}

export async function runStop(argv: string[]): Promise<void> {
  const parsed = parse(argv);
  const name = oneName("stop", parsed);
  await guarded(async () => {
    const found = requireContainer(findLaunch(stateRoot(), name));
    if (found.container.running) {
      await autoSync(name, "stop");
      stopContainer(found.container.id);
    }
  });
  print(parsed.json, { name, state: "exited" }, `stopped ${name}`);
}

export async function runStart(argv: string[]): Promise<void> {
  const parsed = parse(argv);
  const name = oneName("start", parsed);
  await guarded(async () => {
    const found = requireContainer(findLaunch(stateRoot(), name));
    // Through devcontainer up when the config is still there: it also runs the postStart hooks.
    const target = targetOf(found);
    if (target) await restart(target, found.paths.log);
    else if (!found.container.running) startContainer(found.container.id);
  });
  print(parsed.json, { name, state: "running" }, `started ${name}`);
}

export async function runRm(argv: string[], confirmer: Confirmer = clackConfirmer): Promise<void> {
  const parsed = parse(argv, true);
  const name = oneName("rm", parsed);
  const removed = await guarded(async () => {
    const found = findLaunch(stateRoot(), name);
    if (!parsed.force) {
      // Unimported work would go with the outbox: import it, and refuse when that fails.
      const outcome = await syncLaunch(found);
      if (outcome?.status === "imported") process.stderr.write(`${describeSync(outcome, found.record?.localRepo ?? "")}\n`);
      await checkNothingLost(found, confirmer);
    }
    return removeLaunch(found);
  });
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
  const what = `${found.name} has ${status.uncommitted} uncommitted file(s) and ${status.unpushed} unpushed commit(s) on ${status.branch}`;
  if (!process.stdin.isTTY) throw new UserError(what, "push them first (git push in the workspace), or pass --force to delete them");
  if (!(await confirmer.confirm(`${what}. Delete them with the workspace?`))) throw new UserError("kept it; nothing was removed");
}

export async function runLogs(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv, { json: { type: "boolean" }, follow: { type: "boolean", short: "f" } }, "see --help");
  const name = oneName("logs", { names: positionals, json: false, force: false });
  const found = await guarded(() => findLaunch(stateRoot(), name));
  const transcriptFile = taskFiles(found.paths).transcript;
  const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");
  if (values.follow) return follow(found, transcriptFile);
  const logFile = found.paths.log;
  const launchLog = read(logFile);
  const containerLog = found.container ? containerLogs(found.container.id) : "";
  const transcript = read(transcriptFile);
  if (values.json) return print(true, { name, logFile, launchLog, containerLog, transcriptFile, transcript }, "");
  process.stdout.write(`${launchLog}${containerLog ? `\n--- container output ---\n${containerLog}` : ""}${transcript ? `\n--- tasks ---\n${transcript}` : ""}`);
}

/** The transcript as it grows, until the task ends (at once when none runs). */
async function follow(found: Found, file: string): Promise<void> {
  let offset = 0;
  for (;;) {
    const running = readTaskStatus(found.paths)?.state === "running";
    if (existsSync(file)) {
      const text = readFileSync(file);
      if (text.length > offset) process.stdout.write(text.subarray(offset));
      offset = text.length;
    }
    if (!running) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function requireContainer(found: Found): Found & { container: NonNullable<Found["container"]> } {
  if (!found.container) throw new LaunchError(`${found.name} has no container (a launch that did not finish?)`, `remove what is left with: create-agent-devcontainer rm ${found.name}`);
  return found as Found & { container: NonNullable<Found["container"]> };
}
