/**
 * Two e2e files run side by side; on a fresh clone vitest has no timings to order them by, and its fallback (file
 * size) starts the heavy but short features.test.ts last, alone. Longest first, from measured seconds, keeps both
 * workers busy to the end.
 * Unlisted files go after these, in vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Seconds each e2e file took, its beforeAll included, two files at a time (the last CI run's); only the order matters.
 * auth.test.ts builds the layered images (buildAllImages) the later images and mcp files take from the cache.
 */
const MEASURED: Record<string, number> = {
  "auth.test.ts": 544,
  "broker-agents.test.ts": 522,
  "features.test.ts": 423,
  "images.test.ts": 284,
  "workspace.test.ts": 243,
  "egress.test.ts": 236,
  "scaffold.test.ts": 217,
  "tasks.test.ts": 190,
  "templates.test.ts": 186,
  "readme.test.ts": 128,
  "ui.test.ts": 120,
  "broker.test.ts": 111,
  "mcp.test.ts": 92,
};

const weight = (spec: TestSpecification): number => MEASURED[spec.moduleId.split("/").pop()!] ?? 0;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Stable: within a project, listed files by weight; unlisted ones keep vitest's order after them.
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort((a, b) => (a.spec.project.name === b.spec.project.name ? weight(b.spec) - weight(a.spec) : 0) || a.index - b.index)
      .map(({ spec }) => spec);
  }
}
