/**
 * The one line `launch` and `list` print when agent containers left things behind (`docker rm -f`, as VS
 * Code removes them): the same detection as `prune` (owned.ts) on one inventory read, run beside the
 * command's own work and never failing it.
 */
import { isCacheTag } from "../launch/image-cache.js";
import { escapeLine } from "../terminal.js";
import { readInventory, type Inventory } from "./inventory.js";
import { findOrphans, type Orphans } from "./owned.js";
import { PRUNE_GRACE_MINUTES, volumeSizes } from "./prune.js";
import { formatSize } from "./sizes.js";

/**
 * Shorter than prune's grace: a notice removes nothing, so a container removed a minute ago is noticed
 * at once; an `up` whose image builds for longer than this may show as a notice for that while.
 */
export const NOTICE_GRACE_MS = 2 * 60_000;

/** The notice, or undefined when nothing is left behind or the engine cannot tell. */
export async function orphanNotice(now: Date, inventory: Promise<Inventory> = readInventory()): Promise<string | undefined> {
  try {
    const orphans = findOrphans(await inventory, now, NOTICE_GRACE_MS);
    // The sizes only add to the line: without them it still says what is left, so `list` and `launch` do not
    // wait out another disk usage read (prune does) but ask once.
    return describeOrphans(orphans, await volumeSizes(orphans, 0).catch(() => new Map<string, number>()), now);
  } catch {
    return undefined; // a notice: the engine's own failure is the command's to report
  }
}

/**
 * Starts the check beside a command's own work, on the inventory the command reads anyway when it does
 * (`list`), else on its own; the function returned prints the notice, if any, on stderr.
 */
export function noticeOrphans(inventory?: Promise<Inventory>): () => Promise<void> {
  const pending = orphanNotice(new Date(), inventory);
  return async () => {
    const line = await pending;
    if (line) process.stderr.write(`${escapeLine(line)}\n`);
  };
}

/** "left behind by removed agent containers: 1 enforcer, 1 network, 2 volumes and 3 unused images (1.2 GB); run `create-agent-devcontainer prune`". */
export function describeOrphans(found: Orphans, volumeSizes: ReadonlyMap<string, number>, now: Date): string | undefined {
  // Launch's layer cache is kept on purpose, not left behind: prune clears it, the notice does not count it.
  const orphans = { ...found, images: found.images.filter((image) => !(image.tags.length > 0 && image.tags.every(isCacheTag))) };
  const counts: [number, string][] = [
    [orphans.enforcers.length, "enforcer"],
    [orphans.networks.length, "network"],
    [orphans.volumes.length, "volume"],
    [orphans.images.length, "unused image"],
  ];
  const parts = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}${n === 1 ? "" : "s"}`);
  if (parts.length === 0) return undefined;
  const bytes = orphans.volumes.reduce((sum, v) => sum + (volumeSizes.get(v.name) ?? 0), 0) + orphans.images.reduce((sum, i) => sum + i.size, 0);
  const listed = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)!}`;
  // prune spares what is younger than its grace: said, so that its "nothing to prune" is no surprise.
  const all = [...orphans.enforcers, ...orphans.networks, ...orphans.volumes, ...orphans.images];
  const young = all.some((item) => now.getTime() - Date.parse(item.createdAt) < PRUNE_GRACE_MINUTES * 60_000);
  const grace = young ? ` (it spares what is younger than ${PRUNE_GRACE_MINUTES} minutes; --grace 0 once no \`up\` is under way)` : "";
  return `left behind by removed agent containers: ${listed}${bytes > 0 ? ` (${formatSize(bytes)})` : ""}; run \`create-agent-devcontainer prune\`${grace}`;
}
