/**
 * Names and places the egress pieces share: the host script and the CLI must agree on them, so they are
 * written once here (and mirrored, with a comment, in src/egress/egress.sh). The proxy's address is in
 * proxy-address.ts, apart, so the enforcer bundle does not pull in what this file imports.
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { configRoot } from "../agents/derived.js";
import type { AgentRecord } from "../agents/record.js";
import { HOST_SCRIPT_DIR } from "../host/scripts.js";
import { LABEL_PREFIX } from "../labels.js";

/** On the agent container: its mode; on the agent container, the enforcer and the network: the egress id. */
export const EGRESS_LABEL = `${LABEL_PREFIX}.egress`;
export const EGRESS_MODE_LABEL = `${LABEL_PREFIX}.egress-mode`;

/** In a scaffolded repository (and a launch state folder), relative to the workspace folder. */
export const HOST_SCRIPT = `${HOST_SCRIPT_DIR}/egress.sh`;
export const HOST_PROXY = `${HOST_SCRIPT_DIR}/egress-proxy.cjs`;

/** The enforcer container and the agent's internal network share one name per container (its devcontainer id). */
export function enforcerName(id: string): string {
  return `cadc-egress-${id}`;
}

/** A subscription login's one refresher (egress.sh), named after its login id; enforcers mount /logins/<login id>. */
export const REFRESHER_PREFIX = "cadc-broker-login-";

/** `$XDG_STATE_HOME/create-agent-devcontainer/egress/<id>/`: mode, preset.txt, allow.txt (as egress.sh makes it). */
export function egressStateDir(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(env.HOME || homedir(), ".local", "state");
  return join(base, "create-agent-devcontainer", "egress", id);
}

/**
 * The credential broker's files on the host, under $HOME (the config names them with ${localEnv:HOME}, which
 * has no XDG fallback): the user's CA (ca.crt is mounted into broker containers), and per container
 * `<id>/placeholders.env`, the agent container's --env-file. egress.sh makes them.
 */
export const BROKER_HOST_DIR = ".local/state/create-agent-devcontainer/broker";
/** The broker CA's certificate inside the agent's container (read-only mount). */
export const BROKER_CA_TARGET = "/run/agent-devcontainer/broker-ca.crt";

/** The CA bundle a broker container's agent trusts, written by its hook into the agent's own folder. */
export function brokerBundle(record: AgentRecord): string {
  return `${configRoot(record)}/broker-ca-bundle.pem`;
}

