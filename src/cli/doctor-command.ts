/**
 * `create-agent-devcontainer doctor [dir]`: what this host lacks for the agents' containers. Modes come from
 * the scaffolded configs in [dir] (their auth labels), then from --auth; agents from --agent, else the
 * configs found, else all. The report goes to stdout (JSON with --json); the exit code is 0 whenever the
 * check itself ran, since a logged-out agent is a state, not an error.
 */
import { egressModes } from "../egress/inspect.js";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { AGENT_IDS, agent, type AgentId } from "../catalogue/agents.js";
import type { AuthMode } from "../generated/scaffold-options.js";
import { diagnose, type Check, type DoctorReport, type LoginDiagnosis } from "../auth/diagnose.js";
import { applyAuthFlags, modesFromRunArgs } from "../auth/modes.js";
import { probeHost } from "../auth/probe.js";
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
  const recorded = recordedModes(root);
  const agents = chooseAgents(agentsNamed(values.agent), recorded);
  const modes = applyAuthFlags(agents, values.auth, recorded);
  const home = homedir();
  const secretsFile = values["mcp-secrets"].replace(/^~(?=\/|$)/, home);
  const report = diagnose(modes, probeHost({ env: process.env, home, platform: process.platform, secretsFile }));
  // Each agent container's egress mode (open containers made before egress existed have no label).
  const egress = report.docker.ok ? egressModes() : [];
  const fallback = { baseImage: values["base-image"], ...(values["node-mirror"] !== undefined ? { nodeSource: values["node-mirror"] } : {}) };
  const firstUp = await checkFirstUp(firstUpInputs(root, fallback), report.docker.ok);
  process.stdout.write(
    values.json ? `${JSON.stringify({ ...report, firstUp, egress }, null, 2)}\n` : renderReport(report) + renderFirstUp(firstUp) + renderEgress(egress),
  );
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
  return [
    `${MARK[diagnosis.status]} ${diagnosis.id} (${diagnosis.mode}): ${diagnosis.summary}`,
    ...(diagnosis.fix ? [`    fix: ${diagnosis.fix}`] : []),
    ...diagnosis.warnings.map((warning) => `    ! ${warning}`),
  ];
}
