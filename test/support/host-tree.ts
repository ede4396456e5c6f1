/** What an attack from inside a container must not change on the host, as one comparable text. */
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir` (its .git included) by content and mode, each link by its target; paths under `skip` left out. */
export function hostTree(dir: string, skip: readonly string[] = []): string {
  const hash = (data: Buffer) => createHash("sha256").update(data).digest("hex");
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => !skip.some((prefix) => path.startsWith(prefix)))
    .sort()
    .map((path) => {
      const full = join(dir, path);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) return `${path} -> ${readlinkSync(full)}`;
      return stat.isFile() ? `${path} ${stat.mode.toString(8)} ${hash(readFileSync(full))}` : `${path}/ ${stat.mode.toString(8)}`;
    })
    .join("\n");
}
