/** The scaffold options unit tests start from: one agent, local Features, a Debian base, a repository named app. */
import { DEFAULT_FEATURE_OWNER } from "../../src/features/refs.js";
import type { ScaffoldOptions } from "../../src/generated/scaffold-options.js";

export function localOptions(overrides: Partial<ScaffoldOptions> = {}): ScaffoldOptions {
  return {
    agents: ["codex"],
    baseImage: "debian:bookworm",
    user: "agent",
    featureSource: "local",
    featureOwner: DEFAULT_FEATURE_OWNER,
    repoName: "app",
    ...overrides,
  };
}
