import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { AGENT_IDS } from "../../src/catalogue/agents.js";
import { DEFAULT_FEATURE_SOURCE } from "../../src/cli/feature-source.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_MCP_SECRETS_FILE, DEFAULT_MCP_SOURCE_PATH, DEFAULT_USER } from "../../src/scaffold-defaults.js";
import { DEFAULT_FEATURE_OWNER } from "../../src/features/refs.js";
import type { ScaffoldOptions } from "../../src/generated/scaffold-options.js";
import { renderScaffold } from "../../src/render/scaffold.js";
import type { Tree } from "../../src/core/tree.js";
import { parseJsonc } from "../support/official-schemas.js";

/** What `npx create-agent-devcontainer --yes` renders in a folder named my-repo. */
const cliDefaults: ScaffoldOptions = {
  agents: [...AGENT_IDS],
  baseImage: DEFAULT_BASE_IMAGE,
  user: DEFAULT_USER,
  featureSource: DEFAULT_FEATURE_SOURCE,
  featureOwner: DEFAULT_FEATURE_OWNER,
  repoName: "my-repo",
  mcpSource: DEFAULT_MCP_SOURCE_PATH,
  mcpSecretsFile: DEFAULT_MCP_SECRETS_FILE,
};

/** The same, without MCP and with GHCR Features: the smallest tree, for tests of one concern. */
const defaults: ScaffoldOptions = {
  agents: [...AGENT_IDS],
  baseImage: DEFAULT_BASE_IMAGE,
  user: DEFAULT_USER,
  featureSource: "ghcr",
  featureOwner: DEFAULT_FEATURE_OWNER,
  repoName: "my-repo",
};

/** Stand-ins for the published Feature folders: the renderer only places them, it never looks inside. */
function fakeFeature(id: string): Tree {
  return new Map([
    ["devcontainer-feature.json", { content: `{ "id": "${id}" }\n` }],
    ["install.sh", { content: `#!/bin/sh\necho ${id}\n`, mode: 0o755 }],
    ["hooks/post-create.js", { content: `// ${id}\n` }],
  ]);
}

const fakeFeatures = new Map([...AGENT_IDS, "workspace", "mcp"].map((id) => [id, fakeFeature(id)]));

/** The whole tree as one readable text: every path, its mode and its bytes. */
function dumpTree(tree: Tree): string {
  return [...tree]
    .map(([path, file]) => `===== ${path} (mode ${(file.mode ?? 0o644).toString(8)})\n${file.content}`)
    .join("\n");
}

function featureKeys(tree: Tree, configPath: string): string[] {
  const config = parseJsonc(tree.get(configPath)?.content ?? "null") as { features: Record<string, unknown> };
  return Object.keys(config.features);
}

describe("renderScaffold", () => {
  it("renders the committed tree for the default options", async () => {
    await expect(dumpTree(renderScaffold(cliDefaults, fakeFeatures))).toMatchFileSnapshot("__snapshots__/scaffold-tree.default.txt");
  });

  it("renders one devcontainer.json per agent and the host steps they share, and nothing else with GHCR Features", () => {
    expect([...renderScaffold(defaults, new Map()).keys()]).toEqual([
      ...AGENT_IDS.map((id) => `.devcontainer/${id}/devcontainer.json`),
      ".devcontainer/host/stage-login.sh",
      ".devcontainer/host/workspace.sh",
    ].sort());
  });

  it("renders configs only for the chosen agents", () => {
    const tree = renderScaffold({ ...defaults, agents: ["gemini", "codex"] }, new Map());

    expect([...tree.keys()]).toEqual([".devcontainer/codex/devcontainer.json", ".devcontainer/gemini/devcontainer.json", ".devcontainer/host/stage-login.sh", ".devcontainer/host/workspace.sh"]);
  });

  it("writes every host script a config's initializeCommand runs, and none it does not", () => {
    const tree = renderScaffold(cliDefaults, fakeFeatures);
    const run = new Set<string>();
    for (const id of AGENT_IDS) {
      const config = parseJsonc(tree.get(`.devcontainer/${id}/devcontainer.json`)!.content) as { initializeCommand: Record<string, string[] | string> };
      for (const command of Object.values(config.initializeCommand)) if (Array.isArray(command)) run.add(command[1]!);
    }

    expect([...tree.keys()].filter((path) => path.startsWith(".devcontainer/host/"))).toEqual([...run].sort());
  });

  it("keeps every generated devcontainer.json under 80 lines, with no multi-line string in it", () => {
    const tree = renderScaffold(cliDefaults, fakeFeatures);
    for (const id of AGENT_IDS) {
      const content = tree.get(`.devcontainer/${id}/devcontainer.json`)!.content;
      expect(content.split("\n").length).toBeLessThan(80);
      expect(content).not.toMatch(/\\n/);
    }
  });

  it("vendors nothing with GHCR Features, even when Feature trees are at hand", () => {
    const tree = renderScaffold(defaults, fakeFeatures);

    expect([...tree.keys()].filter((path) => path.startsWith(".devcontainer/features/"))).toEqual([]);
  });

  it("keeps every path relative and under .devcontainer/", () => {
    const local = renderScaffold({ ...defaults, featureSource: "local" }, fakeFeatures);

    for (const path of [...renderScaffold(defaults, new Map()).keys(), ...local.keys()]) {
      expect(path).toMatch(/^\.devcontainer\//);
      expect(posix.normalize(path)).toBe(path);
    }
  });

  it("renders the same tree, in the same order, for the same input", () => {
    const agents = ["gemini", "claude"] as ScaffoldOptions["agents"];
    const first = renderScaffold({ ...defaults, agents, featureSource: "local" }, fakeFeatures);
    const second = renderScaffold({ ...defaults, agents, featureSource: "local" }, fakeFeatures);

    expect(dumpTree(second)).toBe(dumpTree(first));
    expect([...first.keys()]).toEqual([...first.keys()].sort());
  });
});

describe("renderScaffold with local Features", () => {
  const options: ScaffoldOptions = { ...defaults, agents: ["claude", "codex"], featureSource: "local" };

  it("vendors each chosen agent's Feature tree (and the workspace Feature) under .devcontainer/features/<id>/, and no other", () => {
    expect([...renderScaffold(options, fakeFeatures).keys()]).toEqual([
      ".devcontainer/claude/devcontainer.json",
      ".devcontainer/codex/devcontainer.json",
      ".devcontainer/features/claude/devcontainer-feature.json",
      ".devcontainer/features/claude/hooks/post-create.js",
      ".devcontainer/features/claude/install.sh",
      ".devcontainer/features/codex/devcontainer-feature.json",
      ".devcontainer/features/codex/hooks/post-create.js",
      ".devcontainer/features/codex/install.sh",
      ".devcontainer/features/workspace/devcontainer-feature.json",
      ".devcontainer/features/workspace/hooks/post-create.js",
      ".devcontainer/features/workspace/install.sh",
      ".devcontainer/host/stage-login.sh",
      ".devcontainer/host/workspace.sh",
    ]);
  });

  it("copies each vendored file's bytes and mode unchanged", () => {
    const tree = renderScaffold(options, fakeFeatures);

    expect(tree.get(".devcontainer/features/codex/install.sh")).toEqual({ content: "#!/bin/sh\necho codex\n", mode: 0o755 });
    expect(tree.get(".devcontainer/features/claude/devcontainer-feature.json")).toEqual({ content: '{ "id": "claude" }\n' });
  });

  it("points each config's Feature reference at the vendored folder", () => {
    const tree = renderScaffold(options, fakeFeatures);

    for (const id of options.agents) {
      const configPath = `.devcontainer/${id}/devcontainer.json`;
      const [ref] = featureKeys(tree, configPath);
      expect(ref).toBe(`../features/${id}`);
      const folder = posix.join(posix.dirname(configPath), ref ?? "");
      expect(tree.has(`${folder}/devcontainer-feature.json`)).toBe(true);
    }
  });

  it("refuses to render when a chosen agent's Feature tree is missing", () => {
    const onlyClaude = new Map([["claude", fakeFeature("claude")]]);

    expect(() => renderScaffold(options, onlyClaude)).toThrow("no Feature named codex to vendor");
  });
});
