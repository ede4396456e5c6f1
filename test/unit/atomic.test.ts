import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AtomicWriteError, writeFileAtomic, writeFilesAtomic } from "../../src/write/atomic.js";
import { tempDir } from "../support/temp-dir.js";

describe("writeFilesAtomic", () => {
  it("writes every file with its mode whatever the umask, creating folders with dirMode", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    const placed = writeFilesAtomic(
      [
        { path: join(root, "a/one"), content: "1", mode: 0o600 },
        { path: join(root, "a/b/two"), content: Buffer.from("2"), mode: 0o666 },
      ],
      { dirMode: 0o700 },
    );
    expect(placed).toEqual([join(root, "a/one"), join(root, "a/b/two")]);
    expect(readFileSync(join(root, "a/b/two"), "utf8")).toBe("2");
    expect(statSync(join(root, "a/one")).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, "a/b/two")).mode & 0o777).toBe(0o666);
    expect(statSync(join(root, "a/b")).mode & 0o777).toBe(0o700);
  });

  it("changes no target and leaves no temp file when one file cannot be staged", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeFileSync(join(root, "kept"), "old");
    writeFileSync(join(root, "file"), "a file, not a folder");
    const write = () =>
      writeFilesAtomic([
        { path: join(root, "kept"), content: "new" },
        { path: join(root, "file/inside"), content: "x" },
      ]);
    expect(write).toThrow(AtomicWriteError);
    expect(write).toThrow(expect.objectContaining({ phase: "stage", path: join(root, "file/inside"), code: "EEXIST" }));
    expect(readFileSync(join(root, "kept"), "utf8")).toBe("old");
    expect(readdirSync(root).sort()).toEqual(["file", "kept"]);
  });

  it("with keepExisting, places only the files that do not exist yet", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeFileSync(join(root, "there"), "theirs");
    const placed = writeFilesAtomic(
      [
        { path: join(root, "there"), content: "ours" },
        { path: join(root, "new"), content: "ours" },
      ],
      { keepExisting: true },
    );
    expect(placed).toEqual([join(root, "new")]);
    expect(readFileSync(join(root, "there"), "utf8")).toBe("theirs");
    expect(readdirSync(root).sort()).toEqual(["new", "there"]);
  });

  it("replaces a file in place (writeFileAtomic)", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    mkdirSync(join(root, "d"));
    writeFileSync(join(root, "d/f"), "old");
    writeFileAtomic(join(root, "d/f"), "new", 0o640);
    expect(readFileSync(join(root, "d/f"), "utf8")).toBe("new");
    expect(statSync(join(root, "d/f")).mode & 0o777).toBe(0o640);
    expect(readdirSync(join(root, "d"))).toEqual(["f"]);
  });
});
