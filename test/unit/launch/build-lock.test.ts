import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock } from "../../../src/launch/build-lock.js";
import { tempDir } from "../../support/temp-dir.js";

describe("acquireLock", () => {
  it("lets one holder in at a time; the next gets in once it is released", async ({ onTestFinished }) => {
    const lock = join(tempDir(onTestFinished), "build.lock");
    const order: string[] = [];
    const release = await acquireLock(lock, () => order.push("first waited"));
    expect(readFileSync(lock, "utf8")).toBe(String(process.pid));

    let releaseSecond = (): void => undefined;
    const second = acquireLock(lock, () => order.push("second waits")).then((releaseIt) => {
      order.push("second in");
      releaseSecond = releaseIt;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    order.push("first releases");
    release();
    await second;
    release(); // again: must not remove the second holder's lock

    expect(order).toEqual(["second waits", "first releases", "second in"]);
    expect(existsSync(lock)).toBe(true);
    releaseSecond();
    expect(existsSync(lock)).toBe(false);
  });

  it("takes over a lock whose holder is gone", async ({ onTestFinished }) => {
    const lock = join(tempDir(onTestFinished), "build.lock");
    writeFileSync(lock, "2147483646"); // no such process
    const waits: string[] = [];
    const release = await acquireLock(lock, () => waits.push("waited"));
    expect(waits).toEqual([]);
    release();
  });

  it("stops waiting when the launch is interrupted", async ({ onTestFinished }) => {
    const lock = join(tempDir(onTestFinished), "build.lock");
    const release = await acquireLock(lock, () => undefined);
    const controller = new AbortController();
    const waiting = acquireLock(lock, () => controller.abort(), controller.signal);
    await expect(waiting).rejects.toThrow("interrupted");
    release();
  });
});
