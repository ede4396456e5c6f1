import { describe, expect, it } from "vitest";
import { renderGemini, type GeminiServer } from "../../../src/mcp/render/gemini.js";
import { remote, stdio, type McpServer } from "./fixtures.js";

describe("renderGemini", () => {
  it.each<[string, McpServer, GeminiServer]>([
    [
      "a stdio server lists token-like variables explicitly in env, which gemini would otherwise withhold",
      stdio("github", { args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API_KEY: "${OTHER_KEY}", MODE: "ro" }, cwd: "/w" }),
      { command: "npx", args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API_KEY: "${OTHER_KEY}", MODE: "ro" }, cwd: "/w" },
    ],
    ["a stdio server has no type", stdio("bare"), { command: "npx" }],
    [
      "an http server gets url, type and headers",
      remote("docs", { headers: { Authorization: "Bearer ${DOCS_TOKEN}" } }),
      { url: "https://mcp.example.com/mcp", type: "http", headers: { Authorization: "Bearer ${DOCS_TOKEN}" } },
    ],
    ["an sse server", remote("events", { transport: "sse" }), { url: "https://mcp.example.com/mcp", type: "sse" }],
    [
      "references in args and url are kept (gemini resolves them when it loads settings)",
      stdio("a", { args: ["${DIR}"] }),
      { command: "npx", args: ["${DIR}"] },
    ],
  ])("%s", (_what, server, expected) => {
    const { config, warnings } = renderGemini([server]);
    expect(config).toEqual({ mcpServers: { [server.name]: expected } });
    expect(warnings).toEqual([]);
  });

  it("warns that a literal $NAME in a header would be expanded by gemini", () => {
    expect(renderGemini([remote("r", { headers: { "X-Note": "pay $USD" } })]).warnings).toEqual([
      "mcp_servers.r.headers.X-Note: gemini expands $NAME in this value, so the literal text will change",
    ]);
  });

  it("leaves out servers that opt out of gemini and disabled servers", () => {
    const { config } = renderGemini([stdio("kept"), stdio("other", { agents: ["claude", "codex"] }), stdio("off", { enabled: false })]);
    expect(Object.keys(config.mcpServers)).toEqual(["kept"]);
  });
});
