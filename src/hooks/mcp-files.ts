/** The disk side of the MCP hook and launcher: the secrets file, private atomic writes. */
import { readFileSync, statSync } from "node:fs";
import { parseEnvFile } from "../mcp/env-file.js";
import { writeFilesAtomic } from "../write/atomic.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/** The text of a file, or undefined when there is none. Other errors (EACCES, EISDIR) propagate. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

export interface Secrets {
  values: Record<string, string>;
  /** One line for the log: how many variables came from where (names and values never appear). */
  summary: string;
  /** Why some or all of the file could not be used. */
  warnings: string[];
}

/** Reads the staged secrets file. A missing file means no secrets, not an error. */
export function readSecrets(path: string): Secrets {
  let text: string | undefined;
  try {
    text = readIfExists(path);
  } catch (error) {
    return { values: {}, summary: `secrets file ${path} unreadable`, warnings: [unreadable(path, error as NodeJS.ErrnoException)] };
  }
  if (text === undefined) return { values: {}, summary: `no secrets file at ${path}`, warnings: [] };
  const { values, problems } = parseEnvFile(text);
  const count = Object.keys(values).length;
  return {
    values,
    summary: `${count} ${count === 1 ? "variable" : "variables"} in the secrets file ${path}`,
    warnings: problems.map((problem) => `secrets file ${path} ${problem} (line ignored)`),
  };
}

/** The usual cause on Linux hosts: the host user's UID is not the container user's, and the file is 0600. */
function unreadable(path: string, error: NodeJS.ErrnoException): string {
  if (error.code !== "EACCES") return `cannot read the secrets file ${path}: ${error.code ?? error.message}`;
  const stat = statSync(path);
  const uid = process.getuid?.() ?? -1;
  return (
    `cannot read the secrets file ${path}: on the host it belongs to UID ${stat.uid} (mode ${(stat.mode & 0o777).toString(8)}) ` +
    `and this container runs as UID ${uid}; let UID ${uid} read it on the host (e.g. setfacl -m u:${uid}:r <file>)`
  );
}

/**
 * Writes every file with mode 0600 (folders created 0700). All are staged as temp files beside their
 * targets before any is renamed into place: a failure while staging leaves every target as it was, and
 * a reader never sees a half-written file.
 */
export function writePrivateFiles(files: readonly { path: string; content: string }[]): void {
  writeFilesAtomic(
    files.map((file) => ({ ...file, mode: 0o600 })),
    { dirMode: 0o700 },
  );
}
