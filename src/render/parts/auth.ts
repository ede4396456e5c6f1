/**
 * How an agent's container gets its login (SPEC "Auth"), recorded as a label so `doctor` can read it back:
 * - copy: the host step stages copies of the login files; they are mounted read-only and the agent's
 *   hook copies them into its private config folder at create time. Nothing on the host is mounted.
 * - token: the host's token variables reach exec'd processes through remoteEnv, which the devcontainer
 *   tool applies per exec, so they never enter the container's configuration (`docker inspect`).
 * - volume: the agent's whole config folder is a named volume shared by that agent's containers.
 * - broker: the host's key or token goes to the egress enforcer only (its host step, ../parts/egress.ts);
 *   the container gets placeholders (--env-file the step writes) and trusts the broker's CA (docs/broker.md).
 */
import { brokerOf, configRoot, GITHUB_CLI, type AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { authLabel, authModeOf } from "../../auth/modes.js";
import { authVolumeName, hostStagingSource, stagedDir, volumeGhConfigDir } from "../../auth/locations.js";
import { stageCommand } from "../../auth/stage-script.js";
import { BROKER_CA_TARGET, BROKER_HOST_DIR, brokerBundle } from "../../egress/layout.js";
import { LABELS, labelArgs } from "../../labels.js";
import type { ConfigPart } from "../parts.js";
import { mountSpec, type WorkspaceHost } from "./workspace.js";

export function authPart(record: AgentRecord, options: ScaffoldOptions, host?: WorkspaceHost): ConfigPart {
  const mode = authModeOf(record.id, options);
  const label = { runArgs: labelArgs({ [authLabel(record.id)]: mode }) };
  // gh's login can push to and administer the upstream around `sync`: it comes in only when asked for.
  const upstream = options.upstreamAccess ?? false;
  switch (mode) {
    case "copy": {
      // The step and the mount name the same folder (launch's honours XDG_STATE_HOME like its state).
      const staging = host ? `${host.loginDir}/${record.id}` : hostStagingSource(record.id);
      return {
        ...label,
        initializeCommand: { [`stage-login-${record.id}`]: stageCommand(record, upstream, host ? staging : undefined) },
        mounts: [mountSpec({ type: "bind", source: staging, target: stagedDir(record.id), readonly: true })],
        ...(Object.keys(record.copyEnv).length > 0 ? { containerEnv: { ...record.copyEnv } } : {}),
      };
    }
    case "token":
      return {
        ...label,
        remoteEnv: Object.fromEntries(
          [...new Set([...record.tokenEnv, ...(upstream ? GITHUB_CLI.tokenEnv : [])])].map((name) => [name, `\${localEnv:${name}}`]),
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
    case "broker": {
      const bundle = brokerBundle(record);
      const perContainer = `\${localEnv:HOME}/${BROKER_HOST_DIR}/\${devcontainerId}`;
      // A subscription login's placeholder (no credential in it), staged by the host step like a copy.
      const login = brokerOf(record)?.login ? [mountSpec({ type: "bind", source: `${perContainer}/login`, target: stagedDir(record.id), readonly: true })] : [];
      return {
        runArgs: [...label.runArgs, `--env-file=${perContainer}/placeholders.env`],
        mounts: [mountSpec({ type: "bind", source: `\${localEnv:HOME}/${BROKER_HOST_DIR}/ca.crt`, target: BROKER_CA_TARGET, readonly: true }), ...login],
        containerEnv: { NODE_EXTRA_CA_CERTS: bundle, SSL_CERT_FILE: bundle },
      };
    }
  }
}

