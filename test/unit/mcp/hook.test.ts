import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { bundleAgentMcp } from "../../../scripts/generate-features.js";
import { renderMcpConfigs, type McpHookSetup } from "../../../src/hooks/mcp-render.js";
import { listFiles, tempDir } from "../../support/temp-dir.js";

const SOURCE = `
[mcp_servers.secret]
command = "node"
args = ["server.js"]
env = { API_TOKEN = "\${API_TOKEN}" }

[mcp_servers.docs]
url = "https://mcp.example.com/mcp"
`;

/**
 * The hooks folder as the Features install it: claude's and codex's MCP modules, bundled as their Features
 * ship them (esbuild, CommonJS), gemini's too (its CLI is never on PATH here), and the mcp Feature's own
 * folder, which holds no module.
 */
let modules: string;
beforeAll(async () => {
  modules = mkdtempSync(join(tmpdir(), "mcp-modules-"));
  for (const id of ["claude", "codex", "gemini"]) {
    mkdirSync(join(modules, id));
    writeFileSync(join(modules, id, "mcp.js"), await bundleAgentMcp(id));
  }
  mkdirSync(join(modules, "mcp"));
  writeFileSync(join(modules, "mcp", "hook.js"), 'throw new Error("the mcp hook must not load its own bundle");\n');
}, 30_000);
afterAll(() => rmSync(modules, { recursive: true, force: true }));

interface Bed {
  root: string;
  setup: McpHookSetup;
  /** Config files of the fake agents, by id. */
  files: { claude: string; codex: string };
}

/** A workspace with a source (null: none), fake claude and codex CLIs on PATH, their relocated config dirs, a secrets file. */
function bed(onTestFinished: Parameters<typeof tempDir>[0], source: string | null = SOURCE): Bed {
  const root = tempDir(onTestFinished);
  const workspace = join(root, "workspace");
  mkdirSync(join(workspace, ".devcontainer"), { recursive: true });
  if (source !== null) writeFileSync(join(workspace, ".devcontainer", "mcp.toml"), source);
  mkdirSync(join(root, "bin"));
  for (const binary of ["claude", "codex"]) {
    writeFileSync(join(root, "bin", binary), "#!/bin/sh\n");
    chmodSync(join(root, "bin", binary), 0o755);
  }
  writeFileSync(join(root, "secrets.env"), "API_TOKEN=s3cr3t-value\n");
  return {
    root,
    setup: {
      workspace,
      env: { PATH: join(root, "bin"), CLAUDE_CONFIG_DIR: join(root, "claude"), CODEX_HOME: join(root, "codex") },
      optionsFile: join(root, "options.env"),
      sourceEnv: "AGENT_DC_MCP_SOURCE",
      secretsFile: join(root, "secrets.env"),
      launchSpecFile: join(root, "state", "servers.json"),
      launcher: "/opt/mcp/run-server",
      agentsRoot: modules,
    },
    files: { claude: join(root, "claude", ".claude.json"), codex: join(root, "codex", "config.toml") },
  };
}

let stdout: string[];
let stderr: string[];
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
});
afterEach(() => vi.restoreAllMocks());

function snapshot(paths: string[]): (string | undefined)[] {
  return paths.map((path) => (existsSync(path) ? `${statSync(path).mtimeMs}:${readFileSync(path, "utf8")}` : undefined));
}

describe("renderMcpConfigs", () => {
  it("renders every agent found on PATH into its relocated config, private, keeping other settings", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished);
    mkdirSync(join(setup.env.CODEX_HOME!), { recursive: true });
    writeFileSync(files.codex, 'model = "o3"\n');

    expect(renderMcpConfigs("mcp post-create", setup)).toBe(0);

    const claude = JSON.parse(readFileSync(files.claude, "utf8")) as { mcpServers: Record<string, { command?: string; args?: string[] }> };
    expect(claude.mcpServers.secret).toEqual({ type: "stdio", command: "/opt/mcp/run-server", args: ["secret", "--", "node", "server.js"] });
    expect(Object.keys(claude.mcpServers)).toEqual(["secret", "docs"]);
    expect(parse(readFileSync(files.codex, "utf8"))).toMatchObject({ model: "o3", mcp_servers: { secret: {}, docs: {} } });
    expect(JSON.parse(readFileSync(setup.launchSpecFile, "utf8"))).toEqual({ servers: { secret: { env: { API_TOKEN: "${API_TOKEN}" } } } });
    for (const path of [files.claude, files.codex, setup.launchSpecFile]) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, "utf8")).not.toContain("s3cr3t-value");
    }
    expect(statSync(join(setup.env.CLAUDE_CONFIG_DIR!)).mode & 0o777).toBe(0o700);
    expect(stdout.join("")).toContain("mcp: 2 servers from");
    expect(stdout.join("")).toContain("→ claude, codex; 1 through /opt/mcp/run-server; 1 variable in the secrets file");
    expect(stderr).toEqual([]);
  });

  it("re-renders idempotently: the same bytes, and a setting written in between survives", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished);
    renderMcpConfigs("mcp post-create", setup);
    const first = readFileSync(files.codex, "utf8");
    writeFileSync(files.claude, readFileSync(files.claude, "utf8").replace("{", '{\n  "numStartups": 7,'));

    expect(renderMcpConfigs("mcp post-start", setup)).toBe(0);

    expect(readFileSync(files.codex, "utf8")).toBe(first);
    expect(JSON.parse(readFileSync(files.claude, "utf8"))).toMatchObject({ numStartups: 7, mcpServers: { secret: {} } });
  });

  it("logs each unset variable and what an agent cannot express as warnings, and still renders", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished, `${SOURCE}\n[mcp_servers.events]\nurl = "https://mcp.example.com/sse"\ntype = "sse"\n`);
    writeFileSync(setup.secretsFile, "OTHER=1\nnot a line\n");

    expect(renderMcpConfigs("mcp post-create", setup)).toBe(0);

    const log = stdout.join("");
    expect(log).toContain(`mcp: warning: secrets file ${setup.secretsFile} line 2: expected KEY=value (line ignored)`);
    expect(log).toContain("mcp: warning: mcp_servers.secret.env.API_TOKEN: ${API_TOKEN} is set neither in the MCP secrets file");
    expect(log).toContain("mcp: warning: codex: mcp_servers.events.type: codex supports only streamable HTTP");
    expect(existsSync(files.claude)).toBe(true);
  });

  it("says there is nothing to do without a source, and writes nothing", ({ onTestFinished }) => {
    const { root, setup } = bed(onTestFinished, null);
    const before = listFiles(root);

    expect(renderMcpConfigs("mcp post-start", setup)).toBe(0);

    expect(stdout.join("")).toBe(`[agent-devcontainer] mcp: no MCP source (${setup.workspace}/.devcontainer/mcp.toml); nothing to render\n`);
    expect(listFiles(root)).toEqual(before);
  });

  it("fails a bad source naming the step, file, line and column, and leaves existing configs as they were", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished);
    renderMcpConfigs("mcp post-create", setup);
    const paths = [files.claude, files.codex, setup.launchSpecFile];
    const before = snapshot(paths);
    const source = join(setup.workspace, ".devcontainer", "mcp.toml");
    writeFileSync(source, '[mcp_servers.ok]\ncommand = "x"\n\n[mcp_servers.bad\n');

    expect(renderMcpConfigs("mcp post-start", setup)).toBe(1);

    expect(stderr.join("")).toMatch(new RegExp(`^\\[agent-devcontainer\\] mcp post-start: step "parse" failed: ${source}:4:\\d+: `));
    expect(snapshot(paths)).toEqual(before);
  });

  it("fails on an agent config it cannot read, naming it, and writes no file at all", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished);
    mkdirSync(setup.env.CODEX_HOME!, { recursive: true });
    writeFileSync(files.codex, "model = \n");

    expect(renderMcpConfigs("mcp post-create", setup)).toBe(1);

    expect(stderr.join("")).toContain(`step "render" failed: ${files.codex}: existing config.toml is not valid TOML`);
    expect(existsSync(files.claude)).toBe(false);
    expect(existsSync(setup.launchSpecFile)).toBe(false);
    expect(readFileSync(files.codex, "utf8")).toBe("model = \n");
  });

  it("takes the source from the Feature's options, relative to the workspace, and the environment over both", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished, null);
    mkdirSync(join(setup.workspace, "tools"));
    writeFileSync(join(setup.workspace, "tools", "mcp.toml"), '[mcp_servers.from_options]\ncommand = "a"\n');
    writeFileSync(join(setup.workspace, "env.toml"), '[mcp_servers.from_env]\ncommand = "b"\n');
    writeFileSync(setup.optionsFile, "source=tools/mcp.toml\n");

    renderMcpConfigs("mcp post-start", setup);
    const fromOptions = Object.keys((JSON.parse(readFileSync(files.claude, "utf8")) as { mcpServers: object }).mcpServers);
    renderMcpConfigs("mcp post-start", { ...setup, env: { ...setup.env, AGENT_DC_MCP_SOURCE: "env.toml" } });
    const fromEnv = Object.keys((JSON.parse(readFileSync(files.claude, "utf8")) as { mcpServers: object }).mcpServers);

    expect([fromOptions, fromEnv]).toEqual([["from_options"], ["from_env"]]);
  });

  it("reads a root config.toml with [mcp_servers] when the default source is absent, ignoring its other settings", ({ onTestFinished }) => {
    const { setup, files } = bed(onTestFinished, null);
    writeFileSync(join(setup.workspace, "config.toml"), 'model = "o3"\n[mcp_servers.legacy]\ncommand = "x"\n');

    expect(renderMcpConfigs("mcp post-create", setup)).toBe(0);

    expect(parse(readFileSync(files.codex, "utf8"))).toEqual({ mcp_servers: { legacy: { command: "x" } } });
  });

  it("refuses an agent module of another contract, naming it, and writes nothing", ({ onTestFinished }) => {
    const { root, setup } = bed(onTestFinished);
    const other = join(root, "hooks");
    mkdirSync(join(other, "claude"), { recursive: true });
    writeFileSync(join(other, "claude", "mcp.js"), 'exports.mcp = { contract: 2, id: "claude", binary: "claude" };\n');

    expect(renderMcpConfigs("mcp post-create", { ...setup, agentsRoot: other })).toBe(1);

    expect(stderr.join("")).toContain(`step "agents" failed: ${join(other, "claude", "mcp.js")} speaks contract 2; this mcp Feature needs contract 1`);
    expect(existsSync(setup.launchSpecFile)).toBe(false);
  });

  it("writes only the launch spec (for VS Code) when no agent CLI is on PATH", ({ onTestFinished }) => {
    const { root, setup } = bed(onTestFinished);

    expect(renderMcpConfigs("mcp post-create", { ...setup, env: { PATH: join(root, "nowhere") } })).toBe(0);

    expect(stdout.join("")).toContain("→ no installed agent on PATH;");
    expect(listFiles(root).filter((path) => path.endsWith(".json") || path.endsWith("config.toml"))).toEqual(["state/servers.json"]);
  });
});
