import { describe, expect, it } from "vitest";
import { renderVscode, type VscodeServer } from "../../../src/mcp/render/vscode.js";
import { remote, stdio, type McpServer } from "./fixtures.js";

describe("renderVscode", () => {
  it.each<[string, McpServer, VscodeServer]>([
    [
      "${VAR} becomes ${env:VAR} everywhere in a stdio server",
      stdio("github", { command: "${TOOLS}/run", args: ["--dir", "${DIR}"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", MODE: "ro" }, cwd: "${HOME}/w" }),
      {
        type: "stdio",
        command: "${env:TOOLS}/run",
        args: ["--dir", "${env:DIR}"],
        env: { GITHUB_TOKEN: "${env:GITHUB_TOKEN}", MODE: "ro" },
        cwd: "${env:HOME}/w",
      },
    ],
    [
      "${VAR} becomes ${env:VAR} in url and headers of a remote server",
      remote("docs", { url: "https://${HOST}/mcp", headers: { Authorization: "Bearer ${DOCS_TOKEN}" } }),
      { type: "http", url: "https://${env:HOST}/mcp", headers: { Authorization: "Bearer ${env:DOCS_TOKEN}" } },
    ],
    ["an sse server", remote("events", { transport: "sse" }), { type: "sse", url: "https://mcp.example.com/mcp" }],
    ["literal dollars are left alone", stdio("a", { args: ["$5"] }), { type: "stdio", command: "npx", args: ["$5"] }],
  ])("%s", (_what, server, expected) => {
    const { config, warnings } = renderVscode([server]);
    expect(config).toEqual({ servers: { [server.name]: expected } });
    expect(warnings).toEqual([]);
  });

  it("never leaves a bare ${VAR}, which VS Code would not resolve", () => {
    const { config } = renderVscode([stdio("a", { env: { A: "${A}${B}" } }), remote("b", { headers: { H: "x-${C}" } })]);
    expect(JSON.stringify(config)).not.toMatch(/\$\{(?!env:)/);
  });

  it("leaves out servers that opt out of vscode and disabled servers", () => {
    const { config } = renderVscode([stdio("kept"), stdio("agents-only", { agents: ["claude"] }), stdio("off", { enabled: false })]);
    expect(Object.keys(config.servers)).toEqual(["kept"]);
  });
});
