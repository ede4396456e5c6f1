import { describe, expect, it } from "vitest";
import { renderQwen } from "../../../src/agents/qwen.js";
import { remote, stdio } from "./fixtures.js";

describe("renderQwen", () => {
  it("writes a stdio server as command, args, env and cwd, keeping ${VAR} references for qwen to resolve", () => {
    const server = stdio("github", { args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", MODE: "ro" }, cwd: "/w" });
    expect(renderQwen([server])).toEqual({
      config: { mcpServers: { github: { command: "npx", args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", MODE: "ro" }, cwd: "/w" } } },
      warnings: [],
    });
  });

  it("puts a streamable-HTTP server's address in httpUrl and an SSE server's in url", () => {
    const { config } = renderQwen([remote("docs", { headers: { Authorization: "Bearer ${T}" } }), remote("events", { transport: "sse" })]);
    expect(config.mcpServers).toEqual({
      docs: { httpUrl: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${T}" } },
      events: { url: "https://mcp.example.com/mcp" },
    });
  });

  it("warns that qwen would expand a literal $NAME, and leaves out disabled servers and servers for other agents", () => {
    const { config, warnings } = renderQwen([stdio("a", { env: { NOTE: "pay $USD" } }), stdio("off", { enabled: false }), stdio("other", { agents: ["codex"] })]);
    expect(Object.keys(config.mcpServers)).toEqual(["a"]);
    expect(warnings).toEqual(["mcp_servers.a.env.NOTE: qwen expands $NAME in this value, so the literal text will change"]);
  });
});
