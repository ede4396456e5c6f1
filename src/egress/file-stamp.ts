/** A file's identity for reload checks: the enforcer re-reads its policy and credentials only when this changes. */
import { statSync } from "node:fs";

export function fileStamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  } catch {
    return "-";
  }
}
