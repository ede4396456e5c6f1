import { defineConfig } from "vitest/config";
import LongestFirst from "./test/support/sequencer.js";

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // Unit tests first, then the e2e files (projects with different worker counts run as ordered groups).
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          // Real containers on 2 cores: two files at a time (much of a file is waiting on builds and the engine);
          // Feature builds take turns at the engine's build lock (test/support/devcontainer.ts), generous timeouts.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 15 * 60_000,
          hookTimeout: 20 * 60_000,
        },
      },
    ],
  },
});
