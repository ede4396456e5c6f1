import { describe, expect, it } from "vitest";
import { EGRESS_LABEL } from "../../../src/egress/layout.js";
import type { EngineContainer } from "../../../src/engine/containers.js";
import { LABELS } from "../../../src/labels.js";
import { listRows } from "../../../src/lifecycle/list.js";

const AT = "2026-01-01T00:00:00Z";
const NO_LIMITS = { pids: 0, memoryBytes: 0, cpus: 0 };
const container = (name: string, labels: Record<string, string>, limits = NO_LIMITS): EngineContainer => ({ id: `${name}-0123456789abcdef`, name, image: "sha256:i", labels, status: "running", running: true, createdAt: AT, volumes: {}, limits });

describe("list's rows from an inventory already read", () => {
  it("are its agent containers, launched and scaffolded, by name, each with its enforcer's limits; nothing else on the engine is a row", () => {
    const enforcerLimits = { pids: 64, memoryBytes: 64 * 1024 ** 2, cpus: 0.5 };
    const rows = listRows([
      container("postgres", {}),
      container(`cadc-egress-e1`, { [EGRESS_LABEL]: "e1", [`${EGRESS_LABEL}.config`]: "c" }, enforcerLimits),
      container("vsc-x", { [LABELS.agent]: "codex", [EGRESS_LABEL]: "e1", "devcontainer.local_folder": "/src/x" }),
      container("claude-r-f", { [LABELS.agent]: "claude", [LABELS.launch]: "claude-r-f", [LABELS.repo]: "r", [LABELS.branch]: "claude/f", [LABELS.stateDir]: "/state/claude-r-f" }),
    ]);
    expect(rows.map((r) => [r.name, r.kind, r.agent, r.branch, r.stateDir, r.folder, r.id, r.enforcerLimits])).toEqual([
      ["claude-r-f", "launched", "claude", "claude/f", "/state/claude-r-f", undefined, "claude-r-f-0", undefined],
      ["vsc-x", "scaffolded", "codex", "", "", "/src/x", "vsc-x-012345", enforcerLimits],
    ]);
  });
});
