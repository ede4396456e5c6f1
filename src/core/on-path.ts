/** Finds a program as execvp does, without spawning a shell (`which` may not exist in a minimal image). */
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * The executable file `command` names: itself when it has a slash, else the first on `path` (absolute
 * folders only: a relative one would depend on the current folder).
 */
export function findOnPath(command: string, path = process.env.PATH): string | undefined {
  const candidates = command.includes("/") ? [command] : (path ?? "").split(delimiter).filter(isAbsolute).map((dir) => join(dir, command));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}
