/**
 * `create-agent-devcontainer ui [--port <n>] [--no-open]`: serves the local review dashboard (src/ui) on
 * 127.0.0.1 until interrupted, and prints its URL, which carries this run's token.
 */
import { escapeControls } from "../terminal.js";
import { spawn } from "node:child_process";
import { UserError } from "../errors.js";
import { stateRoot } from "../launch/state.js";
import { liveDashboard } from "../ui/live.js";
import { startUi } from "../ui/server.js";
import { findOnPath } from "../core/on-path.js";
import { defineCommand, HELP_FLAG, helpHint, parseOrHelp } from "./args.js";

export const UI = defineCommand({
  usage: "ui [--port <n>] [--no-open]",
  description: `Serves a local review dashboard of every launched container (task, transcript, diff, egress, and
the actions sync, stop, start, remove, open in VS Code) on 127.0.0.1, and opens it in the browser. The
printed URL holds a token for this run only; keep it private. Ctrl-C stops it.`,
  flags: {
    port: { type: "string", arg: "n", help: "the port to listen on", unset: "a free one" },
    "no-open": { type: "boolean", help: "print the URL without opening a browser" },
    help: HELP_FLAG,
  },
});

export class UiPortError extends UserError {}

/** A machine without a browser (a server, a container, SSH) says so, rather than "opening" the page silently. */
function openBrowser(url: string): void {
  const opener = findOnPath("xdg-open") ?? findOnPath("open");
  const unopened = (why: string): void => void process.stderr.write(`no browser could be opened (${why}): open the URL above in one\n`);
  if (!opener) return unopened("no xdg-open or open on PATH");
  spawn(opener, [url], { detached: true, stdio: "ignore" })
    .on("error", (error) => unopened(`${opener}: ${error.message}`))
    .on("exit", (code) => (code === 0 ? undefined : unopened(`${opener} exited with ${code}`)))
    .unref();
}

export async function runUi(argv: string[]): Promise<void> {
  const args = parseOrHelp(UI, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length > 0) throw new UserError(`ui takes no arguments: ${positionals.join(" ")}`, helpHint(UI));
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? "0") || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UiPortError(`not a port: ${values.port}`, "give 1-65535, or leave --port out for a free one");
  }
  const dashboard = liveDashboard({ stateRoot: stateRoot(), cli: [process.execPath, ...process.execArgv, process.argv[1]!], cwd: process.cwd() });
  const server = await startUi(dashboard, { port, log: (line) => process.stderr.write(`ui: ${escapeControls(line)}\n`) }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EADDRINUSE" ? new UiPortError(`port ${port} is in use`, "choose another with --port, or leave it out") : error;
  });
  process.stdout.write(`${server.url}\n`);
  process.stderr.write("dashboard running; Ctrl-C stops it\n");
  if (!values["no-open"]) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once("SIGINT", stop).once("SIGTERM", stop);
  });
}
