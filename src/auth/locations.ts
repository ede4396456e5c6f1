/**
 * Where auth lives, on the host and in the container. Pure: the host step, the in-container hook and
 * `doctor` all resolve login files through here, so they agree on every path.
 */
import type { AgentId, LoginFile, LoginLocation } from "../catalogue/agents.js";
import { configRoot } from "../agents/derived.js";

/** The host's private folder for staged copies, relative to $HOME (created 0700 by the host step). */
export const HOST_STATE_DIR = ".local/state/create-agent-devcontainer";

/** The host folder that holds one agent's staged copies, as a devcontainer.json mount source. */
export function hostStagingSource(id: AgentId): string {
  return `\${localEnv:HOME}/${HOST_STATE_DIR}/auth/${id}`;
}

/** Where the staged copies appear, read-only, inside the container. */
export const STAGING_ROOT = "/run/agent-devcontainer/host-login";

export function stagedDir(id: string): string {
  return `${STAGING_ROOT}/${id}`;
}

/** The named volume that holds an agent's login in `volume` mode, shared by that agent's containers. */
export function authVolumeName(id: AgentId): string {
  return `agent-devcontainer-auth-${id}`;
}

/** In `volume` mode gh keeps its login beside the agent's, in the same volume. */
export function volumeGhConfigDir(id: AgentId): string {
  return `${configRoot({ id })}/gh`;
}

/** The location that applies: the first whose variable is set to something, else the default one. */
export function activeLocation(file: LoginFile, env: Readonly<Record<string, string | undefined>>): LoginLocation & { base?: string } {
  for (const location of file.locations) {
    if (location.env === undefined) return location;
    const base = env[location.env];
    if (base) return { ...location, base };
  }
  throw new Error(`login file ${file.staged} has no default location`);
}

/** The absolute path of a login file for this environment and home folder. */
export function resolveLoginPath(file: LoginFile, env: Readonly<Record<string, string | undefined>>, home: string): string {
  const location = activeLocation(file, env);
  return `${(location.base ?? home).replace(/\/+$/, "")}/${location.path}`;
}

/** Every variable that moves a login file, so a probe knows which ones to read. */
export function locationVariables(files: readonly LoginFile[]): string[] {
  return [...new Set(files.flatMap((file) => file.locations.flatMap((location) => (location.env ? [location.env] : []))))];
}
