/**
 * The record of what the scaffolder wrote: path → SHA-256 of the bytes it wrote. A later run compares
 * the file on disk with it to tell "still ours, safe to update" from "edited by the user, keep".
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { renderJson } from "../core/tree.js";

export const MANIFEST_PATH = ".devcontainer/.create-agent-devcontainer.json";

export interface Manifest {
  generator: "create-agent-devcontainer";
  files: Record<string, string>;
}

export function sha256(content: string): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

export function readManifest(root: string): Manifest {
  const path = join(root, MANIFEST_PATH);
  if (!existsSync(path)) return { generator: "create-agent-devcontainer", files: {} };
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Manifest>;
    return { generator: "create-agent-devcontainer", files: { ...(parsed.files ?? {}) } };
  } catch {
    // A corrupt record protects nothing; treating every file as unknown makes the writer refuse, which is safe.
    return { generator: "create-agent-devcontainer", files: {} };
  }
}

export function renderManifest(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1)));
  return renderJson({ generator: manifest.generator, files });
}
