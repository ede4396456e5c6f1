import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findOnPath } from "../../../src/core/on-path.js";
import { tempDir } from "../../support/temp-dir.js";

function executable(path: string, mode = 0o755): string {
  writeFileSync(path, "#!/bin/sh\n");
  chmodSync(path, mode);
  return path;
}

describe("finding a program as execvp does", () => {
  it("takes the first executable file on PATH, passing over a folder and a file that is not executable of that name", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const [dir, plain, bin] = ["dir", "plain", "bin"].map((name) => join(root, name));
    for (const folder of [dir, plain, bin]) mkdirSync(folder!);
    mkdirSync(join(dir!, "code")); // a folder is "executable" (searchable) too
    executable(join(plain!, "code"), 0o644);
    const found = executable(join(bin!, "code"));
    expect(findOnPath("code", [dir, plain, bin].join(":"))).toBe(found);
    expect(findOnPath("code", [dir, plain].join(":"))).toBeUndefined();
  });

  it("ignores relative PATH entries and uses a name with a slash as it is", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const tool = executable(join(root, "tool"));
    expect(findOnPath("tool", `.:${root.slice(1)}`)).toBeUndefined();
    expect(findOnPath(tool, "")).toBe(tool);
    expect(findOnPath(join(root, "missing"), root)).toBeUndefined();
  });
});
