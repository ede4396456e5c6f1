import { describe, expect, it } from "vitest";
import { parseIdentity, type EngineIdentity } from "../../../src/engine/identity.js";
import { LABELS } from "../../../src/labels.js";
import { LaunchError } from "../../../src/launch/errors.js";
import { createStateDir, onEngine, statePaths, writeRecord, type LaunchRecord } from "../../../src/launch/state.js";
import { describeElsewhere, elsewhere, refuseOtherEngine } from "../../../src/lifecycle/engines.js";
import type { Inventory } from "../../../src/lifecycle/inventory.js";
import { orphanedLaunches } from "../../../src/lifecycle/prune.js";
import { tempDir } from "../../support/temp-dir.js";

const HERE: EngineIdentity = { id: "6ROJ:DETX:PNYY:4RYZ:UQ7M:OG7I:CQJQ:2YM7:L6VQ:CVSH:KJSS:GPQM", name: "laptop" };
const THERE: EngineIdentity = { id: "0b1c7f2e-9a4d-4c1e-8f3a-2d5e6f7a8b9c", name: "build-server" };
const OLD = "2026-01-01T00:00:00Z";
const NOW = new Date("2026-01-02T00:00:00Z");
const NO_LIMITS = { pids: 0, memoryBytes: 0, cpus: 0 };

function record(name: string, engine: EngineIdentity | undefined, createdAt = OLD): LaunchRecord {
  return {
    name,
    agent: "claude",
    repo: "r",
    source: "/src/r",
    branch: `claude/${name}`,
    workspaceFolder: "/state",
    config: "/state/devcontainer.json",
    volume: `agent-workspace-${name}`,
    outboxVolume: `agent-outbox-${name}`,
    localRepo: "/src/r/.git",
    localDisposable: false,
    createdAt,
    ...(engine ? { engine } : {}),
  };
}

function stateRootWith(dir: string, records: LaunchRecord[]): string {
  for (const r of records) {
    const paths = statePaths(dir, r.name);
    createStateDir(paths);
    writeRecord(paths, r);
  }
  return dir;
}

const launchedContainer = (name: string) => ({ id: `id-${name}`, name, image: "sha256:i", labels: { [LABELS.agent]: "claude", [LABELS.launch]: name }, status: "running", running: true, createdAt: OLD, volumes: {}, limits: NO_LIMITS });

describe("the engine a launch belongs to", () => {
  it("is read from docker info's ID and name, and an engine that gives no ID is none", () => {
    expect(parseIdentity(`"${HERE.id}" "laptop"\n`)).toEqual(HERE);
    expect(parseIdentity('"" ""')).toBeUndefined();
    expect(parseIdentity("Cannot connect to the Docker daemon")).toBeUndefined();
  });

  it("is this engine's for a record naming it or naming none (written before records named one), another's otherwise", () => {
    expect(onEngine(record("a", HERE), HERE)).toBe(true);
    expect(onEngine(record("a", undefined), HERE)).toBe(true);
    expect(onEngine(record("a", THERE), HERE)).toBe(false);
  });

  it("prune takes only this engine's launches whose container is gone, never another engine's", ({ onTestFinished }) => {
    const root = stateRootWith(tempDir(onTestFinished), [record("gone-here", HERE), record("gone-legacy", undefined), record("on-there", THERE), record("running-here", HERE), record("young-here", HERE, "2026-01-01T23:59:00Z")]);
    const inventory: Inventory = { containers: [launchedContainer("running-here")], networks: [], volumes: [], images: [] };
    const options = { stateRoot: root, now: NOW, graceMs: 30 * 60_000 };
    expect(orphanedLaunches(options, inventory, HERE, new Set()).sort()).toEqual(["gone-here", "gone-legacy"]);
    // From the other engine, the same folder: its own launch is the one that is gone.
    expect(orphanedLaunches(options, inventory, THERE, new Set()).sort()).toEqual(["gone-legacy", "on-there"]);
  });

  it("list names another engine's launches, grouped by engine", ({ onTestFinished }) => {
    const root = stateRootWith(tempDir(onTestFinished), [record("b", THERE), record("a", THERE), record("mine", HERE), record("legacy", undefined)]);
    expect(elsewhere(root, HERE).map((l) => l.name).sort()).toEqual(["a", "b"]);
    expect(describeElsewhere(elsewhere(root, HERE))).toBe(
      "2 launches of other Docker engines are not shown: a, b on build-server (ID 0b1c7f2e-9a4d-…); switch to its engine (docker context use, DOCKER_HOST) to manage it",
    );
    expect(describeElsewhere(elsewhere(root, THERE))).toBe(
      "1 launch of another Docker engine is not shown: mine on laptop (ID 6ROJ:DETX:PNYY…); switch to its engine (docker context use, DOCKER_HOST) to manage it",
    );
    expect(elsewhere(`${root}/missing`, HERE)).toEqual([]);
  });

  it("rm, stop and start refuse another engine's launch, naming both engines", () => {
    expect(() => refuseOtherEngine("a", record("a", HERE), HERE)).not.toThrow();
    expect(() => refuseOtherEngine("a", record("a", undefined), HERE)).not.toThrow();
    expect(() => refuseOtherEngine("a", record("a", THERE), HERE)).toThrow(LaunchError);
    expect(() => refuseOtherEngine("a", record("a", THERE), HERE)).toThrow("a was launched on another Docker engine, build-server (ID 0b1c7f2e-9a4d-…); this one is laptop (ID 6ROJ:DETX:PNYY…)");
  });
});
