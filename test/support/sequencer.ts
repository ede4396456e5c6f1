/**
 * Two e2e files run side by side; on a fresh clone vitest has no timings to order them by, and its fallback (file
 * size) would start the shortest-lived heavy file (features) last. Longest first, from measured seconds, keeps
 * both workers busy to the end. Unlisted files go after these, in vitest's own order.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Seconds each e2e file took alone (CI run of the previous release); only the order matters. */
const MEASURED: Record<string, number> = {
  "features.test.ts": 260,
  "images.test.ts": 290,
  "broker-agents.test.ts": 196,
  "workspace.test.ts": 134,
  "auth.test.ts": 123,
  "tasks.test.ts": 112,
  "templates.test.ts": 110,
  "egress.test.ts": 106,
  "mcp.test.ts": 104,
  "scaffold.test.ts": 72,
  "broker.test.ts": 58,
  "ui.test.ts": 56,
  "readme.test.ts": 20,
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
