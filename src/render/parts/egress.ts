/**
 * Network egress (SPEC "Security defaults"). In `allowlist` and `log` mode the agent's container joins
 * only its own internal network, whose single way out is the enforcer: a proxy container the host step
 * (initializeCommand → .devcontainer/host/egress.sh) starts before the agent's container exists, outside
 * its reach. The container gets the proxy variables so ordinary tools use it; tools that ignore them have
 * no route at all, and IPv6 is off. `open` only records the choice (a label `doctor` reads).
 *
 * ${devcontainerId} is substituted by the devcontainer tool everywhere in the config, so the network, the
 * enforcer and the state folder are per container without the config naming them.
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { assertBrokerEgress, authModeOf } from "../../auth/modes.js";
import { brokerArgs } from "../../egress/broker-args.js";
import { brokerGatewayProblem, withConfigGateway } from "../../egress/broker-gateway.js";
import { UserError } from "../../errors.js";
import { EGRESS_LABEL, EGRESS_MODE_LABEL, enforcerName, HOST_PROXY, HOST_SCRIPT } from "../../egress/layout.js";
import { PROXY_URL } from "../../egress/proxy-address.js";
import { POLICY_FILE, renderPolicyStarter } from "../../egress/policy-file.js";
import { presetHosts } from "../../egress/presets.js";
import { labelArgs } from "../../labels.js";
import { resolveLimits } from "../../limits/limits.js";
import type { ConfigPart, RenderInputs } from "../parts.js";
import { gatewayEnv, gatewayHosts } from "./gateway.js";
import { hostPath } from "./mcp.js";
import type { WorkspaceHost } from "./workspace.js";
import type { Tree } from "../../core/tree.js";

const ID = "${devcontainerId}";

export function egressPart(record: AgentRecord, options: ScaffoldOptions, host?: WorkspaceHost, inputs: RenderInputs = {}): ConfigPart {
  const mode = options.egress ?? "open";
  const broker = authModeOf(record.id, options) === "broker";
  if (broker) assertBrokerEgress({ [record.id]: "broker" }, mode);
  const gateway = gatewayEnv(record, options);
  const unbrokerable = broker ? brokerGatewayProblem(record, gateway) : undefined;
  if (unbrokerable) throw new UserError(`--agent-env ${unbrokerable}`);
  if (mode === "open") return options.egress === undefined ? {} : { runArgs: labelArgs({ [EGRESS_MODE_LABEL]: mode }) };
  const hosts = presetHosts(record, {
    registries: options.registries ?? [],
    ...(options.allowPresets ? { allowPresets: options.allowPresets } : {}),
    ...(inputs.mcpServers ? { mcpServers: inputs.mcpServers } : {}),
    extra: [...(options.allowHosts ?? []), ...gatewayHosts(record, options)],
  });
  return {
    initializeCommand: { egress: ["/bin/sh", HOST_SCRIPT, "up", ID, mode, options.baseImage, POLICY_FILE, ...enforcerLimitsArgs(options), ...(host?.containerName ? ["--name", host.containerName] : []), ...(broker ? brokerArgs(withConfigGateway(record, gateway), inputs.mcpServers, options.mcpSecretsFile && hostPath(options.mcpSecretsFile)) : []), ...hosts] },
    runArgs: [
      `--network=${enforcerName(ID)}`,
      "--sysctl=net.ipv6.conf.all.disable_ipv6=1",
      ...labelArgs({ [EGRESS_MODE_LABEL]: mode, [EGRESS_LABEL]: ID }),
    ],
    containerEnv: {
      HTTP_PROXY: PROXY_URL,
      HTTPS_PROXY: PROXY_URL,
      http_proxy: PROXY_URL,
      https_proxy: PROXY_URL,
      NO_PROXY: "localhost,127.0.0.1,::1",
      no_proxy: "localhost,127.0.0.1,::1",
    },
  };
}

/** The enforcer's limits for the host step: `--limits PIDS,MEMORY,CPUS` (0 is off). */
function enforcerLimitsArgs(options: ScaffoldOptions): string[] {
  const { pids, memory, cpus } = resolveLimits(options, "enforcer");
  return ["--limits", `${pids},${memory},${cpus}`];
}

/**
 * The files an enforced config needs next to it: the host script and the enforcer bundle (generated,
 * from `assets`, read by the caller from the package's egress/ folder) and the team's policy, written once.
 */
export function egressTree(options: Pick<ScaffoldOptions, "egress">, assets: Tree | undefined, withPolicy = true): Tree {
  if (options.egress === undefined || options.egress === "open") return new Map();
  const script = assets?.get("egress/egress.sh");
  const proxy = assets?.get("egress/proxy.cjs");
  if (!script || !proxy) throw new Error("the egress assets (egress/egress.sh, egress/proxy.cjs) were not given to the renderer");
  return new Map([
    [HOST_SCRIPT, { content: script.content }],
    [HOST_PROXY, { content: proxy.content }],
    ...(withPolicy ? ([[POLICY_FILE, { content: renderPolicyStarter(), once: true }]] as const) : []),
  ]);
}
