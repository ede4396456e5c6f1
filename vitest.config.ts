import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
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
          // Real containers on 2 cores: one file at a time, so each agent's Feature install is built once, by the
          // first file that needs it, and every later file gets it from Docker's layer cache (test/support/test-ca.ts).
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 15 * 60_000,
          hookTimeout: 20 * 60_000,
        },
      },
    ],
  },
});
