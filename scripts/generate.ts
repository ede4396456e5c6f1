/**
 * Regenerates every committed artifact (generated types, Features, hook bundles) from the TypeScript sources.
 * `--check` writes nothing and fails when a committed file differs: CI's drift check.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { renderDistribution } from "./generate-distribution.js";
import { renderEgressAssets } from "./generate-egress.js";
import { renderFeatures } from "./generate-features.js";
import { renderVersionRecord, VERSIONS_FILE } from "./feature-versions.js";
import { renderHostScripts } from "./generate-host-scripts.js";
import { renderAgentsDoc } from "./generate-agents-doc.js";
import { agentSchemas, renderSchemas } from "./generate-schemas.js";
import { renderSchemaTypes } from "./generate-types.js";
import { mergeTrees, type Tree } from "../src/core/tree.js";
import { writeFileAtomic } from "../src/write/atomic.js";
import { PACKAGE_ROOT } from "../src/paths.js";

/** Folders owned entirely by the generator: a file there that it no longer renders is stale. */
const OWNED_DIRS = ["src/generated", "features", "images", "templates", ".github/workflows", "egress"];

async function renderAll(): Promise<{ tree: Tree; problems: string[] }> {
  const features = await renderFeatures();
  const committed = join(PACKAGE_ROOT, VERSIONS_FILE);
  const versions = renderVersionRecord(features, existsSync(committed) ? (JSON.parse(readFileSync(committed, "utf8")) as Parameters<typeof renderVersionRecord>[1]) : {});
  const schemas = agentSchemas();
  const tree = mergeTrees(
    renderSchemas(schemas),
    await renderSchemaTypes(schemas),
    renderAgentsDoc(),
    renderHostScripts(),
    features,
    versions.tree,
    renderDistribution(features),
    await renderEgressAssets(),
  );
  return { tree, problems: versions.problems };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile());
}

async function main(check: boolean): Promise<number> {
  const { tree, problems } = await renderAll();
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    return 1;
  }
  const drift: string[] = [];
  for (const [path, file] of tree) {
    const absolute = join(PACKAGE_ROOT, path);
    const current = existsSync(absolute) ? readFileSync(absolute, "utf8") : undefined;
    const mode = file.mode ?? 0o644;
    const modeDiffers = current !== undefined && (statSync(absolute).mode & 0o777) !== mode;
    if (current === file.content && !modeDiffers) continue;
    drift.push(current === undefined ? `missing  ${path}` : `changed  ${path}`);
    if (!check) writeFileAtomic(absolute, file.content, mode);
  }
  for (const dir of OWNED_DIRS) {
    for (const absolute of listFiles(join(PACKAGE_ROOT, dir))) {
      const path = relative(PACKAGE_ROOT, absolute);
      if (tree.has(path)) continue;
      drift.push(`stale    ${path}`);
      if (!check) rmSync(absolute);
    }
  }
  if (check && drift.length > 0) {
    console.error(`Generated files are out of date; run \`npm run generate\` and commit:\n  ${drift.join("\n  ")}`);
    return 1;
  }
  console.error(drift.length === 0 ? "generated files up to date" : `regenerated:\n  ${drift.join("\n  ")}`);
  // The generator imports some of its own output (src/generated/host-scripts.ts, bundled into hooks and copied
  // into Templates). Those were loaded before this pass rewrote them: one more pass, in a fresh process, renders
  // from the new ones, so a single `npm run generate` leaves no drift.
  if (!check && !process.env[SECOND_PASS] && drift.some((line) => line.includes("src/generated/"))) {
    const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit", env: { ...process.env, [SECOND_PASS]: "1" } });
    return again.status ?? 1;
  }
  return 0;
}

const SECOND_PASS = "AGENT_DC_GENERATE_SECOND_PASS";

process.exitCode = await main(process.argv.includes("--check"));
