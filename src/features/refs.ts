/** Where a generated devcontainer.json takes each Feature from: GHCR, or a copy vendored under .devcontainer/. */
import type { ScaffoldOptions } from "../generated/scaffold-options.js";

export const REPO_NAME = "create-agent-devcontainer";
export const DEFAULT_FEATURE_OWNER = "create-agent-devcontainer";
export const REPO_URL = `https://github.com/${DEFAULT_FEATURE_OWNER}/${REPO_NAME}`;
/** Major version of the published Features; configs pin it so a breaking release never reaches them silently. */
export const FEATURE_MAJOR = 1;
/** Vendored Features live here, shared by every agent's config (they must sit under .devcontainer/). */
export const VENDOR_DIR = ".devcontainer/features";

export function featureRef(id: string, options: Pick<ScaffoldOptions, "featureSource" | "featureOwner">): string {
  return options.featureSource === "local"
    ? `../features/${id}`
    : `ghcr.io/${options.featureOwner.toLowerCase()}/${REPO_NAME}/${id}:${FEATURE_MAJOR}`;
}
