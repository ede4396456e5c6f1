/** A task's diff, read from the host repository: the imported branch against the commit it started from. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Found } from "../../../src/launch/state.js";
import { statePaths, type LaunchRecord } from "../../../src/launch/state.js";
import { commitsAhead, diffLaunch, hostRunOf } from "../../../src/tasks/diff.js";
import { writeTaskRecord } from "../../../src/tasks/status.js";
import { tempDir } from "../../support/temp-dir.js";

describe("diffLaunch, commitsAhead and hostRunOf", () => {
  it("compare the host's copy of the branch with its base, and say nothing before anything was imported", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const repo = join(root, "repo");
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@x", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@x" };
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", env }).trim();
    mkdirSync(repo);
    git("init", "-q", "-b", "main");
    writeFileSync(join(repo, "a.txt"), "one\ntwo\n");
    git("add", ".");
    git("commit", "-qm", "base");
    const base = git("rev-parse", "HEAD");
    const paths = statePaths(join(root, "state"), "codex-repo-x");
    mkdirSync(paths.dir, { recursive: true });
    writeTaskRecord(paths, { id: 1, state: "done", prompt: "p", startedAt: "2026-01-01T00:00:00Z", baseCommit: base });
    const found: Found = { name: "codex-repo-x", paths, record: { localRepo: join(repo, ".git"), branch: "codex/x" } as LaunchRecord };
    expect(commitsAhead(found)).toBeUndefined();
    expect(diffLaunch(found)).toEqual({ base, head: base, files: [], hostRun: [], patch: "" });
    expect(hostRunOf(found)).toBeUndefined();
    git("checkout", "-qb", "codex/x");
    writeFileSync(join(repo, "a.txt"), "one\n2\n");
    writeFileSync(join(repo, "new file.txt"), "n\n");
    mkdirSync(join(repo, ".devcontainer"));
    writeFileSync(join(repo, ".devcontainer", "devcontainer.json"), "{}\n");
    writeFileSync(join(repo, "\u001b]52;c;aGk=\u0007.txt"), "\u001b[2J\n");
    git("add", ".");
    git("commit", "-qm", "work");
    git("commit", "-q", "--allow-empty", "-m", "more");
    git("checkout", "-q", "main");
    const head = git("rev-parse", "codex/x");
    expect(commitsAhead(found)).toBe(2);
    const diff = diffLaunch(found);
    expect(diff.head).toBe(head);
    expect(diff.files).toEqual([
      { path: "\u001b]52;c;aGk=\u0007.txt", added: 1, removed: 0, status: "A" },
      { path: ".devcontainer/devcontainer.json", added: 1, removed: 0, status: "A" },
      { path: "a.txt", added: 1, removed: 1, status: "M" },
      { path: "new file.txt", added: 1, removed: 0, status: "A" },
    ]);
    expect(diff.hostRun).toEqual([".devcontainer/devcontainer.json"]);
    expect(hostRunOf(found)).toEqual([".devcontainer/devcontainer.json"]);
    expect(diff.patch).toContain("+2\n");
    // Names in the patch are quoted as quotePath() quotes them, whatever the user's core.quotePath.
    expect(diff.patch).toContain('diff --git "a/\\033]52;c;aGk=\\a.txt" "b/\\033]52;c;aGk=\\a.txt"');
    expect(diffLaunch(found, { stat: true }).patch).toBe("");
  });
});
