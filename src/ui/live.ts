/**
 * The dashboard over the real thing, through the same library functions as the CLI: `list`'s containers,
 * each one's task state and transcript and branch diff (issue 13's functions), its egress log, and the
 * actions `sync`, `stop`, `start`, `rm` (the lifecycle's, with its guard against deleting unimported work;
 * asynchronous, so a slow `docker stop` holds up no other request) and `code`.
 * Reads that cost a process per container (egress logs, git) are cached briefly and refreshed behind the
 * answer. The containers themselves (two docker calls, slow while the engine is busy stopping one) are read
 * the same way once a first read has answered, so the list never waits on Docker; an action reads them again
 * before it answers, so the page sees its effect on its next update.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { attachedContainerUri } from "../launch/attach.js";
import { allowEntries, blockedNow } from "../launch/egress-allow.js";
import { connections, EgressError, egressSummary, resolveTarget } from "../egress/inspect.js";
import { UserError } from "../errors.js";
import { LaunchError } from "../launch/errors.js";
import { describeSync } from "../launch/manage.js";
import { containerOf, importPushed, removeManaged, resolveManaged, startManaged, stopManaged, WorkAtRisk, type Managed } from "../lifecycle/lifecycle.js";
import { listContainers, type ListRow } from "../lifecycle/list.js";
import { readRecord, statePaths, type Found } from "../launch/state.js";
import { findOnPath } from "../core/on-path.js";
import { WORKSPACE_DIR } from "../workspace/layout.js";
import { commitsAhead, diffLaunch, hostRunOf } from "../tasks/diff.js";
import { hostRunNotice } from "../launch/host-run.js";
import { quotePath } from "../terminal.js";
import { startTask } from "../tasks/start.js";
import { readTaskStatus, taskFiles, type TaskStatus } from "../tasks/status.js";
import { launchArgs } from "./requests.js";
import { DashboardError, type Action, type ActionResult, type AllowRequest, type ContainerRow, type Dashboard, type EgressView, type LaunchJob, type Transcript } from "./model.js";

const TRANSCRIPT_CHUNK = 256 * 1024;
const EGRESS_TTL_MS = 10_000;
const AHEAD_TTL_MS = 3_000;
const LIST_TTL_MS = 1_000;
const EGRESS_ROWS = 500;
const JOB_OUTPUT = 4_000;

export interface LiveOptions {
  stateRoot: string;
  /** How to run this CLI (node, its flags, main.js): the launch form runs its `launch` command. */
  cli: string[];
  /** Where a relative repository path in the launch form is resolved (the folder `ui` started in). */
  cwd: string;
}

function publicTask(status: TaskStatus | undefined): ContainerRow["task"] {
  if (!status) return undefined;
  const { baseCommit: _base, ...rest } = status;
  return rest;
}

/** The library's expected failures (UserError) become the page's one-line refusals; anything else stays an error with its stack. */
function refusal(error: unknown): unknown {
  return error instanceof UserError && !(error instanceof DashboardError) ? new DashboardError(error.message, error.hint) : error;
}

async function refusing<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw refusal(error);
  }
}

export function liveDashboard(options: LiveOptions): Dashboard {
  // Stale while revalidating: the list answers at once with what is known, and a stale or missing value
  // is read after the answer is sent (the page's next update carries it).
  const cache = new Map<string, { at: number; value: unknown }>();
  const refreshing = new Set<string>();
  const cached = <T>(key: string, ttl: number, compute: () => T | Promise<T>): T | undefined => {
    const hit = cache.get(key);
    if ((!hit || Date.now() - hit.at >= ttl) && !refreshing.has(key)) {
      refreshing.add(key);
      setTimeout(() => {
        void Promise.resolve()
          .then(compute)
          // A failure is shown as unknown (one unreadable record must not take the list down); tried again once stale.
          .catch(() => undefined)
          .then((value) => {
            cache.set(key, { at: Date.now(), value });
            refreshing.delete(key);
          });
      });
    }
    return hit?.value as T | undefined;
  };
  const resolve = async (name: string): Promise<Managed> => {
    try {
      return await resolveManaged(options.stateRoot, name);
    } catch (error) {
      throw error instanceof LaunchError ? new DashboardError(error.message, error.hint, 404) : error;
    }
  };
  /** A launch (its task, transcript, branch): a scaffolded container has none of these here. */
  const find = async (name: string): Promise<Found> => {
    const managed = await resolve(name);
    if (managed.kind !== "launched") throw new DashboardError(`no launched container named ${name}`, "see: create-agent-devcontainer list", 404);
    return managed.found;
  };
  const jobs: LaunchJob[] = [];
  let snapshot: { at: number; rows: ListRow[] } | undefined;
  let reading: Promise<ListRow[]> | undefined;
  const readRows = (): Promise<ListRow[]> =>
    (reading ??= listContainers()
      .then((rows) => ((snapshot = { at: Date.now(), rows }), rows))
      .finally(() => (reading = undefined)));
  const currentRows = (): Promise<ListRow[]> => {
    if (!snapshot) return readRows();
    // A failed read behind the answer keeps the last rows; the next list tries again.
    if (Date.now() - snapshot.at >= LIST_TTL_MS) readRows().catch(() => undefined);
    return Promise.resolve(snapshot.rows);
  };

  return {
    async list() {
      const rows = await currentRows();
      return rows.map((row): ContainerRow => {
        if (row.kind === "scaffolded") return { kind: "scaffolded", name: row.name, agent: row.agent, repo: row.repo, branch: row.branch, state: row.state, createdAt: row.createdAt, ...(row.folder ? { folder: row.folder } : {}), ...(row.login ? { login: row.login } : {}) };
        const paths = statePaths(options.stateRoot, row.name);
        const task = publicTask(readTaskStatus(paths));
        // From the host repository alone: the record says where, no need to ask Docker again.
        const ahead = cached(`ahead:${row.name}`, AHEAD_TTL_MS, () => {
          const record = readRecord(paths);
          return record ? commitsAhead({ name: row.name, paths, record }) : undefined;
        });
        const hostRun = cached(`hostRun:${row.name}`, AHEAD_TTL_MS, () => {
          const record = readRecord(paths);
          const changed = record ? hostRunOf({ name: row.name, paths, record }) : undefined;
          return changed?.length ? { paths: changed.map(quotePath), notice: hostRunNotice(changed) } : undefined;
        });
        const egress = cached(`egress:${row.name}`, EGRESS_TTL_MS, async () => {
          const summary = await egressSummary(row.name);
          return summary ? { mode: summary.mode, blocked: summary.blocked.length } : undefined;
        });
        return { name: row.name, agent: row.agent, repo: row.repo, branch: row.branch, state: row.state, createdAt: row.createdAt, ...(task ? { task } : {}), ...(ahead !== undefined ? { ahead } : {}), ...(egress ? { egress } : {}), ...(hostRun ? { hostRun } : {}), ...(row.login ? { login: row.login } : {}) };
      });
    },

    transcript(name, offset) {
      return refusing(async () => readTranscript(await find(name), offset));
    },

    diff(name) {
      return refusing(async () => diffLaunch(await find(name)));
    },

    egress(name) {
      return refusing(() => readEgress(name));
    },

    act(name, action, { force = false }) {
      return refusing(async () => {
        const result = await act(await resolve(name), action, force, options.stateRoot);
        // A read begun before the action ended may show the container as it was: wait it out, then read anew.
        await reading?.catch(() => undefined);
        await readRows().catch(() => undefined);
        return result;
      });
    },

    task(name, prompt) {
      return refusing(async () => {
        if (prompt.trim() === "") throw new DashboardError("the task needs a prompt", undefined, 400);
        const status = await startTask(await find(name), prompt);
        return { message: `${name}: task ${status.id} ${status.state}` };
      });
    },

    allow(name, request) {
      return refusing(async () => allow(await find(name), request));
    },

    launch(form) {
      const job: LaunchJob = { id: jobs.length + 1, args: launchArgs(form), state: "running", output: "" };
      jobs.push(job);
      const [command, ...args] = options.cli;
      const child = spawn(command!, [...args, ...job.args], { cwd: options.cwd, stdio: ["ignore", "ignore", "pipe"] });
      child.stderr.on("data", (chunk: Buffer) => (job.output = (job.output + chunk.toString("utf8")).slice(-JOB_OUTPUT)));
      child.on("error", (error) => Object.assign(job, { state: "failed", output: error.message }));
      child.on("close", (code) => (job.state = code === 0 ? "done" : "failed"));
      return job;
    },

    jobs() {
      return jobs;
    },
  };
}

/** The task log from `offset`, in whole lines while the task runs (its last line may be half written). */
export function readTranscript(found: Found, offset: number): Transcript {
  const task = publicTask(readTaskStatus(found.paths));
  const file = taskFiles(found.paths).transcript;
  const extra = task ? { task } : {};
  if (!existsSync(file)) return { text: "", offset, next: offset, more: false, ...extra };
  const size = statSync(file).size;
  const start = Math.min(Math.max(0, offset), size);
  const buffer = Buffer.alloc(Math.min(TRANSCRIPT_CHUNK, size - start));
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  const newline = buffer.lastIndexOf(0x0a);
  const whole = task?.state !== "running" && start + buffer.length === size;
  const used = whole || (newline < 0 && buffer.length === TRANSCRIPT_CHUNK) ? buffer : buffer.subarray(0, newline + 1);
  return { text: used.toString("utf8"), offset: start, next: start + used.length, more: start + used.length < size, ...extra };
}

async function readEgress(name: string): Promise<EgressView> {
  let target;
  try {
    target = await resolveTarget(name);
  } catch (error) {
    if (error instanceof EgressError) return { mode: "open", connections: [], blocked: [] };
    throw error;
  }
  const list = await connections(target);
  return { mode: target.mode, connections: list.slice(-EGRESS_ROWS), blocked: await blockedNow(target, name, list) };
}

/** Only a host blocked for this container now, with the entries `egress` suggests for it (every port it was tried on). */
async function allow(found: Found, request: AllowRequest): Promise<ActionResult> {
  const target = await resolveTarget(found.name);
  const entry = (await blockedNow(target, found.name)).find((blocked) => blocked.host === request.host);
  if (!entry?.allow) throw new DashboardError(`${request.host} is not blocked for ${found.name} (or was allowed since)`, "reload the egress tab");
  const { allowed, change } = await allowEntries(target, entry.entries, request.save ? {} : undefined);
  const saved = !change ? "" : change.diff ? `; saved in ${change.file}: review and commit it` : `; already listed in ${change.file}`;
  return { message: `${found.name}: now allowed: ${allowed.join(", ")} (takes effect on the next connection)${saved}` };
}

async function act(managed: Managed, action: Action, force: boolean, stateRoot: string): Promise<ActionResult> {
  const container = containerOf(managed);
  switch (action) {
    case "sync": {
      const imported = await importPushed(managed, stateRoot);
      return { message: imported ? describeSync(imported.outcome, imported.hostRepo) : `${managed.name}: nothing to import from` };
    }
    case "stop": {
      if (!container) throw new DashboardError(`${managed.name} has no container`);
      // As `stop` does: import what it pushed first; a refusal is reported and the stop goes on.
      const stopped = await stopManaged(managed, stateRoot);
      if (!stopped.stopped) return { message: `${managed.name} is already stopped` };
      const imported = stopped.imported?.outcome.status === "imported" ? `; ${describeSync(stopped.imported.outcome, stopped.imported.hostRepo)}` : "";
      return { message: `stopped ${managed.name}${imported}${stopped.notImported ? `; not imported: ${stopped.notImported}` : ""}` };
    }
    case "start": {
      if (!container) throw new DashboardError(`${managed.name} has no container`);
      await startManaged(managed);
      return { message: `started ${managed.name}` };
    }
    case "remove": {
      try {
        const gone = await removeManaged(managed, stateRoot, { force });
        const imported = gone.imported?.outcome.status === "imported" ? `${describeSync(gone.imported.outcome, gone.imported.hostRepo)}; ` : "";
        return { message: `${imported}${removed(gone.name)}` };
      } catch (error) {
        if (!(error instanceof WorkAtRisk)) throw error;
        throw new DashboardError(`${error.message}; nothing was removed`, "push them first (git push in the workspace), or remove with \"delete unimported work\" ticked");
      }
    }
    case "code": {
      if (!container?.running) throw new DashboardError(`${managed.name} is not running`, "start it first");
      const uri = attachedContainerUri(managed.name, WORKSPACE_DIR);
      const code = findOnPath("code");
      if (code) spawn(code, ["--folder-uri", uri], { detached: true, stdio: "ignore" }).unref();
      return code ? { message: `opening ${managed.name} in VS Code` } : { message: "VS Code's `code` command is not on PATH; open this URI in VS Code", uri };
    }
  }
}

function removed(name: string): string {
  return `removed ${name}: its container, enforcer, network, volumes, state folder and unused image`;
}
