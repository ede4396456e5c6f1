/**
 * The cached start: a launch whose image is in the layer cache (image-cache.ts) runs `devcontainer up` on a
 * copy of its config that names that image and lists no Features, so the CLI builds nothing (no Feature
 * content image, no build check) yet still creates the container itself, with its labels, metadata and
 * hooks. The copy differs from the launch's config in those two build fields only: every runArg, mount,
 * user and security option is the config's own. The launch's config stays standard; `devcontainer up` on it
 * still builds (from the same layers).
 *
 * The Features' metadata (hooks, containerEnv, mounts, capAdd) reaches the container through the cached
 * image's `devcontainer.metadata` label, which the CLI reads for an image config as for a built one. The
 * label of the image a launch built also holds that launch's own config entry (its mounts, its volumes):
 * the cache tag therefore goes on an image whose label keeps only the entries before it (cacheLabel).
 */
import { join } from "node:path";
import { parseRendered } from "./image-cache.js";

/** The fields that make the CLI build: the copy replaces `image` and drops the rest. */
const BUILD_ONLY = ["features", "overrideFeatureInstallOrder", "build"] as const;

/** Beside the launch's config, in its own folder (the CLI takes one devcontainer.json per folder). */
export function cachedConfigPath(config: string): string {
  return join(config, "..", "cached", "devcontainer.json");
}

/** The launch's rendered config with its image replaced by the cached one and no Features; undefined when unreadable. */
export function renderCachedConfig(content: string, tag: string): string | undefined {
  const config = parseRendered(content);
  if (!config) return undefined;
  const copy: Record<string, unknown> = { ...config, image: tag };
  for (const field of BUILD_ONLY) delete copy[field];
  const header = "// The launch's config beside this folder, on its cached image (src/launch/cached-start.ts): only image and features differ.";
  return `${header}\n${JSON.stringify(copy, null, 2)}\n`;
}

/**
 * The label for the cache tag's image, from the label of the image a launch built: the base image's and the
 * Features' entries (each Feature's has its `id`), without the trailing entry of that launch's own config.
 * Undefined when the label is not the CLI's (then no cached start: the tag still keeps the layers).
 */
export function cacheLabel(built: string | undefined): string | undefined {
  let entries: unknown;
  try {
    entries = JSON.parse(built ?? "");
  } catch {
    return undefined;
  }
  if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === "object" && entry !== null && !Array.isArray(entry))) return undefined;
  const last = entries.at(-1) as Record<string, unknown> | undefined;
  return JSON.stringify(last && !("id" in last) ? entries.slice(0, -1) : entries);
}
