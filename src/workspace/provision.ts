/**
 * Provisions the agent's workspace: a clone of the host repository (read-only, remote `host`) on the
 * container's own volume, with `origin` (upstream, without credentials) and `local` (the outbox, where a bare
 * `git push` goes), the agent's branch checked out, submodules from the host's own copies, and optionally
 * the host's uncommitted changes. Each step is safe to re-run; once finished, a marker in .git makes the
 * whole hook a no-op, so a re-run (a rebuilt container on the same volume) changes nothing and loses nothing.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HookStepError, type HookStep } from "../hook-steps.js";
import { applyCarriedChanges } from "./carry.js";
import { git, gitConfigGet, gitResult } from "./git.js";
import type { LaunchInput } from "./launch-input.js";
import { HOST_REMOTE, HOST_UPLOAD_PACK, PROVISIONED_MARKER } from "./layout.js";
import { agentBranch, branchNameProblem, defaultFeature } from "./ref-names.js";
import { updateSubmodules } from "./submodules.js";

export interface ProvisionPlan {
  /** The host repository's git dir as mounted here (read-only). */
  hostRepo: string;
  /** The outbox: a bare repository this container may write, where `git push` goes. */
  outbox: string;
  /** The (empty, or already provisioned) folder that becomes the clone. */
  workspace: string;
  agentId: string;
  /** From `launch`; scaffolded configs have none and take the defaults. */
  input?: LaunchInput;
  /** Folder holding the launch inputs (carried changes). */
  inputDir?: string;
  now: Date;
  /** Whether `gh` is on PATH, for GitHub remotes' credential helper. */
  hasGh: boolean;
  log(message: string): void;
}

export interface ProvisionedState {
  branch: string;
  base: string;
  carried: boolean;
  provisionedAt: string;
}

export function markerPath(workspace: string): string {
  return join(workspace, ".git", PROVISIONED_MARKER);
}

export function isProvisioned(workspace: string): boolean {
  return existsSync(markerPath(workspace));
}

/** The steps, in order; run them with runSteps so a failure names its step. */
export function provisionSteps(plan: ProvisionPlan): HookStep[] {
  const ws = { cwd: plan.workspace };
  const branch = plan.input?.branch ?? agentBranch(plan.agentId, defaultFeature(plan.now));
  let base = "";
  return [
    {
      name: "clone",
      run: () => {
        const config = workspaceConfig(plan);
        if (existsSync(join(plan.workspace, ".git"))) {
          plan.log(`resuming an unfinished provisioning in ${plan.workspace}`);
          return applyConfig(plan.workspace, config);
        }
        if (readdirSync(plan.workspace).length > 0) {
          throw new HookStepError(`${plan.workspace} is not empty and is not a clone; refusing to touch it`);
        }
        // Through upload-pack (--no-local), as from any server: only what git tracks is sent, and files of the
        // host repository only its owner may read (a partial clone's .promisor) are never copied.
        const settings = config.flatMap(([key, value]) => ["--config", `${key}=${value}`]);
        const filter = partialCloneFilter(plan.hostRepo);
        git([
          "clone", "--quiet", "--no-checkout", "--no-local", "--origin", HOST_REMOTE, "--upload-pack", HOST_UPLOAD_PACK,
          ...(filter ? [`--filter=${filter}`] : []), ...settings, "--", plan.hostRepo, plan.workspace,
        ]);
      },
    },
    { name: "outbox", run: () => initOutbox(plan.outbox, plan.hostRepo) },
    {
      name: "remotes",
      run: () => {
        // A git URL launch: `local` is a fresh clone of origin, so its branches are what origin had at launch.
        if (plan.input?.localDisposable) git(["fetch", "--quiet", "--no-tags", plan.hostRepo, "+refs/heads/*:refs/remotes/origin/*"], ws);
        if (!plan.input?.identity?.email && gitConfigGet("user.email", ws) === undefined) {
          plan.log("no git identity yet: set user.name and user.email before committing (launch copies the host's)");
        }
      },
    },
    {
      name: "branch",
      run: () => {
        const problem = branchNameProblem(branch);
        if (problem) throw new HookStepError(`branch "${branch}" is not a valid name: ${problem}`);
        base = plan.input?.base ?? git([`--git-dir=${plan.hostRepo}`, "rev-parse", "--verify", "HEAD^{commit}"]);
        // Continue an existing branch of that name in the host repo; otherwise start it at the host's HEAD.
        const remote = `refs/remotes/${HOST_REMOTE}/${branch}`;
        const start = gitResult(["rev-parse", "--verify", "--quiet", remote], ws).status === 0 ? remote : base;
        git(["checkout", "--quiet", "--force", "--no-track", "-B", branch, start], ws); // upstream: local, at the first push
        plan.log(`branch ${branch} from ${start === base ? base.slice(0, 12) : `${HOST_REMOTE}/${branch}`}`);
      },
    },
    { name: "submodules", run: () => updateSubmodules(plan.workspace, plan.hostRepo, plan.log) },
    {
      name: "carry-changes",
      run: () => {
        if (plan.input?.carry && plan.inputDir) applyCarriedChanges(plan.workspace, plan.inputDir, plan.log);
      },
    },
    {
      name: "finish",
      run: () => {
        const state: ProvisionedState = { branch, base, carried: Boolean(plan.input?.carry), provisionedAt: plan.now.toISOString() };
        writeFileSync(markerPath(plan.workspace), `${JSON.stringify(state, null, 2)}\n`);
      },
    },
  ];
}

/**
 * The clone's own settings: a bare `git push` sends the current branch to `local` (the outbox) under its
 * name and tracks it from then on; `host` is fetched through an upload-pack that serves a partial clone;
 * `origin` is the upstream without any credentials in its URL, gh answers for GitHub when it exists; and the
 * host's identity. A key given twice is a multi-valued setting.
 */
export function workspaceConfig(plan: Pick<ProvisionPlan, "hostRepo" | "outbox" | "input" | "hasGh">): [string, string][] {
  const config: [string, string][] = [
    [`remote.${HOST_REMOTE}.uploadpack`, HOST_UPLOAD_PACK],
    ["remote.local.url", plan.outbox],
    ["remote.local.fetch", "+refs/heads/*:refs/remotes/local/*"],
    ["remote.pushDefault", "local"],
    ["push.default", "current"],
    ["push.autoSetupRemote", "true"],
  ];
  const upstream = gitConfigGet("remote.origin.url", { gitDir: plan.hostRepo });
  if (upstream !== undefined) {
    const url = withoutUserinfo(upstream);
    config.push(["remote.origin.url", url], ["remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"]);
    // An empty entry first resets helpers from other config files, so only gh answers for github.com.
    if (plan.hasGh && isGitHubHttps(url)) config.push([GH_HELPER, ""], [GH_HELPER, "!gh auth git-credential"]);
  }
  const identity = plan.input?.identity;
  if (identity?.name) config.push(["user.name", identity.name]);
  if (identity?.email) config.push(["user.email", identity.email]);
  return config;
}

/** A partial clone's filter (a blobless clone's `blob:none`): the workspace clones with the same one. */
function partialCloneFilter(hostRepo: string): string | undefined {
  const promisor = gitConfigGet("extensions.partialclone", { gitDir: hostRepo });
  if (promisor === undefined) return undefined;
  return gitConfigGet(`remote.${promisor}.partialclonefilter`, { gitDir: hostRepo }) ?? "blob:none";
}

/**
 * The outbox borrows the host's objects read-only (alternates), so a push sends only new objects; a shallow
 * host's boundary is copied so that walks stop where the host's history does.
 */
function initOutbox(outbox: string, hostRepo: string): void {
  if (!existsSync(join(outbox, "HEAD"))) git(["init", "--quiet", "--bare", outbox]);
  mkdirSync(join(outbox, "objects", "info"), { recursive: true });
  writeFileSync(join(outbox, "objects", "info", "alternates"), `${join(hostRepo, "objects")}\n`);
  if (existsSync(join(hostRepo, "shallow"))) copyFileSync(join(hostRepo, "shallow"), join(outbox, "shallow"));
}

const GH_HELPER = "credential.https://github.com.helper";

/** The same settings on an existing clone (a resumed provisioning): each key replaced by its values. */
function applyConfig(workspace: string, config: readonly [string, string][]): void {
  for (const key of new Set(config.map(([k]) => k))) {
    gitResult(["config", "--unset-all", key], { cwd: workspace }); // absent is fine
    for (const [, value] of config.filter(([k]) => k === key)) git(["config", "--add", key, value], { cwd: workspace });
  }
}

function isGitHubHttps(url: string): boolean {
  return /^https:\/\/([^@/]+@)?github\.com\//i.test(url);
}

/** `user:token@` or `token@` in a URL stays out of the workspace's config. */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, "$1");
}
