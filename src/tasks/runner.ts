/**
 * The task's supervisor, detached on the host: runs the agent headless in the container, then lands its
 * work (commit what it left on its branch, push to the outbox, import into the host repository with the
 * same `sync` as the CLI), and records the outcome in task.json. Its stdout and stderr are the transcript.
 */
import { dockerProcess, dockerSync } from "../engine/docker.js";
import { existsSync, readFileSync } from "node:fs";
import { agent, type AgentRecord } from "../catalogue/agents.js";
import { LaunchError } from "../launch/errors.js";
import { hostRunNotice } from "../launch/host-run.js";
import { hostRunOf } from "./diff.js";
import { describeSync, findLaunch, syncLaunch } from "../launch/manage.js";
import type { Found } from "../launch/state.js";
import { escapeLine } from "../terminal.js";
import { LAUNCH_INPUT_MOUNT, WORKSPACE_DIR } from "../workspace/layout.js";
import { configRemoteEnv } from "./model-host.js";
import { promptFile } from "./start.js";
import { readTaskRecord, taskFiles, writeTaskRecord, type TaskRecord } from "./status.js";

/** The agent's headless command, with the words that apply its model gateway when its CLI needs them. */
export function headlessCommand(record: AgentRecord): string[] {
  return [...record.headless, ...("headlessArgs" in record.gateway ? (record.gateway.headlessArgs ?? []) : [])];
}

/** A commit message from the prompt's first line; the rest of the prompt is in the transcript. */
export function commitMessage(title: string, id: number, prompt: string): string {
  const line = prompt.trim().split("\n")[0]!.replace(/\s+/g, " ");
  const subject = line.length > 60 ? `${line.slice(0, 59)}…` : line;
  return `${title}: ${subject}\n\nTask ${id}, run headless by create-agent-devcontainer.\n`;
}

/**
 * In the container: a timestamped start line, the prompt read from the launch inputs into a shell variable
 * (the agent's command names it as "$PROMPT", never interpolated), then the agent with no stdin.
 */
export function agentScript(words: readonly string[]): string {
  return [
    `printf '[task %s] agent started %s\\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"`,
    `PROMPT=$(cat "$2") || exit 97`,
    `exec ${words.join(" ")} </dev/null`,
  ].join("\n");
}

/** Commits everything the agent left, then pushes the branch to the outbox (hooks of the repository skipped). */
const FINISH = [
  "set -e",
  'git add --all',
  'git diff --cached --quiet || git -c core.hooksPath=/dev/null commit --quiet --no-verify --file=-',
  'git -c core.hooksPath=/dev/null push --quiet local "HEAD:refs/heads/$0"',
].join("\n");

export async function runTask(stateRoot: string, name: string, id: number): Promise<void> {
  const found = findLaunch(stateRoot, name);
  const started = readTaskRecord(found.paths);
  if (!started || started.id !== id || started.state !== "running") return;
  writeTaskRecord(found.paths, { ...started, supervisor: process.pid });
  const end = (state: "done" | "failed", reason?: string) => {
    const record: TaskRecord = { ...started, state, endedAt: new Date().toISOString(), ...(reason ? { reason } : {}) };
    // The transcript's last line first: `logs --follow` stops once task.json says the task ended. It names
    // the branch's files that run on the host, as read in the host repository after the import.
    const notice = hostRunNotice(found.record ? (hostRunOf(found) ?? []) : []);
    process.stdout.write(`[task ${id}] ${state}${reason ? `: ${reason}` : ""}${notice ? `; ${notice}` : ""}\n`);
    writeTaskRecord(found.paths, record);
  };
  try {
    const code = await runAgent(found, id);
    process.stdout.write(`\n[task ${id}] agent exited with ${code} at ${new Date().toISOString()}\n`);
    const failure = code === 0 ? undefined : `${agent(found.record!.agent).title} exited with ${code}: ${lastLine(found, id)}`;
    finish(found, started);
    const outcome = await syncLaunch(findLaunch(stateRoot, name));
    if (outcome) process.stdout.write(`[task ${id}] ${describeSync(outcome, found.record!.localRepo)}\n`);
    end(failure ? "failed" : "done", failure);
  } catch (error) {
    end("failed", error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
}

function runAgent(found: Found, id: number): Promise<number> {
  const record = found.record;
  if (!record || !found.container || !existsSync(record.config)) throw new LaunchError(`${found.name}: its config is gone`);
  const script = agentScript(headlessCommand(agent(record.agent)));
  const remote = remoteEnvArgs(configRemoteEnv(record.config), process.env);
  const promptPath = `${LAUNCH_INPUT_MOUNT}/${promptFile(id)}`;
  const child = dockerProcess(["exec", ...remote.args, "-w", WORKSPACE_DIR, found.container.id, "sh", "-c", script, "sh", String(id), promptPath], {
    env: { ...process.env, ...remote.env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.on("error", (error) => reject(new LaunchError(`cannot run docker: ${error.message}`)));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

/**
 * remoteEnv as `docker exec` arguments, resolved as the devcontainer CLI resolves it (`${localEnv:NAME}` from
 * this process's environment, empty when unset), at a fraction of its start-up time. A value that names a
 * host variable (a token) is passed by name only, its value in docker's environment, never in an argv;
 * literal values (gateway settings) go on the command line.
 */
export function remoteEnvArgs(remoteEnv: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): { args: string[]; env: Record<string, string> } {
  const args: string[] = [];
  const named: Record<string, string> = {};
  for (const [key, value] of Object.entries(remoteEnv)) {
    if (!/\$\{localEnv:/.test(value)) {
      args.push("-e", `${key}=${value}`);
      continue;
    }
    named[key] = value.replace(/\$\{localEnv:([^}:]+)(?::([^}]*))?\}/g, (_match, name: string, fallback?: string) => env[name] ?? fallback ?? "");
    args.push("-e", key);
  }
  return { args, env: named };
}

function finish(found: Found, task: TaskRecord): void {
  const title = agent(found.record!.agent).title;
  const result = dockerSync(["exec", "-i", "-w", WORKSPACE_DIR, found.container!.id, "sh", "-c", FINISH, found.record!.branch], {
    input: commitMessage(title, task.id, task.prompt),
    timeoutMs: 5 * 60_000,
  });
  process.stdout.write(result.stdout + result.stderr);
  if (result.status !== 0) throw new LaunchError(`could not commit and push the work: ${escapeLine(result.stderr.trim().split("\n").pop() ?? `exit ${String(result.status)}`)}`);
}

/** The transcript's last line from this task: what the agent said as it failed. */
function lastLine(found: Found, id: number): string {
  const text = readFileSync(taskFiles(found.paths).transcript, "utf8");
  const own = text.slice(text.lastIndexOf(`=== task ${id} in `));
  const lines = own.split("\n").map((line) => line.trim()).filter((line) => line && !line.startsWith(`[task ${id}]`));
  return escapeLine((lines.pop() ?? "no output").slice(0, 300));
}
