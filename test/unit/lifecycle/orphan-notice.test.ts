import { describe, expect, it } from "vitest";
import type { Orphans } from "../../../src/lifecycle/owned.js";
import { describeOrphans } from "../../../src/lifecycle/orphan-notice.js";
import { CACHE_REPOSITORY } from "../../../src/launch/image-cache.js";

const AT = "2026-01-01T00:00:00Z";
const NOW = new Date("2026-01-01T01:00:00Z");
const NO_LIMITS = { pids: 0, memoryBytes: 0, cpus: 0 };
const enforcer = (id: string) => ({ id, name: `cadc-egress-${id}`, image: "sha256:e", labels: {}, status: "running", running: true, createdAt: AT, volumes: {}, limits: NO_LIMITS });
const none: Orphans = { enforcers: [], networks: [], volumes: [], images: [] };

describe("the notice of what removed containers left", () => {
  it("is nothing when nothing is left", () => {
    expect(describeOrphans(none, new Map(), NOW)).toBeUndefined();
  });

  it("counts each kind, adds the volumes' and images' sizes, and names prune", () => {
    const orphans: Orphans = {
      enforcers: [enforcer("a"), enforcer("b")],
      networks: [{ id: "n", name: "cadc-egress-a", labels: {}, createdAt: AT }],
      volumes: ["agent-workspace-a", "agent-outbox-a"].map((name) => ({ name, labels: {}, createdAt: AT })),
      images: [{ id: "sha256:i", tags: ["vsc-x:latest"], labels: {}, size: 2_000_000, createdAt: AT }],
    };
    const sizes = new Map([["agent-workspace-a", 1_500_000], ["unrelated", 9e9]]);
    expect(describeOrphans(orphans, sizes, NOW)).toBe(
      "left behind by removed agent containers: 2 enforcers, 1 network, 2 volumes and 1 unused image (3.5 MB); run `create-agent-devcontainer prune`",
    );
  });

  it("names one kind alone, with no size where Docker tells none", () => {
    expect(describeOrphans({ ...none, enforcers: [enforcer("a")] }, new Map(), NOW)).toBe("left behind by removed agent containers: 1 enforcer; run `create-agent-devcontainer prune`");
  });

  it("says that prune spares the younger ones for its grace", () => {
    const young = { ...enforcer("a"), createdAt: "2026-01-01T00:50:00Z" };
    expect(describeOrphans({ ...none, enforcers: [young] }, new Map(), NOW)).toBe(
      "left behind by removed agent containers: 1 enforcer; run `create-agent-devcontainer prune` (it spares what is younger than 30 minutes; --grace 0 once no `up` is under way)",
    );
  });
});

describe("launch's layer cache in the notice", () => {
  const image = (tags: string[]) => ({ id: `sha256:${tags.join()}`, tags, labels: {}, size: 1_000_000, createdAt: AT });

  it("is not counted: it is kept on purpose (prune clears it)", () => {
    expect(describeOrphans({ ...none, images: [image([`${CACHE_REPOSITORY}/codex:0123`])] }, new Map(), NOW)).toBeUndefined();
  });

  it("does not hide a launch's own image that also carries it", () => {
    expect(describeOrphans({ ...none, images: [image([`${CACHE_REPOSITORY}/codex:0123`, "vsc-x-features:latest"])] }, new Map(), NOW)).toBe(
      "left behind by removed agent containers: 1 unused image (1.0 MB); run `create-agent-devcontainer prune`",
    );
  });
});
