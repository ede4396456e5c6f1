/**
 * The isolated workspace (SPEC "The workspace and git workflow"). In `clone` mode the host's working tree is
 * never mounted: the agent works in its own clone on a per-container volume, and the host repository's git
 * dir is mounted read-only, with only what a push writes (objects, the agent's branch namespace and its
 * reflogs) writable, so a bare `git push` reaches the host without any view of its working tree. `bind`
 * mode keeps the devcontainer default (the repository bind-mounted, edited in place).
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { featureRef } from "../../features/refs.js";
import { WORKSPACE_FEATURE_ID } from "../../features/workspace-feature.js";
import { AGENT_ENV, HOST_REPO_MOUNT, LAUNCH_INPUT_MOUNT, pushWritableDirs, WORKSPACE_DIR, workspaceVolume } from "../../workspace/layout.js";
import { LABELS } from "../../labels.js";
import type { ConfigPart } from "../parts.js";

/** What `launch` knows about the host that a scaffolded config reads from `${localWorkspaceFolder}` instead. */
export interface WorkspaceHost {
  /** Absolute host path of the repository's git dir (a worktree's common dir). */
  gitDir: string;
  /** The named volume for the clone (unique per launched container). */
  volume: string;
  /** Host folder with the launch inputs, mounted read-only. */
  inputDir: string;
}

/** A scaffolded config: the repo it sits in, a volume per container, and no launch inputs. */
const SCAFFOLD_GIT_DIR = "${localWorkspaceFolder}/.git";
const SCAFFOLD_VOLUME = workspaceVolume("${devcontainerId}");

export function workspacePart(record: AgentRecord, options: ScaffoldOptions, host?: WorkspaceHost): ConfigPart {
  if (options.workspace === "bind") return {};
  const gitDir = host?.gitDir ?? SCAFFOLD_GIT_DIR;
  const writable = pushWritableDirs(record.id);
  return {
    features: { [featureRef(WORKSPACE_FEATURE_ID, options)]: options.nodeMirror ? { nodeMirror: options.nodeMirror } : {} },
    containerEnv: { [AGENT_ENV]: record.id },
    // No bind of the working tree: the clone's volume (in `mounts`, where ${devcontainerId} is substituted) holds it.
    workspaceMount: "",
    workspaceFolder: WORKSPACE_DIR,
    mounts: [
      mountSpec({ type: "volume", source: host?.volume ?? SCAFFOLD_VOLUME, target: WORKSPACE_DIR, label: `${LABELS.workspace}=${record.id}` }),
      mountSpec({ type: "bind", source: gitDir, target: HOST_REPO_MOUNT, readonly: true }),
      ...writable.map((dir) => mountSpec({ type: "bind", source: `${gitDir}/${dir}`, target: `${HOST_REPO_MOUNT}/${dir}` })),
      ...(host ? [mountSpec({ type: "bind", source: host.inputDir, target: LAUNCH_INPUT_MOUNT, readonly: true })] : []),
    ],
    // `launch` prepares the host side itself; a scaffolded config does it before every `up`.
    ...(host ? {} : { initializeCommand: { workspace: prepareHostCommand(writable) } }),
  };
}

/**
 * On the host, in the repository (initializeCommand's working folder): the writable folders must exist to
 * be mounted (git would create them at the first push anyway). A checkout whose .git is a file (a worktree,
 * a submodule) has no fixed path to mount: `launch` resolves those.
 */
export function prepareHostCommand(writable: readonly string[]): string {
  const hint = "create-agent-devcontainer: .git here is not a folder (a worktree or submodule checkout?); use: npx create-agent-devcontainer launch .";
  return `if [ ! -d .git ]; then echo '${hint}' >&2; exit 1; fi; mkdir -p ${writable.map((dir) => `.git/${dir}`).join(" ")}`;
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
 * quote, or holding the repository's path (substituted later, unseen here), is quoted; shell
 * metacharacters need nothing (no shell is involved).
 */
export function mountSpec(mount: Mount): string {
  const fields = [
    `type=${mount.type}`,
    `source=${mount.source}`,
    `target=${mount.target}`,
    ...(mount.readonly ? ["readonly"] : []),
    ...(mount.label ? [`volume-label=${mount.label}`] : []),
  ];
  return fields.map((field) => (/[",]|\$\{localWorkspaceFolder\}/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(",");
}
