#!/usr/bin/env node
/** The CLI: parses arguments and calls the library. Expected failures: a message (one line, or one per file in conflict) and exit code 1. */
import { escapeControls } from "../terminal.js";
import { readFileSync } from "node:fs";
import { packagePath } from "../paths.js";
import { parseCommand, renderHelp } from "./args.js";
import { UserError } from "../errors.js";
import { COMMANDS } from "./commands.js";
import { scaffold, SCAFFOLD, type ScaffoldResult } from "./scaffold-command.js";

async function main(argv: string[]): Promise<void> {
  const command = argv[0] !== undefined ? COMMANDS[argv[0]] : undefined;
  if (command) return (await command.load())(argv.slice(1));
  const args = parseCommand(SCAFFOLD, argv);
  if (args.values.help) return void process.stdout.write(renderHelp(SCAFFOLD));
  if (args.values.version) return void process.stdout.write(`${version()}\n`);
  const result = await scaffold(
    args,
    // Loaded only for a person at a terminal: scripts and --yes runs skip the prompt library entirely.
    process.stdin.isTTY ? (await import("./prompts.js")).clackPrompter : undefined,
  );
  if (args.values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else report(result);
}

function report(result: ScaffoldResult): void {
  const verb = result.dryRun ? "would " : "";
  if (result.agentsChosen) process.stderr.write(`${result.agentsChosen}\n`);
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
    // A message may quote what a container said; the modules escape it where they do, this is the last net.
    process.stderr.write(escapeControls(`create-agent-devcontainer: ${error.message}${error.hint ? ` (${error.hint})` : ""}\n`));
  } else {
    process.stderr.write(escapeControls(`create-agent-devcontainer: unexpected error\n${(error as Error).stack ?? String(error)}\n`));
  }
  process.exitCode = 1;
});
