/**
 * What the dashboard shows and does, as one interface: the live implementation (live.ts) answers from
 * Docker, the state folders and the host repositories through the CLI's own library; tests and the
 * benchmark can give the server another.
 */
import type { BranchDiff } from "../tasks/diff.js";
import type { TaskStatus } from "../tasks/status.js";
import { UserError } from "../errors.js";
import type { BlockedHost } from "../egress/blocked.js";
import type { Connection } from "../egress/inspect.js";
import type { ListRow } from "../lifecycle/list.js";

/** `list`'s row without what the page has no use for (the container id, the host's state folder). */
export interface ContainerRow extends Omit<ListRow, "id" | "stateDir" | "limits" | "enforcerLimits" | "kind"> {
  /** Absent for a launched one. */
  kind?: "scaffolded";
  task?: Omit<TaskStatus, "baseCommit">;
  /** Commits on its branch (in the host repository) beyond its base. */
  ahead?: number;
  /** Absent when the container has no egress enforcer (mode open). */
  egress?: { mode: string; blocked: number };
  /** The files its branch (in the host repository) changes that run on the host, git-quoted, and the line on why. */
  hostRun?: { paths: string[]; notice: string };
}

export interface Transcript {
  /** The text from `offset` on (at most a chunk of it). */
  text: string;
  offset: number;
  /** Where the next read starts. */
  next: number;
  /** More is already written beyond `next` (a long transcript comes in chunks). */
  more: boolean;
  task?: Omit<TaskStatus, "baseCommit">;
}

export interface EgressView {
  mode: string;
  /** The latest connections, newest last. */
  connections: Connection[];
  blocked: BlockedHost[];
}

export interface ActionResult {
  message: string;
  /** For `code`: the URI VS Code opens, when `code` is not on PATH. */
  uri?: string;
}

/** `launch --egress` modes the form offers (left empty, launch's own default applies). */
export const EGRESS_MODES = ["allowlist", "log", "open"] as const;

export interface LaunchForm {
  source: string;
  agents: string[];
  branch?: string;
  prompt?: string;
  egress?: string;
  /** Per agent: its auth mode, as `--auth <agent>=<mode>` (left out: launch's default). */
  auth?: Record<string, string>;
  /** Per agent: its model gateway's base URL, as `--agent-env <its base-URL variable>=<url>`. */
  gateway?: Record<string, string>;
}

/** The page's Allow on one blocked host: what `egress allow <name> <its entries> [--save]` does. */
export interface AllowRequest {
  host: string;
  save: boolean;
}

export interface LaunchJob {
  id: number;
  args: string[];
  state: "running" | "done" | "failed";
  /** The end of its output (progress lines, or the error). */
  output: string;
}

export type Action = "sync" | "stop" | "start" | "remove" | "code";

export interface Dashboard {
  list(): Promise<ContainerRow[]>;
  transcript(name: string, offset: number): Promise<Transcript>;
  diff(name: string): Promise<BranchDiff>;
  egress(name: string): Promise<EgressView>;
  act(name: string, action: Action, options: { force?: boolean }): Promise<ActionResult>;
  task(name: string, prompt: string): Promise<ActionResult>;
  allow(name: string, request: AllowRequest): Promise<ActionResult>;
  launch(form: LaunchForm): LaunchJob;
  jobs(): LaunchJob[];
}

/** A refusal the page shows as is (one line, maybe a hint), as the CLI prints its expected failures. */
export class DashboardError extends UserError {
  constructor(
    message: string,
    hint?: string,
    readonly status = 409,
  ) {
    super(message, hint);
  }
}
