/**
 * `create-agent-devcontainer egress <name> [--json] [--follow]`: a container's allowed and blocked
 * connections; `egress allow <name> <host[:port]>`: let that running container reach a host.
 */
import { escapeLine, safeJson } from "../terminal.js";
import { allowHost, blockedSummary, connections, follow, resolveTarget, type Connection } from "../egress/inspect.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";
import { UserError } from "../errors.js";

export const EGRESS = defineCommand({
  usage: `egress <name> [--json] [--follow]
       create-agent-devcontainer egress allow <name> <host[:port]|*.domain>…`,
  description: `A container's allowed and blocked connections; egress allow lets that running container reach a
host (no restart). <name> is an agent container (name or id) or the egress id a blocked request names.`,
  flags: {
    json: JSON_FLAG,
    follow: { type: "boolean", short: "f", help: "print connections as they happen" },
    help: HELP_FLAG,
  },
});

export async function runEgress(argv: string[]): Promise<void> {
  const args = parseOrHelp(EGRESS, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals[0] === "allow") return allow(positionals.slice(1), values.json);
  if (positionals.length !== 1) throw new UserError("egress takes one container name", "see egress --help");
  const name = positionals[0]!;
  const target = resolveTarget(name);
  if (values.follow) {
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    const print = (connection: Connection): void => void process.stdout.write(values.json ? `${safeJson(connection)}\n` : `${row(connection)}\n`);
    // Tunnels opened before now and still open first; then each connection as it opens and as it closes.
    for (const connection of connections(target)) if (connection.state === "open") print(connection);
    await follow(target, print, controller.signal);
    return;
  }
  const list = connections(target);
  const blocked = blockedSummary(list, name);
  if (values.json) {
    process.stdout.write(`${safeJson({ name, id: target.id, mode: target.mode, connections: list, blocked }, 2)}\n`);
    return;
  }
  process.stdout.write(`${name}: egress ${target.mode}, ${list.length} connection(s)\n`);
  for (const connection of list) process.stdout.write(`${row(connection)}\n`);
  if (blocked.length > 0) {
    process.stdout.write(`\nBlocked hosts (allow one for this container, no restart):\n`);
    for (const entry of blocked) process.stdout.write(`  ${escapeLine(`${entry.host}:${entry.port}`)} ×${entry.attempts}   ${entry.allow ?? "(not a valid host name or address: no command suggested)"}\n`);
  }
}

function allow(args: string[], json: boolean): void {
  if (args.length < 2) throw new UserError("egress allow takes a container name and at least one host", "see egress --help");
  const [name, ...hosts] = args as [string, ...string[]];
  const target = resolveTarget(name);
  const added = hosts.map((host) => allowHost(target, host));
  if (json) process.stdout.write(`${safeJson({ name, id: target.id, allowed: added })}\n`);
  else process.stderr.write(`${name}: now allowed: ${added.join(", ")} (takes effect on the next connection)\n`);
}

function row(connection: Connection): string {
  const bytes = connection.verdict !== "allowed" ? "" : connection.state === "open" ? "open" : `↑${connection.up} ↓${connection.down}`;
  const reason = connection.verdict === "allowed" ? "" : connection.reason ?? "";
  // The credential broker's mark: which secrets it put into this connection's requests (names only).
  const injected = connection.injected?.length ? `  injected: ${connection.injected.join(", ")}` : "";
  // Every field is the enforcer's log line, and the host in it is whatever the agent asked for.
  return escapeLine(`${connection.time}  ${connection.verdict.padEnd(7)}  ${`${connection.host}:${connection.port}`.padEnd(40)}  ${bytes}${reason}${injected}`);
}
