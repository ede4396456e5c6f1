/**
 * `sync [name…] [--all] [--force] [--json]`: imports containers' pushed branches into the host repository.
 * Without names: every container of the repository in the current folder (launched, or from its scaffolded
 * configs). One line per container; a refusal is one line too, and makes the exit code 1.
 */
import { safeJson } from "../terminal.js";
import { resolveLocalRepo } from "../launch/host-repo.js";
import { LaunchError } from "../launch/errors.js";
import { describeSync, findLaunch, syncLaunch } from "../launch/manage.js";
import { listContainers } from "../lifecycle/list.js";
import { stateRoot } from "../launch/state.js";
import { syncOutbox, type SyncOutcome } from "../launch/sync.js";
import { claimsFile, claimScaffoldedBranch, scaffoldedContainers } from "../launch/sync-targets.js";
import { defineCommand, HELP_FLAG, JSON_FLAG, parseOrHelp } from "./args.js";
import { UserError } from "../errors.js";

interface Result {
  name: string;
  repo: string;
  outcome?: SyncOutcome;
  refused?: string;
}

export const SYNC = defineCommand({
  usage: "sync [name…] [--all] [--force] [--json]",
  description: `Imports containers' pushed branches into the host repository: the named ones, else every
container of the repository in the current folder.`,
  flags: {
    all: { type: "boolean", help: "every running launched container, whatever its repository" },
    force: { type: "boolean", short: "f", help: "take a branch the container rewrote (force-pushed)" },
    json: JSON_FLAG,
    help: HELP_FLAG,
  },
});

export async function runSync(argv: string[], cwd = process.cwd()): Promise<void> {
  const args = parseOrHelp(SYNC, argv);
  if (!args) return;
  const { values, positionals } = args;
  const force = values.force;
  const root = stateRoot();
  const results: Result[] = [];
  const attempt = async (name: string, repo: string, body: () => Promise<SyncOutcome | undefined>): Promise<void> => {
    try {
      const outcome = await body();
      results.push(outcome ? { name, repo, outcome } : { name, repo, refused: "no container to import from" });
    } catch (error) {
      if (!(error instanceof LaunchError)) throw error;
      results.push({ name, repo, refused: `${error.message}${error.hint ? ` (${error.hint})` : ""}` });
    }
  };
  // --all: the running ones (a stopped container was imported when it stopped); a named one is started for it.
  const launched = values.all || positionals.length === 0 ? (await listContainers()).filter((row) => row.kind === "launched") : [];
  const names = values.all ? launched.filter((row) => row.state === "running").map((row) => row.name) : positionals;
  for (const name of names) {
    const found = findLaunch(root, name);
    await attempt(name, found.record?.localRepo ?? "", () => syncLaunch(found, force));
  }
  if (names.length === 0 && !values.all) {
    let repo;
    try {
      repo = resolveLocalRepo(cwd);
    } catch (error) {
      throw error instanceof LaunchError ? new UserError(error.message, "run sync in a repository, or name containers: sync <name…> / sync --all") : error;
    }
    for (const row of launched.filter((r) => r.state === "running")) {
      const found = findLaunch(root, row.name);
      if (found.record?.localRepo === repo.gitDir) await attempt(row.name, repo.gitDir, () => syncLaunch(found, force));
    }
    for (const container of repo.worktree ? scaffoldedContainers(repo.worktree) : []) {
      if (!container.running) {
        results.push({ name: container.name, repo: repo.gitDir, refused: "not running; start it (devcontainer up) and sync again" });
        continue;
      }
      await attempt(container.name, repo.gitDir, async () => {
        const branch = claimScaffoldedBranch(container, repo.gitDir, claimsFile(root));
        if (branch === undefined) return { name: container.name, status: "nothing-pushed", branch: `${container.agent}/…` };
        return syncOutbox({ name: container.name, containerId: container.id, hostRepo: repo.gitDir, branch, force });
      });
    }
  }
  if (values.json) process.stdout.write(`${safeJson(results, 2)}\n`);
  else if (results.length === 0) process.stderr.write("no containers to sync (launch one, or run sync in a repository with running agent containers)\n");
  for (const result of values.json ? [] : results) {
    process.stderr.write(result.outcome ? `${describeSync(result.outcome, result.repo)}\n` : `${result.name}: refused: ${result.refused}\n`);
  }
  if (results.some((result) => result.refused)) process.exitCode = 1;
}
