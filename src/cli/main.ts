#!/usr/bin/env node
/** The CLI: parses arguments and calls the library. Expected failures: a message (one line, or one per file in conflict) and exit code 1. */
import { readFileSync } from "node:fs";
import { packagePath } from "../paths.js";
import { parseCommandLine } from "./args.js";
import { UserError } from "./errors.js";
import { ENV_BASE_IMAGE, ENV_NODE_MIRROR, flagOrEnv } from "./feature-source.js";
import { COMMANDS } from "./commands.js";
import { HELP } from "./help.js";
import { scaffold, type ScaffoldResult } from "./scaffold-command.js";

async function main(argv: string[]): Promise<void> {
  const command = argv[0] !== undefined ? COMMANDS[argv[0]] : undefined;
  if (command) return (await command())(argv.slice(1));
  const { values, positionals } = parseFlags(argv);
  if (values.help) return void process.stdout.write(HELP);
  if (values.version) return void process.stdout.write(`${version()}\n`);
  if (positionals.length > 1) throw new UserError(`expected at most one directory, got ${positionals.length}`, "see --help");
  const result = await scaffold(
    {
      dir: positionals[0],
      agents: values.agent ?? [],
      baseImage: flagOrEnv(values["base-image"], ENV_BASE_IMAGE),
      user: values.user,
      localFeatures: values["local-features"] ?? false,
      ghcrFeatures: values["ghcr-features"] ?? false,
      featuresOwner: values["features-owner"],
      auth: values.auth ?? [],
      workspace: values.workspace,
      mcpSource: values["mcp-source"],
      mcpSecrets: values["mcp-secrets"],
      prebuilt: values.prebuilt ?? false,
      upstreamAccess: values["upstream-access"] ?? false,
      ciWorkflow: values["ci-workflow"] ?? false,
      nodeMirror: flagOrEnv(values["node-mirror"], ENV_NODE_MIRROR),
      egress: values.egress,
      allowHosts: values["allow-host"] ?? [],
      agentEnv: values["agent-env"] ?? [],
      yes: values.yes ?? false,
      json: values.json ?? false,
      dryRun: values["dry-run"] ?? false,
      force: values.force ?? false,
    },
    // Loaded only for a person at a terminal: scripts and --yes runs skip the prompt library entirely.
    process.stdin.isTTY ? (await import("./prompts.js")).clackPrompter : undefined,
  );
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else report(result);
}

function parseFlags(argv: string[]) {
  return parseCommandLine(
    argv,
    {
      agent: { type: "string", multiple: true },
      "base-image": { type: "string" },
      user: { type: "string" },
      "local-features": { type: "boolean" },
      "ghcr-features": { type: "boolean" },
      "features-owner": { type: "string" },
      auth: { type: "string", multiple: true },
      workspace: { type: "string" },
      "mcp-source": { type: "string" },
      "mcp-secrets": { type: "string" },
      prebuilt: { type: "boolean" },
      "upstream-access": { type: "boolean" },
      "ci-workflow": { type: "boolean" },
      "node-mirror": { type: "string" },
      egress: { type: "string" },
      "allow-host": { type: "string", multiple: true },
      "agent-env": { type: "string", multiple: true },
      yes: { type: "boolean", short: "y" },
      "dry-run": { type: "boolean" },
      force: { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
    "see --help",
  );
}

function report(result: ScaffoldResult): void {
  const verb = result.dryRun ? "would " : "";
  for (const file of result.files) {
    if (file.action !== "unchanged") process.stderr.write(`${verb}${file.action} ${file.path}\n`);
  }
  const unchanged = result.files.filter((file) => file.action === "unchanged").length;
  if (unchanged > 0) process.stderr.write(`${unchanged} file(s) already up to date\n`);
  if (result.dryRun) return;
  process.stderr.write("\nStart an agent's container with the devcontainer CLI, or VS Code's \"Reopen in Container\":\n");
  for (const config of result.configs) {
    process.stderr.write(`  npx @devcontainers/cli up --workspace-folder . --config ${config}\n`);
  }
}

function version(): string {
  return (JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string }).version;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UserError) {
    process.stderr.write(`create-agent-devcontainer: ${error.message}${error.hint ? ` (${error.hint})` : ""}\n`);
  } else {
    process.stderr.write(`create-agent-devcontainer: unexpected error\n${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
});
