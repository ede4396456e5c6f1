/** `egress suggest` and `egress allow --save`: hosts added to the repository's policy file, keeping everything else. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { blockedHosts } from "../../../src/egress/blocked.js";
import type { Connection } from "../../../src/egress/connection.js";
import { addToPolicy, unifiedDiff } from "../../../src/egress/policy-edit.js";
import { parsePolicyFile, POLICY_FILE, renderPolicyStarter } from "../../../src/egress/policy-file.js";
import { applyPolicyChange, planPolicyChange } from "../../../src/launch/policy-repo.js";
import { formatRule, parseHostRules } from "../../../src/egress/policy.js";
import { tempDir } from "../../support/temp-dir.js";
import { mkdirSync, writeFileSync } from "node:fs";

const USER_FILE = `# Our team's list.
allow = [
  "registry.internal.example", # the mirror
  "*.example.org:8443"
]

# for the database
private = ["10.20.0.0/16"]
`;

describe("adding hosts to .devcontainer/egress.toml", () => {
  it("appends to a list over several lines, keeping the user's comments, entries and layout", () => {
    expect(addToPolicy(USER_FILE, ["example.com", "db.test:5432"])).toBe(`# Our team's list.
allow = [
  "registry.internal.example", # the mirror
  "*.example.org:8443",
  "example.com",
  "db.test:5432",
]

# for the database
private = ["10.20.0.0/16"]
`);
  });

  it("handles a one-line list, no list at all, a missing file (the starter), and skips what is listed", () => {
    expect(addToPolicy('allow = []\nprivate = []\n', ["a.test"])).toBe('allow = ["a.test"]\nprivate = []\n');
    expect(addToPolicy('allow = ["a.test"]\n', ["A.test", "b.test:81"])).toBe('allow = ["a.test", "b.test:81"]\n');
    expect(addToPolicy("private = []\n", ["a.test"])).toBe('private = []\nallow = [\n  "a.test",\n]\n');
    const starter = addToPolicy(undefined, ["a.test"]);
    expect(starter).toContain('  # "*.example.org:8443",\n  "a.test",\n]');
    expect(addToPolicy(USER_FILE, ["registry.internal.example"])).toBe(USER_FILE);
    expect(() => addToPolicy("allow = [", ["a.test"])).toThrow(/egress.toml/);
    expect(() => addToPolicy(USER_FILE, ["not a host"])).toThrow(/not a valid host name|not a host/);
  });

  it("shows the change as a unified diff of the file", () => {
    expect(unifiedDiff(POLICY_FILE, USER_FILE, addToPolicy(USER_FILE, ["example.com"]))).toBe(`--- a/.devcontainer/egress.toml
+++ b/.devcontainer/egress.toml
@@ -1,7 +1,8 @@
 # Our team's list.
 allow = [
   "registry.internal.example", # the mirror
-  "*.example.org:8443"
+  "*.example.org:8443",
+  "example.com",
 ]
 
 # for the database
`);
    expect(unifiedDiff(POLICY_FILE, USER_FILE, USER_FILE)).toBe("");
  });

  it("round-trips: the blocked hosts of a log, saved, are what the policy file then allows (and nothing is suggested again)", ({ onTestFinished }) => {
    const repo = tempDir(onTestFinished);
    mkdirSync(join(repo, ".devcontainer"));
    writeFileSync(join(repo, POLICY_FILE), USER_FILE);
    const log: Connection[] = [
      { time: "t1", kind: "connect", host: "example.com", port: 443, verdict: "blocked", state: "closed", up: 0, down: 0, ms: 1 },
      { time: "t2", kind: "http", host: "example.com", port: 80, verdict: "blocked", state: "closed", up: 0, down: 0, ms: 1 },
      { time: "t3", kind: "connect", host: "db.test", port: 5432, verdict: "blocked", state: "closed", up: 0, down: 0, ms: 1 },
    ];
    const entries = blockedHosts(log, "c").flatMap((entry) => entry.entries);
    const change = planPolicyChange(repo, entries);
    expect(change.diff).toContain('+  "db.test:5432",\n+  "example.com",\n');
    applyPolicyChange(change);
    const saved = readFileSync(join(repo, POLICY_FILE), "utf8");
    expect(saved).toContain('"registry.internal.example", # the mirror');
    expect(saved).toContain("# for the database");
    const policy = parsePolicyFile(saved);
    expect(policy.errors).toEqual([]);
    expect(policy.allow.map(formatRule)).toEqual(["registry.internal.example", "*.example.org:8443", "db.test:5432", "example.com"]);
    expect(blockedHosts(log, "c", policy.allow)).toEqual([]);
    // Saving again changes nothing.
    expect(planPolicyChange(repo, entries).diff).toBe("");
    expect(parseHostRules(entries).errors).toEqual([]);
  });

  it("writes into a repository without a policy file the starter plus the hosts", ({ onTestFinished }) => {
    const repo = tempDir(onTestFinished);
    const change = planPolicyChange(repo, ["example.com"]);
    expect(change.diff.startsWith("--- /dev/null\n+++ b/.devcontainer/egress.toml\n")).toBe(true);
    applyPolicyChange(change);
    expect(readFileSync(join(repo, POLICY_FILE), "utf8")).toBe(addToPolicy(renderPolicyStarter(), ["example.com"]));
  });
});
