/** Container names: `<agent>-<repo>[-<feature>]`, reduced to what Docker accepts. */

const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const MAX_LENGTH = 100;

export function containerName(agentId: string, repo: string, feature?: string): string {
  const name = [agentId, repo, ...(feature === undefined ? [] : [feature])].map(sanitize).filter(Boolean).join("-");
  return name.slice(0, MAX_LENGTH).replace(/[-.]+$/, "");
}

/** Lower case; every run of characters Docker rejects (spaces, slashes, non-ASCII…) becomes one '-'. */
export function sanitize(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/[-.]+$/, "");
}

/** A name the companion commands accept (anything `launch` produced is one). */
export function isContainerName(name: string): boolean {
  return DOCKER_NAME.test(name) && name.length <= MAX_LENGTH;
}
