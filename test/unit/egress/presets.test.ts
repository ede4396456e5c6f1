import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../../src/paths.js";
import { agent } from "../../../src/catalogue/agents.js";
import { blockedHosts } from "../../../src/egress/blocked.js";
import { parseLog } from "../../../src/egress/inspect.js";
import { ALLOW_PRESETS } from "../../../src/egress/allow-presets.js";
import { detectRegistries, mcpHosts, presetHosts } from "../../../src/egress/presets.js";
import { allAgents } from "../../../src/catalogue/agents.js";
import type { McpServer } from "../../../src/mcp/model.js";

describe("registry detection", () => {
  it("finds each ecosystem from its root files", () => {
    expect(detectRegistries(["package.json", "README.md"])).toEqual(["npm"]);
    expect(detectRegistries(["pyproject.toml"])).toEqual(["pypi"]);
    expect(detectRegistries(["Cargo.lock"])).toEqual(["cargo"]);
    expect(detectRegistries(["go.mod"])).toEqual(["go"]);
    expect(detectRegistries(["mygem.gemspec"])).toEqual(["rubygems"]);
    expect(detectRegistries(["README.md", "debian"])).toEqual([]);
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

  it("hold no multi-tenant storage or OS archive host for any agent, whatever the repository uses", () => {
    const asked = ALLOW_PRESETS.flatMap((preset) => preset.hosts);
    for (const record of allAgents()) {
      const hosts = presetHosts(record, { registries: ["npm", "pypi", "cargo", "go", "rubygems"] });
      expect(hosts.filter((host) => asked.includes(host)), record.id).toEqual([]);
      expect(hosts.filter((host) => /storage\.googleapis\.com|\.blob\.core\.windows\.net|^\*\.githubusercontent\.com|debian\.org|ubuntu\.com/.test(host)), record.id).toEqual([]);
    }
  });

  it("give each agent host a one-line reason in the agent's facts page", () => {
    for (const record of allAgents()) {
      const page = readFileSync(packagePath("docs", "agents", `${record.id}.md`), "utf8");
      const section = page.slice(page.indexOf("## Run-time hosts"));
      const listed = [...section.matchAll(/^- `([^`]+)` — \S.*$/gm)].map((match) => match[1]);
      expect(listed, record.id).toEqual([...record.outboundHosts]);
    }
  });

  it("keep Claude's login and token refresh hosts (a firewall without them broke OAuth refresh)", () => {
    const hosts = presetHosts(agent("claude"), { registries: [] });
    for (const host of ["api.anthropic.com", "claude.ai", "claude.com", "platform.claude.com"]) expect(hosts).toContain(host);
  });

  it("add a named preset's hosts only when asked for, after the registries", () => {
    const hosts = presetHosts(agent("claude"), { registries: ["npm"], allowPresets: ["storage", "os-archives"], extra: ["x.example"] });
    expect(hosts).toContain("storage.googleapis.com");
    expect(hosts).toContain("deb.debian.org");
    expect(hosts.indexOf("registry.npmjs.org")).toBeLessThan(hosts.indexOf("deb.debian.org"));
    expect(hosts.at(-1)).toBe("x.example");
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
