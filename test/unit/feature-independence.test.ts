/**
 * Features version on their own: a change to one agent's module changes that agent's Feature and no other,
 * and the version check names it. Each run renders every Feature for real (esbuild bundles included) with
 * agents changed twice over: in memory, as every renderer of this process sees them (the module mocked),
 * and in the source text the bundler reads (an esbuild plugin). A Feature that embedded any part of
 * another agent, through a renderer or a bundle, would change with it and fail here.
 */
import { readFileSync } from "node:fs";
import type { Plugin } from "esbuild";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { contentHash, renderVersionRecord } from "../../scripts/feature-versions.js";
import { renderFeatures } from "../../scripts/generate-features.js";
import { AGENT_IDS, agent, type AgentId, type AgentRecord } from "../../src/catalogue/agents.js";
import type { Tree } from "../../src/core/tree.js";
import { packagePath } from "../../src/paths.js";

const FEATURE_IDS = [...AGENT_IDS, "mcp", "workspace"].sort();

/** One agent's change: the record as renderers get it, and the same change to its module's text. */
interface Change {
  id: AgentId;
  record(original: AgentRecord): AgentRecord;
  text(original: string): string;
}

/** A new title (every agent has one), and for codex also the file its MCP servers go to. */
function change(id: AgentId): Change {
  const title = agent(id).title;
  const mcpFile = id === "codex" ? { from: 'file: "config.toml"', to: 'file: "mcp-changed.toml"' } : undefined;
  return {
    id,
    record: (original) => ({ ...original, title: `${title} changed`, ...(mcpFile ? { mcp: { ...original.mcp, file: "mcp-changed.toml" } } : {}) }),
    text: (original) => {
      let text = original.replace(`  title: "${title}",`, `  title: "${title} changed",`);
      if (mcpFile) text = text.replace(mcpFile.from, mcpFile.to);
      return text;
    },
  };
}

/** Serves each changed module's text to esbuild, after checking that the change took. */
function patched(changes: readonly Change[]): Plugin {
  const byPath = new Map(changes.map((c) => [packagePath("src", "agents", `${c.id}.ts`), c]));
  return {
    name: "changed-agents",
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/]agents[\\/][a-z-]+\.ts$/ }, (args) => {
        const c = byPath.get(args.path);
        if (!c) return undefined;
        const original = readFileSync(args.path, "utf8");
        const contents = c.text(original);
        if (contents === original) throw new Error(`the change to ${args.path} did not apply`);
        return { contents, loader: "ts" };
      });
    },
  };
}

/** Every Feature rendered with `changes` applied to the agents' modules, in this process and in the bundles. */
async function renderChanged(changes: readonly Change[]): Promise<Tree> {
  vi.resetModules();
  for (const c of changes) {
    const path = `../../src/agents/${c.id}.ts`;
    vi.doMock(path, async (importOriginal) => {
      const module = await importOriginal<Record<string, AgentRecord>>();
      return { ...module, [c.id]: c.record(module[c.id]!) };
    });
  }
  try {
    const fresh = (await import("../../scripts/generate-features.js")) as typeof import("../../scripts/generate-features.js");
    return await fresh.renderFeatures([patched(changes)]);
  } finally {
    for (const c of changes) vi.doUnmock(`../../src/agents/${c.id}.ts`);
    vi.resetModules();
  }
}

const hashes = (tree: Tree) => Object.fromEntries(FEATURE_IDS.map((id) => [id, contentHash(tree, id)]));
const changedFeatures = (before: Tree, after: Tree) => FEATURE_IDS.filter((id) => hashes(before)[id] !== hashes(after)[id]);

describe("one agent's change, one Feature's", () => {
  let before: Tree;
  beforeAll(async () => {
    before = await renderFeatures();
  }, 60_000);

  it("changes codex's Feature only, and fails the version check naming it until its version is bumped", async () => {
    const after = await renderChanged([change("codex")]);

    expect(changedFeatures(before, after)).toEqual(["codex"]);
    // The change reached both what the process renders and what esbuild bundles.
    expect(after.get("features/src/codex/devcontainer-feature.json")!.content).toContain('"name": "Codex CLI changed"');
    expect(after.get("features/src/codex/hooks/mcp.js")!.content).toContain("mcp-changed.toml");
    const recorded = JSON.parse(renderVersionRecord(before, {}).tree.get("features/versions.json")!.content) as Parameters<typeof renderVersionRecord>[1];
    expect(renderVersionRecord(after, recorded).problems).toEqual([
      `features/src/codex changed since version ${agent("codex").featureVersion} was recorded: bump its version (\`featureVersion\` in src/agents/codex.ts)`,
    ]);
  }, 60_000);

  it("leaves the mcp and workspace Features as they are when every agent changes", async () => {
    const after = await renderChanged(AGENT_IDS.map(change));

    expect(changedFeatures(before, after)).toEqual([...AGENT_IDS].sort());
  }, 60_000);
});
