/**
 * `doctor`'s checks for the first `up` on a network without Docker Hub or nodejs.org: the base image is on
 * the engine or its registry serves it, and the Node.js source the Features read answers. What to check comes
 * from the scaffolded configs in the folder (what `up` will use), else from the flags and their
 * environment variables (what the scaffolder would write).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allAgents } from "../catalogue/agents.js";
import type { Check } from "../auth/diagnose.js";
import { agentConfigPath } from "../render/devcontainer-json.js";
import { baseImageFix, nodeSourceFix } from "./hints.js";
import { nodeSourceTarget } from "./node-source.js";
import { checkImage, checkNodeSource } from "./probe.js";

export interface FirstUpInputs {
  baseImage: string;
  /** nodeMirror; undefined is the Features' default (nodejs.org). */
  nodeSource?: string;
}

export interface FirstUpReport {
  baseImage: Check;
  nodeSource: Check;
}

interface ConfigFacts {
  image?: unknown;
  features?: Record<string, { nodeMirror?: unknown } | undefined>;
}

/** The image and Node.js source of the first scaffolded config in `root`, each over the fallback. */
export function firstUpInputs(root: string, fallback: FirstUpInputs): FirstUpInputs {
  for (const record of allAgents()) {
    const path = join(root, agentConfigPath(record));
    if (!existsSync(path)) continue;
    try {
      // We write JSONC with whole-line comments only.
      const config = JSON.parse(readFileSync(path, "utf8").replace(/^\s*\/\/.*$/gm, "")) as ConfigFacts;
      const mirror = Object.values(config.features ?? {}).find((options) => typeof options?.nodeMirror === "string")?.nodeMirror as string | undefined;
      return {
        baseImage: typeof config.image === "string" ? config.image : fallback.baseImage,
        ...(mirror !== undefined ? { nodeSource: mirror } : {}),
      };
    } catch {
      // An edited config we cannot parse: the next one, else the flags.
    }
  }
  return fallback;
}

/** Both checks at once, each bounded (see probe.ts); the image only when the engine answers. */
export async function checkFirstUp(inputs: FirstUpInputs, engine: boolean): Promise<FirstUpReport> {
  const target = nodeSourceTarget(inputs.nodeSource, undefined, process.arch === "arm64" ? "arm64" : "x64");
  const [image, node] = await Promise.all([
    engine ? checkImage(inputs.baseImage) : Promise.resolve({ ok: false as const, reason: "the Docker engine does not answer" }),
    checkNodeSource(target),
  ]);
  return {
    baseImage: image.ok ? { ok: true, detail: `${inputs.baseImage}: ${image.detail}` } : { ok: false, detail: `${inputs.baseImage}: ${image.reason}`, fix: baseImageFix() },
    nodeSource: node.ok ? { ok: true, detail: `${target.source}: ${node.detail}` } : { ok: false, detail: `${target.source}: ${node.reason}`, fix: nodeSourceFix() },
  };
}
