/** Finds a program on PATH without spawning a shell (`which` may not exist in a minimal image). */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The full path of `binary` on PATH, if it is there. */
export function onPath(binary: string, path = process.env.PATH ?? ""): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
