import { defineConfig } from "vitest/config";
import LongestFirst from "./test/support/sequencer.js";

export default defineConfig({
  test: {
    sequence: { sequencer: LongestFirst },
    // Every project's files run the CLI bundle (test/support/cli.ts): built once, first.
    globalSetup: ["test/support/cli-bundle-setup.ts"],
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
          // Two files at a time on 2 cores: most of a file's time is waiting on the engine. Every file builds on the
          // run's one base image (test/support/test-ca.ts), so Docker's layer cache serves a Feature install built
          // by one file to the rest; test/support/docker-shim keeps side-by-side builds apart.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 15 * 60_000,
          hookTimeout: 20 * 60_000,
        },
      },
    ],
  },
});
