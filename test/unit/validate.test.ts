import { AGENT_IDS } from "../../src/catalogue/agents.js";
import { describe, expect, it } from "vitest";
import type { ScaffoldOptions } from "../../src/generated/scaffold-options.js";
import { assertValid, SchemaError } from "../../src/schema/validate.js";

const good: ScaffoldOptions = {
  agents: ["claude", "codex"],
  baseImage: "debian:trixie-slim",
  user: "agent",
  featureSource: "ghcr",
  featureOwner: "create-agent-devcontainer",
  repoName: "my-repo",
};

/** The problems assertValid reports for `data`; fails the test if it reports none. */
function problemsWith(data: unknown): string[] {
  try {
    assertValid<ScaffoldOptions>("scaffold-options", data, "invalid options");
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return (error as SchemaError).problems;
  }
  throw new Error(`expected ${JSON.stringify(data)} to be rejected`);
}

describe('assertValid("scaffold-options")', () => {
  it("accepts complete, well-formed options", () => {
    expect(() => assertValid("scaffold-options", good, "invalid options")).not.toThrow();
  });

  it.each([
    "debian:trixie-slim",
    "ubuntu",
    "mcr.microsoft.com/devcontainers/base:bookworm",
    "localhost:5000/team/image:1.0",
    "ghcr.io/some-org/some_image:v1.2.3-rc.1",
    `ghcr.io/org/image@sha256:${"a".repeat(64)}`,
  ])("accepts the image reference %s", (baseImage) => {
    expect(() => assertValid("scaffold-options", { ...good, baseImage }, "invalid options")).not.toThrow();
  });

  it("accepts local Features and every agent", () => {
    const options = { ...good, agents: ["claude", "codex", "copilot", "gemini"], featureSource: "local" };

    expect(() => assertValid("scaffold-options", options, "invalid options")).not.toThrow();
  });

  it("rejects an unknown agent, naming its position, the allowed names and the value", () => {
    expect(problemsWith({ ...good, agents: ["claude", "cursor"] })).toEqual([
      `agents[1]: must be one of ${AGENT_IDS.join(", ")} (got "cursor")`,
    ]);
  });

  it("rejects an empty or repeated agent list", () => {
    expect(problemsWith({ ...good, agents: [] })).toEqual([expect.stringMatching(/^agents: must NOT have fewer than 1 items/)]);
    expect(problemsWith({ ...good, agents: ["codex", "codex"] })).toEqual([
      expect.stringMatching(/^agents: must NOT have duplicate items/),
    ]);
  });

  it.each([
    "img;rm -rf /",
    "ubuntu latest",
    "debian:$(reboot)",
    "img`id`",
    "img|cat",
    "img&&true",
    "img\nfoo",
    "Debian:12",
    "-debian",
    "",
  ])("rejects the image reference %j, naming baseImage and the value", (baseImage) => {
    const [problem, ...rest] = problemsWith({ ...good, baseImage });

    expect(rest).toEqual([]);
    expect(problem).toMatch(/^baseImage: has a form or characters that are not allowed/);
    expect(problem).toContain(`(got ${JSON.stringify(baseImage)})`);
  });

  it("rejects root as the user", () => {
    expect(problemsWith({ ...good, user: "root" })).toEqual(['user: is not allowed (got "root")']);
  });

  it.each(["Agent", "1agent", "agent user", "agent;id", "a".repeat(33)])("rejects the user name %j", (user) => {
    const problems = problemsWith({ ...good, user });

    expect(problems).toEqual([expect.stringMatching(/^user: has a form or characters that are not allowed/)]);
    expect(problems[0]).toContain(`(got ${JSON.stringify(user)})`);
  });

  it("rejects a Feature owner that is not a GitHub account name", () => {
    expect(problemsWith({ ...good, featureOwner: "org/evil" })[0]).toMatch(/^featureOwner: has a form or characters that are not allowed.*\(got "org\/evil"\)$/);
  });

  it("rejects a Feature source other than ghcr or local", () => {
    expect(problemsWith({ ...good, featureSource: "dockerhub" })).toEqual([
      'featureSource: must be one of ghcr, local (got "dockerhub")',
    ]);
  });

  it("rejects an unknown field, naming it", () => {
    expect(problemsWith({ ...good, firewall: true })).toEqual(['(top level): unknown field "firewall"']);
  });

  it("rejects a missing field, naming it", () => {
    const { repoName: _, ...withoutRepo } = good;

    expect(problemsWith(withoutRepo)).toEqual([expect.stringMatching(/^\(top level\): must have required property 'repoName'/)]);
  });

  it("reports every problem at once, in a message that says what was being checked", () => {
    let message = "";
    try {
      assertValid("scaffold-options", { ...good, user: "root", agents: ["cursor"] }, "invalid options");
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message.split("\n")).toEqual([
      "invalid options:",
      `  agents[0]: must be one of ${AGENT_IDS.join(", ")} (got "cursor")`,
      '  user: is not allowed (got "root")',
    ]);
  });
});
