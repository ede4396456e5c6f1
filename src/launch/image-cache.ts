/**
 * The layer cache every launch of one agent and config shares. The devcontainer CLI names its image after the
 * launch's state folder (one `vsc-…` tag per launch), and `rm` removes that tag: with nothing else holding the
 * layers, the classic builder lost them and the next launch reinstalled every Feature (minutes, not seconds).
 * The first launch of a config therefore also tags its image by a hash of what the image is built from;
 * `rm` leaves that tag (prune clears it once no container runs it), so later builds find every layer.
 * The tag only chooses which layers stay: Docker's own build cache still decides what is reused, so a
 * key that misses costs a rebuild, never a wrong image.
 */
import { createHash } from "node:crypto";
import type { Tree } from "../core/tree.js";
import { VENDOR_DIR } from "../features/refs.js";

/** The repository of every cache tag: `create-agent-devcontainer-cache/<agent>:<key>`. */
export const CACHE_REPOSITORY = "create-agent-devcontainer-cache";

export function isCacheTag(tag: string): boolean {
  return tag.startsWith(`${CACHE_REPOSITORY}/`);
}

/**
 * The config fields the image build reads (the rest shape the container, not the image). containerEnv is one:
 * the CLI writes it into the image it builds with Features as ENV, so a cached image of an enforced launch
 * carries its proxy variables into any container started from it.
 */
const BUILD_FIELDS = ["image", "build", "features", "overrideFeatureInstallOrder", "containerEnv"] as const;

/**
 * The tag for a rendered launch tree, or undefined when the CLI builds nothing (no Features: it runs the image
 * as it is) or the base image is not there to key by. Keyed by the base image's id (a rebuilt base is a new
 * key), the devcontainer CLI's version, the config's build fields and every vendored Feature file.
 */
export function cacheTag(agentId: string, tree: Tree, configPath: string, imageId: (image: string) => string | undefined, cliVersion: string): string | undefined {
  const config = parseRendered(tree.get(configPath)?.content);
  if (!config?.features || typeof config.features !== "object" || Object.keys(config.features).length === 0) return undefined;
  const baseImageId = typeof config.image === "string" ? imageId(config.image) : "";
  if (baseImageId === undefined) return undefined;
  const hash = createHash("sha256").update(JSON.stringify({ baseImageId, cliVersion, build: BUILD_FIELDS.map((field) => config[field] ?? null) }));
  for (const [path, file] of [...tree].filter(([path]) => path.startsWith(`${VENDOR_DIR}/`)).sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(`\0${path}\0${file.mode ?? 0o644}\0`).update(file.content);
  }
  return `${CACHE_REPOSITORY}/${agentId}:${hash.digest("hex").slice(0, 32)}`;
}

/** The launch's devcontainer.json: JSON but for its `//` lines (renderJsonc). */
export function parseRendered(content: string | undefined): Record<string, unknown> | undefined {
  if (content === undefined) return undefined;
  try {
    return JSON.parse(content.replace(/^\s*\/\/.*$/gm, "")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
