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
  "auth.test.ts": 561,
  "broker-agents.test.ts": 552,
  "features.test.ts": 456,
  "workspace.test.ts": 327,
  "egress.test.ts": 311,
  "images.test.ts": 290,
  "tasks.test.ts": 273,
  "scaffold.test.ts": 223,
  "templates.test.ts": 219,
  "ui.test.ts": 197,
  "readme.test.ts": 129,
  "broker.test.ts": 109,
  "mcp.test.ts": 96,
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
