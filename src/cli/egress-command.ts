/**
 * `create-agent-devcontainer egress <name> [--json] [--follow]`: a container's allowed and blocked
 * connections; `egress allow <name> <host[:port]>… [--save]`: let that running container reach a host (and,
 * with --save, write it into the repository's .devcontainer/egress.toml); `egress suggest <name>`: the
 * blocked hosts as a diff of that file.
 */
import { escapeLine, safeJson } from "../terminal.js";
import { allowEntries, blockedNow } from "../launch/egress-allow.js";
import { allowedRules, blockedHosts, formatBlocked } from "../egress/blocked.js";
import { connections, follow, resolveTarget, type Connection } from "../egress/inspect.js";
import { failingLogin } from "../egress/login-status.js";
import { planPolicyChange, policyRepo } from "../launch/policy-repo.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";
import { UserError } from "../errors.js";

export const EGRESS = defineCommand({
  usage: `egress <name> [--json] [--follow]
       create-agent-devcontainer egress allow <name> [<host[:port]|*.domain>…] [--save]
       create-agent-devcontainer egress suggest <name>`,
  description: `A container's allowed and blocked connections; egress allow lets that running container reach a
host (no restart), and with --save also lists it in the repository's .devcontainer/egress.toml (without
hosts: every blocked one); egress suggest shows the blocked hosts as a diff of that file. <name> is an
agent container (name or id) or the egress id.`,
  flags: {
    json: JSON_FLAG,
    follow: { type: "boolean", short: "f", help: "print connections as they happen" },
    save: { type: "boolean", help: "egress allow: also add the hosts to .devcontainer/egress.toml in the repository, for every container of it" },
    repo: { type: "string", arg: "dir", help: "the repository whose .devcontainer/egress.toml suggest and --save edit (default: the one the container came from)" },
    help: HELP_FLAG,
  },
});

type Values = NonNullable<ReturnType<typeof parseOrHelp<typeof EGRESS.flags>>>["values"];

export async function runEgress(argv: string[]): Promise<void> {
  const args = parseOrHelp(EGRESS, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals[0] === "allow") return allow(positionals.slice(1), values);
  if (positionals[0] === "suggest") return suggest(positionals.slice(1), values);
  if (positionals.length !== 1) throw new UserError("egress takes one container name", "see egress --help");
  const name = positionals[0]!;
  const target = await resolveTarget(name);
  if (values.follow) {
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    const print = (connection: Connection): void => void process.stdout.write(values.json ? `${safeJson(connection)}\n` : `${row(connection)}\n`);
    // Tunnels opened before now and still open first; then each connection as it opens and as it closes.
    for (const connection of await connections(target)) if (connection.state === "open") print(connection);
    await follow(target, print, controller.signal);
    return;
  }
  const list = await connections(target);
  const blocked = blockedHosts(list, name, allowedRules(target.id));
  const login = failingLogin(target.id);
  if (values.json) {
    process.stdout.write(`${safeJson({ name, id: target.id, mode: target.mode, ...(login ? { login } : {}), connections: list, blocked }, 2)}\n`);
    return;
  }
  process.stdout.write(`${name}: egress ${target.mode}, ${list.length} connection(s)\n`);
  if (login) process.stdout.write(`${escapeLine(`(!) ${login}`)}\n`);
  for (const connection of list) process.stdout.write(`${row(connection)}\n`);
  if (blocked.length > 0) {
    process.stdout.write(`\nBlocked hosts (allow one for this container, no restart; add --save to list it in the repository too):\n`);
    for (const entry of blocked) process.stdout.write(`  ${escapeLine(formatBlocked(entry)).padEnd(40)}  ${entry.allow ?? "(not a valid host name or address: no command suggested)"}\n`);
  }
}

async function suggest(args: string[], values: Values): Promise<void> {
  if (args.length !== 1) throw new UserError("egress suggest takes one container name", "see egress --help");
  const name = args[0]!;
  const target = await resolveTarget(name);
  const entries = (await blockedNow(target, name)).flatMap((entry) => entry.entries);
  const change = planPolicyChange(await policyRepo(target, values.repo), entries);
  if (values.json) return void process.stdout.write(`${JSON.stringify({ name, id: target.id, file: change.file, entries, diff: change.diff }, null, 2)}\n`);
  if (entries.length === 0) return void process.stderr.write(`${name}: nothing blocked that is not allowed since\n`);
  process.stdout.write(change.diff);
  process.stderr.write(`\nwrite it with: create-agent-devcontainer egress allow --save ${name}\n`);
}

async function allow(args: string[], values: Values): Promise<void> {
  if (args.length < (values.save ? 1 : 2)) throw new UserError("egress allow takes a container name and at least one host", "see egress --help");
  const [name, ...hosts] = args as [string, ...string[]];
  const target = await resolveTarget(name);
  const entries = hosts.length > 0 ? hosts : (await blockedNow(target, name)).flatMap((entry) => entry.entries);
  if (entries.length === 0) throw new UserError(`${name}: nothing blocked to allow`, `see: create-agent-devcontainer egress ${name}`);
  const { allowed: added, change } = await allowEntries(target, entries, values.save ? { ...(values.repo !== undefined ? { repo: values.repo } : {}) } : undefined);
  if (values.json) {
    process.stdout.write(`${safeJson({ name, id: target.id, allowed: added, ...(change ? { saved: change.file, diff: change.diff } : {}) })}\n`);
    return;
  }
  process.stderr.write(`${name}: now allowed: ${added.join(", ")} (takes effect on the next connection)\n`);
  if (change) process.stderr.write(change.diff ? `${change.diff}saved in ${change.file}: review and commit it\n` : `already listed in ${change.file}\n`);
}

function row(connection: Connection): string {
  const bytes = connection.verdict !== "allowed" ? "" : connection.state === "open" ? "open" : `↑${connection.up} ↓${connection.down}`;
  const reason = connection.verdict === "allowed" ? "" : connection.reason ?? "";
  // The credential broker's mark: which secrets it put into this connection's requests (names only).
  const injected = connection.injected?.length ? `  injected: ${connection.injected.join(", ")}` : "";
  // Every field is the enforcer's log line, and the host in it is whatever the agent asked for.
  return escapeLine(`${connection.time}  ${connection.verdict.padEnd(7)}  ${`${connection.host}:${connection.port}`.padEnd(40)}  ${bytes}${reason}${injected}`);
}
