import { describe, expect, it } from "vitest";
import { AGENT_IDS } from "../../../src/catalogue/agents.js";
import { McpSourceError, parseMcpSource } from "../../../src/mcp/source.js";

/** The error parseMcpSource throws for `text`; fails the test when it accepts it. */
function errorFor(text: string, options = {}): McpSourceError {
  try {
    parseMcpSource(text, ".devcontainer/mcp.toml", options);
  } catch (error) {
    expect(error).toBeInstanceOf(McpSourceError);
    return error as McpSourceError;
  }
  throw new Error(`expected the source to be rejected:\n${text}`);
}

describe("parseMcpSource", () => {
  it("reads stdio and remote servers, applying defaults and making the transport explicit", () => {
    const servers = parseMcpSource(
      `
[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]
env = { GITHUB_TOKEN = "\${GITHUB_TOKEN}" }
cwd = "/workspace"

[mcp_servers.docs]
url = "https://mcp.example.com/mcp"
headers = { Authorization = "Bearer \${DOCS_TOKEN}" }

[mcp_servers.events]
url = "https://events.example.com/sse"
type = "sse"
agents = ["claude", "vscode"]
enabled = false
`,
      "mcp.toml",
    );
    expect(servers).toEqual([
      {
        name: "github",
        transport: "stdio",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-github"],
        env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" },
        cwd: "/workspace",
        agents: "all",
        enabled: true,
      },
      {
        name: "docs",
        transport: "http",
        url: "https://mcp.example.com/mcp",
        headers: { Authorization: "Bearer ${DOCS_TOKEN}" },
        agents: "all",
        enabled: true,
      },
      {
        name: "events",
        transport: "sse",
        url: "https://events.example.com/sse",
        headers: {},
        agents: ["claude", "vscode"],
        enabled: false,
      },
    ]);
  });

  it("accepts the original design's config.toml, whose only content is [mcp_servers.*] tables, unchanged", () => {
    const original = `[mcp_servers.filesystem]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-filesystem", "/workspace"]

[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]

[mcp_servers.github.env]
GITHUB_PERSONAL_ACCESS_TOKEN = "\${GITHUB_TOKEN}"
`;
    const servers = parseMcpSource(original, "config.toml");
    expect(servers.map((server) => server.name)).toEqual(["filesystem", "github"]);
    expect(servers[1]).toMatchObject({ transport: "stdio", env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" } });
  });

  it("returns no servers for an empty file or one with an empty [mcp_servers] table", () => {
    expect(parseMcpSource("", "mcp.toml")).toEqual([]);
    expect(parseMcpSource("# nothing yet\n[mcp_servers]\n", "mcp.toml")).toEqual([]);
  });

  it("reads only mcp_servers from a shared config.toml when told to, and rejects other keys otherwise", () => {
    const shared = `model = "o3"\n[tui]\nnotifications = true\n[mcp_servers.x]\ncommand = "a"\n`;
    expect(parseMcpSource(shared, "config.toml", { mcpTableOnly: true }).map((server) => server.name)).toEqual(["x"]);
    expect(errorFor(shared).problems).toEqual([
      'model: unknown top-level key; an MCP source holds only [mcp_servers.<name>] tables',
      'tui: unknown top-level key; an MCP source holds only [mcp_servers.<name>] tables',
    ]);
  });

  it("keeps literal dollars that do not start a reference", () => {
    const [server] = parseMcpSource(`[mcp_servers.x]\ncommand = "a"\nargs = ["cost: $5", "$HOME"]\n`, "mcp.toml");
    expect(server).toMatchObject({ args: ["cost: $5", "$HOME"] });
  });
});

describe("parseMcpSource errors", () => {
  it("reports bad TOML as file:line:column and the parser's message", () => {
    const error = errorFor(`[mcp_servers.x]\ncommand = "npx"\nargs = [\n`);
    expect(error.position).toEqual({ line: 4, column: 1 });
    expect(error.message).toMatch(/^\.devcontainer\/mcp\.toml:4:1: \S/);
    expect(error.message).not.toContain("Invalid TOML document");
  });

  it("points at the line and column of a missing value", () => {
    expect(errorFor(`[mcp_servers.x]\ncommand = \n`).message).toBe(".devcontainer/mcp.toml:2:11: invalid value");
  });

  it("reports a table defined twice at the second definition", () => {
    expect(errorFor(`[mcp_servers.x]\ncommand = "a"\n[mcp_servers.x]\ncommand = "b"\n`).position).toEqual({ line: 3, column: 2 });
  });

  it.each([
    ["an unknown field", `[mcp_servers.x]\ncommand = "a"\ntimeout = 5\n`, 'mcp_servers.x: unknown field "timeout"'],
    ["a wrong type", `[mcp_servers.github]\ncommand = "npx"\nargs = "x"\n`, 'mcp_servers.github.args: must be array (got "x")'],
    ["a non-boolean enabled", `[mcp_servers.x]\ncommand = "a"\nenabled = "yes"\n`, 'mcp_servers.x.enabled: must be boolean (got "yes")'],
    ["a server that is not a table", `[mcp_servers]\nx = 1\n`, "mcp_servers.x: must be object (got 1)"],
    ["neither command nor url", `[mcp_servers.x]\nargs = ["a"]\n`, "mcp_servers.x: needs either command (a local server) or url (a remote server)"],
    [
      "both command and url",
      `[mcp_servers.x]\ncommand = "a"\nurl = "https://a.example"\n`,
      "mcp_servers.x: has both command and url; a server is either local (command) or remote (url)",
    ],
    [
      "a name with a space",
      `[mcp_servers."bad name"]\ncommand = "a"\n`,
      'mcp_servers: server name "bad name" is not a safe identifier (letters, digits, _ and -, starting with a letter or digit)',
    ],
    [
      "a name starting with a dash",
      `[mcp_servers.-x]\ncommand = "a"\n`,
      'mcp_servers: server name "-x" is not a safe identifier (letters, digits, _ and -, starting with a letter or digit)',
    ],
    [
      "a name with shell metacharacters",
      `[mcp_servers."x;rm"]\ncommand = "a"\n`,
      'mcp_servers: server name "x;rm" is not a safe identifier (letters, digits, _ and -, starting with a letter or digit)',
    ],
    [
      "a malformed reference",
      `[mcp_servers.x]\ncommand = "a"\nenv = { A = "\${bad" }\n`,
      'mcp_servers.x.env.A: malformed variable reference; write ${NAME} with NAME made of letters, digits and _ (got "${bad")',
    ],
    [
      "a reference with a default (not supported by every agent)",
      `[mcp_servers.x]\ncommand = "a"\nenv = { A = "\${A:-x}" }\n`,
      'mcp_servers.x.env.A: malformed variable reference; write ${NAME} with NAME made of letters, digits and _ (got "${A:-x}")',
    ],
    ["a bad env name", `[mcp_servers.x]\ncommand = "a"\nenv = { "A-B" = "x" }\n`, 'mcp_servers.x.env: "A-B" is not a valid environment variable name'],
    ["a bad header name", `[mcp_servers.x]\nurl = "https://a.example"\nheaders = { "X Y" = "x" }\n`, 'mcp_servers.x.headers: "X Y" is not a valid header name'],
    ["headers on a local server", `[mcp_servers.x]\ncommand = "a"\nheaders = { A = "b" }\n`, "mcp_servers.x.headers: only allowed on remote servers (url)"],
    ["env on a remote server", `[mcp_servers.x]\nurl = "https://a.example"\nenv = { A = "b" }\n`, "mcp_servers.x.env: only allowed on local servers (command)"],
    ["type stdio with a url", `[mcp_servers.x]\nurl = "https://a.example"\ntype = "stdio"\n`, 'mcp_servers.x.type: must be "http" or "sse" for a server with url (got "stdio")'],
    ["type http with a command", `[mcp_servers.x]\ncommand = "a"\ntype = "http"\n`, 'mcp_servers.x.type: must be "stdio" for a server with command (got "http")'],
    ["an unknown agent", `[mcp_servers.x]\ncommand = "a"\nagents = ["cursor"]\n`, `mcp_servers.x.agents[0]: must be one of ${AGENT_IDS.join(", ")}, vscode (got "cursor")`],
    ["a url that is not http(s)", `[mcp_servers.x]\nurl = "ftp://a.example"\n`, 'mcp_servers.x.url: must start with http:// or https:// (got "ftp://a.example")'],
    ["an empty command", `[mcp_servers.x]\ncommand = ""\n`, 'mcp_servers.x.command: must NOT have fewer than 1 characters (got "")'],
  ])("reports %s with the path to the value and what is expected", (_what, text, problem) => {
    const error = errorFor(text);
    expect(error.problems).toEqual([problem]);
    expect(error.message).toBe(`.devcontainer/mcp.toml: ${problem}`);
  });

  it("reports every problem at once, one line each", () => {
    const error = errorFor(`[mcp_servers.a]\nargs = "x"\n[mcp_servers.b]\ncommand = "b"\nextra = 1\n`);
    expect(error.problems).toEqual([
      "mcp_servers.a: needs either command (a local server) or url (a remote server)",
      'mcp_servers.a.args: must be array (got "x")',
      'mcp_servers.b: unknown field "extra"',
    ]);
    expect(error.message.split("\n")).toHaveLength(3);
  });
});
