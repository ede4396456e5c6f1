/**
 * Starting a background task in a launched container. The task must outlive the command that starts it
 * (launch returns; the user walks away), so a detached supervisor on the host runs it (runner.ts): the
 * agent headless in the container with the config's remoteEnv (token auth, gateway settings), then the
 * finish — commit what it left, push to the outbox, import with `sync`. Everything the
 * supervisor needs is in the state folder, so nothing but its process id ties it to this one.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { agent, configDir, type AgentId, type AgentRecord } from "../catalogue/agents.js";
import { authLabel, DEFAULT_AUTH } from "../auth/modes.js";
import { execCapture } from "../launch/docker.js";
import { LaunchError } from "../launch/errors.js";
import type { Found } from "../launch/state.js";
import { packagePath } from "../paths.js";
import { writeFileAtomic } from "../write/atomic.js";
import { EGRESS_LABEL } from "../egress/layout.js";
import { brokeredLogins, brokeredVariables, brokerLoginProblem } from "./broker-login.js";
import { failingLogin } from "../egress/login-status.js";
import { baseCommitOf } from "./diff.js";
import { configRemoteEnv, modelHostProblem } from "./model-host.js";
import { readTaskStatus, taskFiles, writeTaskRecord, type TaskRecord, type TaskStatus } from "./status.js";

/** Prompts reach the container as a file in the read-only launch inputs, never through a shell or argv. */
export function promptFile(id: number): string {
  return `task-${id}.prompt`;
}

/**
 * Starts the task and returns once its supervisor runs. A task that cannot start ends at once: `needs-login`
 * when the agent is not logged in, `failed` when its model host is blocked or unreachable through egress.
 */
export async function startTask(found: Found, prompt: string): Promise<TaskStatus> {
  const { record, container } = found;
  if (!record) throw new LaunchError(`${found.name} has no launch record`, `remove what is left with: create-agent-devcontainer rm ${found.name}`);
  if (!container?.running) throw new LaunchError(`${found.name} is not running`, `start it with: create-agent-devcontainer start ${found.name}`);
  if (prompt.trim() === "") throw new LaunchError("the task's prompt is empty");
  const previous = readTaskStatus(found.paths);
  if (previous?.state === "running") throw new LaunchError(`${found.name} is already running task ${previous.id}`, `wait for it: create-agent-devcontainer wait ${found.name}`);
  const status: TaskRecord = {
    id: (previous?.id ?? 0) + 1,
    state: "running",
    prompt,
    startedAt: new Date().toISOString(),
    baseCommit: baseCommitOf(found),
  };
  const remoteEnv = configRemoteEnv(record.config);
  const login = gatewayKeySet(agent(record.agent), remoteEnv) ? undefined : loginProblem(record.agent, container, container.labels[authLabel(record.agent)] ?? DEFAULT_AUTH);
  const blocked = login ? undefined : modelHostProblem(found.name, agent(record.agent), container, remoteEnv);
  if (login || blocked) {
    // Refused before anything ran: the container is as it was, ready for a retry.
    const ended: TaskRecord = { ...status, state: login ? "needs-login" : "failed", endedAt: status.startedAt, reason: (login ?? blocked)! };
    writeTaskRecord(found.paths, ended);
    return ended;
  }
  writeFileAtomic(join(found.paths.input, promptFile(status.id)), prompt, 0o644);
  const files = taskFiles(found.paths);
  const log = openSync(files.transcript, "a", 0o600);
  try {
    writeSync(log, `\n=== task ${status.id} in ${found.name}, ${status.startedAt} ===\n${prompt.trimEnd()}\n---\n`);
    writeTaskRecord(found.paths, status);
    const child = spawn(process.execPath, [...runnerArgs(), dirname(found.paths.dir), found.name, String(status.id)], {
      detached: true,
      stdio: ["ignore", log, log],
    });
    // From here the supervisor owns task.json (it records its own process id first).
    await new Promise<void>((resolve, reject) => child.once("spawn", resolve).once("error", reject));
    child.unref();
  } finally {
    closeSync(log);
  }
  return status;
}

/** The supervisor's entry point: the built .js, or the .ts source through tsx when running from a checkout. */
function runnerArgs(): string[] {
  const self = fileURLToPath(import.meta.url);
  const entry = join(dirname(self), self.endsWith(".ts") ? "runner-main.ts" : "runner-main.js");
  return self.endsWith(".ts") ? ["--import", pathToFileURL(packagePath("node_modules", "tsx", "dist", "loader.mjs")).href, entry] : [entry];
}

/** The container's gateway takes its own key (e.g. Copilot's BYOK provider key), and the host has it: no login needed. */
function gatewayKeySet(record: AgentRecord, remoteEnv: Readonly<Record<string, string>>): boolean {
  const key = "keyEnv" in record.gateway ? record.gateway.keyEnv : undefined;
  return key !== undefined && remoteEnv[key] !== undefined && Boolean(process.env[key]);
}

/**
 * Why the agent cannot work unattended, in one line, or undefined. Token auth: the host must have one of the
 * agent's token variables (they reach the container per exec). Broker auth: the broker must hold one of the
 * agent's secrets, or a login it can still refresh. Copy and volume auth: a login file must be in the container's config folder.
 */
function loginProblem(id: AgentId, container: { id: string; labels: Readonly<Record<string, string>> }, mode: string): string | undefined {
  const record = agent(id);
  if (mode === "broker") {
    const egressId = container.labels[EGRESS_LABEL];
    // A login the broker keeps but cannot refresh: the agent's calls would get 401s.
    return brokerLoginProblem(record, brokeredVariables(egressId), brokeredLogins(egressId)) ?? failingLogin(egressId);
  }
  if (mode === "token") {
    if (record.tokenEnv.some((name) => Boolean(process.env[name]))) return undefined;
    return `${record.title} has no token: set ${record.tokenEnv.join(" or ")} (${record.tokenHowTo}) and run the task again`;
  }
  const files = record.credentialFiles.map((file) => `${configDir(record)}/${file}`);
  const check = execCapture(container.id, ["sh", "-c", 'for f; do [ -s "$f" ] && exit 0; done; exit 1', "sh", ...files]);
  if (check.status === 0) return undefined;
  return `${record.title} is not logged in in this container (${mode} auth): ${record.hostLoginHowTo}, then run the task again`;
}
