/**
 * Without BuildKit, the devcontainer CLI stages every config's Features in one fixed image tag
 * (dev_container_feature_content_temp) that its next build reads back: two concurrent `up`s can build with
 * each other's Features. Launches therefore take turns from staging until the image is built, only on the
 * classic builder. Whole builds, not only the staging: the classic builder does not share a build in progress,
 * so N containers of one agent launched at once would each install it; in turn, the first builds it and the
 * rest get every layer from the cache.
 */
import { createHash } from "node:crypto";
import { openSync, readFileSync, rmSync, writeSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LaunchError } from "./errors.js";

const POLL_MS = 200;
const MAX_WAIT_MS = 60 * 60_000;

/**
 * The lock's path: one per user and Docker engine, since the staged tag is the engine's, whatever state folder
 * or tool (a launch, a test's `devcontainer up`) builds. Created exclusively, so a planted file or link is never
 * written through.
 */
export function engineBuildLock(dockerHost = process.env.DOCKER_HOST ?? ""): string {
  const engine = createHash("sha256").update(dockerHost).digest("hex").slice(0, 12);
  return join(tmpdir(), `create-agent-devcontainer-${process.getuid?.() ?? 0}-${engine}.build.lock`);
}

/** Waits for the lock file (created exclusively, holding our pid); resolves with its release (call it any number of times). */
export async function acquireLock(path: string, onWait: () => void, signal?: AbortSignal): Promise<() => void> {
  const deadline = Date.now() + MAX_WAIT_MS;
  let waited = false;
  for (;;) {
    if (signal?.aborted) throw new LaunchError("interrupted");
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let held = true;
      // Idempotent: a second call must never remove the lock a later launch has taken since.
      return () => {
        if (held) rmSync(path, { force: true });
        held = false;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (!holderAlive(path)) {
      rmSync(path, { force: true }); // left by a launch that was killed
      continue;
    }
    if (!waited) onWait();
    waited = true;
    if (Date.now() > deadline) throw new LaunchError(`gave up waiting for ${path}`, "another launch is still building; remove the file if none is");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function holderAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, "utf8"));
  } catch {
    return true; // being written right now
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
