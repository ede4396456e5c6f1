import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.js";
import { runMcp } from "../../../src/cli/mcp-command.js";
import { LAUNCHER_PATH } from "../../../src/mcp/container.js";
import { tempDir } from "../../support/temp-dir.js";

const SOURCE = `[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]
env = { GITHUB_TOKEN = "\${GITHUB_TOKEN}", ALIAS = "\${OTHER}" }

[mcp_servers.docs]
url = "https://mcp.example.com/mcp"
headers = { Authorization = "Bearer \${DOCS_TOKEN}" }

[mcp_servers.events]
url = "https://mcp.example.com/sse"
type = "sse"
`;

/** Runs `mcp …` against a repo holding `source` at .devcontainer/mcp.toml; returns what it printed. */
async function run(root: string, argv: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  await runMcp(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd: root });
  return { stdout, stderr };
}

function repo(onTestFinished: Parameters<typeof tempDir>[0], source = SOURCE): string {
  const root = tempDir(onTestFinished);
  mkdirSync(join(root, ".devcontainer"));
  writeFileSync(join(root, ".devcontainer/mcp.toml"), source);
  return root;
}

async function userError(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe("mcp render", () => {
  it("prints Claude's native JSON on stdout", async ({ onTestFinished }) => {
    const { stdout, stderr } = await run(repo(onTestFinished), ["render", "--agent", "claude"]);
    const config = JSON.parse(stdout) as { mcpServers: Record<string, { type: string }> };
    expect(Object.keys(config.mcpServers)).toEqual(["github", "docs", "events"]);
    expect(config.mcpServers.docs?.type).toBe("http");
    expect(stderr).toBe("");
  });

  it("prints Codex's native TOML as the container writes it, and what Codex cannot express on stderr", async ({ onTestFinished }) => {
    const { stdout, stderr } = await run(repo(onTestFinished), ["render", "--agent", "codex"]);
    expect(parse(stdout)).toEqual({
      mcp_servers: {
        // Its env needs variables (one renamed, which Codex alone could not do): the launcher resolves it.
        github: { command: LAUNCHER_PATH, args: ["github", "--", "npx", "-y", "@modelcontextprotocol/server-github"] },
        docs: { url: "https://mcp.example.com/mcp", bearer_token_env_var: "DOCS_TOKEN" },
      },
    });
    expect(stderr).toMatch(/^warning: mcp_servers\.events\.type: codex supports only streamable HTTP/);
  });

  it("prints config and warnings as one JSON document with --json", async ({ onTestFinished }) => {
    const { stdout, stderr } = await run(repo(onTestFinished), ["render", "--agent", "codex", "--json"]);
    const result = JSON.parse(stdout) as { config: { mcp_servers: object }; warnings: string[] };
    expect(Object.keys(result.config.mcp_servers)).toEqual(["github", "docs"]);
    expect(result.warnings).toHaveLength(1);
    expect(stderr).toBe("");
  });

  it("reads --file relative to --dir", async ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeFileSync(join(root, "servers.toml"), `[mcp_servers.only]\ncommand = "x"\n`);
    const { stdout } = await run(root, ["render", "--agent", "vscode", "--file", "servers.toml"]);
    expect(JSON.parse(stdout)).toEqual({ servers: { only: { type: "stdio", command: "x" } } });
  });

  it.for([
    [["render"], "mcp render needs --agent"],
    [["render", "--agent", "cursor"], 'unknown agent "cursor"'],
    [["publish"], 'unknown mcp command "publish"'],
    [["render", "--agent", "claude", "--bogus"], "unknown flag --bogus"],
  ] as const)("rejects %j with a UserError", async ([argv, message], { onTestFinished }) => {
    const root = repo(onTestFinished);
    expect((await userError(run(root, [...argv]))).message).toContain(message);
  });
});

describe("mcp check", () => {
  it('prints "ok: N servers" and lists what each agent cannot express on stderr', async ({ onTestFinished }) => {
    const { stdout, stderr } = await run(repo(onTestFinished), ["check"]);
    expect(stdout).toBe("ok: 3 servers\n");
    expect(stderr).toContain("warning (codex): mcp_servers.events.type:");
  });

  it("reports every problem in an invalid source with its file, and renders nothing", async ({ onTestFinished }) => {
    const root = repo(onTestFinished, `[mcp_servers.x]\nargs = "a"\n`);
    const error = await userError(run(root, ["check"]));
    const file = join(root, ".devcontainer/mcp.toml");
    expect(error.message).toBe(
      `invalid MCP source:\n${file}: mcp_servers.x: needs either command (a local server) or url (a remote server)\n${file}: mcp_servers.x.args: must be array (got "a")`,
    );
  });

  it("reports bad TOML with file, line and column", async ({ onTestFinished }) => {
    const root = repo(onTestFinished, `[mcp_servers.x]\ncommand = \n`);
    expect((await userError(run(root, ["check"]))).message).toContain(`${join(root, ".devcontainer/mcp.toml")}:2:11: `);
  });

  it("says where it looked when the repository has no MCP source", async ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const error = await userError(run(root, ["check"]));
    expect(error.message).toContain(".devcontainer/mcp.toml");
    expect(error.hint).toBe("create .devcontainer/mcp.toml or pass --file");
  });

  it("reports a --file that does not exist", async ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    expect((await userError(run(root, ["check", "--file", "nope.toml"]))).message).toBe(`cannot read ${join(root, "nope.toml")}: ENOENT`);
  });
});
