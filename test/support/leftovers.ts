/**
 * What a test run leaves on the engine, removed at its end: images (every `devcontainer up` and `features test`
 * builds one; the layered images; the test bed's own), volumes and networks that appeared during the run and
 * that nothing uses any more. Containers are each file's to remove. In-use resources are never forced, so a
 * second run on the same engine keeps what it is using.
 */
import { spawnSync } from "node:child_process";

export interface EngineSnapshot {
  images: Set<string>;
  volumes: Set<string>;
  networks: Set<string>;
}

function list(args: string[]): string[] {
  const result = spawnSync("docker", args, { encoding: "utf8", timeout: 60_000 });
  return result.status === 0 ? result.stdout.split("\n").map((line) => line.trim()).filter(Boolean) : [];
}

/** Tries to remove each item; resolves with those that are gone. Never forced. */
function removeEach(kind: "image" | "volume" | "network", items: string[]): Set<string> {
  const gone = new Set<string>();
  for (const item of items) {
    if (spawnSync("docker", [kind, "rm", item], { stdio: "ignore", timeout: 120_000 }).status === 0) gone.add(item);
  }
  return gone;
}

export function snapshotEngine(): EngineSnapshot {
  return {
    images: new Set(list(["images", "-aq", "--no-trunc"])),
    volumes: new Set(list(["volume", "ls", "-q"])),
    networks: new Set(list(["network", "ls", "-q", "--no-trunc"])),
  };
}

/** Removes what appeared since `before`; returns how many of each were removed. */
export function removeLeftovers(before: EngineSnapshot): { images: number; volumes: number; networks: number } {
  // Tags first (an image with several tags cannot go by id), then ids: children before the parents they hold.
  const tags = list(["images", "--no-trunc", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"])
    .map((line) => line.split(" "))
    .filter(([id, tag]) => !before.images.has(id!) && !tag!.endsWith(":<none>"))
    .map(([, tag]) => tag!);
  removeEach("image", tags);
  let images = 0;
  // Bounded: each pass removes at least one layer of the remaining parent chains, or stops.
  for (let pass = 0; pass < 50; pass++) {
    const fresh = list(["images", "-aq", "--no-trunc"]).filter((id) => !before.images.has(id));
    const removed = removeEach("image", [...new Set(fresh)]).size;
    images += removed;
    if (removed === 0) break;
  }
  const volumes = removeEach("volume", list(["volume", "ls", "-q"]).filter((name) => !before.volumes.has(name))).size;
  const networks = removeEach("network", list(["network", "ls", "-q", "--no-trunc"]).filter((id) => !before.networks.has(id))).size;
  return { images, volumes, networks };
}
