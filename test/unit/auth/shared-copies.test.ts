/** The warning `launch`, `list` and `doctor` give when running containers hold copies of one single-use login. */
import { describe, expect, it } from "vitest";
import { authLabel } from "../../../src/auth/modes.js";
import { sharedCopyNotices } from "../../../src/auth/shared-copies.js";
import type { EngineContainer } from "../../../src/engine/containers.js";
import { LABELS } from "../../../src/labels.js";

const container = (agent: string, mode: string, running = true): EngineContainer => ({
  id: `${agent}-${mode}-${Math.random()}`,
  name: agent,
  image: "sha256:0",
  labels: { [LABELS.agent]: agent, [authLabel(agent as never)]: mode },
  status: running ? "running" : "exited",
  running,
  createdAt: "2026-12-07T00:00:00Z",
  volumes: {},
  limits: { pids: 0, memoryBytes: 0, cpus: 0 },
});

describe("sharedCopyNotices", () => {
  it("names the agent, the count and broker once two running containers hold copies of a single-use login", () => {
    const lines = sharedCopyNotices([container("codex", "copy"), container("codex", "copy"), container("claude", "copy")]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^2 running containers hold copies of Codex CLI's login, whose refresh tokens are single-use: .* --auth codex=broker /);
  });

  it("counts the containers a launch is starting in copy mode with those already running", () => {
    expect(sharedCopyNotices([container("claude", "copy")], ["claude"])[0]).toMatch(/^2 running containers hold copies of Claude Code's login/);
    expect(sharedCopyNotices([], ["codex", "codex", "codex"])[0]).toMatch(/^3 running containers/);
  });

  it("says nothing for one copy, stopped containers, other modes, or logins whose refresh tokens are reusable", () => {
    expect(sharedCopyNotices([container("codex", "copy"), container("codex", "copy", false)])).toEqual([]);
    expect(sharedCopyNotices([container("codex", "broker"), container("codex", "broker"), container("codex", "volume")])).toEqual([]);
    expect(sharedCopyNotices([container("gemini", "copy"), container("gemini", "copy")])).toEqual([]);
  });
});
