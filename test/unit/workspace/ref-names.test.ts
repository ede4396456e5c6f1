import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { agentBranch, branchNameProblem, defaultFeature } from "../../../src/workspace/ref-names.js";

/** Names around every rule of git's refname check, valid and not. */
const NAMES = [
  "feature-x", "fix/login", "a.b", "v1.0", "@", "HEAD", "é-unicode", "x@y", "a-", "under_score",
  "", "a b", "a..b", "a/.b", ".a", "a.lock", "a/b.lock/c", "a@{b", "a~1", "a^", "a:b", "a?", "a*", "a[b",
  "a\\b", "x/", "/x", "a//b", "a.", "tab\there", "nul\u0001", "del\u007f",
];

function gitAccepts(branch: string): boolean {
  return spawnSync("git", ["check-ref-format", "--branch", branch], { stdio: "ignore" }).status === 0;
}

describe("branchNameProblem", () => {
  it.each(NAMES)("agrees with git check-ref-format --branch on claude/%j", (feature) => {
    const branch = agentBranch("claude", feature);
    expect(branchNameProblem(branch) === undefined).toBe(gitAccepts(branch));
  });

  it("explains what is wrong", () => {
    expect(branchNameProblem("claude/a b")).toBe("it contains a space");
    expect(branchNameProblem("claude/x.lock")).toBe("a component ends with '.lock' (x.lock)");
    expect(branchNameProblem("claude/a\u0001")).toBe("it contains a control character (0x01)");
  });

  it("rejects what git takes for an option or for HEAD", () => {
    expect(branchNameProblem("-x")).toBe("it starts with '-'");
    expect(branchNameProblem("HEAD")).toBe("'HEAD' is reserved");
  });
});

describe("defaultFeature", () => {
  it("is the UTC time to the second, a valid branch component", () => {
    const feature = defaultFeature(new Date("2025-01-31T14:25:01.999Z"));
    expect(feature).toBe("20250131-142501");
    expect(branchNameProblem(agentBranch("codex", feature))).toBeUndefined();
  });
});
