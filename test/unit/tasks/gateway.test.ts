/** Model gateways: each agent gets only its own documented variables, and egress admits the base URL's host. */
import { describe, expect, it } from "vitest";
import { agent, allAgents } from "../../../src/catalogue/agents.js";
import { renderAgentConfig } from "../../../src/render/devcontainer-json.js";
import { agentEnvProblem, gatewayHosts, gatewayPart } from "../../../src/render/parts/gateway.js";
import { localOptions } from "../../support/options.js";

const options = localOptions({
  agents: ["claude", "codex"],
  egress: "allowlist",
  agentEnv: { ANTHROPIC_BASE_URL: "http://10.0.0.5:4000", ANTHROPIC_MODEL: "claude-x", OPENAI_BASE_URL: "https://llm.example.com/v1" },
});

describe("model gateway settings", () => {
  it("gives each agent only its own variables, through remoteEnv", () => {
    expect(gatewayPart(agent("claude"), options)).toEqual({ remoteEnv: { ANTHROPIC_BASE_URL: "http://10.0.0.5:4000", ANTHROPIC_MODEL: "claude-x" } });
    expect(gatewayPart(agent("codex"), options)).toEqual({ remoteEnv: { OPENAI_BASE_URL: "https://llm.example.com/v1" } });
    expect(gatewayPart(agent("gemini"), options)).toEqual({});
  });

  it("passes a gateway's own key by name from the host, and only once its base URL is set", () => {
    expect(gatewayPart(agent("copilot"), { ...options, agentEnv: { COPILOT_MODEL: "m" } })).toEqual({ remoteEnv: { COPILOT_MODEL: "m" } });
    expect(gatewayPart(agent("copilot"), { ...options, agentEnv: { COPILOT_PROVIDER_BASE_URL: "http://gw:1", COPILOT_PROVIDER_TYPE: "anthropic" } })).toEqual({
      remoteEnv: { COPILOT_PROVIDER_BASE_URL: "http://gw:1", COPILOT_PROVIDER_TYPE: "anthropic", COPILOT_PROVIDER_API_KEY: "${localEnv:COPILOT_PROVIDER_API_KEY}" },
    });
    expect(agentEnvProblem([agent("copilot")], "COPILOT_PROVIDER_API_KEY", "secret")).toMatch(/not a gateway variable/);
  });

  it("admits the base URL's host (and its port, when it names one) in the allowlist", () => {
    expect(gatewayHosts(agent("claude"), options)).toEqual(["10.0.0.5:4000"]);
    expect(gatewayHosts(agent("codex"), options)).toEqual(["llm.example.com"]);
    const config = renderAgentConfig(agent("claude"), options);
    expect(config.initializeCommand).toMatchObject({ egress: expect.arrayContaining(["10.0.0.5:4000"]) });
    expect(config.remoteEnv).toMatchObject({ ANTHROPIC_BASE_URL: "http://10.0.0.5:4000" });
  });

  it("refuses a variable no chosen agent documents, a base URL that is not http(s), and credentials in it", () => {
    const claude = [agent("claude")];
    expect(agentEnvProblem(claude, "OPENAI_BASE_URL", "https://x")).toMatch(/not a gateway variable of claude/);
    expect(agentEnvProblem(claude, "LD_PRELOAD", "/x.so")).toMatch(/not a gateway variable/);
    expect(agentEnvProblem(claude, "ANTHROPIC_BASE_URL", "ftp://x")).toMatch(/must be an http\(s\) URL/);
    expect(agentEnvProblem(claude, "ANTHROPIC_BASE_URL", "nope")).toMatch(/not a URL/);
    expect(agentEnvProblem(claude, "ANTHROPIC_BASE_URL", "https://user:key@x")).toMatch(/must not hold credentials/);
    expect(agentEnvProblem(claude, "ANTHROPIC_BASE_URL", "https://gw.example.com")).toBeUndefined();
  });

  it("names, for every agent, a base-URL variable among its gateway variables, or why it takes none", () => {
    for (const record of allAgents()) {
      if ("none" in record.gateway) expect(record.gateway.none).toMatch(/\w/);
      else expect(record.gateway.env).toContain(record.gateway.baseUrlEnv);
    }
  });

  it("says why an agent that takes no endpoint from its environment refuses one", () => {
    expect(agentEnvProblem([agent("opencode")], "OPENAI_BASE_URL", "https://x")).toMatch(/opencode: OpenCode takes a custom endpoint from its config/);
    expect(agentEnvProblem([agent("opencode"), agent("qwen")], "OPENAI_BASE_URL", "https://x")).toBeUndefined();
  });
});
