import { describe, expect, it } from "vitest";
import { parseMcpSource } from "../../../src/mcp/source.js";
import { renderMcpStarter } from "../../../src/mcp/starter.js";

describe("renderMcpStarter", () => {
  it("is a valid source with no servers, whose examples become valid servers once uncommented", () => {
    const starter = renderMcpStarter("~/.config/agent-devcontainer/mcp-secrets.env");
    const uncommented = starter.replace(/^# (\[mcp_servers|[a-z]+ = )/gm, "$1");

    expect(parseMcpSource(starter, "mcp.toml")).toEqual([]);
    expect(parseMcpSource(uncommented, "mcp.toml").map((server) => [server.name, server.transport, server.enabled])).toEqual([
      ["everything", "stdio", false],
      ["docs", "http", true],
    ]);
  });

  it("tells the user where secrets go", () => {
    expect(renderMcpStarter("~/secrets/mcp.env")).toContain("NAME=value lines in ~/secrets/mcp.env on the host");
    expect(renderMcpStarter(undefined)).toContain("the value comes from the container's environment");
  });
});
