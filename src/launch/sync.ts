/**
 * `sync`: imports a container's pushed work from its outbox into the host repository, with the host's own
 * git, as the host user. The outbox is hostile: the host reads nothing the agent wrote but two byte streams
 * from `docker exec` (a ref listing and a git bundle), honours no config or hook of the outbox, accepts
 * exactly the container's own branch (no symbolic refs, nothing outside it), checks every object
 * (`index-pack --strict`) and updates the ref with a compare-and-swap, refusing a rewrite unless forced.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, createWriteStream, fstatSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerCommand, dockerSync, type DockerResult } from "../engine/docker.js";
import { BundleError, parseBundleHeader } from "../workspace/bundle.js";
import { git, gitResult } from "../workspace/git.js";
import { OUTBOX_DIR } from "../workspace/layout.js";
import { branchNameProblem } from "../workspace/ref-names.js";
import { escapeLine } from "../terminal.js";
import { hostRunChanges } from "./branch-changes.js";
import { LaunchError } from "./errors.js";
import { BUNDLE_CONFIG, importGrowthProblem } from "./import-size.js";

/** How the host runs a command in the container (docker exec; a local stand-in in unit tests). */
export interface ContainerRunner {
  capture(command: readonly string[]): { status: number | null; stdout: string; stderr: string };
  toFile(command: readonly string[], file: string): Promise<{ code: number | null; stderr: string }>;
}

export function dockerRunner(containerId: string): ContainerRunner {
  return {
    capture: (command) => exec(containerId, command),
    toFile: (command, file) => execToFile(dockerCommand(["exec", containerId, ...command]), file),
  };
}

export interface SyncSource {
  /** For messages: the container's name. */
  name: string;
  containerId: string;
  /** The host repository's git dir. */
  hostRepo: string;
  /** The one branch this container may write, `<agent>/<feature>`. */
  branch: string;
  /** Import a rewritten (non-fast-forward) branch. */
  force?: boolean;
  /** The commit the branch started from, when recorded (a launch's): what its host-run files are counted against. */
  base?: string;
}

export type SyncOutcome =
  | { name: string; status: "nothing-pushed"; branch: string }
  | { name: string; status: "up-to-date"; branch: string; commit: string; hostRun: string[] }
  | { name: string; status: "imported"; branch: string; commit: string; previous: string | null; forced: boolean; hostRun: string[] };

/** An outbox the host will not import from, said in one line. */
export class SyncRefused extends LaunchError {}

/** A bundle larger than this is not read further (a hostile container could stream forever). */
const MAX_BUNDLE_BYTES = 8 * 1024 ** 3;
const EXEC_TIMEOUT_MS = 10 * 60_000;
const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** index-pack's address space and time: ample for real work (a 1 GB file), fatal to a delta bomb. */
const INDEX_PACK_MEMORY_KB = 4 * 1024 * 1024;
const INDEX_PACK_TIMEOUT_MS = 15 * 60_000;
/** An honest bundle names a handful (the host's tips the work starts from). */
const MAX_PREREQUISITES = 1000;

export async function syncOutbox(source: SyncSource, runner: ContainerRunner = dockerRunner(source.containerId)): Promise<SyncOutcome> {
  const { name, branch } = source;
  const problem = branchNameProblem(branch);
  if (problem) throw new LaunchError(`${name}: its branch ${JSON.stringify(branch)} is not a valid name: ${problem}`);
  const ref = `refs/heads/${branch}`;
  const tip = outboxTip(source, ref, runner);
  if (tip === undefined) return { name, status: "nothing-pushed", branch };
  const previous = hostRef(source.hostRepo, ref);
  // The branch's files that run on the host are named on every import (host-run.ts); importing stays the user's call.
  if (previous === tip) return { name, status: "up-to-date", branch, commit: tip, hostRun: hostRunChanges(source.hostRepo, tip, source.base) };
  // A tip the host already has must be a commit too (a tag of one of its commits would be, once peeled).
  const known = objectType(source.hostRepo, tip);
  if (known !== undefined) refuseNonCommit(source, known);
  const staged = known !== undefined ? undefined : await stageObjects(source, ref, tip, runner);
  const forced = previous !== null && !isAncestor(source.hostRepo, previous, tip, staged?.env);
  try {
    if (forced && !source.force) {
      throw new SyncRefused(`${name}: ${branch} was rewritten in the container (not a fast-forward of ${previous.slice(0, 12)}); nothing imported`, `to replace the host's ${branch} with it: create-agent-devcontainer sync ${name} --force`);
    }
    refuseCheckedOut(source.hostRepo, branch, name);
    staged?.keep();
  } finally {
    staged?.discard();
  }
  const update = gitResult(["update-ref", "-m", `create-agent-devcontainer sync ${name}`, ref, tip, previous ?? "0".repeat(tip.length)], { cwd: source.hostRepo });
  if (update.status !== 0) throw new LaunchError(`${name}: cannot update ${branch} in ${source.hostRepo}: ${update.stderr.trim().split("\n").pop() ?? ""}`, "it changed meanwhile; sync again");
  return { name, status: "imported", branch, commit: tip, previous, forced, hostRun: hostRunChanges(source.hostRepo, tip, source.base) };
}

/** Lists the outbox's refs, then its symbolic links: the host reads only this text, never the outbox's files. */
const LIST_OUTBOX = 'git --git-dir="$0" for-each-ref --format="%(objectname) %(refname) %(symref)" && echo "--" && cd "$0" && find refs packed-refs -type l 2>/dev/null; true';

/** The outbox's refs, listed by git in the container; only the container's own branch may be there. */
function outboxTip(source: SyncSource, ref: string, runner: ContainerRunner): string | undefined {
  const listing = runner.capture(["sh", "-c", LIST_OUTBOX, OUTBOX_DIR]);
  const text = `\n${listing.stdout}`;
  const split = text.indexOf("\n--\n");
  if (listing.status !== 0 || split < 0) throw new SyncRefused(`${source.name}: cannot read its outbox: ${lastLine(listing.stderr) || "unexpected output"}`);
  const symlinks = text.slice(split + 4).split("\n").filter(Boolean);
  if (symlinks.length > 0) {
    throw new SyncRefused(`${source.name}: its outbox has symbolic links (${escapeLine(symlinks.slice(0, 3).join(", ").slice(0, 200))}); nothing imported`, "remove them in the container");
  }
  let tip: string | undefined;
  const outside: string[] = [];
  for (const line of text.slice(1, split).split("\n").filter(Boolean)) {
    const [oid = "", name = "", symref = ""] = line.split(" ");
    if (!OID.test(oid) || !name.startsWith("refs/")) throw new SyncRefused(`${source.name}: its outbox lists a malformed ref: ${escapeLine(JSON.stringify(line.slice(0, 120)))}`);
    if (symref !== "") throw new SyncRefused(`${source.name}: ${escapeLine(name)} in its outbox is a symbolic ref (to ${escapeLine(symref)}); nothing imported`, "delete it in the container: git push local --delete <branch>");
    if (name === ref) tip = oid;
    else outside.push(name);
  }
  if (outside.length > 0) {
    throw new SyncRefused(
      `${source.name}: its outbox holds refs outside its branch ${source.branch}: ${escapeLine(outside.slice(0, 5).join(", ").slice(0, 300))}${outside.length > 5 ? ", …" : ""}; nothing imported`,
      "only the container's own branch is imported; delete the others in the container: git push local --delete <ref>",
    );
  }
  return tip;
}

/** Objects checked in a quarantine: `keep` moves them into the repository, `discard` drops what is left. */
interface Staged {
  env: NodeJS.ProcessEnv;
  keep(): void;
  discard(): void;
}

/**
 * Brings the commit's objects over as a bundle (only what the host lacks) and checks each in a quarantine
 * (as receive-pack does: a new object folder with the repository's own as an alternate). Nothing reaches
 * the repository before `keep`, so a refusal leaves it byte-identical.
 */
async function stageObjects(source: SyncSource, ref: string, tip: string, runner: ContainerRunner): Promise<Staged> {
  const dir = mkdtempSync(join(tmpdir(), "agent-devcontainer-sync-"));
  const file = join(dir, "outbox.bundle");
  const objects = git(["rev-parse", "--path-format=absolute", "--git-path", "objects"], { cwd: source.hostRepo });
  const quarantine = mkdtempSync(join(objects, "incoming-"));
  const env = { GIT_OBJECT_DIRECTORY: quarantine, GIT_ALTERNATE_OBJECT_DIRECTORIES: objects, GIT_QUARANTINE_PATH: quarantine };
  const discard = () => rmSync(quarantine, { recursive: true, force: true });
  try {
    // The host's refs, read through the outbox's alternates, are the base: only new objects travel.
    // Packed with git's defaults, not the outbox's settings (see BUNDLE_CONFIG).
    const config = BUNDLE_CONFIG.flatMap((setting) => ["-c", setting]);
    const status = await runner.toFile(["git", ...config, `--git-dir=${OUTBOX_DIR}`, "bundle", "create", "--quiet", "-", ref, "--not", "--alternate-refs"], file);
    if (status.code !== 0) throw new SyncRefused(`${source.name}: its outbox could not give ${source.branch}: ${lastLine(status.stderr)}`);
    const fd = openSync(file, "r");
    try {
      const head = Buffer.alloc(1024 * 1024);
      const header = parseBundleHeader(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
      const refs = header.refs.map((r) => `${r.oid} ${r.name}`);
      if (refs.length !== 1 || refs[0] !== `${tip} ${ref}`) {
        throw new SyncRefused(`${source.name}: its outbox sent other refs than ${source.branch} at ${tip.slice(0, 12)} (${escapeLine(refs.join(", ").slice(0, 200))}); nothing imported`);
      }
      if (header.prerequisites.length > MAX_PREREQUISITES) throw new SyncRefused(`${source.name}: its bundle names ${header.prerequisites.length} prerequisite commits (at most ${MAX_PREREQUISITES}); nothing imported`);
      const missing = missingCommits(source.hostRepo, header.prerequisites);
      if (missing.length > 0) throw new SyncRefused(`${source.name}: its work builds on commits this repository does not have (${missing[0]!.slice(0, 12)}…); nothing imported`);
      // Position the descriptor at the pack, which index-pack reads from there as its stdin.
      readSync(fd, Buffer.alloc(header.packOffset), 0, header.packOffset, null);
      // A small pack can claim huge objects (a delta that repeats its base): index-pack runs with bounded
      // memory and time, so a hostile one costs the host a refusal, not its RAM.
      const indexed = spawnSync("/bin/sh", ["-c", 'ulimit -v "$0" && exec "$@"', String(INDEX_PACK_MEMORY_KB), "git", "-c", "core.packedGitLimit=256m", "index-pack", "--stdin", "--fix-thin", "--strict"], {
        cwd: source.hostRepo,
        env: { ...process.env, ...env },
        stdio: [fd, "pipe", "pipe"],
        encoding: "utf8",
        timeout: INDEX_PACK_TIMEOUT_MS,
      });
      if (indexed.status !== 0) {
        const why = indexed.signal ? `stopped after ${INDEX_PACK_TIMEOUT_MS / 60_000} minutes` : lastLine(indexed.stderr);
        throw new SyncRefused(`${source.name}: its objects failed the check (${why}); nothing imported`);
      }
      const growth = importGrowthProblem(fstatSync(fd).size, packBytes(quarantine));
      if (growth) throw new SyncRefused(`${source.name}: ${growth}; nothing imported`, "a pack that grows this much here is not honest work; see the README's sync section");
    } finally {
      closeSync(fd);
    }
    const type = objectType(source.hostRepo, tip, env);
    if (type === undefined) throw new SyncRefused(`${source.name}: its bundle did not contain ${tip.slice(0, 12)}; nothing imported`);
    refuseNonCommit(source, type);
    const connected = gitResult(["rev-list", "--quiet", "--objects", "--missing=allow-promisor", tip, "--not", "--all"], { cwd: source.hostRepo, env });
    if (connected.status !== 0) throw new SyncRefused(`${source.name}: ${source.branch} refers to objects it did not send (${lastLine(connected.stderr)}); nothing imported`);
    return { env, keep: () => migrate(quarantine, objects), discard };
  } catch (error) {
    discard();
    if (error instanceof BundleError) throw new SyncRefused(`${source.name}: its outbox sent a malformed bundle: ${error.message}; nothing imported`);
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The checked pack into the repository: the .pack before its .idx, so no reader sees an index without its pack. */
function migrate(quarantine: string, objects: string): void {
  const packs = join(quarantine, "pack");
  const files = readdirSync(packs).sort((a, b) => Number(a.endsWith(".idx")) - Number(b.endsWith(".idx")));
  for (const name of files) renameSync(join(packs, name), join(objects, "pack", name));
}

function hostRef(hostRepo: string, ref: string): string | null {
  const result = gitResult(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd: hostRepo });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Which of these commits the repository lacks, in one git process. */
function missingCommits(hostRepo: string, oids: readonly string[]): string[] {
  if (oids.length === 0) return [];
  const result = spawnSync("git", ["cat-file", "--batch-check=%(objecttype)"], { cwd: hostRepo, input: oids.map((oid) => `${oid}\n`).join(""), encoding: "utf8", env: { ...process.env, GIT_NO_LAZY_FETCH: "1" } });
  const types = result.stdout.split("\n");
  return oids.filter((_oid, index) => types[index] !== "commit");
}

/** The object's own type (a tag is not peeled), or undefined when the repository lacks it. */
function objectType(hostRepo: string, oid: string, env: NodeJS.ProcessEnv = {}): string | undefined {
  const result = gitResult(["cat-file", "-t", oid], { cwd: hostRepo, env: { ...env, GIT_NO_LAZY_FETCH: "1" } });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** A branch is a commit: an annotated tag, a tree or a blob as its tip is refused before any object moves in. */
function refuseNonCommit(source: SyncSource, type: string): void {
  if (type === "commit") return;
  const what = type === "tag" ? "an annotated tag" : `a ${escapeLine(type)}`;
  throw new SyncRefused(`${source.name}: ${source.branch} in its outbox points at ${what}, not a commit; nothing imported`, `push a commit to it in the container: git push --force local HEAD:refs/heads/${source.branch}`);
}

/** The bytes of the packs index-pack wrote into the quarantine. */
function packBytes(quarantine: string): number {
  const packs = join(quarantine, "pack");
  return readdirSync(packs)
    .filter((name) => name.endsWith(".pack"))
    .reduce((total, name) => total + statSync(join(packs, name)).size, 0);
}

function isAncestor(hostRepo: string, ancestor: string, descendant: string, env: NodeJS.ProcessEnv = {}): boolean {
  return gitResult(["merge-base", "--is-ancestor", ancestor, descendant], { cwd: hostRepo, env }).status === 0;
}

/**
 * update-ref does not know worktrees: a branch checked out anywhere, or being rebased or bisected there
 * (git's own "branch in use"), is left to its owner.
 */
function refuseCheckedOut(hostRepo: string, branch: string, name: string): void {
  const ref = `refs/heads/${branch}`;
  for (const block of git(["worktree", "list", "--porcelain"], { cwd: hostRepo }).split("\n\n")) {
    const lines = block.split("\n");
    const path = lines[0]?.replace(/^worktree /, "") ?? "";
    if (lines.includes("bare") || path === "") continue;
    const gitDir = gitResult(["rev-parse", "--absolute-git-dir"], { cwd: path }).stdout.trim();
    const busy = lines.includes(`branch ${ref}`) || (gitDir !== "" && IN_PROGRESS.some((file) => readHead(join(gitDir, file)) === ref));
    if (busy) throw new SyncRefused(`${name}: ${branch} is checked out (or being rebased) in ${path}; nothing imported`, "switch that checkout to another branch, then sync again");
  }
}

/** Where git records the branch an unfinished rebase or bisect will come back to. */
const IN_PROGRESS = ["rebase-merge/head-name", "rebase-apply/head-name", "BISECT_START"];

function readHead(path: string): string | undefined {
  try {
    const text = readFileSync(path, "utf8").trim();
    return text.startsWith("refs/") ? text : `refs/heads/${text}`;
  } catch {
    return undefined;
  }
}

function exec(containerId: string, command: readonly string[]): DockerResult {
  return dockerSync(["exec", containerId, ...command], { timeoutMs: 60_000 });
}

/** Streams a command's stdout into a file, at most MAX_BUNDLE_BYTES and EXEC_TIMEOUT_MS. */
export function execToFile(command: readonly string[], file: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    const out = createWriteStream(file, { mode: 0o600 });
    let bytes = 0;
    let stderr = "";
    let failure: string | undefined;
    const timer = setTimeout(() => ((failure = "took too long"), child.kill("SIGKILL")), EXEC_TIMEOUT_MS);
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BUNDLE_BYTES) return void ((failure = `sent more than ${MAX_BUNDLE_BYTES} bytes`), child.kill("SIGKILL"));
      out.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4096)));
    // A full disk (or any write error) is a refusal, not a crash; the caller removes the file.
    out.on("error", (error) => ((failure = `could not be stored here: ${error.message}`), child.kill("SIGKILL")));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (out.errored) return resolve({ code: -1, stderr: failure ?? "could not be stored here" });
      out.end(() => resolve(failure ? { code: -1, stderr: failure } : { code, stderr }));
    });
  });
}

/** The last line a command printed, escaped: it may come from the container. */
function lastLine(text: string): string {
  return escapeLine(text.trim().split("\n").pop()?.slice(0, 300) ?? "");
}
