/**
 * `prune [folder] [--dry-run] [--keep-images] [--grace <minutes>] [--json]`: clears what agent containers left behind
 * when they went without `rm` (src/lifecycle/prune.ts), and says what went, what stayed and why, and the
 * space freed.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { stateRoot } from "../launch/state.js";
import { describeSync } from "../launch/manage.js";
import { prune, PRUNE_GRACE_MINUTES, type PruneItem } from "../lifecycle/prune.js";
import { formatSize } from "../lifecycle/sizes.js";
import { escapeLine, safeJson } from "../terminal.js";
import { UserError } from "../errors.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";

export const PRUNE = defineCommand({
  usage: "prune [folder] [--dry-run] [--keep-images] [--grace <minutes>] [--json]",
  description: `Removes what agent containers left when they went without \`rm\` (\`docker rm -f\`, as VS Code does):
egress enforcers and their networks, workspace and outbox volumes no container mounts, launch state
folders without a container, and images this tool built that no container uses. An orphaned outbox's
pushed branch is imported first; one that cannot be (or whose repository nothing records) is kept with
its workspace, and the reason printed. Only what carries this tool's labels is touched. The workspace
volume of a container removed by hand goes with it: uncommitted files in it are lost. With a folder (a
repository brought up from its scaffolded configs, or a launch's state folder), only what its containers
left goes, found through its enforcers' labels (so not an \`open\` config's volumes), with the images built for it.`,
  flags: {
    "dry-run": { type: "boolean", short: "n", help: "list what would go, with sizes, and remove nothing" },
    "keep-images": { type: "boolean", help: "leave unused images" },
    grace: { type: "string", arg: "minutes", default: String(PRUNE_GRACE_MINUTES), help: "spare anything younger (an `up` in progress has made its enforcer, network and image before its container)" },
    json: JSON_FLAG,
    help: HELP_FLAG,
  },
});

export async function runPrune(argv: string[]): Promise<void> {
  const args = parseOrHelp(PRUNE, argv);
  if (!args) return;
  const { values, positionals } = args;
  if (positionals.length > 1) throw new UserError("prune takes at most one folder", "to remove one container and what it owns: create-agent-devcontainer rm <name>");
  const folder = positionals[0] === undefined ? undefined : resolve(positionals[0]);
  if (folder !== undefined && !existsSync(folder)) throw new UserError(`no such folder: ${positionals[0]}`, "give the repository the containers were brought up from, or a launch's state folder");
  const grace = Number(values.grace);
  if (!/^\d+(\.\d+)?$/.test(values.grace) || !Number.isFinite(grace)) throw new UserError(`--grace takes minutes, not ${JSON.stringify(values.grace)}`, "e.g. --grace 0");
  const root = stateRoot();
  const report = await prune({ stateRoot: root, dryRun: values["dry-run"] === true, keepImages: values["keep-images"] === true, graceMs: grace * 60_000, now: new Date(), ...(folder ? { folder } : {}) });
  if (values.json) return void process.stdout.write(`${safeJson(report, 2)}\n`);
  const item = (i: PruneItem) => escapeLine(`${i.kind} ${i.name}${i.size !== undefined ? ` (${formatSize(i.size)})` : ""}`);
  for (const { outcome, hostRepo } of report.imported) process.stderr.write(`${describeSync(outcome, hostRepo)}\n`);
  for (const i of report.removed) process.stderr.write(`${report.dryRun ? "would remove" : "removed"} ${item(i)}\n`);
  for (const i of report.kept) process.stderr.write(`kept ${item(i)}: ${escapeLine(i.why)}\n`);
  if (report.dryRun && report.removed.some((i) => i.kind === "volume")) process.stderr.write("an outbox's pushed branch is imported before its volume goes\n");
  process.stderr.write(
    report.removed.length === 0 && report.kept.length === 0 ? "nothing to prune\n" : `${report.dryRun ? "would free" : "freed"} ${formatSize(report.freed)}\n`,
  );
}
