import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EGRESS_LABEL } from "../../../src/egress/layout.js";
import { HOOKS_ROOT } from "../../../src/features/feature.js";
import { LABELS } from "../../../src/labels.js";
import { CACHE_REPOSITORY } from "../../../src/launch/image-cache.js";
import type { EngineContainer } from "../../../src/engine/containers.js";
import type { EngineImage, Inventory } from "../../../src/lifecycle/inventory.js";
import { builtFor, findOrphans, isOurImage, leftByFolder, ownedBy, unusedImages } from "../../../src/lifecycle/owned.js";
import { formatSize, parseSize, volumePair } from "../../../src/lifecycle/sizes.js";
import { remoteUserOf } from "../../../src/lifecycle/workspace-status.js";

const OLD = "2026-01-01T00:00:00Z";
const NOW = new Date("2026-01-02T00:00:00Z");
const NO_LIMITS = { pids: 0, memoryBytes: 0, cpus: 0 };
const OURS_METADATA = JSON.stringify([{ id: "workspace", onCreateCommand: `${HOOKS_ROOT}/workspace/hook on-create` }]);

function agent(name: string, egress: string | undefined, image: string, volumes: string[], extra: Record<string, string> = {}): EngineContainer {
  return {
    id: `id-${name}`,
    name,
    image,
    labels: { [LABELS.agent]: "claude", ...(egress ? { [EGRESS_LABEL]: egress } : {}), ...extra },
    status: "running",
    running: true,
    createdAt: OLD,
    volumes: Object.fromEntries(volumes.map((v, i) => [`/m${i}`, v])),
    limits: NO_LIMITS,
  };
}

function enforcer(egress: string, createdAt = OLD): EngineContainer {
  return { id: `enf-${egress}`, name: `cadc-egress-${egress}`, image: "sha256:enforcer", labels: { [EGRESS_LABEL]: egress, [`${EGRESS_LABEL}.config`]: "123" }, status: "running", running: true, createdAt, volumes: {}, limits: NO_LIMITS };
}

function image(id: string, tag: string, metadata = OURS_METADATA): EngineImage {
  return { id, tags: [tag], labels: { "devcontainer.metadata": metadata }, size: 1000, createdAt: OLD };
}

const volume = (name: string) => ({ name, labels: { [LABELS.workspace]: "claude" }, createdAt: OLD });
const network = (egress: string) => ({ id: `net-${egress}`, name: `cadc-egress-${egress}`, labels: { [EGRESS_LABEL]: egress }, createdAt: OLD });

describe("what belongs to an agent container", () => {
  const inventory: Inventory = {
    containers: [
      agent("a", "e1", "sha256:a-uid", ["agent-workspace-a", "agent-outbox-a", "agent-auth-claude"], { [LABELS.launch]: "a" }),
      enforcer("e1"),
      agent("b", "e2", "sha256:b", ["agent-workspace-b", "agent-outbox-b"]),
      enforcer("e2"),
      { ...agent("unrelated", undefined, "sha256:b", []), labels: {} },
    ],
    networks: [network("e1"), network("e2")],
    volumes: ["agent-workspace-a", "agent-outbox-a", "agent-workspace-b", "agent-outbox-b"].map(volume),
    images: [image("sha256:a", "vsc-a-1f:latest"), image("sha256:a-features", "vsc-a-1f-features:latest"), image("sha256:a-uid", "vsc-a-1f-features-uid:latest"), image("sha256:b", "vsc-b-2e-features:latest")],
  };

  it("is its enforcer, network, labelled volumes and its image with the images it builds on", () => {
    const owned = ownedBy(inventory.containers[0]!, inventory);
    expect(owned.enforcer?.name).toBe("cadc-egress-e1");
    expect(owned.network?.name).toBe("cadc-egress-e1");
    // The auth volume is not labelled as a workspace: shared by every container of the agent, it stays.
    expect(owned.volumes).toEqual(["agent-workspace-a", "agent-outbox-a"]);
    expect(owned.images.map((i) => i.tags[0]).sort()).toEqual(["vsc-a-1f-features-uid:latest", "vsc-a-1f-features:latest", "vsc-a-1f:latest"]);
  });

  it("leaves an image another container runs, even one not ours", () => {
    expect(ownedBy(inventory.containers[2]!, inventory).images).toEqual([]);
  });

  it("leaves the enforcer and network while another agent container shares the egress id (a rebuild)", () => {
    const rebuilt = { ...inventory, containers: [...inventory.containers, agent("a2", "e1", "sha256:a-uid", [])] };
    const owned = ownedBy(inventory.containers[0]!, rebuilt);
    expect(owned.enforcer).toBeUndefined();
    expect(owned.network).toBeUndefined();
    expect(owned.images).toEqual([]);
  });

  it("leaves a volume another container mounts", () => {
    const sharing = { ...inventory, containers: [...inventory.containers, agent("peek", undefined, "sha256:x", ["agent-outbox-a"])] };
    expect(ownedBy(inventory.containers[0]!, sharing).volumes).toEqual(["agent-workspace-a"]);
  });
});

describe("what a launch whose container is gone left", () => {
  it("is the enforcer and network made in its state folder, unless an agent container still uses them", () => {
    const labelled = <T extends { labels: Record<string, string> }>(c: T, folder: string): T => ({ ...c, labels: { ...c.labels, [`${EGRESS_LABEL}.workspace`]: folder } });
    const inventory: Inventory = {
      containers: [labelled(enforcer("gone"), "/state/launch/a"), labelled(enforcer("live"), "/state/launch/b"), agent("b", "live", "sha256:b", [])],
      networks: [labelled(network("gone"), "/state/launch/a"), labelled(network("live"), "/state/launch/b")],
      volumes: [],
      images: [],
    };
    const left = leftByFolder("/state/launch/a", inventory);
    expect([left.enforcer?.name, left.network?.name]).toEqual(["cadc-egress-gone", "cadc-egress-gone"]);
    expect(leftByFolder("/state/launch/b", inventory)).toEqual({});
  });
});

describe("images of ours", () => {
  it("are the devcontainer CLI's vsc- images built with one of our Features", () => {
    expect(isOurImage(image("1", "vsc-x-1:latest"))).toBe(true);
    expect(isOurImage(image("2", "vsc-x-1:latest", JSON.stringify([{ id: "ghcr.io/devcontainers/features/node:1" }])))).toBe(false);
    expect(isOurImage(image("3", "myapp:latest"))).toBe(false);
  });

  it("include launch's layer cache (prune clears it), by its tag and our metadata", () => {
    expect(isOurImage(image("4", `${CACHE_REPOSITORY}/codex:0123`))).toBe(true);
    expect(isOurImage(image("5", `${CACHE_REPOSITORY}/codex:0123`, JSON.stringify([{ id: "ghcr.io/devcontainers/features/node:1" }])))).toBe(false);
  });

  it("are unused when no container runs them or an image built on them", () => {
    const inventory: Inventory = {
      containers: [agent("a", undefined, "sha256:a-uid", [])],
      networks: [],
      volumes: [],
      images: [image("sha256:a", "vsc-a-1f:latest"), image("sha256:a-uid", "vsc-a-1f-uid:latest"), image("sha256:old", "vsc-old-9:latest")],
    };
    expect(unusedImages(inventory).map((i) => i.id)).toEqual(["sha256:old"]);
  });
});

describe("orphans", () => {
  const inventory: Inventory = {
    containers: [agent("alive", "e1", "sha256:a", ["agent-workspace-alive", "agent-outbox-alive"]), enforcer("e1"), enforcer("gone"), enforcer("young", NOW.toISOString())],
    networks: [network("e1"), network("gone")],
    volumes: ["agent-workspace-alive", "agent-outbox-alive", "agent-workspace-gone", "agent-outbox-gone"].map(volume),
    images: [image("sha256:a", "vsc-alive-1:latest"), image("sha256:gone", "vsc-gone-2:latest")],
  };

  it("are the enforcers, networks, volumes and images whose agent container is gone", () => {
    const orphans = findOrphans(inventory, NOW, 30 * 60_000);
    expect(orphans.enforcers.map((c) => c.name)).toEqual(["cadc-egress-gone"]);
    expect(orphans.networks.map((n) => n.name)).toEqual(["cadc-egress-gone"]);
    expect(orphans.volumes.map((v) => v.name)).toEqual(["agent-workspace-gone", "agent-outbox-gone"]);
    expect(orphans.images.map((i) => i.id)).toEqual(["sha256:gone"]);
  });

  it("spare what is younger than the grace (an up in progress)", () => {
    expect(findOrphans(inventory, NOW, 30 * 60_000).enforcers.map((c) => c.name)).not.toContain("cadc-egress-young");
    expect(findOrphans(inventory, NOW, 0).enforcers.map((c) => c.name)).toEqual(["cadc-egress-gone", "cadc-egress-young"]);
  });

  it("never include a stopped agent container's things", () => {
    const stopped = { ...inventory, containers: inventory.containers.map((c) => (c.name === "alive" ? { ...c, running: false, status: "exited" } : c)) };
    const orphans = findOrphans(stopped, NOW, 0);
    expect(orphans.networks.map((n) => n.name)).not.toContain("cadc-egress-e1");
    expect(orphans.volumes.map((v) => v.name)).not.toContain("agent-workspace-alive");
  });
});

describe("sizes and volume names", () => {
  it("reads Docker's sizes", () => {
    expect(parseSize("27.16kB")).toBe(27_160);
    expect(parseSize("1.5GB")).toBe(1_500_000_000);
    expect(parseSize("0B")).toBe(0);
    expect(parseSize("N/A")).toBeUndefined();
    expect(formatSize(1_500_000)).toBe("1.5 MB");
    expect(formatSize(12)).toBe("12 B");
  });

  it("pairs a workspace volume with its outbox", () => {
    expect(volumePair("agent-workspace-claude-app")).toEqual({ kind: "workspace", suffix: "claude-app" });
    expect(volumePair("agent-outbox-1t20m")).toEqual({ kind: "outbox", suffix: "1t20m" });
    expect(volumePair("agent-auth-claude")).toBeUndefined();
  });
});

describe("the user a scaffolded container's refusal names", () => {
  it("is the last remoteUser in its metadata, else agent", () => {
    expect(remoteUserOf({ labels: { "devcontainer.metadata": JSON.stringify([{ remoteUser: "root" }, {}, { remoteUser: "dev" }]) } })).toBe("dev");
    expect(remoteUserOf({ labels: { "devcontainer.metadata": JSON.stringify([{ remoteUser: "x; rm -rf /" }]) } })).toBe("agent");
    expect(remoteUserOf({ labels: {} })).toBe("agent");
  });
});

describe("the images built for a folder", () => {
  const hash = createHash("sha256").update("/home/me/app").digest("hex");
  it("are the devcontainer CLI's names with the hash of the folder's path, and those built on them", () => {
    for (const tag of [`vsc-app-${hash}:latest`, `vsc-app-${hash}-features:latest`, `vsc-app-${hash}-features-uid:latest`]) expect(builtFor(image("sha256:x", tag), ["/home/me/app"]), tag).toBe(true);
  });
  it("are not another folder's", () => {
    expect(builtFor(image("sha256:x", `vsc-app-${hash}-features:latest`), ["/home/me/app2", "/home/me"])).toBe(false);
    expect(builtFor(image("sha256:x", `vsc-app-${hash}0-features:latest`), ["/home/me/app"])).toBe(false);
    expect(builtFor(image("sha256:x", `other-${hash}:latest`), ["/home/me/app"])).toBe(false);
  });
});
