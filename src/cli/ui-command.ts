/**
 * `create-agent-devcontainer ui [--port <n>] [--no-open]`: serves the local review dashboard (src/ui) on
 * 127.0.0.1 until interrupted, and prints its URL, which carries this run's token.
 */
import { spawn } from "node:child_process";
import { stateRoot } from "../launch/state.js";
import { liveDashboard } from "../ui/live.js";
import { startUi } from "../ui/server.js";
import { onPath } from "../workspace/on-path.js";
import { parseCommandLine } from "./args.js";
import { UserError } from "./errors.js";

const USAGE = `Usage: create-agent-devcontainer ui [--port <n>] [--no-open]

Serves a local review dashboard of every launched container (task, transcript, diff, egress, actions) on
127.0.0.1, and opens it in the browser. The printed URL holds a token for this run only; keep it private.`;

export async function runUi(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { port: { type: "string" }, "no-open": { type: "boolean" }, help: { type: "boolean", short: "h" } }, "see ui --help");
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UserError(`not a port: ${values.port}`, "give 1-65535, or leave it out for a free one");
  const dashboard = liveDashboard({ stateRoot: stateRoot(), cli: [process.execPath, ...process.execArgv, process.argv[1]!], cwd: process.cwd() });
  const server = await startUi(dashboard, { port, log: (line) => process.stderr.write(`ui: ${line}\n`) }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === "EADDRINUSE" ? new UserError(`port ${port} is in use`, "choose another with --port, or leave it out") : error;
  });
  process.stdout.write(`${server.url}\n`);
  process.stderr.write("dashboard running; Ctrl-C stops it\n");
  const opener = values["no-open"] ? undefined : onPath("xdg-open") ?? onPath("open");
  if (opener) spawn(opener, [server.url], { detached: true, stdio: "ignore" }).on("error", () => undefined).unref();
  await new Promise<void>((resolve) => {
    const stop = () => void server.close().then(resolve);
    process.once("SIGINT", stop).once("SIGTERM", stop);
  });
}
