/** A task's login check under the broker: the broker must hold one of the agent's secrets, not a login file. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { BROKER_HOST_DIR } from "../../../src/egress/layout.js";
import { brokeredLogins, brokeredVariables, brokerLoginProblem } from "../../../src/tasks/broker-login.js";
import { tempDir } from "../../support/temp-dir.js";

describe("the broker's login check", () => {
  it("reads the variables the broker holds from the container's placeholders file (names only)", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    mkdirSync(join(home, BROKER_HOST_DIR, "abc123"), { recursive: true });
    writeFileSync(join(home, BROKER_HOST_DIR, "abc123", "placeholders.env"), "ANTHROPIC_BASE_URL=https://gw\nANTHROPIC_API_KEY=sk-ant-api03-cadc-broker-placeholder\n");
    expect(brokeredVariables("abc123", home)).toEqual(["ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"]);
    expect(brokeredVariables("other", home)).toEqual([]);
    expect(brokeredVariables("../abc123", home)).toEqual([]);
    expect(brokeredVariables(undefined, home)).toEqual([]);
  });

  it("passes when the broker holds a secret of the agent, and otherwise says which host variable to set", () => {
    expect(brokerLoginProblem(agent("claude"), ["ANTHROPIC_API_KEY"])).toBeUndefined();
    expect(brokerLoginProblem(agent("claude"), ["CLAUDE_CODE_OAUTH_TOKEN"])).toBeUndefined();
    expect(brokerLoginProblem(agent("claude"), ["ANTHROPIC_BASE_URL"])).toBe(
      "Claude Code has no key in the broker: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN on this host before the container comes up (the broker reads it then), launch it again, then run the task again",
    );
    expect(brokerLoginProblem(agent("claude"), [])).not.toMatch(/\/login/);
  });

  it("passes for a subscription login the host step staged as a placeholder (Codex's auth.json), not for an agent without one", ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    mkdirSync(join(home, BROKER_HOST_DIR, "abc123", "login"), { recursive: true });
    expect(brokeredLogins("abc123", home)).toEqual([]);
    writeFileSync(join(home, BROKER_HOST_DIR, "abc123", "login", ".auth.json.tmp"), "{}");
    writeFileSync(join(home, BROKER_HOST_DIR, "abc123", "login", "auth.json"), "{}");
    expect(brokeredLogins("abc123", home)).toEqual(["auth.json"]);
    expect(brokeredLogins("../abc123", home)).toEqual([]);
    expect(brokerLoginProblem(agent("codex"), ["OPENAI_BASE_URL"], ["auth.json"])).toBeUndefined();
    expect(brokerLoginProblem(agent("codex"), ["OPENAI_BASE_URL"], [])).toMatch(/^Codex CLI has no key in the broker/);
    expect(brokerLoginProblem(agent("claude"), [], ["auth.json"])).toMatch(/^Claude Code has no key/);
  });
});
