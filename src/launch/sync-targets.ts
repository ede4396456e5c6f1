/**
 * Which containers `sync` imports from, and into which branch. A launched container's branch was chosen on
 * the host and recorded at launch. A scaffolded config's container (devcontainer up, VS Code) picks its own
 * `<agent>/<feature>` branch, so the host claims it for that container at its first import: no other
 * container can then write it, and an existing branch that no container claimed is never taken over.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { dockerSync } from "../engine/docker.js";
import { LABELS } from "../labels.js";
import { writeFileAtomic } from "../write/atomic.js";
import { gitResult } from "../workspace/git.js";
import { OUTBOX_DIR } from "../workspace/layout.js";
import { LaunchError } from "./errors.js";
import type { Found } from "./state.js";
import { SyncRefused, type SyncSource } from "./sync.js";
import { escapeLine } from "../terminal.js";
import { branchNameProblem } from "../workspace/ref-names.js";
import { baseCommitOf } from "../tasks/diff.js";

export function launchedSource(found: Found, force: boolean): SyncSource | undefined {
  const { container, record } = found;
  if (!container || !record) return undefined;
  return { name: found.name, containerId: container.id, hostRepo: record.localRepo, branch: record.branch, force, ...optionalBase(found) };
}

/** The commit the launch started its branch from, as `diff` counts from it; none for a launch that left no record. */
function optionalBase(found: Found): { base?: string } {
  try {
    return { base: baseCommitOf(found) };
  } catch (error) {
    if (error instanceof LaunchError) return {};
    throw error;
  }
}

export interface ScaffoldedContainer {
  id: string;
  name: string;
  agent: string;
  running: boolean;
  /** Its outbox volume, where the caller knows it (else read from the engine when a claim records it). */
  outbox?: string;
}

/**
 * A branch's claim: the container that may write it, and that container's outbox volume, by which `prune`
 * finds where an orphaned outbox's work goes (claims written before the volume was recorded have none).
 */
export interface Claim {
  container: string;
  outbox?: string;
}

/** Containers of scaffolded configs in this folder: each carries the folder it came up from as a label. */
export function scaffoldedContainers(folder: string): ScaffoldedContainer[] {
  const format = `{{.ID}}\t{{.Names}}\t{{.State}}\t{{.Label "${LABELS.agent}"}}\t{{.Label "${LABELS.localFolder}"}}`;
  const ps = dockerSync(["ps", "-a", "--no-trunc", "--filter", `label=${LABELS.localFolder}`, "--format", format]);
  if (ps.status !== 0) throw new LaunchError(`docker ps failed: ${ps.stderr.trim()}`, "is the Docker engine running?");
  const here = realpath(folder);
  return ps.stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t"))
    .filter(([, , , agent, local]) => agent && local && realpath(local) === here)
    .map(([id = "", name = "", state = "", agent = ""]) => ({ id, name, agent, running: state === "running" }));
}

/** The same folder through a symlink is the same folder; a gone one matches nothing. */
function realpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return `missing:${path}`;
  }
}

/**
 * The branch a scaffolded container pushed (the one ref under refs/heads/<agent>/ in its outbox), claimed
 * for it on first sight. Undefined when it pushed nothing yet.
 */
export function claimScaffoldedBranch(container: ScaffoldedContainer, hostRepo: string, claims: string): string | undefined {
  const listing = dockerSync(["exec", container.id, "git", `--git-dir=${OUTBOX_DIR}`, "for-each-ref", "--format=%(refname)", `refs/heads/${container.agent}/`], { timeoutMs: 60_000 });
  if (listing.status !== 0) throw new SyncRefused(`${container.name}: cannot read its outbox: ${escapeLine(listing.stderr.trim().split("\n").pop()?.slice(0, 300) ?? "")}`);
  const refs = listing.stdout.split("\n").filter(Boolean);
  if (refs.length === 0) return undefined;
  if (refs.length > 1) throw new SyncRefused(`${container.name}: its outbox holds several branches (${escapeLine(refs.slice(0, 3).join(", ").slice(0, 300))}); a container imports one`, "delete the others in the container: git push local --delete <branch>");
  const branch = refs[0]!.slice("refs/heads/".length);
  // The listing is the container's word: the name must be a valid branch in the agent's own namespace.
  if (!refs[0]!.startsWith(`refs/heads/${container.agent}/`) || branchNameProblem(branch) !== undefined) {
    throw new SyncRefused(`${container.name}: its outbox names ${escapeLine(JSON.stringify(refs[0]!.slice(0, 200)))}, not a branch under ${container.agent}/; nothing imported`);
  }
  const key = `${hostRepo}\n${branch}`;
  const table = readClaims(claims);
  const owner = table[key]?.container;
  if (owner === container.id && table[key]?.outbox !== undefined) return branch;
  if (owner !== undefined && owner !== container.id && containerAlive(owner)) throw new SyncRefused(`${container.name}: ${branch} belongs to another container (${owner.slice(0, 12)}); nothing imported`, "rename the branch in this container (git branch -m) and push again");
  if (owner === undefined && gitResult(["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: hostRepo }).status === 0) {
    throw new SyncRefused(`${container.name}: ${branch} already exists in the repository and was not made by this container; nothing imported`, "rename the branch in the container (git branch -m) and push again");
  }
  const outbox = container.outbox ?? outboxVolumeOf(container.id);
  const claim: Claim = { container: container.id, ...(outbox ? { outbox } : {}) };
  writeFileAtomic(claims, `${JSON.stringify({ ...table, [key]: claim }, null, 2)}\n`, 0o600);
  return branch;
}

/** The repositories where this outbox volume's container claimed `branch`: where prune may import it. */
export function claimedFor(claims: string, outbox: string, branch: string): string[] {
  return Object.entries(readClaims(claims))
    .filter(([key, claim]) => claim.outbox === outbox && key.split("\n")[1] === branch)
    .map(([key]) => key.split("\n")[0]!);
}

/** Where the claims live: beside launch's state folders. */
export function claimsFile(stateRoot: string): string {
  return join(dirname(stateRoot), "claims.json");
}

function readClaims(file: string): Record<string, Claim> {
  if (!existsSync(file)) return {};
  const table = JSON.parse(readFileSync(file, "utf8")) as Record<string, string | Claim>;
  return Object.fromEntries(Object.entries(table).map(([key, claim]) => [key, typeof claim === "string" ? { container: claim } : claim]));
}

function outboxVolumeOf(id: string): string | undefined {
  const format = `{{range .Mounts}}{{if eq .Destination "${OUTBOX_DIR}"}}{{.Name}}{{end}}{{end}}`;
  const inspected = dockerSync(["container", "inspect", "--format", format, id]);
  return inspected.status === 0 && inspected.stdout.trim() !== "" ? inspected.stdout.trim() : undefined;
}

function containerAlive(id: string): boolean {
  return dockerSync(["container", "inspect", "--format", "{{.Id}}", id]).status === 0;
}
