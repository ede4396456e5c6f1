/**
 * Provisions the agent's workspace: a clone of the host repository on the container's own volume, with
 * `origin` (upstream) and `local` (the host repo, where a bare `git push` goes), the agent's branch checked
 * out, submodules from the host's own copies, and optionally the host's uncommitted changes. Each step is
 * safe to re-run; once finished, a marker in .git makes the whole hook a no-op, so a re-run (a rebuilt
 * container on the same volume) changes nothing and loses nothing.
 */
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HookStepError, type HookStep } from "../hooks/steps.js";
import { applyCarriedChanges } from "./carry.js";
import { git, gitConfigGet, gitResult } from "./git.js";
import type { GitIdentity, LaunchInput } from "./launch-input.js";
import { LOCAL_RECEIVE_PACK, PROVISIONED_MARKER } from "./layout.js";
import { agentBranch, branchNameProblem, defaultFeature } from "./ref-names.js";
import { updateSubmodules } from "./submodules.js";

export interface ProvisionPlan {
  /** The host repository's git dir as mounted here. */
  hostRepo: string;
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
        if (existsSync(join(plan.workspace, ".git"))) return plan.log(`resuming an unfinished provisioning in ${plan.workspace}`);
        if (readdirSync(plan.workspace).length > 0) {
          throw new HookStepError(`${plan.workspace} is not empty and is not a clone; refusing to touch it`);
        }
        // A local clone copies what git tracks (objects and refs), never the host's working tree.
        git(["clone", "--quiet", "--no-checkout", "--origin", "local", "--", plan.hostRepo, plan.workspace]);
      },
    },
    { name: "remotes", run: () => configureRemotes(plan) },
    { name: "git-config", run: () => configureGit(plan) },
    {
      name: "branch",
      run: () => {
        const problem = branchNameProblem(branch);
        if (problem) throw new HookStepError(`branch "${branch}" is not a valid name: ${problem}`);
        base = plan.input?.base ?? git([`--git-dir=${plan.hostRepo}`, "rev-parse", "--verify", "HEAD^{commit}"]);
        // Continue an existing branch of that name in the host repo; otherwise start it at the host's HEAD.
        const remote = `refs/remotes/local/${branch}`;
        const start = gitResult(["rev-parse", "--verify", "--quiet", remote], ws).status === 0 ? remote : base;
        git(["checkout", "--quiet", "--force", "-B", branch, start], ws);
        plan.log(`branch ${branch} from ${start === base ? base.slice(0, 12) : `local/${branch}`}`);
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

function configureRemotes(plan: ProvisionPlan): void {
  const ws = { cwd: plan.workspace };
  git(["config", "remote.local.receivepack", LOCAL_RECEIVE_PACK], ws);
  const upstream = gitConfigGet("remote.origin.url", { gitDir: plan.hostRepo });
  if (upstream === undefined) return plan.log("the host repository has no origin; only local is set");
  const url = withoutPassword(upstream);
  const current = gitConfigGet("remote.origin.url", ws);
  if (current === undefined) git(["remote", "add", "origin", url], ws);
  else if (current !== url) git(["remote", "set-url", "origin", url], ws);
  // A git URL launch: `local` is a fresh clone of origin, so its branches are what origin had at launch.
  if (plan.input?.localDisposable) git(["fetch", "--quiet", "--no-tags", plan.hostRepo, "+refs/heads/*:refs/remotes/origin/*"], ws);
}

function configureGit(plan: ProvisionPlan): void {
  const ws = { cwd: plan.workspace };
  // A bare `git push` sends the current branch to `local` under the same name and tracks it from then on.
  git(["config", "remote.pushDefault", "local"], ws);
  git(["config", "push.default", "current"], ws);
  git(["config", "push.autoSetupRemote", "true"], ws);
  setIdentity(plan.input?.identity, plan);
  const origin = gitConfigGet("remote.origin.url", ws);
  if (plan.hasGh && origin !== undefined && isGitHubHttps(origin)) {
    // An empty entry first resets helpers from other config files, so only gh answers for github.com.
    git(["config", "--replace-all", "credential.https://github.com.helper", ""], ws);
    git(["config", "--add", "credential.https://github.com.helper", "!gh auth git-credential"], ws);
  }
}

function setIdentity(identity: GitIdentity | undefined, plan: ProvisionPlan): void {
  const ws = { cwd: plan.workspace };
  if (identity?.name) git(["config", "user.name", identity.name], ws);
  if (identity?.email) git(["config", "user.email", identity.email], ws);
  if (gitConfigGet("user.email", ws) === undefined) {
    plan.log("no git identity yet: set user.name and user.email before committing (launch copies the host's)");
  }
}

function isGitHubHttps(url: string): boolean {
  return /^https:\/\/([^@/]+@)?github\.com\//i.test(url);
}

/** A token embedded in the upstream URL stays out of the workspace's config. */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]+):[^@/]*@/i, "$1@");
}
