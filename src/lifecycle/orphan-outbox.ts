/**
 * An outbox whose container is gone may hold pushed work the host never imported. `prune` reads it in a
 * throwaway reader container (withReader) and imports its branch through `sync`'s own checks, into the repository it belongs to: a launch's record
 * names it, and a scaffolded container's claim (sync-targets.ts) does once it was imported before. When
 * the work cannot be imported, or nothing says where it goes, the volume is kept and the reason given.
 */
import { existsSync, readdirSync } from "node:fs";
import { readRecord, statePaths } from "../launch/state.js";
import { dockerRunner, syncOutbox, type SyncOutcome } from "../launch/sync.js";
import { claimedFor, claimsFile } from "../launch/sync-targets.js";
import { UserError } from "../errors.js";
import { escapeLine } from "../terminal.js";
import { HOST_REPO_MOUNT, OUTBOX_DIR } from "../workspace/layout.js";
import { join } from "node:path";
import { docker, dockerOk, removeOne } from "../engine/docker.js";
import { DEFAULT_LIMITS, limitArgs } from "../limits/limits.js";

export type OutboxVerdict = { safe: true; imported?: { outcome: SyncOutcome; hostRepo: string } } | { safe: false; why: string };

/** The repositories and branches an outbox volume's work may belong to, from launch records and claims. */
function homesOf(volume: string, stateRoot: string): { hostRepo: string; branch?: string; name: string }[] {
  const homes: { hostRepo: string; branch?: string; name: string }[] = [];
  if (existsSync(stateRoot)) {
    for (const name of readdirSync(stateRoot)) {
      const record = readRecord(statePaths(stateRoot, name));
      if (record?.outboxVolume === volume) homes.push({ hostRepo: record.localRepo, branch: record.branch, name });
    }
  }
  return homes;
}

const READER_ENV = ["GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=safe.directory", "GIT_CONFIG_VALUE_0=*"];

/** Every image of ours runs the agent as UID 1000, which owns the outbox. */
const AGENT_UID = "1000:1000";

/**
 * Runs `body` with a reader: one of our images (it has git), confined as the agent itself was, since git
 * there reads the agent's own config and can run what it names (core.alternateRefsCommand): the agent's
 * UID, no capability, no-new-privileges, the agent's limits, no network; the outbox read-only where it
 * was, and the objects it borrows (its alternates) from the host repository, read-only where it borrowed
 * them. Root, or any capability, would hand that code the host (DAC_READ_SEARCH opens any host file by handle).
 */
async function withReader<T>(volume: string, image: string, hostRepo: string | undefined, body: (reader: string) => Promise<T>): Promise<T | { why: string }> {
  const mounts = [`type=volume,source=${volume},target=${OUTBOX_DIR},readonly`, ...(hostRepo ? [`type=bind,source=${join(hostRepo, "objects")},target=${HOST_REPO_MOUNT}/objects,readonly`] : [])];
  const confined = ["--user", AGENT_UID, "--network", "none", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", ...limitArgs(DEFAULT_LIMITS.agent)];
  const started = await docker(
    ["run", "-d", ...confined, "--entrypoint", "sleep", ...READER_ENV.flatMap((e) => ["-e", e]), ...mounts.flatMap((m) => ["--mount", m]), image, "600"],
    120_000,
  );
  if (started.status !== 0) return { why: `cannot start a reader: ${escapeLine(started.stderr.trim().split("\n").pop() ?? "")}` };
  const reader = started.stdout.trim();
  try {
    return await body(reader);
  } finally {
    await removeOne("container", reader);
  }
}

/** Imports what the outbox holds, or says why it is kept. `image`: one of ours (it has git). */
export async function rescueOutbox(volume: string, image: string | undefined, stateRoot: string): Promise<OutboxVerdict> {
  if (!image) return { safe: false, why: "no image of ours is left to read it with" };
  try {
    const listed = await withReader(volume, image, undefined, async (reader) =>
      (await dockerOk(["exec", reader, "git", `--git-dir=${OUTBOX_DIR}`, "for-each-ref", "--format=%(refname)", "refs/heads/"])).split("\n").filter(Boolean),
    );
    if (!Array.isArray(listed)) return { safe: false, ...listed };
    if (listed.length === 0) return { safe: true };
    if (listed.length > 1) return { safe: false, why: `it holds several branches (${escapeLine(listed.slice(0, 3).join(", ").slice(0, 200))})` };
    const branch = listed[0]!.slice("refs/heads/".length);
    const launched = homesOf(volume, stateRoot);
    // A scaffolded container's outbox goes only where sync claimed this branch for that very container.
    const homes = launched.length > 0 ? launched : claimedFor(claimsFile(stateRoot), volume, branch).map((hostRepo) => ({ hostRepo, branch, name: volume }));
    const home = homes.find((h) => h.branch === branch);
    if (!home) return { safe: false, why: `it holds ${escapeLine(branch)}, never imported, and nothing records which repository it belongs to` };
    const outcome = await withReader(volume, image, home.hostRepo, (reader) => syncOutbox({ name: home.name, containerId: reader, hostRepo: home.hostRepo, branch }, dockerRunner(reader)));
    if ("why" in outcome) return { safe: false, why: outcome.why };
    return { safe: true, imported: { outcome, hostRepo: home.hostRepo } };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { safe: false, why: `${error.message}${error.hint ? ` (${error.hint})` : ""}` };
  }
}
