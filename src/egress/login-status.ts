/**
 * Why a container's brokered subscription login fails, in one line with the fix, for `list`, `egress` and
 * the dashboard (issue 26). The container's enforcer names the logins it swaps in (`@LOGIN` secrets in its
 * `credentials` file, under the broker's host folder); each login's refresher keeps a one-line `status`
 * next to it (./refresher.ts). Only the `@LOGIN` fields are read: the file's other secrets are never kept.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BROKER_HOST_DIR } from "./layout.js";

/** The login ids in a credentials file's text (the fifth field of a line, `@LOGIN`). */
export function loginIds(credentials: string): string[] {
  return credentials.split("\n").flatMap((line) => /^@([a-z0-9-]+)$/.exec(line.trim().split(" ")[4] ?? "")?.slice(1) ?? []);
}

/** A login's status file's line when it says the login fails, else undefined. */
export function failureLine(loginId: string, status: string): string | undefined {
  try {
    const parsed = JSON.parse(status) as { state?: unknown; message?: unknown };
    if (parsed.state !== "failed" || typeof parsed.message !== "string") return undefined;
    return `${loginId.replace(/-\d+$/, "")} login: ${parsed.message.replace(/[\x00-\x1f\x7f]/g, " ")}`;
  } catch {
    return undefined;
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** The first failing login of the container with this egress id, as one line with the fix; undefined when none fails. */
export function failingLogin(egressId: string | undefined, home: string = process.env.HOME || homedir()): string | undefined {
  if (!egressId || !/^[a-z0-9]+$/.test(egressId)) return undefined;
  const root = join(home, BROKER_HOST_DIR);
  for (const id of loginIds(read(join(root, egressId, "enforcer", "credentials")))) {
    const line = failureLine(id, read(join(root, "logins", id, "status")));
    if (line) return line;
  }
  return undefined;
}
