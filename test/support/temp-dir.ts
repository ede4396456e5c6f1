/** Throwaway folders for tests that touch the disk, and a way to see everything in one. */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OnTestFinishedHandler } from "vitest";

/**
 * A fresh, empty folder under the OS temp dir, removed when the test finishes. Takes the test context's
 * `onTestFinished` so it also works in concurrent tests.
 */
export function tempDir(onTestFinished: (fn: OnTestFinishedHandler) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "cad-test-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every regular file under `root`, as sorted POSIX paths relative to it (dot-files included). */
export function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((entry) => statSync(join(root, entry)).isFile())
    .map((entry) => entry.split("\\").join("/"))
    .sort();
}
