import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { claimedFor } from "../../../src/launch/sync-targets.js";
import { tempDir } from "../../support/temp-dir.js";

describe("where prune may import a scaffolded container's orphaned outbox", () => {
  it("is only where sync claimed that branch for the container whose outbox it is", ({ onTestFinished }) => {
    const claims = join(tempDir(onTestFinished), "claims.json");
    writeFileSync(claims, JSON.stringify({
      "/r/a.git\ncodex/x": { container: "c1", outbox: "agent-outbox-1" },
      "/r/b.git\ncodex/x": { container: "c2", outbox: "agent-outbox-2" },
      "/r/c.git\nclaude/y": { container: "c3", outbox: "agent-outbox-3" },
    }));
    expect(claimedFor(claims, "agent-outbox-1", "codex/x")).toEqual(["/r/a.git"]);
    // Another container's outbox holding a claimed branch (an agent pushing its neighbour's) goes nowhere.
    expect(claimedFor(claims, "agent-outbox-1", "claude/y")).toEqual([]);
    expect(claimedFor(claims, "agent-outbox-9", "codex/x")).toEqual([]);
  });

  it("is nowhere by a claim written before claims named the outbox (a container id alone)", ({ onTestFinished }) => {
    const claims = join(tempDir(onTestFinished), "claims.json");
    writeFileSync(claims, JSON.stringify({ "/r/a.git\ncodex/x": "c1" }));
    expect(claimedFor(claims, "agent-outbox-1", "codex/x")).toEqual([]);
    expect(claimedFor(join(tempDir(onTestFinished), "none.json"), "agent-outbox-1", "codex/x")).toEqual([]);
  });
});
