import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findMcpSource, loadMcpSource } from "../../../src/mcp/locate.js";
import { tempDir } from "../../support/temp-dir.js";

function write(root: string, path: string, content: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), content);
}

describe("findMcpSource", () => {
  it("prefers .devcontainer/mcp.toml over a root config.toml", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    write(root, ".devcontainer/mcp.toml", `[mcp_servers.a]\ncommand = "a"\n`);
    write(root, "config.toml", `[mcp_servers.b]\ncommand = "b"\n`);
    expect(findMcpSource(root)).toEqual({ path: join(root, ".devcontainer/mcp.toml"), options: {} });
  });

  it("falls back to a root config.toml that has [mcp_servers], reading only that table", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    write(root, "config.toml", `model = "o3"\n\n[mcp_servers.b]\ncommand = "b"\n`);
    const location = findMcpSource(root);
    expect(location).toEqual({ path: join(root, "config.toml"), options: { mcpTableOnly: true } });
    expect(loadMcpSource(location!).map((server) => server.name)).toEqual(["b"]);
  });

  it("recognises dotted-key and quoted forms of mcp_servers in config.toml", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    write(root, "config.toml", `mcp_servers.b.command = "b"\n`);
    expect(findMcpSource(root)?.path).toBe(join(root, "config.toml"));
    write(root, "config.toml", `["mcp_servers".b]\ncommand = "b"\n`);
    expect(findMcpSource(root)?.path).toBe(join(root, "config.toml"));
  });

  it("ignores a config.toml without MCP servers, and finds nothing in an empty repo", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    expect(findMcpSource(root)).toBeUndefined();
    write(root, "config.toml", `[tool.other]\nmcp_servers_note = "not ours"\n`);
    expect(findMcpSource(root)).toBeUndefined();
  });
});
