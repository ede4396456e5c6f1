/**
 * The isolated workspace (SPEC "The workspace and git workflow"). In `clone` mode the host's working tree is
 * never mounted, and nothing of the host repository is writable: its git dir is seen read-only, through a
 * view with sanitised configs (see HOST_REPO_MOUNT), the agent works in its own clone on a per-container
 * volume, and `git push` goes to an outbox on a second volume, from which the host imports with `sync`.
 * `bind` mode keeps the devcontainer default (the repository bind-mounted, edited in place).
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { featureRef } from "../../features/refs.js";
import { WORKSPACE_FEATURE_ID } from "../../features/workspace-feature.js";
import { hostCommand, SCAFFOLD_HOST_DIR } from "../../host/scripts.js";
import { LABELS, labelArgs } from "../../labels.js";
import {
  AGENT_ENV,
  HOST_LIVE_DIRS,
  HOST_REPO_MOUNT,
  HOST_VIEW_DIR,
  LAUNCH_INPUT_MOUNT,
  OUTBOX_DIR,
  outboxVolume,
  WORKSPACE_DIR,
  workspaceVolume,
} from "../../workspace/layout.js";
import type { ConfigPart } from "../parts.js";

/** What `launch` knows about the host that a scaffolded config reads from `${localWorkspaceFolder}` instead. */
export interface WorkspaceHost {
  /** Absolute host path of the repository's git dir (a worktree's common dir). */
  gitDir: string;
  /** The suffix of this container's named volumes (unique per launched container). */
  volumeSuffix: string;
  /** Host folder with the launch inputs, mounted read-only. */
  inputDir: string;
  /** Host folder of this container's host-side files (the git dir's sanitised view, its MCP secrets). */
  hostDir: string;
  /** Host folder under which `copy` auth stages each agent's login (one folder per agent). */
  loginDir: string;
  /** The container's name (launch names it): the egress enforcer's refusals name it. */
  containerName?: string;
}

/** A scaffolded config: the repo it sits in, volumes per container, and SCAFFOLD_HOST_DIR for its host steps. */
const SCAFFOLD_GIT_DIR = "${localWorkspaceFolder}/.git";
const SCAFFOLD_SUFFIX = "${devcontainerId}";

export function workspacePart(record: AgentRecord, options: ScaffoldOptions, host?: WorkspaceHost): ConfigPart {
  if (options.workspace === "bind") return {};
  const gitDir = host?.gitDir ?? SCAFFOLD_GIT_DIR;
  const suffix = host?.volumeSuffix ?? SCAFFOLD_SUFFIX;
  const hostDir = host?.hostDir ?? SCAFFOLD_HOST_DIR;
  const volumeLabel = `${LABELS.workspace}=${record.id}`;
  return {
    features: { [featureRef(WORKSPACE_FEATURE_ID, options)]: options.nodeMirror ? { nodeMirror: options.nodeMirror } : {} },
    containerEnv: { [AGENT_ENV]: record.id },
    // No bind of the working tree: the clone's volume (in `mounts`, where ${devcontainerId} is substituted) holds it.
    workspaceMount: "",
    workspaceFolder: WORKSPACE_DIR,
    mounts: [
      mountSpec({ type: "volume", source: workspaceVolume(suffix), target: WORKSPACE_DIR, label: volumeLabel }),
      mountSpec({ type: "volume", source: outboxVolume(suffix), target: OUTBOX_DIR, label: volumeLabel }),
      // The view first: its (empty) objects and refs folders are where the live ones are mounted.
      mountSpec({ type: "bind", source: `${hostDir}/${HOST_VIEW_DIR}`, target: HOST_REPO_MOUNT, readonly: true }),
      ...HOST_LIVE_DIRS.map((live) => mountSpec({ type: "bind", source: `${gitDir}/${live}`, target: `${HOST_REPO_MOUNT}/${live}`, readonly: true })),
      ...(host ? [mountSpec({ type: "bind", source: host.inputDir, target: LAUNCH_INPUT_MOUNT, readonly: true })] : []),
    ],
    // `launch` prepares the host side itself; a scaffolded config does it before every `up`, and is labelled
    // with its folder so that `sync` run there finds it.
    ...(host ? {} : { initializeCommand: { workspace: hostCommand("workspace", hostDir) }, runArgs: labelArgs({ [LABELS.localFolder]: "${localWorkspaceFolder}" }) }),
  };
}

interface Mount {
  type: "bind" | "volume";
  source: string;
  target: string;
  readonly?: boolean;
  /** A label Docker puts on a volume it creates (so `docker volume ls --filter label=…` finds it). */
  label?: string;
}

/**
 * A `--mount` string (the form that keeps `readonly`). Docker parses it as CSV, so a field with a comma or a
 * quote, or holding a host path substituted later (unseen here), is quoted; shell metacharacters need
 * nothing (no shell is involved).
 */
export function mountSpec(mount: Mount): string {
  const fields = [
    `type=${mount.type}`,
    `source=${mount.source}`,
    `target=${mount.target}`,
    ...(mount.readonly ? ["readonly"] : []),
    ...(mount.label ? [`volume-label=${mount.label}`] : []),
  ];
  return fields.map((field) => (/[",]|\$\{local/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(",");
}
