/**
 * Which of some secrets an image holds anywhere: its layers, its config and its history, as `docker save`
 * streams them (uncompressed tar on Docker 20.10), searched by grep's multi-pattern fixed-string search.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function imagesHolding(images: string[], secrets: string[]): string[] {
  // An empty (or tiny) pattern would match everything: only real tokens are searched for.
  const needles = [...new Set(secrets)].filter((secret) => secret.length >= 16);
  if (needles.length === 0) throw new Error("imagesHolding: no secret to search for");
  const dir = mkdtempSync(join(tmpdir(), "image-scan-"));
  try {
    writeFileSync(join(dir, "needles"), `${needles.join("\n")}\n`);
    // grep exits 1 when it finds nothing: only a failed `docker save` (or grep error) fails the pipeline.
    const script = 'set -o pipefail; docker save "$@" | { grep -aoF -f "$0"; [ $? -le 1 ]; } | sort -u';
    const result = spawnSync("bash", ["-c", script, join(dir, "needles"), ...images], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 300_000 });
    if (result.status !== 0) throw new Error(`docker save ${images.join(" ")} | grep failed (${result.status}): ${result.stderr}`);
    return result.stdout.split("\n").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
