/**
 * The workspace hook's provisioning, run on this host against real git repositories: what the clone holds,
 * its remotes and branch, pushes to the outbox (never the host repository), carried changes, submodules.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runSteps } from "../../../src/hook-steps.js";
import { captureChanges } from "../../../src/launch/carry.js";
import type { LaunchInput } from "../../../src/workspace/launch-input.js";
import { isProvisioned, provisionSteps, withoutUserinfo } from "../../../src/workspace/provision.js";
import { workspaceStatus } from "../../../src/workspace/status.js";
import { tempDir } from "../../support/temp-dir.js";
import { isolateGit, makeRepo, sh } from "./git-fixture.js";

interface Fixture {
  host: string;
  workspace: string;
  outbox: string;
  logs: string[];
}

function setUp(onTestFinished: Parameters<typeof tempDir>[0]): Fixture {
  const root = tempDir(onTestFinished);
  isolateGit(root);
  const host = makeRepo(join(root, "host repo"));
  const workspace = join(root, "workspace");
  mkdirSync(workspace);
  const outbox = join(root, "outbox.git");
  mkdirSync(outbox);
  return { host, workspace, outbox, logs: [] };
}

function input(host: string, overrides: Partial<LaunchInput> = {}): LaunchInput {
  return {
    version: 1,
    branch: "claude/feature-x",
    base: sh(host, "rev-parse", "HEAD"),
    identity: { name: "Ada Lovelace", email: "ada@example.com" },
    carry: false,
    localDisposable: false,
    ...overrides,
  };
}

function provision(f: Fixture, launch?: LaunchInput, inputDir?: string, hasGh = false): number {
  return runSteps("test", provisionSteps({
    hostRepo: join(f.host, ".git"),
    outbox: f.outbox,
    workspace: f.workspace,
    agentId: "claude",
    ...(launch ? { input: launch } : {}),
    ...(inputDir ? { inputDir } : {}),
    now: new Date("2025-02-03T04:05:06Z"),
    hasGh,
    log: (message) => f.logs.push(message),
  }));
}

/** What must never change in the host checkout: HEAD, the index, every working-tree file. */
function hostSnapshot(host: string): string {
  const files = sh(host, "ls-files", "-z", "--cached", "--others").split("\0").filter(Boolean).sort();
  return JSON.stringify([
    readFileSync(join(host, ".git", "HEAD"), "utf8"),
    readFileSync(join(host, ".git", "index")).toString("base64"),
    files.map((file) => [file, readFileSync(join(host, file), "utf8")]),
  ]);
}

beforeAll(() => {
  // Each test isolates git itself; this only keeps a developer's own global config out of the first import.
  process.env.GIT_CONFIG_NOSYSTEM = "1";
});

describe("provisioning a workspace", () => {
  it("clones what git tracks, never the working tree, onto the agent's branch at the host's HEAD", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    mkdirSync(join(f.host, "node_modules"));
    writeFileSync(join(f.host, "node_modules", "big.js"), "x".repeat(10_000));
    writeFileSync(join(f.host, "README.md"), "edited on the host\n");

    expect(provision(f, input(f.host))).toBe(0);

    expect(existsSync(join(f.workspace, "node_modules"))).toBe(false);
    expect(readFileSync(join(f.workspace, "README.md"), "utf8")).toBe("hello\n");
    expect(sh(f.workspace, "rev-parse", "--abbrev-ref", "HEAD")).toBe("claude/feature-x");
    expect(sh(f.workspace, "rev-parse", "HEAD")).toBe(sh(f.host, "rev-parse", "HEAD"));
    expect(sh(f.workspace, "status", "--porcelain")).toBe("");
    expect(isProvisioned(f.workspace)).toBe(true);
  });

  it("sets local (the outbox, pushed to by default), host (read-only) and origin (upstream, without credentials)", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    expect(provision(f, input(f.host))).toBe(0);

    expect(sh(f.workspace, "remote", "get-url", "local")).toBe(f.outbox);
    expect(sh(f.workspace, "remote", "get-url", "host")).toBe(join(f.host, ".git"));
    expect(sh(f.workspace, "remote", "get-url", "origin")).toBe("https://github.com/example/app.git");
    expect(sh(f.workspace, "config", "remote.pushDefault")).toBe("local");
    expect(sh(f.workspace, "config", "push.default")).toBe("current");
    expect(sh(f.workspace, "config", "user.name")).toBe("Ada Lovelace");
    expect(sh(f.workspace, "config", "user.email")).toBe("ada@example.com");
    expect(readFileSync(join(f.workspace, ".git", "config"), "utf8")).not.toMatch(/secret|token/);
  });

  it("makes a bare git push send only new objects to the outbox, and nothing to the host repo", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    expect(provision(f, input(f.host))).toBe(0);
    const before = hostSnapshot(f.host);
    const refsBefore = sh(f.host, "for-each-ref");
    writeFileSync(join(f.workspace, "feature.txt"), "from the agent\n");
    sh(f.workspace, "add", "feature.txt");
    sh(f.workspace, "commit", "-qm", "agent work");

    sh(f.workspace, "push", "--quiet");

    expect(sh(f.outbox, "rev-parse", "refs/heads/claude/feature-x")).toBe(sh(f.workspace, "rev-parse", "HEAD"));
    expect(sh(f.workspace, "rev-parse", "--abbrev-ref", "@{upstream}")).toBe("local/claude/feature-x");
    // The outbox borrows the host's objects: it stores the new commit, tree and blob only.
    expect(sh(f.outbox, "count-objects", "-v")).toMatch(/^(count|in-pack): 3$/m);
    expect(sh(f.host, "for-each-ref")).toBe(refsBefore);
    expect(hostSnapshot(f.host)).toBe(before);
  });

  it("carries staged, unstaged and new non-ignored files from the host, exactly", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    writeFileSync(join(f.host, "README.md"), "staged edit\n");
    sh(f.host, "add", "README.md");
    writeFileSync(join(f.host, "app.js"), "console.log('unstaged');\n");
    writeFileSync(join(f.host, "notes.txt"), "new file\n");
    mkdirSync(join(f.host, "bin"));
    writeFileSync(join(f.host, "bin", "run.sh"), "#!/bin/sh\n");
    chmodSync(join(f.host, "bin", "run.sh"), 0o755);
    mkdirSync(join(f.host, "node_modules"));
    writeFileSync(join(f.host, "node_modules", "dep.js"), "ignored\n");
    // A tracked file whose stat changed but not its content: a plain `git diff` would rewrite the index.
    utimesSync(join(f.host, ".gitignore"), new Date(2030, 0, 1), new Date(2030, 0, 1));
    const before = hostSnapshot(f.host);
    const inputDir = join(f.workspace, "..", "input");

    const summary = captureChanges(f.host, inputDir);
    expect(provision(f, input(f.host, { carry: true }), inputDir)).toBe(0);

    // Before this test's own `git diff` on the host, which does rewrite its index.
    expect(hostSnapshot(f.host)).toBe(before);
    expect(summary).toEqual({ staged: true, unstaged: true, untracked: 2 });
    expect(sh(f.workspace, "diff", "--cached")).toBe(sh(f.host, "diff", "--cached"));
    expect(sh(f.workspace, "diff")).toBe(sh(f.host, "diff"));
    expect(readFileSync(join(f.workspace, "notes.txt"), "utf8")).toBe("new file\n");
    expect(statSync(join(f.workspace, "bin", "run.sh")).mode & 0o111).not.toBe(0);
    expect(existsSync(join(f.workspace, "node_modules"))).toBe(false);
    expect(workspaceStatus(f.workspace, "claude", false)).toMatchObject({ uncommitted: 4, unpushed: 0 });
  });

  it("continues the agent's branch when the host repo already has it", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    sh(f.host, "branch", "claude/feature-x", "HEAD~1");

    expect(provision(f, input(f.host))).toBe(0);

    expect(sh(f.workspace, "rev-parse", "HEAD")).toBe(sh(f.host, "rev-parse", "HEAD~1"));
    sh(f.workspace, "push", "--quiet");
    expect(sh(f.workspace, "rev-parse", "--abbrev-ref", "@{upstream}")).toBe("local/claude/feature-x");
  });

  it("without launch inputs, names the branch <agent>/<UTC time> and starts at the host repo's HEAD", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    expect(provision(f)).toBe(0);
    expect(sh(f.workspace, "rev-parse", "--abbrev-ref", "HEAD")).toBe("claude/20250203-040506");
    expect(sh(f.workspace, "rev-parse", "HEAD")).toBe(sh(f.host, "rev-parse", "HEAD"));
  });

  it("initialises submodules from the host's own copies and points them back at their upstream", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    const upstream = makeRepo(join(f.host, "..", "lib-upstream"));
    sh(f.host, "-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream, "vendor/lib");
    sh(f.host, "commit", "-qm", "add lib");

    expect(provision(f, input(f.host))).toBe(0);

    expect(readFileSync(join(f.workspace, "vendor", "lib", "app.js"), "utf8")).toBe("console.log(1);\n");
    expect(sh(join(f.workspace, "vendor", "lib"), "remote", "get-url", "origin")).toBe(upstream);
    expect(sh(f.workspace, "config", "submodule.vendor/lib.url")).toBe(upstream);
  });

  it("uses gh as the credential helper for a GitHub origin only when gh exists", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    expect(provision(f, input(f.host), undefined, true)).toBe(0);
    // An empty entry first: it drops helpers from other config files, so only gh answers for github.com.
    expect(sh(f.workspace, "config", "--null", "--get-all", "credential.https://github.com.helper").split("\0")).toEqual(["", "!gh auth git-credential", ""]);

    const g = setUp(onTestFinished);
    expect(provision(g, input(g.host), undefined, false)).toBe(0);
    expect(() => sh(g.workspace, "config", "--get-all", "credential.https://github.com.helper")).toThrow();
  });

  it("refuses a non-empty folder that is not a clone, and names the step", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    writeFileSync(join(f.workspace, "precious.txt"), "keep me\n");
    expect(provision(f, input(f.host))).toBe(1);
    expect(readFileSync(join(f.workspace, "precious.txt"), "utf8")).toBe("keep me\n");
  });
});

describe("workspaceStatus", () => {
  it("counts commits only this workspace has", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    expect(provision(f, input(f.host))).toBe(0);
    sh(f.workspace, "commit", "-q", "--allow-empty", "-m", "work");
    expect(workspaceStatus(f.workspace, "claude", false)).toEqual({ provisioned: true, branch: "claude/feature-x", uncommitted: 0, unpushed: 1 });

    sh(f.workspace, "push", "--quiet");

    expect(workspaceStatus(f.workspace, "claude", false).unpushed).toBe(0);
  });

  it("with a disposable local (a git URL launch), counts only origin as keeping work", ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    sh(f.host, "branch", "claude/upstream-topic", "HEAD~1"); // an upstream branch in the agent's namespace
    expect(provision(f, input(f.host, { localDisposable: true }))).toBe(0);
    // local's branches are what origin had at launch: a clean workspace has nothing to lose.
    expect(sh(f.workspace, "rev-parse", "origin/main")).toBe(sh(f.host, "rev-parse", "main"));
    expect(workspaceStatus(f.workspace, "claude", true).unpushed).toBe(0);
    sh(f.workspace, "commit", "-q", "--allow-empty", "-m", "work");

    sh(f.workspace, "push", "--quiet");

    expect(workspaceStatus(f.workspace, "claude", true).unpushed).toBe(1);
    expect(workspaceStatus(f.workspace, "claude", false).unpushed).toBe(0);
  });
});

describe("withoutUserinfo", () => {
  it.each([
    ["https://user:tok@github.com/a/b.git", "https://github.com/a/b.git"],
    ["https://ghp_abc@github.com/a/b.git", "https://github.com/a/b.git"],
    ["https://github.com/a/b.git", "https://github.com/a/b.git"],
    ["git@github.com:a/b.git", "git@github.com:a/b.git"],
    ["ssh://git@host:22/a.git", "ssh://host:22/a.git"],
  ])("%s → %s", (url, expected) => expect(withoutUserinfo(url)).toBe(expected));
});
