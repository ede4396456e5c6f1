import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { mcpConfigPath, mergeAgentMcp } from "../../../src/mcp/apply.js";
import { McpMergeError } from "../../../src/mcp/merge.js";
import { remote, stdio } from "./fixtures.js";

const servers = [stdio("github", { env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } }), remote("docs")];

describe("mergeAgentMcp", () => {
  it("puts each agent's servers in its own file under its relocated config dir", () => {
    expect(mcpConfigPath("claude")).toBe("/var/lib/agent-devcontainer/claude/.claude.json");
    expect(mcpConfigPath("codex")).toBe("/var/lib/agent-devcontainer/codex/config.toml");
    expect(mcpConfigPath("copilot")).toBe("/var/lib/agent-devcontainer/copilot/mcp-config.json");
    expect(mcpConfigPath("gemini")).toBe("/var/lib/agent-devcontainer/gemini/.gemini/settings.json");
  });

  it("keeps Claude's account state and replaces only mcpServers", () => {
    const { text } = mergeAgentMcp("claude", `{\n  "hasCompletedOnboarding": true,\n  "mcpServers": {}\n}\n`, servers);
    const config = JSON.parse(text) as { hasCompletedOnboarding: boolean; mcpServers: object };
    expect(config.hasCompletedOnboarding).toBe(true);
    expect(Object.keys(config.mcpServers)).toEqual(["github", "docs"]);
  });

  it("keeps Codex's settings and writes its tables in TOML", () => {
    const { text } = mergeAgentMcp("codex", `model = "o3"\n`, servers);
    expect(text.startsWith(`model = "o3"\n\n`)).toBe(true);
    expect(parse(text)).toMatchObject({ model: "o3", mcp_servers: { github: { env_vars: ["GITHUB_TOKEN"] } } });
  });

  it("gives copilot its tools list and gemini its remote type", () => {
    const copilot = JSON.parse(mergeAgentMcp("copilot", undefined, servers).text) as { mcpServers: Record<string, { tools: string[] }> };
    expect(copilot.mcpServers.github?.tools).toEqual(["*"]);
    const gemini = JSON.parse(mergeAgentMcp("gemini", `{"theme":"x"}`, servers).text) as { theme: string; mcpServers: Record<string, { type?: string }> };
    expect(gemini.theme).toBe("x");
    expect(gemini.mcpServers.docs?.type).toBe("http");
  });

  it("passes on what the agent cannot express", () => {
    expect(mergeAgentMcp("codex", undefined, [stdio("x", { env: { A: "${B}" } })]).warnings).toHaveLength(1);
  });

  it("refuses to merge into a file it cannot read", () => {
    expect(() => mergeAgentMcp("gemini", "{ not json", servers)).toThrow(McpMergeError);
  });
});
