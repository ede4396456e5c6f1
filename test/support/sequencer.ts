/**
 * Two e2e files run side by side; on a fresh clone vitest has no timings to order them by, and its fallback (file
 * size) starts the heavy but short features.test.ts last, alone. Longest first, from measured seconds, keeps both
 * workers busy to the end. mcp.test.ts builds the layered images before images.test.ts needs them (from the cache).
 * Unlisted files go after these, in vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Seconds each e2e file took, its beforeAll included, two files at a time (a CI run); only the order matters. */
const MEASURED: Record<string, number> = {
  "broker-agents.test.ts": 347,
  "auth.test.ts": 340,
  "features.test.ts": 320,
  "mcp.test.ts": 300,
  "egress.test.ts": 250,
  "tasks.test.ts": 235,
  "workspace.test.ts": 200,
  "readme.test.ts": 195,
  "images.test.ts": 185,
  "templates.test.ts": 170,
  "ui.test.ts": 160,
  "broker.test.ts": 110,
  "scaffold.test.ts": 100,
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
