import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RenderedFile, Tree } from "../../src/core/tree.js";
import { EditConflictError, WriteError, writeTree, type PlannedFile } from "../../src/write/writer.js";
import { listFiles, tempDir } from "../support/temp-dir.js";

const MANIFEST = ".devcontainer/.create-agent-devcontainer.json";
const CONFIG = ".devcontainer/claude/devcontainer.json";
const SCRIPT = ".devcontainer/features/claude/install.sh";
const SHARED = ".devcontainer/shared.txt";

function tree(files: Record<string, RenderedFile>): Tree {
  return new Map(Object.entries(files));
}

const v1 = tree({
  [CONFIG]: { content: '{ "name": "v1" }\n' },
  [SCRIPT]: { content: "#!/bin/sh\necho v1\n", mode: 0o755 },
  // Group-writable: survives only if the writer sets the mode itself instead of leaving it to the umask.
  [SHARED]: { content: "shared\n", mode: 0o666 },
});

function read(root: string, path: string): string {
  return readFileSync(join(root, path), "utf8");
}

function modeOf(root: string, path: string): number {
  return statSync(join(root, path)).mode & 0o777;
}

function actions(plan: PlannedFile[]): Record<string, string> {
  return Object.fromEntries(plan.map((file) => [file.path, file.action]));
}

/** Everything about the files under root that a write could change: bytes, mode, inode, mtime. */
function snapshotDisk(root: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(root).map((path) => {
      const stat = statSync(join(root, path));
      return [path, `${stat.ino}:${stat.mtimeMs}:${(stat.mode & 0o777).toString(8)}:${read(root, path)}`];
    }),
  );
}

function hexSha256(content: string): string {
  return createHash("sha256").update(content, "utf8").digest("hex");
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

describe("writeTree", () => {
  it("creates every file with the rendered bytes and mode, and reports it as created", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    const plan = writeTree(root, v1);

    expect(actions(plan)).toEqual({ [CONFIG]: "create", [SCRIPT]: "create", [SHARED]: "create" });
    expect(read(root, CONFIG)).toBe('{ "name": "v1" }\n');
    expect(read(root, SCRIPT)).toBe("#!/bin/sh\necho v1\n");
    expect(modeOf(root, CONFIG)).toBe(0o644);
    expect(modeOf(root, SCRIPT)).toBe(0o755);
    expect(modeOf(root, SHARED)).toBe(0o666);
    expect(listFiles(root)).toEqual([MANIFEST, CONFIG, SCRIPT, SHARED].sort());
  });

  it("reports the byte length of each file, counting multi-byte characters", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    const plan = writeTree(root, tree({ "a.txt": { content: "Claude · repo\n" } }));

    expect(plan).toEqual([{ path: "a.txt", action: "create", bytes: Buffer.byteLength("Claude · repo\n") }]);
  });

  it("records the SHA-256 of every file it wrote in the manifest, sorted by path", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    writeTree(root, v1);

    const text = read(root, MANIFEST);
    expect(text.endsWith("}\n")).toBe(true);
    const manifest = JSON.parse(text) as { generator: string; files: Record<string, string> };
    expect(manifest.generator).toBe("create-agent-devcontainer");
    expect(manifest.files).toEqual({
      [CONFIG]: `sha256:${hexSha256('{ "name": "v1" }\n')}`,
      [SCRIPT]: `sha256:${hexSha256("#!/bin/sh\necho v1\n")}`,
      [SHARED]: `sha256:${hexSha256("shared\n")}`,
    });
  });

  it("keeps the manifest's paths sorted whatever order the tree lists them in", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    writeTree(root, tree({ "z.txt": { content: "z\n" }, "a.txt": { content: "a\n" }, "m/b.txt": { content: "b\n" } }));

    const manifest = JSON.parse(read(root, MANIFEST)) as { files: Record<string, string> };
    expect(Object.keys(manifest.files)).toEqual(["a.txt", "m/b.txt", "z.txt"]);
  });

  it("leaves every file alone on a second run with the same tree and reports them unchanged", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    const before = snapshotDisk(root);

    const plan = writeTree(root, v1);

    expect(actions(plan)).toEqual({ [CONFIG]: "unchanged", [SCRIPT]: "unchanged", [SHARED]: "unchanged" });
    // A rewrite goes through a temp file and a rename, which gives the path a new inode.
    expect(snapshotDisk(root)).toEqual(before);
  });

  it("updates files it wrote that nobody touched since, when the rendered tree changes", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    const v2 = tree({
      [CONFIG]: { content: '{ "name": "v2" }\n' },
      [SCRIPT]: { content: "#!/bin/sh\necho v1\n", mode: 0o700 },
      [SHARED]: { content: "shared\n", mode: 0o666 },
    });

    const plan = writeTree(root, v2);

    expect(actions(plan)).toEqual({ [CONFIG]: "update", [SCRIPT]: "update", [SHARED]: "unchanged" });
    expect(read(root, CONFIG)).toBe('{ "name": "v2" }\n');
    expect(modeOf(root, SCRIPT)).toBe(0o700);
    const manifest = JSON.parse(read(root, MANIFEST)) as { files: Record<string, string> };
    expect(manifest.files[CONFIG]).toBe(`sha256:${hexSha256('{ "name": "v2" }\n')}`);
  });

  it("recreates a generated file the user deleted", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    unlinkSync(join(root, CONFIG));

    const plan = writeTree(root, v1);

    expect(actions(plan)[CONFIG]).toBe("create");
    expect(read(root, CONFIG)).toBe('{ "name": "v1" }\n');
  });

  it("refuses a file the user edited since generation, naming it and why, and writes nothing at all", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    writeFileSync(join(root, CONFIG), '{ "name": "mine" }\n');
    const before = snapshotDisk(root);
    const v2 = tree({
      [CONFIG]: { content: '{ "name": "v2" }\n' },
      [SCRIPT]: { content: "#!/bin/sh\necho v2\n", mode: 0o755 },
      [SHARED]: { content: "shared\n", mode: 0o666 },
      ".devcontainer/new.txt": { content: "new\n" },
    });

    const error = catchError(() => writeTree(root, v2));

    expect(error).toBeInstanceOf(EditConflictError);
    expect((error as EditConflictError).conflicts).toEqual([
      { path: CONFIG, reason: "edited since create-agent-devcontainer wrote it" },
    ]);
    expect((error as Error).message).toContain(`${CONFIG}: edited since create-agent-devcontainer wrote it`);
    // Not even the files that would have been a clean update or create: the edit, the old script, the manifest.
    expect(snapshotDisk(root)).toEqual(before);
    expect(existsSync(join(root, ".devcontainer/new.txt"))).toBe(false);
  });

  it("refuses a pre-existing file it did not write, and creates none of the other files", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeFileSync(join(root, "README.md"), "hand-written\n");
    const theirs = tree({ "README.md": { content: "generated\n" }, [CONFIG]: { content: "{}\n" } });

    const error = catchError(() => writeTree(root, theirs));

    expect(error).toBeInstanceOf(EditConflictError);
    expect((error as EditConflictError).conflicts).toEqual([
      { path: "README.md", reason: "already exists and was not written by create-agent-devcontainer" },
    ]);
    expect((error as Error).message).toContain("README.md");
    expect(listFiles(root)).toEqual(["README.md"]);
    expect(read(root, "README.md")).toBe("hand-written\n");
  });

  it("names every conflicting file at once", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    writeFileSync(join(root, CONFIG), "mine\n");
    writeFileSync(join(root, SHARED), "mine too\n");

    const error = catchError(() => writeTree(root, v1));

    expect((error as EditConflictError).conflicts.map((conflict) => conflict.path)).toEqual([CONFIG, SHARED]);
    expect((error as Error).message).toMatch(/^refusing to overwrite 2 files you changed:/);
  });

  it("treats a file whose content is already what it would write as unchanged, even when it did not write it", ({
    onTestFinished,
  }) => {
    const root = tempDir(onTestFinished);
    writeFileSync(join(root, "same.txt"), "same\n");
    chmodSync(join(root, "same.txt"), 0o644);

    const plan = writeTree(root, tree({ "same.txt": { content: "same\n" } }));

    expect(actions(plan)).toEqual({ "same.txt": "unchanged" });
    const manifest = JSON.parse(read(root, MANIFEST)) as { files: Record<string, string> };
    expect(manifest.files["same.txt"]).toBe(`sha256:${hexSha256("same\n")}`);
  });

  it("overwrites edited and foreign files with force, and records them as its own", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    writeFileSync(join(root, CONFIG), "mine\n");
    writeFileSync(join(root, "README.md"), "hand-written\n");
    const withReadme = tree({ ...Object.fromEntries(v1), "README.md": { content: "generated\n" } });

    const plan = writeTree(root, withReadme, { force: true });

    expect(actions(plan)).toMatchObject({ [CONFIG]: "overwrite", "README.md": "overwrite", [SCRIPT]: "unchanged" });
    expect(read(root, CONFIG)).toBe('{ "name": "v1" }\n');
    expect(read(root, "README.md")).toBe("generated\n");
    // Now ours: the next run without force is a no-op instead of a conflict.
    expect(Object.values(actions(writeTree(root, withReadme)))).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
  });

  it("writes nothing on a dry run but returns the plan it would carry out", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    const plan = writeTree(root, v1, { dryRun: true });

    expect(actions(plan)).toEqual({ [CONFIG]: "create", [SCRIPT]: "create", [SHARED]: "create" });
    expect(listFiles(root)).toEqual([]);
  });

  it("changes nothing on a dry run over a previous generation", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, v1);
    const before = snapshotDisk(root);

    const plan = writeTree(root, tree({ [CONFIG]: { content: "v2\n" } }), { dryRun: true });

    expect(actions(plan)).toEqual({ [CONFIG]: "update" });
    expect(snapshotDisk(root)).toEqual(before);
  });

  it("reports conflicts on a dry run too", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeFileSync(join(root, "README.md"), "hand-written\n");

    expect(() => writeTree(root, tree({ "README.md": { content: "x\n" } }), { dryRun: true })).toThrow(EditConflictError);
  });

  it("fails with WriteError when a folder it needs is a file, leaving no file and no temp file behind", ({
    onTestFinished,
  }) => {
    const root = tempDir(onTestFinished);
    // `.devcontainer` is a regular file, so nothing can go under it (ENOTDIR; root ignores permission bits).
    writeFileSync(join(root, ".devcontainer"), "not a folder\n");
    // Insertion order matters: docs/readme.md is staged before the write under .devcontainer fails.
    const blocked = tree({ "docs/readme.md": { content: "docs\n" }, [CONFIG]: { content: "{}\n" } });

    const error = catchError(() => writeTree(root, blocked));

    expect(error).toBeInstanceOf(WriteError);
    expect((error as Error).message).toBe(`cannot write to ${root}: a path component is a file, not a folder`);
    expect(listFiles(root)).toEqual([".devcontainer"]);
    expect(listFiles(root).filter((path) => path.endsWith(".tmp"))).toEqual([]);
  });
});

describe("writeTree with files written once", () => {
  const STARTER = ".devcontainer/mcp.toml";
  const withStarter = tree({ [CONFIG]: { content: '{ "name": "v1" }\n' }, [STARTER]: { content: "# starter\n", once: true } });

  it("creates a missing once-file, but leaves it out of the manifest", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);

    const plan = writeTree(root, withStarter);

    expect(actions(plan)).toEqual({ [CONFIG]: "create", [STARTER]: "create" });
    expect(read(root, STARTER)).toBe("# starter\n");
    expect(Object.keys((JSON.parse(read(root, MANIFEST)) as { files: object }).files)).toEqual([CONFIG]);
  });

  it("keeps the user's version on every later run, without a conflict, and still updates the rest", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, withStarter);
    writeFileSync(join(root, STARTER), "[mcp_servers.mine]\n");
    const before = snapshotDisk(root)[STARTER];
    const v2 = tree({ [CONFIG]: { content: '{ "name": "v2" }\n' }, [STARTER]: { content: "# starter v2\n", once: true } });

    const plan = writeTree(root, v2);

    expect(actions(plan)).toEqual({ [CONFIG]: "update", [STARTER]: "keep" });
    expect(snapshotDisk(root)[STARTER]).toBe(before);
    expect(read(root, CONFIG)).toBe('{ "name": "v2" }\n');
  });

  it("keeps a file that was there before the first run, and even --force does not replace it", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    mkdirSync(join(root, ".devcontainer"));
    writeFileSync(join(root, STARTER), "hand-written\n");

    expect(actions(writeTree(root, withStarter, { force: true }))).toEqual({ [CONFIG]: "create", [STARTER]: "keep" });
    expect(read(root, STARTER)).toBe("hand-written\n");
  });

  it("creates it again after the user deleted it", ({ onTestFinished }) => {
    const root = tempDir(onTestFinished);
    writeTree(root, withStarter);
    unlinkSync(join(root, STARTER));

    expect(actions(writeTree(root, withStarter))[STARTER]).toBe("create");
    expect(read(root, STARTER)).toBe("# starter\n");
  });
});
