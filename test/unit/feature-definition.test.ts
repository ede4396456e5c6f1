/** The one Feature renderer: every file of a Feature and of its tests comes from one definition. */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { renderFeature, renderFeatureTests, testScenario, type FeatureDefinition } from "../../src/features/feature.js";

const demo: FeatureDefinition = {
  id: "demo",
  version: "1.2.3",
  name: "Demo",
  description: "A Feature for the test.",
  keywords: ["demo"],
  options: [
    {
      name: "greeting",
      option: { type: "string", default: "hello", proposals: ["hello"], description: "What it says." },
      pattern: "^[a-z]+$",
      expected: "lower-case letters",
    },
  ],
  metadata: { postStartCommand: "true" },
  source: "test/unit/feature-definition.test.ts",
  install: { functions: "say() { echo \"$1\"; }", steps: 'say "$GREETING"\n' },
  readme: { setup: "- Nothing at all." },
  tests: {
    source: "test/unit/feature-definition.test.ts",
    checks: (script) => `check "runs ${script}" true`,
    duplicate: `check "twice" true`,
    scenarios: { quiet: { config: testScenario("IMAGE_ENV", "demo", { greeting: "hi" }), checks: `check "quiet" true` } },
  },
};

describe("renderFeature", () => {
  const tree = renderFeature(demo, { "hooks/hook.js": "// bundle\n" });

  it("writes metadata, an executable install.sh, the bundles and a README", () => {
    expect([...tree.keys()].sort()).toEqual(["README.md", "devcontainer-feature.json", "hooks/hook.js", "install.sh"]);
    expect(tree.get("install.sh")?.mode).toBe(0o755);
    const metadata = JSON.parse(tree.get("devcontainer-feature.json")!.content) as Record<string, unknown>;
    expect(Object.keys(metadata)).toEqual(["id", "version", "name", "description", "documentationURL", "licenseURL", "keywords", "options", "postStartCommand"]);
    expect(metadata.options).toEqual({ greeting: demo.options[0]!.option });
  });

  it("runs its functions and steps after the library and the option checks", () => {
    const script = tree.get("install.sh")!.content;
    const run = (env: Record<string, string>) => spawnSync("bash", ["-c", script], { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env }, encoding: "utf8" });
    expect(run({}).stdout).toBe("hello\n");
    expect(run({ GREETING: "hey" }).stdout).toBe("hey\n");
    expect(run({ GREETING: "Hey!" }).stderr).toContain("option greeting has an invalid value 'Hey!': expected lower-case letters");
  });

  it("puts the options in the README's table", () => {
    expect(tree.get("README.md")!.content).toContain("| `greeting` | What it says. | `hello` |\n\n## What it sets up\n\n- Nothing at all.\n");
  });
});

describe("renderFeatureTests", () => {
  const tests = renderFeatureTests(demo);

  it("writes test.sh, duplicate.sh, a script per scenario and their configs", () => {
    expect([...tests.keys()]).toEqual(["demo/test.sh", "demo/duplicate.sh", "demo/quiet.sh", "demo/scenarios.json"]);
    expect(JSON.parse(tests.get("demo/scenarios.json")!.content)).toEqual({
      quiet: { image: "${localEnv:IMAGE_ENV}", remoteUser: "agent", features: { demo: { greeting: "hi" } } },
    });
  });

  it("gives every script the test library, the common checks for its name and its own checks", () => {
    const quiet = tests.get("demo/quiet.sh")!.content;
    expect(quiet).toContain("source dev-container-features-test-lib\n\ncheck \"runs quiet\" true\ncheck \"quiet\" true\nreportResults\n");
    expect(tests.get("demo/duplicate.sh")!.content).toContain('check "runs duplicate" true\ncheck "twice" true\n');
  });
});
