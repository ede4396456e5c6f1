/**
 * Names and places the egress pieces share: the host script and the CLI must agree on them, so they are
 * written once here (and mirrored, with a comment, in src/egress/egress.sh).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { HOST_SCRIPT_DIR } from "../host/scripts.js";
import { LABEL_PREFIX } from "../labels.js";

/** On the agent container: its mode; on the agent container, the enforcer and the network: the egress id. */
export const EGRESS_LABEL = `${LABEL_PREFIX}.egress`;
export const EGRESS_MODE_LABEL = `${LABEL_PREFIX}.egress-mode`;

/** The enforcer's name on the agent's network, and its port. */
export const PROXY_ALIAS = "egress";
export const PROXY_PORT = 3128;
export const PROXY_URL = `http://${PROXY_ALIAS}:${PROXY_PORT}`;

/** In a scaffolded repository (and a launch state folder), relative to the workspace folder. */
export const HOST_SCRIPT = `${HOST_SCRIPT_DIR}/egress.sh`;
export const HOST_PROXY = `${HOST_SCRIPT_DIR}/egress-proxy.cjs`;

/** The enforcer container and the agent's internal network share one name per container (its devcontainer id). */
export function enforcerName(id: string): string {
  return `cadc-egress-${id}`;
}

/** `$XDG_STATE_HOME/create-agent-devcontainer/egress/<id>/`: mode, preset.txt, allow.txt (as egress.sh makes it). */
export function egressStateDir(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith("/") ? env.XDG_STATE_HOME : join(env.HOME || homedir(), ".local", "state");
  return join(base, "create-agent-devcontainer", "egress", id);
}
