/**
 * Features version on their own: the record of content hashes per version catches a change without a bump,
 * and one agent's facts reach that agent's Feature only (its hook bundle carries its own record, not the registry).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderVersionRecord, VERSIONS_FILE } from "../../scripts/feature-versions.js";
import { allAgents } from "../../src/catalogue/agents.js";
import { packagePath } from "../../src/paths.js";
import type { Tree } from "../../src/core/tree.js";

const VERSION = "2.1.0";
const feature = (id: string, install: string): Tree =>
  new Map([
    [`features/src/${id}/devcontainer-feature.json`, { content: JSON.stringify({ id, version: VERSION }) }],
    [`features/src/${id}/install.sh`, { content: install }],
  ]);

describe("the Feature version record", () => {
  it("records a new version's hash and keeps the ones before it", () => {
    const { tree, problems } = renderVersionRecord(feature("claude", "echo one"), { claude: { "0.9.0": "sha256:old" } });
    expect(problems).toEqual([]);
    const record = JSON.parse(tree.get(VERSIONS_FILE)!.content) as Record<string, Record<string, string>>;
    expect(Object.keys(record.claude!)).toEqual(["0.9.0", VERSION]);
    expect(record.claude![VERSION]).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("fails, naming the Feature and the file to bump, when content changes under a recorded version", () => {
    const first = JSON.parse(renderVersionRecord(feature("codex", "echo one"), {}).tree.get(VERSIONS_FILE)!.content) as Record<string, Record<string, string>>;
    expect(renderVersionRecord(feature("codex", "echo one"), first).problems).toEqual([]);
    expect(renderVersionRecord(feature("codex", "echo two"), first).problems).toEqual([
      `features/src/codex changed since version ${VERSION} was recorded: bump its version (\`featureVersion\` in src/agents/codex.ts)`,
    ]);
  });

  it("holds a hash for every committed Feature at its current version", () => {
    const record = JSON.parse(readFileSync(packagePath(VERSIONS_FILE), "utf8")) as Record<string, Record<string, string>>;
    for (const id of readdirSync(packagePath("features", "src"))) {
      const { version } = JSON.parse(readFileSync(packagePath("features", "src", id, "devcontainer-feature.json"), "utf8")) as { version: string };
      expect(record[id]?.[version], id).toMatch(/^sha256:/);
    }
  });
});

describe("one agent, one Feature", () => {
  it("exports each agent module's record under its id (its Feature's hook bundle imports it by that name)", async () => {
    for (const record of allAgents()) {
      const module = (await import(`../../src/agents/${record.id}.ts`)) as Record<string, unknown>;
      expect(module[record.id]).toBe(record);
    }
  });

  it("puts an agent's package and config variable in its own Feature only", () => {
    for (const record of allAgents()) {
      for (const other of allAgents().filter((o) => o.id !== record.id)) {
        const dir = packagePath("features", "src", other.id);
        for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /\.(js|sh|json|md)$/.test(f))) {
          const text = readFileSync(join(dir, file), "utf8");
          expect(text.includes(`"${record.npmPackage}"`), `${record.npmPackage} in features/src/${other.id}/${file}`).toBe(false);
        }
      }
    }
  });
});
