/**
 * One Docker adapter (src/engine/docker.ts) is the only code that runs the engine's CLI, so its binary,
 * environment, output limits and errors are decided once. The dashboard's HTTP server answers every page
 * from one event loop: src/ui runs no synchronous child process and calls none of the synchronous engine
 * entry points (a slow `docker stop` or `docker logs` would freeze every open page). Read from the source text.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `spawn("docker", …)`, `execFileSync('docker', …)`, `["docker", "exec", …]`: the engine's CLI run directly. */
const RUNS_DOCKER = /\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync)\s*\(\s*["'`]docker["'`]|\[\s*["'`]docker["'`]\s*,/;

/** The synchronous ways into the engine, by the names modules export them under. */
const SYNC_ENGINE = ["dockerSync", "engineIdentitySync", "dockerSyncOk", "containersLabelledSync", "launchedContainers", "findLaunch", "execCapture", "containerLogs", "egressModes"];

const importedNames = (text: string, from: RegExp): string[] =>
  [...text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)].filter((m) => from.test(m[2]!)).flatMap((m) => m[1]!.split(",").map((name) => name.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!));

describe("the Docker adapter", () => {
  it("is the only module that runs docker", () => {
    const outside = sourceFiles(SRC)
      .filter((file) => !relative(SRC, file).startsWith("engine/"))
      .filter((file) => RUNS_DOCKER.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(outside).toEqual([]);
  });

  it("the check sees a direct call", () => {
    expect(RUNS_DOCKER.test('const r = spawnSync("docker", ["ps"]);')).toBe(true);
    expect(RUNS_DOCKER.test('execToFile(["docker", "exec", id], file)')).toBe(true);
    expect(RUNS_DOCKER.test('probeTool("docker is not on PATH")')).toBe(false);
  });
});

describe("the dashboard's request path", () => {
  const ui = sourceFiles(join(SRC, "ui"));

  it("imports no synchronous child process", () => {
    const found = ui.flatMap((file) => importedNames(readFileSync(file, "utf8"), /^node:child_process$|^child_process$/).filter((name) => /Sync$/.test(name)).map((name) => `${relative(SRC, file)}: ${name}`));
    expect(found).toEqual([]);
  });

  it("calls none of the synchronous engine entry points", () => {
    const found = ui.flatMap((file) => importedNames(readFileSync(file, "utf8"), /^\.\.?\//).filter((name) => SYNC_ENGINE.includes(name)).map((name) => `${relative(SRC, file)}: ${name}`));
    expect(found).toEqual([]);
  });

  it("the checks see such an import", () => {
    expect(importedNames('import { spawn, spawnSync as run } from "node:child_process";', /^node:child_process$/)).toEqual(["spawn", "spawnSync"]);
    expect(importedNames('import { describeSync, findLaunch } from "../launch/manage.js";', /^\.\.?\//)).toContain("findLaunch");
  });
});
