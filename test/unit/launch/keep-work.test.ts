/** `rm`'s refusal names the exact commands that keep the work it found, run inside through `shell`. */
import { describe, expect, it } from "vitest";
import { keepWorkRefusal } from "../../../src/launch/keep-work.js";

const line = (refusal: { message: string; hint: string }) => `${refusal.message} (${refusal.hint})`;

describe("rm's refusal", () => {
  it("uncommitted files: commit them, then push", () => {
    expect(line(keepWorkRefusal("claude-app-x", { branch: "claude/x", uncommitted: 2, unpushed: 0 }))).toBe(
      `claude-app-x has 2 uncommitted file(s) and 0 unpushed commit(s) on claude/x (keep them: create-agent-devcontainer shell claude-app-x -- sh -c 'git add -A && git commit -m "Work in progress"' && create-agent-devcontainer shell claude-app-x -- git push; or pass --force to delete them)`,
    );
    expect(keepWorkRefusal("claude-app-x", { branch: "claude/x", uncommitted: 1, unpushed: 3 }).message).toBe("claude-app-x has 1 uncommitted file(s) and 3 unpushed commit(s) on claude/x");
  });

  it("committed but unpushed: push only", () => {
    expect(line(keepWorkRefusal("codex-app", { branch: "codex/y", uncommitted: 0, unpushed: 1 }))).toBe(
      "codex-app has 0 uncommitted file(s) and 1 unpushed commit(s) on codex/y (keep them: create-agent-devcontainer shell codex-app -- git push; or pass --force to delete them)",
    );
  });

  it("a git-URL launch, whose local remote goes with it: push to origin", () => {
    expect(keepWorkRefusal("codex-app", { branch: "codex/y", uncommitted: 0, unpushed: 1 }, true).hint).toBe(
      "keep them: create-agent-devcontainer shell codex-app -- git push origin HEAD; or pass --force to delete them",
    );
  });
});
