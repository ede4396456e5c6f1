import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { blockedHosts } from "../../../src/egress/blocked.js";
import { parseLog } from "../../../src/egress/inspect.js";
import { detectRegistries, mcpHosts, presetHosts } from "../../../src/egress/presets.js";
import type { McpServer } from "../../../src/mcp/model.js";

describe("registry detection", () => {
  it("finds each ecosystem from its root files", () => {
    expect(detectRegistries(["package.json", "README.md"])).toEqual(["npm"]);
    expect(detectRegistries(["pyproject.toml"])).toEqual(["pypi"]);
    expect(detectRegistries(["Cargo.lock"])).toEqual(["cargo"]);
    expect(detectRegistries(["go.mod"])).toEqual(["go"]);
    expect(detectRegistries(["mygem.gemspec"])).toEqual(["rubygems"]);
    expect(detectRegistries(["debian/control"])).toEqual(["debian"]);
    expect(detectRegistries(["README.md"])).toEqual([]);
  });

  it("adds the distribution archive of the base image", () => {
    expect(detectRegistries([], "debian:trixie-slim")).toEqual(["debian"]);
    expect(detectRegistries([], "ubuntu:24.04")).toEqual(["ubuntu"]);
    expect(detectRegistries(["package.json"], "mcr.microsoft.com/devcontainers/base:bookworm")).toEqual(["npm", "debian"]);
  });
});

describe("presets", () => {
  it("start with the agent's hosts, then GitHub, VS Code, registries, MCP servers and the user's", () => {
    const servers = [{ name: "remote", url: "https://mcp.example.com:8443/mcp" }, { name: "local", command: "npx" }] as unknown as McpServer[];
    expect(mcpHosts(servers)).toEqual(["mcp.example.com:8443"]);
    const hosts = presetHosts(agent("codex"), { registries: ["npm"], mcpServers: servers, extra: ["Internal.Example"] });
    expect(hosts.slice(0, 3)).toEqual(["api.openai.com", "chatgpt.com", "auth.openai.com"]);
    expect(hosts).toContain("github.com");
    expect(hosts).toContain("marketplace.visualstudio.com");
    expect(hosts).toContain("registry.npmjs.org");
    expect(hosts).not.toContain("pypi.org");
    expect(hosts.slice(-2)).toEqual(["mcp.example.com:8443", "internal.example"]);
    expect(new Set(hosts).size).toBe(hosts.length);
  });

  it("adds the registry a local MCP server's package runner downloads from", () => {
    const servers = [{ name: "fs", command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem"] }, { name: "py", command: "/usr/bin/uvx" }] as unknown as McpServer[];
    const hosts = presetHosts(agent("gemini"), { registries: [], mcpServers: servers });
    expect(hosts).toContain("registry.npmjs.org");
    expect(hosts).toContain("pypi.org");
  });
});

describe("the enforcer's log", () => {
  it("parses JSON lines, skips others, and summarises blocked hosts with the command that allows them", () => {
    const log = [
      "egress: policy allowlist",
      '{"time":"t1","kind":"connect","host":"blocked.test","port":443,"verdict":"blocked","reason":"not in the allowlist","up":0,"down":0,"ms":1}',
      '{"time":"t2","kind":"connect","host":"allowed.test","port":443,"verdict":"allowed","up":10,"down":20,"ms":5}',
      '{"time":"t3","kind":"http","host":"blocked.test","port":443,"verdict":"blocked","up":0,"down":0,"ms":1}',
      '{"time":"t4","kind":"connect","host":"db.test","port":5432,"verdict":"blocked","up":0,"down":0,"ms":1}',
      "{broken",
    ].join("\n");
    const connections = parseLog(log);
    expect(connections).toHaveLength(4);
    expect(blockedHosts(connections, "c1")).toEqual([
      { host: "db.test", ports: [{ port: 5432, attempts: 1 }], attempts: 1, last: "t4", entries: ["db.test:5432"], allow: "create-agent-devcontainer egress allow c1 db.test:5432" },
      { host: "blocked.test", ports: [{ port: 443, attempts: 2 }], attempts: 2, last: "t3", entries: ["blocked.test"], allow: "create-agent-devcontainer egress allow c1 blocked.test" },
    ]);
  });
});
