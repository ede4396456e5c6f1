import { describe, expect, it } from "vitest";
import { renderClaude, type ClaudeServer } from "../../../src/mcp/render/claude.js";
import { remote, stdio, type McpServer } from "./fixtures.js";

describe("renderClaude", () => {
  it.each<[string, McpServer, ClaudeServer]>([
    [
      "a stdio server keeps ${VAR} references, which Claude expands itself",
      stdio("github", { args: ["-y", "server-github"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API: "${OTHER}", MODE: "ro" } }),
      { type: "stdio", command: "npx", args: ["-y", "server-github"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", API: "${OTHER}", MODE: "ro" } },
    ],
    ["a stdio server without args or env leaves both out", stdio("bare"), { type: "stdio", command: "npx" }],
    [
      "an http server gets its type, which Claude requires for url entries",
      remote("docs", { headers: { Authorization: "Bearer ${DOCS_TOKEN}", "X-Team": "core" } }),
      { type: "http", url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${DOCS_TOKEN}", "X-Team": "core" } },
    ],
    ["an sse server", remote("events", { transport: "sse", url: "https://e.example/sse" }), { type: "sse", url: "https://e.example/sse" }],
    ["references in args and url are kept", stdio("a", { args: ["--token", "${T}"] }), { type: "stdio", command: "npx", args: ["--token", "${T}"] }],
  ])("%s", (_what, server, expected) => {
    const { config, warnings } = renderClaude([server]);
    expect(config).toEqual({ mcpServers: { [server.name]: expected } });
    expect(warnings).toEqual([]);
  });

  it("leaves out servers that opt out of claude and disabled servers", () => {
    const { config } = renderClaude([
      stdio("kept"),
      stdio("codex-only", { agents: ["codex"] }),
      stdio("off", { enabled: false }),
    ]);
    expect(Object.keys(config.mcpServers)).toEqual(["kept"]);
  });

  it("warns that cwd cannot be expressed, naming server and field, and leaves it out", () => {
    const { config, warnings } = renderClaude([stdio("local", { cwd: "/workspace/tools" })]);
    expect(config.mcpServers.local).toEqual({ type: "stdio", command: "npx" });
    expect(warnings).toEqual([
      "mcp_servers.local.cwd: claude has no per-server working directory; left out, the server starts in claude's working directory",
    ]);
  });

  it("renders an empty mcpServers object when no server is for claude", () => {
    expect(renderClaude([]).config).toEqual({ mcpServers: {} });
  });
});
