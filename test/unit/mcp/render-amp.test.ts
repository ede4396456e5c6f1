import { describe, expect, it } from "vitest";
import { renderAmp } from "../../../src/agents/amp.js";
import { mergeAgentMcp } from "../../../src/mcp/apply.js";
import { remote, stdio } from "./fixtures.js";

describe("renderAmp", () => {
  it("writes local servers as command, args and env and remote ones as url and headers, under amp.mcpServers", () => {
    const { config, warnings } = renderAmp([stdio("github", { args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } }), remote("docs", { headers: { Authorization: "Bearer ${T}" } })]);
    expect(config).toEqual({
      "amp.mcpServers": {
        github: { command: "npx", args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } },
        docs: { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${T}" } },
      },
    });
    expect(warnings).toEqual([]);
  });

  it("warns about a cwd it cannot express, and leaves out disabled servers and servers for other agents", () => {
    const { config, warnings } = renderAmp([stdio("a", { cwd: "/w" }), stdio("off", { enabled: false }), stdio("other", { agents: ["codex"] })]);
    expect(Object.keys(config["amp.mcpServers"])).toEqual(["a"]);
    expect(warnings).toEqual(["mcp_servers.a.cwd: amp has no working-directory setting for a server; it starts in the workspace"]);
  });

  it("replaces only amp.mcpServers in an existing settings file", () => {
    const existing = `{\n  "amp.notifications.enabled": false,\n  "amp.mcpServers": { "old": { "command": "x" } }\n}\n`;
    const merged = JSON.parse(mergeAgentMcp("amp", existing, [stdio("new")]).text) as Record<string, unknown>;
    expect(merged).toEqual({ "amp.notifications.enabled": false, "amp.mcpServers": { new: { command: "npx" } } });
  });
});
