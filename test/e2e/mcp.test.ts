/**
 * MCP end to end, with the real agent CLIs: one container holding every agent (the prebuilt `agents` image, the
 * run's image tests build it too), composed from the scaffolded configs, renders one source into each agent's own config. A local server that refuses to
 * start without the exact secret from the host's secrets file, and a remote server, must show up in
 * every agent's `mcp list`, and the secret must never land on disk or in `docker inspect`.
 */
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AGENT_IDS, allAgents } from "../../src/catalogue/agents.js";
import { LAUNCHER_PATH, SECRETS_STAGING_PATH } from "../../src/mcp/container.js";
import { mcpConfigPath } from "../../src/mcp/apply.js";
import { packagePath } from "../../src/paths.js";
import { exec, execOk, inspect, remove, up, type Container } from "../support/devcontainer.js";
import { docker } from "../support/docker.js";
import { parseJsonc } from "../support/official-schemas.js";
import { buildAllImages, ref } from "../support/images.js";
import { cli, fixtureRepo, testBedFlags } from "../support/scaffold.js";
import { AGENTS_IMAGE_NAME } from "../../src/images/refs.js";

const REPO = "mcp-repo";
const WORKSPACE = `/workspaces/${REPO}`;
const SERVER_JS = `${WORKSPACE}/secret-server.cjs`;
const REMOTE_URL = "http://127.0.0.1:9/mcp";
const HOOK = "/usr/local/share/agent-devcontainer/mcp/hook";
/** A fresh dummy value per run, so a hit anywhere can only come from this test. */
const SECRET = `dummy-mcp-secret-${randomBytes(12).toString("hex")}`;
const OTHER_SECRET = `other-project-secret-${randomBytes(12).toString("hex")}`;
const SECRET_SHA = createHash("sha256").update(SECRET).digest("hex");

const SOURCE = `# written by test/e2e/mcp.test.ts
[mcp_servers.secret-echo]
command = "node"
args = ["${SERVER_JS}", "${SECRET_SHA}"]
env = { DEMO_API_TOKEN = "\${DEMO_API_TOKEN}" }

[mcp_servers.remote-docs]
url = "${REMOTE_URL}"
headers = { Authorization = "Bearer \${DOCS_TOKEN}" }
`;

/** The scaffolded (`--prebuilt`) per-agent config, on the image that holds every agent: the same parts, one container. */
function composeAllAgents(repo: string): string {
  const config = parseJsonc(readFileSync(join(repo, `.devcontainer/${AGENT_IDS[0]}/devcontainer.json`), "utf8")) as Record<string, unknown>;
  const path = join(repo, ".devcontainer/all/devcontainer.json");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ ...config, name: "all agents", image: ref(AGENTS_IMAGE_NAME) }, null, 2));
  return path;
}

describe.skipIf(!inject("docker"))("MCP in one container with every agent", () => {
  let repo: string;
  let hostDir: string;
  let secretsFile: string;
  let container: Container;
  const agentFiles = AGENT_IDS.map(mcpConfigPath);

  const run = (command: string[], remoteEnv: Record<string, string> = {}) => exec(container, command, { remoteEnv, timeoutMs: 120_000 });
  /** docker exec as a given user; root here holds no capabilities (the container user is not root), so it cannot read the agent's private files. */
  const as = (user: string, ...command: string[]) => docker("exec", "-u", user, container.id, ...command);
  const asAgent = (...command: string[]) => as(container.up.remoteUser, ...command);
  const fileHashes = () => asAgent("sha256sum", ...agentFiles);

  /** Files under `roots` holding `text`, and those `user` may not read. */
  function scan(user: string, text: string, roots: string[]): { hits: string[]; denied: string[] } {
    const lines = as(user, "sh", "-c", 'grep -rlF -- "$0" "$@" 2>&1; true', text, ...roots).split("\n").filter(Boolean);
    return {
      hits: lines.filter((line) => !line.startsWith("grep: ")),
      denied: lines.flatMap((line) => /^grep: (.*): Permission denied$/.exec(line)?.[1] ?? []),
    };
  }

  beforeAll(async () => {
    repo = fixtureRepo(REPO);
    hostDir = mkdtempSync(join(tmpdir(), "agent-dc-mcp-host-"));
    // Missing on purpose: the config must create it before Docker bind-mounts it.
    secretsFile = join(hostDir, "config", "agent-devcontainer", "mcp-secrets.env");
    copyFileSync(packagePath("test", "fixtures", "mcp", "secret-server.cjs"), join(repo, "secret-server.cjs"));
    mkdirSync(join(repo, ".devcontainer"));
    writeFileSync(join(repo, ".devcontainer", "mcp.toml"), SOURCE);
    await buildAllImages(inject("nodeMirror"));
    cli([repo, "--yes", "--prebuilt", ...testBedFlags(), "--workspace", "bind", "--mcp-secrets", secretsFile]);
    container = await up(repo, composeAllAgents(repo));
  });

  afterAll(() => {
    if (container) remove(container);
    if (repo) rmSync(dirname(repo), { recursive: true, force: true });
    if (hostDir) rmSync(hostDir, { recursive: true, force: true });
  });

  it("kept the user's source, and gave VS Code its servers through the launcher", () => {
    expect(readFileSync(join(repo, ".devcontainer", "mcp.toml"), "utf8")).toBe(SOURCE);
    const config = parseJsonc(readFileSync(join(repo, ".devcontainer/claude/devcontainer.json"), "utf8")) as {
      customizations: { vscode: { mcp: { servers: Record<string, { command?: string; args?: string[]; url?: string }> } } };
    };
    expect(config.customizations.vscode.mcp.servers).toMatchObject({
      "secret-echo": { command: LAUNCHER_PATH, args: ["secret-echo", "--", "node", SERVER_JS, SECRET_SHA] },
      "remote-docs": { url: REMOTE_URL },
    });
  });

  it("created the missing host secrets file empty and private, and mounted a filtered copy read-only", async () => {
    expect(readFileSync(secretsFile, "utf8")).toBe("");
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(secretsFile)).mode & 0o777).toBe(0o700);
    const mounts = inspect(container).Mounts as { Source: string; Destination: string; RW: boolean }[];
    const staged = mounts.find((mount) => mount.Destination === SECRETS_STAGING_PATH);
    expect(staged).toMatchObject({ RW: false, Source: expect.stringMatching(/\/create-agent-devcontainer\/containers\/[a-z0-9]+\/mcp-secrets\.env$/) });
    expect(staged!.Source).not.toBe(secretsFile);
    expect((await run(["sh", "-c", `: >> ${SECRETS_STAGING_PATH}`])).code).not.toBe(0);
  });

  it("rendered at create, warning about the variables nobody has set yet", () => {
    // Every agent, found by the MCP module its own Feature installed (in folder order).
    expect(container.up.log).toMatch(new RegExp(`\\[agent-devcontainer\\] mcp: 2 servers from .*mcp\\.toml → ${[...AGENT_IDS].sort().join(", ")}; 1 through `));
    expect(container.up.log).toContain("mcp: warning: mcp_servers.secret-echo.env.DEMO_API_TOKEN: ${DEMO_API_TOKEN} is set neither");
    expect(container.up.log).toContain("mcp: warning: mcp_servers.remote-docs.headers.Authorization: ${DOCS_TOKEN} is not set");
  });

  it("wrote each agent's config privately, with no secret-bearing env in it", async () => {
    const modes = await execOk(container, ["stat", "-c", "%a %U", ...agentFiles]);
    expect(modes.split("\n")).toEqual(agentFiles.map(() => "600 agent"));
    for (const path of agentFiles) expect(asAgent("cat", path)).not.toContain("DEMO_API_TOKEN");
  });

  it("claude reports the local server Connected once, and only once, the secrets file holds the secret", async () => {
    // Claude Code (2.1.337 on) health-checks a user-scope stdio server only in a folder the user trusts: as its
    // trust prompt does once accepted, mark the workspace trusted (gemini's check below trusts it by variable).
    const trust = `const fs = require("fs"); const f = process.env.CLAUDE_CONFIG_DIR + "/.claude.json"; const j = JSON.parse(fs.readFileSync(f, "utf8"));
      j.projects = { ...j.projects, ${JSON.stringify(WORKSPACE)}: { ...j.projects?.[${JSON.stringify(WORKSPACE)}], hasTrustDialogAccepted: true } }; fs.writeFileSync(f, JSON.stringify(j, null, 2));`;
    await execOk(container, ["node", "-e", trust]);
    const before = await execOk(container, ["claude", "mcp", "list"]);
    expect(before).toMatch(/secret-echo: .* - ✘ Failed to connect/);

    // On the host, with a secret of another project beside it; then the next `up` (the container is kept)
    // runs the host step again, which gives the container only what its source references.
    writeFileSync(secretsFile, `# dummy value for the e2e test\nDEMO_API_TOKEN=${SECRET}\nOTHER_PROJECT_TOKEN=${OTHER_SECRET}\n`);
    const again = await up(repo, container.config, { idLabel: container.idLabel });
    expect(again.id).toBe(container.id);

    const after = await execOk(container, ["claude", "mcp", "list"]);
    expect(after).toContain(`secret-echo: ${LAUNCHER_PATH} secret-echo -- node ${SERVER_JS} ${SECRET_SHA} - ✔ Connected`);
    expect(after).toContain(`remote-docs: ${REMOTE_URL} (HTTP)`);
    expect(await execOk(container, ["cat", SECRETS_STAGING_PATH])).toBe(`DEMO_API_TOKEN=${SECRET}`);
    expect(scan("root", OTHER_SECRET, ["/run", "/home", "/var/lib/agent-devcontainer", "/tmp", "/workspaces"]).hits).toEqual([]);
  });

  it("codex lists both servers with the launcher command and the bearer token variable", async () => {
    const list = JSON.parse(await execOk(container, ["codex", "mcp", "list", "--json"])) as { name: string; transport: Record<string, unknown> }[];
    const byName = Object.fromEntries(list.map((entry) => [entry.name, entry.transport]));
    expect(byName["secret-echo"]).toMatchObject({ type: "stdio", command: LAUNCHER_PATH, args: ["secret-echo", "--", "node", SERVER_JS, SECRET_SHA] });
    expect(byName["remote-docs"]).toMatchObject({ type: "streamable_http", url: REMOTE_URL, bearer_token_env_var: "DOCS_TOKEN" });
  });

  it("copilot lists both servers with their command and URL", async () => {
    const list = JSON.parse(await execOk(container, ["copilot", "mcp", "list", "--json"])) as { mcpServers: Record<string, object> };
    expect(list.mcpServers["secret-echo"]).toMatchObject({ type: "local", command: LAUNCHER_PATH, args: ["secret-echo", "--", "node", SERVER_JS, SECRET_SHA] });
    expect(list.mcpServers["remote-docs"]).toMatchObject({ type: "http", url: REMOTE_URL, headers: { Authorization: "Bearer ${DOCS_TOKEN}" } });
  });

  it("gemini, in a trusted workspace, lists both and connects the local server despite its *TOKEN* filter", async () => {
    const result = await run(["gemini", "mcp", "list"], { GEMINI_CLI_TRUST_WORKSPACE: "true" });
    const output = result.stdout + result.stderr;
    expect(output).toContain(`secret-echo: ${LAUNCHER_PATH} secret-echo -- node ${SERVER_JS} ${SECRET_SHA} (stdio) - Connected`);
    expect(output).toContain(`remote-docs: ${REMOTE_URL} (http)`);
  });

  // Every agent, the ones with their own checks above included: its own CLI reads the file rendered for it.
  // Outbound traffic goes to a closed loopback proxy (the servers are on loopback, so unaffected); gemini
  // lists servers only in a trusted workspace.
  it.each(allAgents().map((record) => [record.id, record] as const))("%s's own MCP listing shows both servers from its rendered config", async (_id, record) => {
    const closedProxy = "http://127.0.0.1:9";
    const result = await run([record.binary, ...record.mcp.list], {
      HTTPS_PROXY: closedProxy,
      HTTP_PROXY: closedProxy,
      NO_PROXY: "127.0.0.1,localhost",
      GEMINI_CLI_TRUST_WORKSPACE: "true",
    });
    const output = result.stdout + result.stderr;
    expect(output).toContain("secret-echo");
    expect(output).toContain("remote-docs");
  });

  it("leaves the secret in no file under the home, the workspace, the agents' state or /etc, nor in docker inspect", async () => {
    const roots = ["/home", "/root", WORKSPACE, "/var/lib/agent-devcontainer", "/usr/local/share/agent-devcontainer", "/etc", "/tmp"];
    // As the agent (its private files) and as root (root's): no file may be unreadable to both.
    const agentScan = scan(container.up.remoteUser, SECRET, roots);
    const rootScan = scan("root", SECRET, roots);
    expect([...agentScan.hits, ...rootScan.hits]).toEqual([]);
    expect(agentScan.denied.filter((path) => rootScan.denied.includes(path))).toEqual([]);
    expect(agentScan.denied.length + rootScan.denied.length).toBeGreaterThan(0); // proves both scans ran
    expect(JSON.stringify(inspect(container))).not.toContain(SECRET);
    expect(docker("image", "inspect", (inspect(container).Config as { Image: string }).Image)).not.toContain(SECRET);
  });

  it("keeps every agent's other settings when the hook renders again", async () => {
    await execOk(container, [
      "node",
      "-e",
      `const fs = require("fs");
       for (const file of process.argv.slice(1, 4)) {
         const config = JSON.parse(fs.readFileSync(file, "utf8"));
         fs.writeFileSync(file, JSON.stringify({ ...config, e2eKeep: "kept" }, null, 2));
       }
       fs.writeFileSync(process.argv[4], 'model = "e2e-model"\\n' + fs.readFileSync(process.argv[4], "utf8"));`,
      mcpConfigPath("claude"),
      mcpConfigPath("copilot"),
      mcpConfigPath("gemini"),
      mcpConfigPath("codex"),
    ]);

    await execOk(container, [HOOK, "post-start"]);

    for (const id of ["claude", "copilot", "gemini"] as const) {
      const config = JSON.parse(asAgent("cat", mcpConfigPath(id))) as { e2eKeep?: string; mcpServers: object };
      expect([id, config.e2eKeep, Object.keys(config.mcpServers)]).toEqual([id, "kept", ["secret-echo", "remote-docs"]]);
    }
    const codex = asAgent("cat", mcpConfigPath("codex"));
    expect(codex.startsWith('model = "e2e-model"\n')).toBe(true);
    expect(codex).toContain("[mcp_servers.secret-echo]");
    expect(await execOk(container, ["codex", "mcp", "list"])).toContain("secret-echo");
  });

  it("refuses a broken source naming file, line and column, and leaves every agent's config untouched", async () => {
    const before = fileHashes();
    const brokenLine = `${SOURCE}\n`.split("\n").length;
    writeFileSync(join(repo, ".devcontainer", "mcp.toml"), `${SOURCE}\n[mcp_servers.broken\n`);
    try {
      const result = await run([HOOK, "post-start"]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(new RegExp(`step "parse" failed: ${WORKSPACE}/\\.devcontainer/mcp\\.toml:${brokenLine}:\\d+: `));
      expect(fileHashes()).toBe(before);
    } finally {
      writeFileSync(join(repo, ".devcontainer", "mcp.toml"), SOURCE);
    }
  });

  it("picks up an edited source when the container restarts", async () => {
    writeFileSync(join(repo, ".devcontainer", "mcp.toml"), `${SOURCE}\n[mcp_servers.added-later]\ncommand = "true"\n`);
    docker("stop", "-t", "1", container.id);

    const restarted = await up(repo, container.config, { idLabel: container.idLabel });

    expect(restarted.id).toBe(container.id);
    expect(restarted.up.log).toMatch(/\[agent-devcontainer\] mcp: 3 servers from /);
    const list = JSON.parse(await execOk(container, ["codex", "mcp", "list", "--json"])) as { name: string }[];
    expect(list.map((entry) => entry.name).sort()).toEqual(["added-later", "remote-docs", "secret-echo"]);
  });
});
