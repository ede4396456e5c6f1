/**
 * `create-agent-devcontainer doctor [dir]`: what this host lacks for the agents' containers. Modes come from
 * the scaffolded configs in [dir] (their auth labels), then from --auth; agents from --agent, else the
 * configs found, else all. The report goes to stdout (JSON with --json); the exit code is 0 whenever the
 * check itself ran, since a logged-out agent is a state, not an error.
 */
import { safeJson } from "../terminal.js";
import { egressModes } from "../egress/inspect.js";
import { agentContainerLimits, describeLimits, unlimited, type ContainerLimitsRow } from "../limits/inspect.js";
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { AGENT_IDS, agent, type AgentId } from "../catalogue/agents.js";
import type { AuthMode } from "../generated/scaffold-options.js";
import { diagnose, type Check, type DoctorReport, type LoginDiagnosis } from "../auth/diagnose.js";
import { applyAuthFlags, modesFromRunArgs } from "../auth/modes.js";
import { probeHost } from "../auth/probe.js";
import { sharedCopyNotices } from "../auth/shared-copies.js";
import { containersLabelledSync } from "../engine/containers.js";
import { LABELS } from "../labels.js";
import { agentConfigPath } from "../render/devcontainer-json.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";
import { AGENT_FLAG, agentsNamed, CONTAINER_FLAGS } from "./flags.js";
import { UserError } from "../errors.js";
import { checkFirstUp, firstUpInputs, type FirstUpReport } from "../offline/first-up.js";

export const DOCTOR = defineCommand({
  usage: "doctor [dir] [options]",
  description: `What this host lacks for the agents' containers: Docker, the devcontainer CLI, each agent's
login in its auth mode, with the command that fixes it, and whether the base image and the Node.js
source can be reached before the first up. Modes, image and Node.js source come from the scaffolded
configs in [dir], then the flags.`,
  flags: {
    agent: { ...AGENT_FLAG, help: `${AGENT_FLAG.help} (default: the agents configured in [dir], else all)` },
    auth: CONTAINER_FLAGS.auth,
    "mcp-secrets": CONTAINER_FLAGS["mcp-secrets"],
    "upstream-access": CONTAINER_FLAGS["upstream-access"],
    "base-image": CONTAINER_FLAGS["base-image"],
    "node-mirror": CONTAINER_FLAGS["node-mirror"],
    json: JSON_FLAG,
    help: HELP_FLAG,
  },
});

export async function runDoctor(argv: string[]): Promise<void> {
  const args = parseOrHelp(DOCTOR, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length > 1) throw new UserError(`expected at most one directory, got ${positionals.length}`, "see doctor --help");
  const root = resolve(positionals[0] ?? ".");
  if (!isFolder(root)) throw new UserError(`doctor: no such folder: ${positionals[0] ?? "."}`);
  const recorded = recordedModes(root);
  const agents = chooseAgents(agentsNamed(values.agent), recorded);
  const modes = applyAuthFlags(agents, values.auth, recorded);
  const home = homedir();
  const secretsFile = values["mcp-secrets"].replace(/^~(?=\/|$)/, home);
  const diagnosed = diagnose(modes, probeHost({ env: process.env, home, platform: process.platform, secretsFile }));
  // Agents get gh's login only with --upstream-access (given now, or rendered into a config in the folder).
  const upstream = values["upstream-access"] || upstreamAccessIn(root);
  const report = { ...diagnosed, github: diagnosed.github.map((entry) => (upstream || entry.status === "ready" ? entry : { ...entry, optional: true })) };
  // Each agent container's egress mode (open containers made before egress existed have no label).
  const egress = report.docker.ok ? egressModes() : [];
  // What Docker applies to each agent container and its enforcer (HostConfig), not what a config says.
  const limits = report.docker.ok ? agentContainerLimits() : [];
  // Running containers that hold copies of one single-use login (each refresh logs the others out).
  const sharedCopies = report.docker.ok ? runningCopies() : [];
  const fallback = { baseImage: values["base-image"], ...(values["node-mirror"] !== undefined ? { nodeSource: values["node-mirror"] } : {}) };
  const firstUp = await checkFirstUp(firstUpInputs(root, fallback), report.docker.ok);
  process.stdout.write(
    values.json
      ? `${safeJson({ ...report, firstUp, egress, limits, sharedCopies }, 2)}\n`
      : renderReport(report) + renderFirstUp(firstUp) + renderEgress(egress) + renderLimits(limits) + sharedCopies.map((line) => `\n! ${line}\n`).join(""),
  );
}

/** A warning only: an engine that fails this read is the report's Docker line to show, not a failure. */
function runningCopies(): string[] {
  try {
    return sharedCopyNotices(containersLabelledSync(LABELS.agent));
  } catch {
    return [];
  }
}

/** The auth mode each scaffolded config in `root` records; a config that cannot be read is skipped. */
function recordedModes(root: string): Partial<Record<AgentId, AuthMode>> {
  const modes: Partial<Record<AgentId, AuthMode>> = {};
  for (const id of AGENT_IDS) {
    const path = join(root, agentConfigPath(agent(id)));
    if (!existsSync(path)) continue;
    try {
      // We write JSONC with whole-line comments only.
      const config = JSON.parse(readFileSync(path, "utf8").replace(/^\s*\/\/.*$/gm, "")) as { runArgs?: unknown };
      const runArgs = Array.isArray(config.runArgs) ? config.runArgs.filter((arg): arg is string => typeof arg === "string") : [];
      const mode = modesFromRunArgs(runArgs)[id];
      if (mode) modes[id] = mode;
    } catch {
      // An edited config we cannot parse: fall back to flags and the default.
    }
  }
  return modes;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a scaffolded config in `root` gives agents gh's login (its host step stages it, or remoteEnv passes GH_TOKEN). */
function upstreamAccessIn(root: string): boolean {
  return AGENT_IDS.some((id) => {
    const path = join(root, agentConfigPath(agent(id)));
    return existsSync(path) && /"--upstream-access"|"GH_TOKEN"\s*:/.test(readFileSync(path, "utf8"));
  });
}

/** The agents named, else those configured in the folder, else all. */
function chooseAgents(named: AgentId[], recorded: Partial<Record<AgentId, AuthMode>>): AgentId[] {
  if (named.length > 0) return AGENT_IDS.filter((id) => named.includes(id));
  const found = AGENT_IDS.filter((id) => recorded[id] !== undefined);
  return found.length > 0 ? found : [...AGENT_IDS];
}

function renderFirstUp(report: FirstUpReport): string {
  return `\nBefore the first up:\n${check("Base image", report.baseImage)}\n${check("Node.js source", report.nodeSource)}\n`;
}

function renderEgress(containers: ReturnType<typeof egressModes>): string {
  if (containers.length === 0) return "";
  const lines = containers.map(({ name, mode, running }) => `  ${name}: ${mode}${running ? "" : " (stopped)"}${mode === "open" ? "  ! no egress boundary" : ""}`);
  return `\nEgress (network) per container:\n${lines.join("\n")}\n`;
}

function renderLimits(containers: readonly ContainerLimitsRow[]): string {
  if (containers.length === 0) return "";
  const lines = containers.map(({ name, limits, enforcer }) => {
    const open = unlimited(limits) || (enforcer !== undefined && unlimited(enforcer));
    return `  ${name}: ${describeLimits(limits)}${enforcer ? `; enforcer: ${describeLimits(enforcer)}` : ""}${open ? "  ! a runaway process here can take the host down (recreate it from a current config)" : ""}`;
  });
  return `\nResource limits per container:\n${lines.join("\n")}\n`;
}

const MARK = { ready: "✓", "not-logged-in": "✗", unknown: "?" } as const;

export function renderReport(report: DoctorReport): string {
  const lines = [
    `Host: ${report.platform}${report.wsl ? " (WSL)" : ""}`,
    check("Docker engine", report.docker),
    check("devcontainer CLI", report.devcontainerCli),
    check("MCP secrets file", report.secretsFile),
    ...report.notes.map((note) => `  note: ${note}`),
    "",
    ...[...report.agents, ...report.github].flatMap(login),
  ];
  return `${lines.join("\n")}\n`;
}

function check(name: string, result: Check): string {
  const head = `${result.ok ? "✓" : "✗"} ${name.padEnd(17)} ${result.detail}`;
  return result.fix && !result.ok ? `${head}\n    fix: ${result.fix}` : head;
}

function login(diagnosis: LoginDiagnosis): string[] {
  if (diagnosis.optional) return [`- ${diagnosis.id} (${diagnosis.mode}): optional, not logged in here; agents get gh's login only with --upstream-access`];
  return [
    `${MARK[diagnosis.status]} ${diagnosis.id} (${diagnosis.mode}): ${diagnosis.summary}`,
    ...(diagnosis.fix ? [`    fix: ${diagnosis.fix}`] : []),
    ...diagnosis.warnings.map((warning) => `    ! ${warning}`),
  ];
}
