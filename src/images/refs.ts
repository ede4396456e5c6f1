/**
 * Names of the published images. They live under `images/` in the repository's GHCR namespace because the
 * Features already own `ghcr.io/<owner>/create-agent-devcontainer/<id>` (same name and tag `1` would clash).
 */
import type { AgentRecord } from "../catalogue/agents.js";
import { FEATURE_MAJOR, REPO_NAME } from "../features/refs.js";

/** The images carry the v1 Features (hooks, environment), so they share the Features' major version. */
export const IMAGE_TAG = String(FEATURE_MAJOR);

export const BASE_IMAGE_NAME = "base";
export const AGENTS_IMAGE_NAME = "agents";

/** The repository of one image, without a tag: `ghcr.io/<owner>/create-agent-devcontainer/images/<name>`. */
export function imageRepository(owner: string, name: string): string {
  return `ghcr.io/${owner.toLowerCase()}/${REPO_NAME}/images/${name}`;
}

export function imageRef(owner: string, name: string, tag = IMAGE_TAG): string {
  return `${imageRepository(owner, name)}:${tag}`;
}

/** The one-agent image a `--prebuilt` config starts from. */
export function agentImageRef(record: AgentRecord, owner: string): string {
  return imageRef(owner, record.id);
}
