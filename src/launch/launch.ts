/**
 * `launch`: validates everything first (source, agents, branch, names), then per agent prepares a state
 * folder (rendered config, read-only inputs, carried changes) and runs the real `devcontainer up` — all
 * agents at once. A launch that fails or is interrupted removes its container, volume and state folder.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { agent, type AgentId } from "../catalogue/agents.js";
import { readFeatureTrees } from "../features/load.js";
import type { ScaffoldOptions } from "../generated/scaffold-options.js";
import type { EngineIdentity } from "../engine/identity.js";
import { engineLocation, ENV_ENGINE } from "../engine/location.js";
import { LABELS } from "../labels.js";
import { agentConfigPath } from "../render/devcontainer-json.js";
import { featureIdsFor } from "../render/scaffold.js";
import { egressLaunchInputs } from "../egress/launch-inputs.js";
import { removeEnforcersOf } from "../egress/inspect.js";
import { writeFileAtomic } from "../write/atomic.js";
import { renderLaunchInput } from "../workspace/launch-input.js";
import { LAUNCH_INPUT_FILE, outboxVolume, WORKSPACE_DIR, workspaceVolume } from "../workspace/layout.js";
import { gitResult } from "../workspace/git.js";
import { agentBranch, branchNameProblem, defaultFeature } from "../workspace/ref-names.js";
import { captureChanges, type CarrySummary } from "./carry.js";
import { engineBuildLock } from "./build-lock.js";
import { devcontainerVersion, up, type Target } from "./devcontainer-cli.js";
import { containerExists, hasBuildx, imageId, imageLabelAsync, removeContainerAndVolumes, requireEngine, tagContainerImage, volumeExists } from "./docker.js";
import { LaunchError } from "./errors.js";
import { cacheTag } from "./image-cache.js";
import { cacheLabel, cachedConfigPath, renderCachedConfig } from "./cached-start.js";
import { METADATA_LABEL } from "../images/metadata.js";
import { classifySource, cloneLocalCopy, cloneUrl, repoName, resolveLocalRepo, type HostRepo } from "./host-repo.js";
import { HostStepError, runHostStep } from "../host/run.js";
import { containerName } from "./names.js";
import { baseImageFix, unpullableBaseImage } from "../offline/hints.js";
import { ensureImage } from "../offline/probe.js";
import { renderLaunchTree } from "./render.js";
import { createStateDir, failedLogPath, loginStagingRoot, statePaths, writeRecord, type StatePaths } from "./state.js";

/** The container-shaping options, as the scaffolder has them (agents and repoName come from the launch). */
export type LaunchOptions = Omit<ScaffoldOptions, "agents" | "repoName" | "workspace">;

export interface LaunchRequest {
  /** A local path (relative to cwd) or a git URL. */
  source: string;
  cwd: string;
  agents: readonly AgentId[];
  /** `--branch`: the feature part of `<agent>/<feature>`. */
  feature?: string;
  carry: boolean;
  /** Render the MCP source of a repository given by URL (a local checkout's is always the user's own). */
  trustMcp?: boolean;
  options: LaunchOptions;
  stateRoot: string;
  now: Date;
  signal?: AbortSignal;
  /** Progress for a person: one line per long step, per container. */
  progress(name: string, message: string): void;
  /** Something that will not stop the launch but that the user should know now. */
  warn(message: string): void;
}

export interface Launched {
  name: string;
  agent: AgentId;
  repo: string;
  branch: string;
  containerId: string;
  /** The clone, inside the container. */
  workspaceFolder: string;
  /** Where `sync` imports the branch: the host repository (or, for a URL, the bare clone in the state folder). */
  localRepo: string;
  stateDir: string;
  logFile: string;
  carried?: CarrySummary;
}

export interface LaunchResult {
  launched: Launched[];
  failed: { name: string; error: LaunchError }[];
}

/** What a launch owns and must remove if it fails: the name, the volumes, the state folder. */
interface Claim {
  name: string;
  volumes: string[];
  paths: StatePaths;
}

interface Planned extends Claim {
  agentId: AgentId;
  branch: string;
  host: HostRepo;
}

interface Prepared extends Planned {
  target: Target;
  carried?: CarrySummary;
  /** The layer cache's tag for this config (image-cache.ts), and the config that starts from it (cached-start.ts). */
  cache?: { tag: string; config: string };
}

export async function launch(request: LaunchRequest): Promise<LaunchResult> {
  const plan = validate(request);
  const prepared = prepareAll(plan, request);
  const started = Date.now();
  const buildLock = hasBuildx() ? undefined : engineBuildLock();
  const outcomes = await Promise.allSettled(prepared.map((entry) => start(entry, request, started, buildLock)));
  const result: LaunchResult = { launched: [], failed: [] };
  outcomes.forEach((outcome, index) => {
    const entry = prepared[index]!;
    if (outcome.status === "fulfilled") return void result.launched.push(outcome.value);
    const log = keepFailedLog(entry, request.stateRoot);
    cleanUp(entry);
    const reason = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    result.failed.push({ name: entry.name, error: new LaunchError(reason, log ? `full log: ${log}` : undefined) });
  });
  return result;
}

interface Plan {
  feature: string;
  /** The local repository, or undefined for a git URL (cloned per container by prepareAll). */
  local: HostRepo | undefined;
  sourceText: string;
  names: string[];
  engine: EngineIdentity;
  /** The base image's id, as found while checking it is here. */
  baseImageId?: string;
}

/** Everything that can be wrong with the input, found before anything is created. */
function validate(request: LaunchRequest): Plan {
  const source = classifySource(request.source, request.cwd);
  const feature = request.feature ?? defaultFeature(request.now);
  for (const id of request.agents) {
    const problem = branchNameProblem(agentBranch(id, feature));
    if (problem) throw new LaunchError(`--branch: "${feature}" makes an invalid branch name (${agentBranch(id, feature)}): ${problem}`);
  }
  refuseSubstitution("--branch", feature);
  if (request.carry && source.kind === "url") throw new LaunchError("--carry-changes needs a local checkout", "a git URL has no uncommitted changes to carry");
  const local = source.kind === "path" ? resolveLocalRepo(source.path) : undefined;
  if (request.carry && local && !local.worktree) throw new LaunchError("--carry-changes needs a checkout with a working tree", "this is a bare repository");
  if (local) refuseSubstitution("the repository path", local.gitDir);
  refuseSubstitution("the state folder", request.stateRoot);
  const engine = requireEngine();
  refuseRemoteEngine(engine);
  const sourceText = source.kind === "url" ? source.url : source.path;
  const names = request.agents.map((id) => containerName(id, local?.name ?? repoName(sourceText), request.feature));
  for (const name of names) assertFree(name, request.stateRoot);
  const baseImageId = request.options.prebuilt ? undefined : requireBaseImage(request.options.baseImage, () => request.progress(names[0]!, `pulling the base image ${request.options.baseImage}`));
  return { feature, local, sourceText, names, engine, ...(baseImageId ? { baseImageId } : {}) };
}

/** Each state folder is claimed (created) before anything else, so a failure anywhere removes all of them. */
function prepareAll(plan: Plan, request: LaunchRequest): Prepared[] {
  const claimed: Claim[] = [];
  const prepared: Prepared[] = [];
  try {
    for (const [index, agentId] of request.agents.entries()) {
      throwIfAborted(request.signal);
      const name = plan.names[index]!;
      const claim = { name, volumes: [workspaceVolume(name), outboxVolume(name)], paths: statePaths(request.stateRoot, name) };
      createStateDir(claim.paths);
      claimed.push(claim);
      const first = prepared[0]?.host;
      const host = plan.local ?? (first ? cloneLocalCopy(first, claim.paths.bareRepo) : cloneUrl(plan.sourceText, claim.paths.bareRepo));
      prepared.push(prepare({ ...claim, agentId, branch: agentBranch(agentId, plan.feature), host }, request, plan));
    }
    return prepared;
  } catch (error) {
    for (const claim of claimed) cleanUp(claim);
    throw error;
  }
}

/** Every launch bind-mounts client paths (the git folder, inputs, logins): an engine that cannot see them would fail at `up`. */
function refuseRemoteEngine(identity: EngineIdentity): void {
  const engine = engineLocation(process.env, identity.id);
  if (engine.location === "local") return;
  throw new LaunchError(
    `the Docker engine at ${engine.endpoint} is remote (${engine.reason}): it cannot see this machine's files, and launch does not support a remote engine yet`,
    `use an engine on this machine, or set ${ENV_ENGINE}=local if this one shares this machine's files`,
  );
}

/** The image every build starts from, here before any `up`: an engine that cannot pull it gets the fix. Its id, when here already. */
function requireBaseImage(image: string, onPull: () => void): string | undefined {
  const id = imageId(image);
  if (id) return id;
  const base = ensureImage(image, onPull);
  if (!base.ok) throw new LaunchError(unpullableBaseImage(image, base.reason), baseImageFix());
  return undefined;
}

/** devcontainer.json substitutes ${…} everywhere and has no escape for it: such text must not reach the config. */
function refuseSubstitution(what: string, text: string): void {
  if (text.includes("${")) throw new LaunchError(`${what} contains "\${", which devcontainer.json would substitute: ${text}`, "rename it");
}

function assertFree(name: string, stateRoot: string): void {
  const taken = containerExists(name) || [workspaceVolume(name), outboxVolume(name)].some(volumeExists) || existsSync(statePaths(stateRoot, name).dir);
  if (taken) {
    throw new LaunchError(`the name ${name} is already taken`, `remove it with: create-agent-devcontainer rm ${name}; or pass --branch <another name>`);
  }
}

/** Host side of one container: the sanitised view of the git dir, launch inputs, carried changes, the rendered config. */
function prepare(entry: Planned, request: LaunchRequest, plan: Plan): Prepared {
  const record = agent(entry.agentId);
  const { host, paths } = entry;
  const trusted = mcpTrusted(request, host);
  hostSteps(host, paths.dir, request, trusted);
  const input = {
    version: 1 as const,
    branch: entry.branch,
    base: host.base,
    identity: host.identity,
    carry: request.carry,
    localDisposable: host.disposable,
  };
  writeFileAtomic(join(paths.input, LAUNCH_INPUT_FILE), renderLaunchInput(input));
  const carried = request.carry && host.worktree ? captureChanges(host.worktree, paths.input) : undefined;
  const egress = egressLaunchInputs(trusted, host.worktree);
  const options: ScaffoldOptions = { ...trusted, ...egress.options, agents: [entry.agentId], repoName: host.name, workspace: "clone" };
  const features = options.featureSource === "local" ? readFeatureTrees(featureIdsFor(options)) : new Map();
  const workspaceHost = { gitDir: host.gitDir, volumeSuffix: entry.name, inputDir: paths.input, hostDir: paths.dir, loginDir: loginStagingRoot(request.stateRoot), containerName: entry.name };
  const tree = renderLaunchTree(record, options, workspaceHost, { name: entry.name, branch: entry.branch, stateDir: paths.dir }, features, egress.render);
  for (const [path, file] of tree) writeFileAtomic(join(paths.dir, path), file.content, file.mode ?? 0o644);
  const config = join(paths.dir, ".devcontainer", record.id, "devcontainer.json");
  const baseId = (image: string) => (image === request.options.baseImage && plan.baseImageId) || imageId(image);
  const tag = cacheTag(record.id, tree, agentConfigPath(record), baseId, devcontainerVersion());
  const cachedConfig = tag ? renderCachedConfig(tree.get(agentConfigPath(record))!.content, tag) : undefined;
  if (cachedConfig) writeFileAtomic(cachedConfigPath(config), cachedConfig);
  // The state folder is the workspace folder: the CLI only takes local Features from under its .devcontainer/,
  // and nothing it does there can touch the user's repository.
  const target = { workspaceFolder: paths.dir, config, idLabel: `${LABELS.launch}=${entry.name}` };
  writeRecord(paths, {
    name: entry.name,
    agent: entry.agentId,
    repo: host.name,
    source: plan.sourceText,
    branch: entry.branch,
    workspaceFolder: target.workspaceFolder,
    config,
    volume: entry.volumes[0]!,
    outboxVolume: entry.volumes[1]!,
    localRepo: host.gitDir,
    localDisposable: host.disposable,
    createdAt: request.now.toISOString(),
    engine: plan.engine,
  });
  return { ...entry, target, ...(carried ? { carried } : {}), ...(tag && cachedConfig ? { cache: { tag, config: cachedConfigPath(config) } } : {}) };
}

/**
 * What a scaffolded config's host steps do before `up`, done here with the paths launch resolved: the
 * sanitised view of the git dir, and the MCP secrets the repository's source (at the branch's start) references.
 */
function hostSteps(host: HostRepo, hostDir: string, request: LaunchRequest, options: LaunchOptions): void {
  try {
    runHostStep("workspace", hostDir, host.gitDir);
    const { mcpSource, mcpSecretsFile } = options;
    if (mcpSource === undefined || mcpSecretsFile === undefined) return;
    const source = join(hostDir, "mcp-source.toml");
    const shown = gitResult([`--git-dir=${host.gitDir}`, "show", `${host.base}:${mcpSource}`]);
    const carried = request.carry && host.worktree ? join(host.worktree, mcpSource) : undefined;
    writeFileAtomic(source, carried && existsSync(carried) ? readFileSync(carried, "utf8") : shown.status === 0 ? shown.stdout : "", 0o600);
    runHostStep("mcp-secrets", expandHome(mcpSecretsFile), source, hostDir);
  } catch (error) {
    throw error instanceof HostStepError ? new LaunchError(error.message) : error;
  }
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(process.env.HOME || homedir(), path.slice(1)) : path;
}

/**
 * A repository's MCP source starts servers with the user's secrets: one fetched from a URL is rendered only
 * when the user says they trust it.
 */
function mcpTrusted(request: LaunchRequest, host: HostRepo): LaunchOptions {
  const { mcpSource, mcpSecretsFile: _secrets, ...rest } = request.options;
  if (!host.disposable || request.trustMcp || mcpSource === undefined) return request.options;
  if (gitResult([`--git-dir=${host.gitDir}`, "cat-file", "-e", `${host.base}:${mcpSource}`]).status === 0) {
    request.warn(`${host.name} has an MCP source (${mcpSource}); it is not rendered, since the repository came from a URL (pass --trust-mcp to use its servers)`);
  }
  return rest;
}

async function start(entry: Prepared, request: LaunchRequest, started: number, buildLock: string | undefined): Promise<Launched> {
  request.progress(entry.name, `${agent(entry.agentId).title} on ${entry.branch}; full log: ${entry.paths.log}`);
  // A cached start builds nothing, so it needs no build lock; the first launch of a config tags its image.
  const cached = entry.cache && (await startsCached(entry.cache.tag));
  if (cached) request.progress(entry.name, `starting from the cached image ${entry.cache!.tag} ${seconds(started)}`);
  const outcome = await up(cached ? { ...entry.target, config: entry.cache!.config } : entry.target, {
    logFile: entry.paths.log,
    onStage: (stage) => request.progress(entry.name, `${stage} ${seconds(started)}`),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(buildLock && !cached ? { buildLock } : {}),
  });
  request.progress(entry.name, `ready ${seconds(started)}`);
  if (entry.cache && !cached) keepLayers(outcome.containerId, entry.cache.tag, request);
  return {
    name: entry.name,
    agent: entry.agentId,
    repo: entry.host.name,
    branch: entry.branch,
    containerId: outcome.containerId,
    workspaceFolder: outcome.remoteWorkspaceFolder || WORKSPACE_DIR,
    localRepo: entry.host.gitDir,
    stateDir: entry.paths.dir,
    logFile: entry.paths.log,
    ...(entry.carried ? { carried: entry.carried } : {}),
  };
}

/** The cache tag is there, on an image labelled for a cached start (one tagged before cached starts only keeps layers). */
async function startsCached(tag: string): Promise<boolean> {
  const label = await imageLabelAsync(tag, METADATA_LABEL);
  return label !== undefined && label === cacheLabel(label);
}

/** A launch that could not tag its image still ran: the next one only rebuilds more. */
function keepLayers(containerId: string, tag: string, request: LaunchRequest): void {
  try {
    tagContainerImage(containerId, tag, { name: METADATA_LABEL, value: cacheLabel });
  } catch (error) {
    request.warn(`the image's layers are not kept for the next launch (${error instanceof Error ? error.message : String(error)})`);
  }
}

function seconds(since: number): string {
  return `(${((Date.now() - since) / 1000).toFixed(1)} s)`;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LaunchError("interrupted");
}

/** The log outlives the failed launch's state folder, so the error can point at it. */
function keepFailedLog(entry: Claim, stateRoot: string): string | undefined {
  if (!existsSync(entry.paths.log)) return undefined;
  const kept = failedLogPath(stateRoot, entry.name);
  mkdirSync(dirname(kept), { recursive: true, mode: 0o700 });
  renameSync(entry.paths.log, kept);
  return kept;
}

/** Nothing left behind: the container (by its unique name), its volume, its state folder. */
export function cleanUp(entry: Claim): void {
  removeContainerAndVolumes(entry.name, entry.volumes);
  removeEnforcersOf(entry.paths.dir);
  rmSync(entry.paths.dir, { recursive: true, force: true });
}
