/**
 * How much `sync` lets one import write into the host repository. The bundle is made in the container,
 * from an outbox the agent configures, so its packing settings are forced on the command line (`git -c`
 * outranks every config file); and the pack the host keeps, once `index-pack --fix-thin` has completed
 * it with the bases it leans on, may not be far larger than what arrived.
 */

/** Settings for `git bundle create` in the container: git's own defaults, whatever the outbox's config says. */
export const BUNDLE_CONFIG: readonly string[] = [
  // pack.compression=0 in the outbox turned 1.3 MB of work into a 293 MB stream and pack.
  "pack.compression=-1",
  // A tiny threshold would turn delta compression off for every blob.
  "core.bigFileThreshold=512m",
  "pack.window=10",
  "pack.depth=50",
];

export const IMPORT_GROWTH = {
  /** The indexed pack may be this many times what arrived (a thin pack gets its bases appended)... */
  ratio: 4,
  /** ...or this many bytes, whichever is more, so that a one-line edit of a large file still imports... */
  floor: 64 * 1024 ** 2,
  /** ...and never more than this, however much arrived (the same bound as on the bundle itself). */
  cap: 8 * 1024 ** 3,
} as const;

/** Why a pack of `indexed` bytes, made from `arrived` bytes, is too large to keep; undefined when it is not. */
export function importGrowthProblem(arrived: number, indexed: number): string | undefined {
  const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (indexed > IMPORT_GROWTH.cap) return `its pack would take ${mib(indexed)} here (at most ${mib(IMPORT_GROWTH.cap)})`;
  const allowed = Math.max(arrived * IMPORT_GROWTH.ratio, IMPORT_GROWTH.floor);
  if (indexed > allowed) {
    return `its pack would take ${mib(indexed)} here from ${mib(arrived)} sent (at most ${IMPORT_GROWTH.ratio}× what arrives, or ${mib(IMPORT_GROWTH.floor)})`;
  }
  return undefined;
}
