/**
 * Companion commands for agent containers, each `<command> [name] [--json]`: list, stop, start, rm (asks
 * before deleting unpushed work unless --force; refuses without a terminal), all through the one lifecycle
 * (src/lifecycle/) for launched and scaffolded containers alike; logs (with the tasks' transcript; --follow
 * while one runs). `list` shows each launched container's latest task.
 */
import { controlEscaper, escapeControls, escapeLine, safeJson } from "../terminal.js";
import { egressSummary } from "../egress/inspect.js";
import { existsSync, readFileSync } from "node:fs";
import { containerLogs } from "../launch/docker.js";
import { LaunchError } from "../launch/errors.js";
import { age, describeSync, findLaunch, syncLaunch } from "../launch/manage.js";
import type { Found } from "../launch/state.js";
import { removeManaged, resolveManaged, startManaged, stopManaged, type Removed } from "../lifecycle/lifecycle.js";
import { readInventory } from "../lifecycle/inventory.js";
import { listRows, type ListRow } from "../lifecycle/list.js";
import { describeElsewhere, elsewhere } from "../lifecycle/engines.js";
import { engineIdentity } from "../engine/identity.js";
import { statePaths, stateRoot } from "../launch/state.js";
import { commitsAhead, hostRunOf } from "../tasks/diff.js";
import { elapsed, readTaskStatus, taskFiles, type TaskStatus } from "../tasks/status.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp, type CommandSpec, type Flags } from "./args.js";
import { UserError } from "../errors.js";
import { hostRunNotice } from "../launch/host-run.js";
import { clackConfirmer, type Confirmer } from "./launch-prompts.js";
import { POLL_MS } from "./task-command.js";
import { noticeOrphans } from "../lifecycle/orphan-notice.js";
import { sharedCopyNotices } from "../auth/shared-copies.js";

const BASIC = { json: JSON_FLAG, help: HELP_FLAG } as const;

export const LIST = defineCommand({
  usage: "list [--json]",
  description: `Agent containers: the launched ones (agent, repo, branch, state, age, egress, and each one's
latest task: its state (running, done, failed, needs-login, with the reason), how long it ran, and the
commits its branch is ahead of the commit it started from), then those brought up from scaffolded
configs (devcontainer up, VS Code), each with its folder; then, for a container whose brokered
subscription login fails, why and the fix.`,
  flags: BASIC,
});
export const STOP = defineCommand({ usage: "stop <name> [--json]", description: "Stops an agent container (launched or scaffolded), after importing its pushed work.", flags: BASIC });
export const START = defineCommand({ usage: "start <name> [--json]", description: "Starts a stopped agent container (a launched one's postStart hooks run).", flags: BASIC });
export const RM = defineCommand({
  usage: "rm <name> [--force] [--keep-image] [--json]",
  description: `Imports an agent container's pushed work (launched, or scaffolded: by the name \`list\` shows), then
removes everything it owns: the container, its egress enforcer and network, its workspace and outbox
volumes, a launch's state folder, and its image once no other container uses it. Uncommitted or unpushed
work is never deleted silently: rm refuses and prints the commands that keep it.`,
  flags: {
    force: { type: "boolean", short: "f", help: "remove even with uncommitted or unpushed work in it" },
    "keep-image": { type: "boolean", help: "leave its image (the next launch of the same config builds from it)" },
    ...BASIC,
  },
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
  keepImage: boolean;
}

/** The arguments as the commands here use them; undefined when --help printed the command's help. */
function parse(spec: CommandSpec<typeof BASIC> | typeof RM | typeof LOGS, argv: string[]): Parsed | undefined {
  const parsed = parseOrHelp<Flags>(spec, argv);
  return parsed && { names: parsed.positionals, json: parsed.values.json === true, force: parsed.values.force === true, follow: parsed.values.follow === true, keepImage: parsed.values["keep-image"] === true };
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
  // One inventory read serves the rows and the notice of what removed containers left.
  const inventory = readInventory();
  const notice = noticeOrphans(inventory);
  const [all, engine] = await Promise.all([inventory.then((read) => listRows(read.containers)), engineIdentity()]);
  const rows = all.filter((r) => r.kind === "launched");
  const scaffolded = all.filter((r) => r.kind === "scaffolded");
  // Listing imports what running containers pushed (a running task's supervisor imports its own at the end),
  // so the branches it names are in the repository.
  for (const row of rows.filter((r) => r.state === "running" && !taskRunning(r.name))) await autoSync(row.name, "list");
  const tasks = rows.map((r) => taskOf(r.name));
  if (parsed.json) print(true, [...rows.map((r, i) => ({ ...r, ...tasks[i] })), ...scaffolded], "");
  else if (all.length === 0) process.stderr.write("no agent containers (start one with: create-agent-devcontainer launch <repo> --agent <name>)\n");
  else {
    if (rows.length > 0) await printLaunched(rows, tasks);
    for (const row of scaffolded) process.stdout.write(`${escapeLine(`${row.name}  ${row.agent}  ${row.state}  ${age(row.createdAt, new Date())}  scaffolded, from ${row.folder ?? "an unknown folder"}`)}\n`);
    for (const row of all) if (row.login) process.stdout.write(`${escapeLine(`${row.name}: ${row.login}`)}\n`);
  }
  const other = describeElsewhere(elsewhere(stateRoot(), engine));
  if (other) process.stderr.write(`${escapeLine(other)}\n`);
  for (const line of sharedCopyNotices((await inventory).containers)) process.stderr.write(`warning: ${escapeLine(line)}\n`);
  await notice();
}

async function printLaunched(rows: ListRow[], tasks: ReturnType<typeof taskOf>[]): Promise<void> {
  const now = new Date();
  const egress = await Promise.all(rows.map((r) => egressCell(r.name)));
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
async function egressCell(name: string): Promise<string> {
  const summary = await egressSummary(name);
  if (!summary) return "open";
  const [first, ...rest] = summary.blocked;
  return first ? `${summary.mode}, blocked: ${first.host}${rest.length ? ` +${rest.length}` : ""}` : summary.mode;
}

export async function runStop(argv: string[]): Promise<void> {
  const parsed = parse(STOP, argv);
  if (!parsed) return;
  const name = oneName("stop", parsed);
  const stopped = await stopManaged(await resolveManaged(stateRoot(), name), stateRoot());
  if (stopped.imported?.outcome.status === "imported") process.stderr.write(`${describeSync(stopped.imported.outcome, stopped.imported.hostRepo)}\n`);
  if (stopped.notImported) process.stderr.write(`stop: not imported: ${stopped.notImported}\n`);
  print(parsed.json, { name, state: "exited" }, `stopped ${name}`);
}

export async function runStart(argv: string[]): Promise<void> {
  const parsed = parse(START, argv);
  if (!parsed) return;
  const name = oneName("start", parsed);
  await startManaged(await resolveManaged(stateRoot(), name));
  print(parsed.json, { name, state: "running" }, `started ${name}`);
}

export async function runRm(argv: string[], confirmer: Confirmer = clackConfirmer): Promise<void> {
  const parsed = parse(RM, argv);
  if (!parsed) return;
  const name = oneName("rm", parsed);
  // Unimported work would go with the outbox: it is imported first, and a refusal to import stops here.
  const confirm = process.stdin.isTTY ? (question: string) => confirmer.confirm(question) : undefined;
  const removed = await removeManaged(await resolveManaged(stateRoot(), name), stateRoot(), { force: parsed.force, keepImage: parsed.keepImage, ...(confirm ? { confirm } : {}) });
  if (removed.imported?.outcome.status === "imported") process.stderr.write(`${describeSync(removed.imported.outcome, removed.imported.hostRepo)}\n`);
  print(parsed.json, removed, `removed ${name}: ${describeRemoved(removed)}`);
}

/** "container, enforcer cadc-egress-…, network …, volumes a and b, image vsc-…, /state/dir". */
export function describeRemoved(removed: Removed): string {
  const parts = [
    ...(removed.container ? ["container"] : []),
    ...(removed.enforcer ? [`enforcer ${removed.enforcer}`] : []),
    ...(removed.network ? [`network ${removed.network}`] : []),
    ...(removed.volumes.length ? [`volumes ${removed.volumes.join(" and ")}`] : []),
    ...(removed.images.length ? [`image ${removed.images.join(", ")}`] : []),
    ...(removed.stateDir ? [removed.stateDir] : []),
  ];
  return parts.length ? parts.join(", ") : "nothing was left";
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
