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
  "auth.test.ts": 954,
  "broker-agents.test.ts": 642,
  "features.test.ts": 612,
  "images.test.ts": 455,
  "workspace.test.ts": 376,
  "templates.test.ts": 285,
  "scaffold.test.ts": 280,
  "egress.test.ts": 276,
  "tasks.test.ts": 255,
  "ui.test.ts": 181,
  "readme.test.ts": 135,
  "mcp.test.ts": 120,
  "broker.test.ts": 103,
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
