/**
 * A CLI's refresh lock, taken the way the CLI takes it, so the broker's refresher and the host's CLI never
 * refresh one login at once (a single-use refresh token sent twice revokes the login). Claude Code uses
 * proper-lockfile on `<config>/.oauth_refresh.lock` (read from its 2.1.329 bundle: `stale: 60000,
 * update: 5000`): the lock is a directory made with mkdir, its holder touches its mtime every 5 seconds,
 * and one untouched for a minute is stale and may be taken over.
 */
import { mkdirSync, rmdirSync, statSync, utimesSync } from "node:fs";

const STALE_MS = 60_000;
const UPDATE_MS = 5_000;

export interface HeldLock {
  release(): void;
}

/** Takes the lock directory, or undefined while another holder has it (a stale one is taken over). */
export function takeLock(path: string): HeldLock | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let touched: number;
      try {
        touched = statSync(path).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (Date.now() - touched < STALE_MS) return undefined;
      try {
        rmdirSync(path);
      } catch {
        // another process took it over first: the next mkdir says who holds it
      }
      continue;
    }
    const timer = setInterval(() => {
      try {
        const now = new Date();
        utimesSync(path, now, now);
      } catch {
        // gone: release() has nothing left to remove
      }
    }, UPDATE_MS);
    timer.unref();
    return {
      release() {
        clearInterval(timer);
        try {
          rmdirSync(path);
        } catch {
          // already gone
        }
      },
    };
  }
  return undefined;
}
