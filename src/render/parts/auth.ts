/**
 * How an agent's container gets its login (SPEC "Auth"), recorded as a label so `doctor` can read it back:
 * - copy: the host step stages copies of the login files; they are mounted read-only and the agent's
 *   hook copies them into its private config folder at create time. Nothing on the host is mounted.
 * - token: the host's token variables reach exec'd processes through remoteEnv, which the devcontainer
 *   tool applies per exec, so they never enter the container's configuration (`docker inspect`).
 * - volume: the agent's whole config folder is a named volume shared by that agent's containers.
 */
import { configRoot, GITHUB_CLI, type AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { authLabel, authModeOf } from "../../auth/modes.js";
import { authVolumeName, hostStagingSource, stagedDir, volumeGhConfigDir } from "../../auth/locations.js";
import { stageCommand } from "../../auth/stage-script.js";
import { LABELS, labelArgs } from "../../labels.js";
import type { ConfigPart } from "../parts.js";

export function authPart(record: AgentRecord, options: ScaffoldOptions): ConfigPart {
  const mode = authModeOf(record.id, options);
  const label = { runArgs: labelArgs({ [authLabel(record.id)]: mode }) };
  switch (mode) {
    case "copy":
      return {
        ...label,
        initializeCommand: { [`stage-login-${record.id}`]: stageCommand(record) },
        // The string form: the object form would drop `readonly`.
        mounts: [`type=bind,source=${hostStagingSource(record.id)},target=${stagedDir(record.id)},readonly`],
        ...(Object.keys(record.copyEnv).length > 0 ? { containerEnv: { ...record.copyEnv } } : {}),
      };
    case "token":
      return {
        ...label,
        remoteEnv: Object.fromEntries(
          [...new Set([...record.tokenEnv, ...GITHUB_CLI.tokenEnv])].map((name) => [name, `\${localEnv:${name}}`]),
        ),
      };
    case "volume":
      return {
        ...label,
        mounts: [
          `type=volume,source=${authVolumeName(record.id)},target=${configRoot(record)},volume-label=${LABELS.agent}=${record.id}`,
        ],
        containerEnv: { GH_CONFIG_DIR: volumeGhConfigDir(record.id) },
      };
  }
}

