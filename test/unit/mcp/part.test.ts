import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agent, AGENT_IDS } from "../../../src/catalogue/agents.js";
import type { ScaffoldOptions } from "../../../src/generated/scaffold-options.js";
import { LAUNCHER_PATH, SECRETS_STAGING_PATH } from "../../../src/mcp/container.js";
import { renderAgentConfig } from "../../../src/render/devcontainer-json.js";
import { HOST_SCRIPTS } from "../../../src/generated/host-scripts.js";
import { SCAFFOLD_HOST_DIR } from "../../../src/host/scripts.js";
import { hostPath, mcpPart, mcpStarterTree } from "../../../src/render/parts/mcp.js";
import { featureIdsFor, renderScaffold } from "../../../src/render/scaffold.js";
import { devContainerSchemaErrors } from "../../support/official-schemas.js";
import { tempDir } from "../../support/temp-dir.js";
import { remote, stdio } from "./fixtures.js";

const options: ScaffoldOptions = {
  agents: ["claude", "codex"],
  baseImage: "debian:trixie-slim",
  user: "agent",
  featureSource: "ghcr",
  featureOwner: "Some-Org",
  repoName: "my-repo",
  workspace: "bind",
  mcpSource: ".devcontainer/mcp.toml",
  mcpSecretsFile: "~/.config/agent-devcontainer/mcp-secrets.env",
};
const claude = agent("claude");
const HOST_FILE = "${localEnv:HOME}${localEnv:USERPROFILE}/.config/agent-devcontainer/mcp-secrets.env";

describe("mcpPart", () => {
  it("adds the mcp Feature, the host step that filters the secrets the source references, and their read-only mount", () => {
    expect(mcpPart(claude, options)).toEqual({
      features: { "ghcr.io/some-org/create-agent-devcontainer/mcp:1": {} },
      initializeCommand: { "mcp-secrets": ["/bin/sh", ".devcontainer/host/mcp-secrets.sh", HOST_FILE, ".devcontainer/mcp.toml", SCAFFOLD_HOST_DIR] },
      mounts: [`type=bind,"source=${SCAFFOLD_HOST_DIR}/mcp-secrets.env",target=${SECRETS_STAGING_PATH},readonly`],
    });
  });

  it("for launch, mounts the filtered copy from its state folder and leaves the host step to launch", () => {
    const part = mcpPart(claude, options, { gitDir: "/r/.git", volumeSuffix: "x", inputDir: "/s/x/input", hostDir: "/s/x", loginDir: "/s/auth" });
    expect(part.initializeCommand).toBeUndefined();
    expect(part.mounts).toEqual([`type=bind,source=/s/x/mcp-secrets.env,target=${SECRETS_STAGING_PATH},readonly`]);
  });

  it("passes a non-default source and the Node.js mirror to the Feature, and vendors it with local Features", () => {
    const part = mcpPart(claude, { ...options, featureSource: "local", mcpSource: "tools/mcp.toml", nodeMirror: "http://172.17.0.1:8080" });

    expect(part.features).toEqual({ "../features/mcp": { nodeMirror: "http://172.17.0.1:8080", source: "tools/mcp.toml" } });
  });

  it("relies on the Feature a prebuilt image carries, passing a non-default source through the environment", () => {
    const prebuilt = { ...options, prebuilt: true };

    expect(mcpPart(claude, prebuilt)).not.toHaveProperty("features");
    expect(mcpPart(claude, prebuilt)).not.toHaveProperty("containerEnv");
    expect(mcpPart(claude, prebuilt).mounts).toHaveLength(1);
    expect(mcpPart(claude, { ...prebuilt, mcpSource: "tools/mcp.toml" }).containerEnv).toEqual({ AGENT_DC_MCP_SOURCE: "tools/mcp.toml" });
    expect(featureIdsFor({ ...prebuilt, featureSource: "local" })).not.toContain("mcp");
  });

  it("contributes nothing without an MCP source, and no mount without a secrets file", () => {
    const { mcpSource: _source, ...withoutSource } = options;
    const { mcpSecretsFile: _secrets, ...withoutSecrets } = options;

    expect(mcpPart(claude, withoutSource)).toEqual({});
    expect(mcpPart(claude, withoutSecrets)).toEqual({ features: { "ghcr.io/some-org/create-agent-devcontainer/mcp:1": {} } });
  });

  it("gives VS Code the servers found at scaffold time, secret-needing ones through the launcher", () => {
    const servers = [stdio("secret", { command: "node", args: ["s.js"], env: { T: "${T}" } }), remote("docs", { headers: { A: "${A}" } })];

    expect(mcpPart(claude, options, undefined, { mcpServers: servers }).customizations).toEqual({
      vscode: {
        mcp: {
          servers: {
            secret: { type: "stdio", command: LAUNCHER_PATH, args: ["secret", "--", "node", "s.js"] },
            docs: { type: "http", url: "https://mcp.example.com/mcp", headers: { A: "${env:A}" } },
          },
        },
      },
    });
    expect(mcpPart(claude, options, undefined, { mcpServers: [] })).not.toHaveProperty("customizations");
  });

  it("merges into every agent's config, which stays valid against the official schema", () => {
    for (const id of AGENT_IDS) {
      const config = renderAgentConfig(agent(id), options, undefined, { mcpServers: [stdio("s")] });
      expect(devContainerSchemaErrors(config)).toEqual([]);
      expect(Object.keys(config.features ?? {})).toContain("ghcr.io/some-org/create-agent-devcontainer/mcp:1");
      expect(config.mounts).toContainEqual(expect.stringMatching(/,readonly$/));
    }
  });
});

describe("hostPath", () => {
  it.each([
    ["~", "${localEnv:HOME}${localEnv:USERPROFILE}"],
    ["~/x/y.env", "${localEnv:HOME}${localEnv:USERPROFILE}/x/y.env"],
    ["/etc/agent/mcp.env", "/etc/agent/mcp.env"],
    ["~other/x", "~other/x"],
  ])("%s → %s", (path, expected) => {
    expect(hostPath(path)).toBe(expected);
  });
});

describe("mcp-secrets.sh, run by sh as initializeCommand would", () => {
  const step = (secrets: string, source: string, dir: string) =>
    execFileSync("sh", ["-c", HOST_SCRIPTS["mcp-secrets"], "mcp-secrets.sh", secrets, source, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  it("creates a missing secrets file empty, with mode 0600 in new 0700 folders", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const file = join(root, "new dir", "agent-devcontainer", "mcp-secrets.env");

    step(file, join(root, "none.toml"), join(root, "out"));

    expect(readFileSync(file, "utf8")).toBe("");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, "..")).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(root, "out", "mcp-secrets.env"), "utf8")).toBe("");
  });

  it("copies only the lines of variables the source references, leaves the original alone, and keeps the folder private", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const secrets = join(root, "secrets.env");
    const original = "# my tokens\nGITHUB_TOKEN=ghp_1\nexport SENTRY_TOKEN='s 2'\nOTHER_PROJECT_KEY=never\nGITHUB_TOKEN_2=no\n";
    writeFileSync(secrets, original, { mode: 0o640 });
    writeFileSync(join(root, "mcp.toml"), '[mcp_servers.gh]\ncommand = "x"\nenv = { T = "${GITHUB_TOKEN}", S = "Bearer ${SENTRY_TOKEN}" }\n');

    step(secrets, join(root, "mcp.toml"), join(root, "out"));

    expect(readFileSync(join(root, "out", "mcp-secrets.env"), "utf8")).toBe("GITHUB_TOKEN=ghp_1\nexport SENTRY_TOKEN='s 2'\n");
    expect(statSync(join(root, "out", "mcp-secrets.env")).mode & 0o777).toBe(0o644);
    expect(statSync(join(root, "out")).mode & 0o777).toBe(0o700);
    expect(readFileSync(secrets, "utf8")).toBe(original);
    expect(statSync(secrets).mode & 0o777).toBe(0o640);
  });

  it("takes paths as arguments, so shell metacharacters in them are never run", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    mkdirSync(join(dir, "x"));
    const file = join(dir, "x", "$(touch pwned);`touch pwned2`.env");

    step(file, join(dir, "$(touch pwned3).toml"), join(dir, "out"));

    expect(existsSync(file)).toBe(true);
    expect(existsSync("pwned") || existsSync(join(dir, "pwned")) || existsSync("pwned3")).toBe(false);
  });
});

describe("scaffolding with an MCP source", () => {
  it("writes the starter source once, vendors the mcp Feature, and renders VS Code's servers from the found source", () => {
    const found = { path: ".devcontainer/mcp.toml", servers: [stdio("everything")] };
    const local = { ...options, featureSource: "local" as const };
    const features = new Map(featureIdsFor(local).map((id) => [id, new Map([["install.sh", { content: `# ${id}\n` }]])]));

    const tree = renderScaffold(local, features, { mcpSource: found });

    expect(featureIdsFor(local)).toEqual(["claude", "codex", "mcp"]);
    expect(tree.get(".devcontainer/mcp.toml")).toMatchObject({ once: true });
    expect(tree.has(".devcontainer/features/mcp/install.sh")).toBe(true);
    expect(tree.get(".devcontainer/claude/devcontainer.json")?.content).toContain('"everything"');
  });

  it("does not write a starter that would shadow a root config.toml found in its place", () => {
    expect([...mcpStarterTree(options, "config.toml").keys()]).toEqual([]);
    expect([...mcpStarterTree(options, undefined).keys()]).toEqual([".devcontainer/mcp.toml"]);
    expect([...mcpStarterTree({ ...options, mcpSource: "mcp/servers.toml" }, "mcp/servers.toml").keys()]).toEqual(["mcp/servers.toml"]);
  });
});
