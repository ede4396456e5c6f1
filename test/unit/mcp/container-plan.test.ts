import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { planContainerMcp, variableWarnings } from "../../../src/mcp/container-plan.js";
import { McpMergeError } from "../../../src/mcp/merge.js";
import { agentMcpModule } from "../../../src/mcp/agent-module.js";
import { agent, type AgentId } from "../../../src/catalogue/agents.js";
import { remote, stdio } from "./fixtures.js";

const LAUNCHER = "/opt/mcp/run-server";
const secretServer = stdio("secret", { command: "node", args: ["server.js"], env: { API_TOKEN: "${API_TOKEN}" } });
const plainServer = stdio("plain", { command: "uvx", args: ["tool"], env: { MODE: "fast" } });
const docs = remote("docs", { url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${DOCS_TOKEN}" } });

/** One agent's config file, merged by the module its Feature ships. */
const file = (id: AgentId, path: string, existing: string | undefined) => ({ id, path, existing, merge: agentMcpModule(agent(id)).merge });

describe("planContainerMcp", () => {
  const agents = [
    file("claude", "/s/claude/.claude.json", '{\n  "hasCompletedOnboarding": true\n}\n'),
    file("codex", "/s/codex/config.toml", 'model = "o3"\n'),
    file("copilot", "/s/copilot/mcp-config.json", undefined),
    file("gemini", "/s/gemini/.gemini/settings.json", '{ "ui": { "theme": "GitHub" } }'),
  ];

  it("routes every agent's secret-needing server through the launcher and keeps each file's other settings", () => {
    const plan = planContainerMcp([secretServer, plainServer, docs], agents, LAUNCHER);

    expect(plan.files.map((file) => file.path)).toEqual(agents.map((agent) => agent.path));
    const [claude, codex, copilot, gemini] = plan.files.map((file) => file.content) as [string, string, string, string];
    const routed = { command: LAUNCHER, args: ["secret", "--", "node", "server.js"] };
    expect(JSON.parse(claude)).toEqual({
      hasCompletedOnboarding: true,
      mcpServers: {
        secret: { type: "stdio", ...routed },
        plain: { type: "stdio", command: "uvx", args: ["tool"], env: { MODE: "fast" } },
        docs: { type: "http", url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer ${DOCS_TOKEN}" } },
      },
    });
    expect(parse(codex)).toMatchObject({ model: "o3", mcp_servers: { secret: routed, docs: { bearer_token_env_var: "DOCS_TOKEN" } } });
    expect(JSON.parse(copilot)).toMatchObject({ mcpServers: { secret: { type: "local", ...routed, tools: ["*"] } } });
    expect(JSON.parse(gemini)).toMatchObject({ ui: { theme: "GitHub" }, mcpServers: { secret: routed } });
    expect(plan.spec).toEqual({ servers: { secret: { env: { API_TOKEN: "${API_TOKEN}" } } } });
  });

  it("writes no secret-needing env into any agent's file", () => {
    const plan = planContainerMcp([secretServer], agents, LAUNCHER);

    for (const file of plan.files) expect(file.content).not.toContain("API_TOKEN");
  });

  it("prefixes what an agent cannot express with the agent", () => {
    const sse = remote("events", { transport: "sse", url: "https://mcp.example.com/sse" });

    const plan = planContainerMcp([sse], agents, LAUNCHER);

    expect(plan.warnings).toEqual([expect.stringMatching(/^codex: mcp_servers\.events\.type: codex supports only streamable HTTP/)]);
  });

  it("names the file it cannot merge into, and plans nothing", () => {
    const broken = [...agents.slice(0, 2), file("gemini", "/s/gemini/.gemini/settings.json", "{ not json")];

    expect(() => planContainerMcp([secretServer], broken, LAUNCHER)).toThrow(McpMergeError);
    expect(() => planContainerMcp([secretServer], broken, LAUNCHER)).toThrow(/^\/s\/gemini\/\.gemini\/settings\.json: existing file is not valid JSON/);
  });
});

describe("variableWarnings", () => {
  it("is silent when the secrets file or the environment has every variable a local server's env needs", () => {
    expect(variableWarnings([secretServer], { API_TOKEN: "x" }, {})).toEqual([]);
    expect(variableWarnings([secretServer], {}, { API_TOKEN: "x" })).toEqual([]);
  });

  it("names the server, the field and the variable set nowhere", () => {
    expect(variableWarnings([secretServer], {}, {})).toEqual([
      "mcp_servers.secret.env.API_TOKEN: ${API_TOKEN} is set neither in the MCP secrets file nor in the container's environment; the server starts without it",
    ]);
  });

  it("warns that a header variable found only in the secrets file cannot reach the agents", () => {
    const [warning] = variableWarnings([docs], { DOCS_TOKEN: "x" }, {});

    expect(warning).toMatch(/^mcp_servers\.docs\.headers\.Authorization: \$\{DOCS_TOKEN\} is only in the MCP secrets file/);
    expect(warning).toContain("set DOCS_TOKEN there");
    expect(variableWarnings([docs], {}, { DOCS_TOKEN: "x" })).toEqual([]);
  });

  it("checks the fields agents expand themselves: command, args, cwd and url", () => {
    const server = stdio("s", { command: "${BIN}", args: ["--x", "${ARG}"], cwd: "${DIR}" });
    const site = remote("r", { url: "https://${HOST}/mcp" });

    const fields = variableWarnings([server, site], {}, {}).map((warning) => warning.split(":")[0]);

    expect(fields).toEqual(["mcp_servers.s.command", "mcp_servers.s.args[1]", "mcp_servers.s.cwd", "mcp_servers.r.url"]);
  });

  it("ignores disabled servers", () => {
    expect(variableWarnings([{ ...secretServer, enabled: false }], {}, {})).toEqual([]);
  });
});
