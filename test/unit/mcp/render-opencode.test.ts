import { describe, expect, it } from "vitest";
import { renderOpencode } from "../../../src/agents/opencode.js";
import { mergeAgentMcp } from "../../../src/mcp/apply.js";
import { remote, stdio } from "./fixtures.js";

describe("renderOpencode", () => {
  it("writes a local server's command and arguments as one array, and a remote server as url and headers", () => {
    const { config, warnings } = renderOpencode([stdio("github", { args: ["-y", "server"], env: { MODE: "ro" } }), remote("docs", { transport: "sse" })]);
    expect(config).toEqual({
      mcp: {
        github: { type: "local", command: ["npx", "-y", "server"], environment: { MODE: "ro" }, enabled: true },
        docs: { type: "remote", url: "https://mcp.example.com/mcp", enabled: true },
      },
    });
    expect(warnings).toEqual([]);
  });

  it("writes ${NAME} references as OpenCode's {env:NAME}", () => {
    const { config } = renderOpencode([stdio("a", { args: ["${DIR}"], env: { TOKEN: "${TOKEN}" } }), remote("r", { headers: { Authorization: "Bearer ${T}" } })]);
    expect(config.mcp.a).toMatchObject({ command: ["npx", "{env:DIR}"], environment: { TOKEN: "{env:TOKEN}" } });
    expect(config.mcp.r).toMatchObject({ headers: { Authorization: "Bearer {env:T}" } });
  });

  it("keeps a disabled server switched off, warns about a cwd it cannot express, and skips other agents' servers", () => {
    const { config, warnings } = renderOpencode([stdio("off", { enabled: false }), stdio("w", { cwd: "/w" }), stdio("other", { agents: ["codex"] })]);
    expect(Object.keys(config.mcp)).toEqual(["off", "w"]);
    expect(config.mcp.off?.enabled).toBe(false);
    expect(warnings).toEqual(["mcp_servers.w.cwd: opencode has no working-directory setting for a server; it starts in the workspace"]);
  });

  it("replaces only the mcp key of an existing opencode.json", () => {
    const existing = `{\n  "$schema": "https://opencode.ai/config.json",\n  "mcp": {}\n}\n`;
    const merged = JSON.parse(mergeAgentMcp("opencode", existing, [stdio("x")]).text) as Record<string, unknown>;
    expect(merged).toEqual({ $schema: "https://opencode.ai/config.json", mcp: { x: { type: "local", command: ["npx"], enabled: true } } });
  });
});
