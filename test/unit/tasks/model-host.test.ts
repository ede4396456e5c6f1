/** A task that cannot reach its model through the container's egress is refused before it starts, in one line. */
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { EGRESS_MODE_LABEL } from "../../../src/egress/layout.js";
import { modelHost, modelHostProblem, type Probe } from "../../../src/tasks/model-host.js";

const container = (mode?: string) => ({ id: "c1", labels: mode ? { [EGRESS_MODE_LABEL]: mode } : {} });

describe("the model host a task needs", () => {
  it("is the gateway's base URL when the config sets one, else the agent's first listed host", () => {
    expect(modelHost(agent("claude"), { ANTHROPIC_BASE_URL: "http://172.17.0.1:4000" })).toEqual({ host: "172.17.0.1", port: 4000 });
    expect(modelHost(agent("codex"), { OPENAI_BASE_URL: "https://llm.example.com/v1" })).toEqual({ host: "llm.example.com", port: 443 });
    expect(modelHost(agent("claude"), {})).toEqual({ host: "api.anthropic.com", port: 443 });
    expect(modelHost(agent("opencode"), { OPENAI_BASE_URL: "http://x:1" })).toEqual({ host: "opencode.ai", port: 443 });
  });

  it("is probed through the enforcer only behind one; a 403 says how to allow it, a 502 says what the proxy answered", () => {
    const asked: string[] = [];
    const answer = (status: string): Probe => (id, hostPort) => (asked.push(`${id} ${hostPort}`), status);
    const env = { ANTHROPIC_BASE_URL: "http://gw.example.com:4000" };
    expect(modelHostProblem("claude-app-x", agent("claude"), container(), env, answer("unused"))).toBeUndefined();
    expect(modelHostProblem("claude-app-x", agent("claude"), container("open"), env, answer("unused"))).toBeUndefined();
    expect(asked).toEqual([]);
    expect(modelHostProblem("claude-app-x", agent("claude"), container("allowlist"), env, answer("HTTP/1.1 200 Connection Established"))).toBeUndefined();
    expect(asked).toEqual(["c1 gw.example.com:4000"]);
    expect(modelHostProblem("claude-app-x", agent("claude"), container("allowlist"), env, answer("HTTP/1.1 403 Blocked by egress policy"))).toBe(
      "Claude Code cannot reach its model at gw.example.com:4000: blocked by the egress allowlist; allow it with: create-agent-devcontainer egress allow claude-app-x gw.example.com:4000, then run the task again",
    );
    expect(modelHostProblem("codex-app-x", agent("codex"), container("log"), {}, answer("HTTP/1.1 502 Bad Gateway"))).toBe(
      "Codex CLI cannot reach its model at api.openai.com:443: the egress proxy answered 502 Bad Gateway",
    );
  });
});
