/** Resource limits: the flag syntax, the docker arguments, and how `doctor`/`list` read HostConfig back. */
import { describe, expect, it } from "vitest";
import { appliedLimits } from "../../src/engine/containers.js";
import { describeLimits, unlimited } from "../../src/limits/inspect.js";
import { DEFAULT_LIMITS, limitArgs, parseLimits, resolveLimits } from "../../src/limits/limits.js";

describe("limits", () => {
  it("default to a ceiling on processes, memory and CPUs for both containers", () => {
    expect(limitArgs(resolveLimits({}, "agent"))).toEqual(["--pids-limit=1024", "--memory=4g", "--cpus=2"]);
    expect(limitArgs(resolveLimits({}, "enforcer"))).toEqual(["--pids-limit=128", "--memory=256m", "--cpus=1"]);
    expect(resolveLimits({ limits: { enforcer: { memory: "512m" } } }, "enforcer")).toEqual({ ...DEFAULT_LIMITS.enforcer, memory: "512m" });
  });

  it("parse any subset of pids, memory and cpus; 0 turns one off", () => {
    expect(parseLimits("pids=2048")).toEqual({ pids: 2048 });
    expect(parseLimits(" memory=8G , cpus=0.5 ")).toEqual({ memory: "8g", cpus: 0.5 });
    expect(parseLimits("pids=0,memory=0,cpus=0")).toEqual({ pids: 0, memory: "0", cpus: 0 });
    expect(limitArgs({ pids: 0, memory: "0", cpus: 0 })).toEqual([]);
  });

  it("quote the offending part of a bad value", () => {
    for (const [text, message] of [
      ["pids=10", '"pids=10": pids is a whole number from 32 up'],
      ["pids=-1", '"pids=-1": pids'],
      ["memory=4", '"memory=4": memory is a whole number with k, m or g'],
      ["memory=1m", '"memory=1m": memory'],
      ["memory=1.5g", '"memory=1.5g": memory'],
      ["cpus=1.234", '"cpus=1.234": cpus is a number'],
      ["cpus", '"cpus": expected pids=N, memory=SIZE or cpus=N'],
      ["swap=1g", '"swap=1g": unknown limit "swap"'],
      ["pids=64;rm -rf /", '"pids=64;rm -rf /": pids'],
    ] as const) {
      expect(parseLimits(text), text).toMatch(message);
    }
  });

  it("read Docker's HostConfig back, its ways of saying no pids limit included", () => {
    expect(appliedLimits({ PidsLimit: 1024, Memory: 4 * 1024 ** 3, NanoCpus: 2e9 })).toEqual({ pids: 1024, memoryBytes: 4 * 1024 ** 3, cpus: 2 });
    for (const PidsLimit of [null, 0, -1]) expect(appliedLimits({ PidsLimit, Memory: 0, NanoCpus: 0 }).pids).toBe(0);
    expect(describeLimits({ pids: 128, memoryBytes: 256 * 1024 ** 2, cpus: 1 })).toBe("pids 128, memory 256 MiB, cpus 1");
    expect(describeLimits(appliedLimits(undefined))).toBe("no pids limit, no memory limit, no cpu limit");
    expect(unlimited({ pids: 128, memoryBytes: 0, cpus: 1 })).toBe(true);
  });
});
