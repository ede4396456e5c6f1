import { describe, expect, it } from "vitest";
import { renderCopilot, type CopilotServer } from "../../../src/mcp/render/copilot.js";
import { remote, stdio, type McpServer } from "./fixtures.js";

describe("renderCopilot", () => {
  it.each<[string, McpServer, CopilotServer]>([
    [
      "a stdio server is local, lists every variable it needs by reference in env, and allows all tools",
      stdio("github", { args: ["-y", "server-github"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API: "${OTHER}", MODE: "ro" } }),
      {
        type: "local",
        command: "npx",
        args: ["-y", "server-github"],
        env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API: "${OTHER}", MODE: "ro" },
        tools: ["*"],
      },
    ],
    ["args is written even when empty, and cwd is kept", stdio("a", { cwd: "/w" }), { type: "local", command: "npx", args: [], cwd: "/w", tools: ["*"] }],
    [
      "an http server keeps header references, which copilot expands",
      remote("docs", { headers: { Authorization: "Bearer ${DOCS_TOKEN}" } }),
      { type: "http", url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${DOCS_TOKEN}" }, tools: ["*"] },
    ],
    ["an sse server", remote("events", { transport: "sse" }), { type: "sse", url: "https://mcp.example.com/mcp", tools: ["*"] }],
  ])("%s", (_what, server, expected) => {
    const { config, warnings } = renderCopilot([server]);
    expect(config).toEqual({ mcpServers: { [server.name]: expected } });
    expect(warnings).toEqual([]);
  });

  it.each<[string, McpServer, string]>([
    ["args", stdio("a", { args: ["${DIR}"] }), "mcp_servers.a.args[0]"],
    ["url", remote("a", { url: "https://${HOST}/mcp" }), "mcp_servers.a.url"],
  ])("skips a server with ${VAR} in %s, which copilot does not expand, with a warning", (_field, server, where) => {
    const { config, warnings } = renderCopilot([server]);
    expect(config.mcpServers).toEqual({});
    expect(warnings).toEqual([`${where}: copilot expands \${VAR} only in env and headers; server skipped for copilot`]);
  });

  it("warns that a literal $NAME in env would be expanded by copilot", () => {
    const { config, warnings } = renderCopilot([stdio("a", { env: { PRICE: "$HOME-less" } })]);
    expect(config.mcpServers.a?.env).toEqual({ PRICE: "$HOME-less" });
    expect(warnings).toEqual(["mcp_servers.a.env.PRICE: copilot expands $NAME in this value, so the literal text will change"]);
  });

  it("leaves out servers that opt out of copilot and disabled servers", () => {
    const { config } = renderCopilot([stdio("kept"), stdio("other", { agents: ["gemini"] }), stdio("off", { enabled: false })]);
    expect(Object.keys(config.mcpServers)).toEqual(["kept"]);
  });
});
