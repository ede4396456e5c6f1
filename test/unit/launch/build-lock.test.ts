import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, featureContentPinned } from "../../../src/launch/build-lock.js";
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

describe("featureContentPinned", () => {
  it("turns true at the first build step after FROM dev_container_feature_content_temp, whether in one chunk or two", () => {
    const oneChunk = featureContentPinned();
    expect(oneChunk("Step 1/2 : FROM scratch\nStep 2/2 : COPY . /tmp/build-features/\n")).toBe(false);
    expect(oneChunk("Step 1/24 : ARG _DEV_CONTAINERS_BASE_IMAGE=scratch\n")).toBe(false);
    expect(oneChunk("Step 2/24 : FROM dev_container_feature_content_temp as dev_containers_feature_content_source\n ---> 1a2b\nStep 3/24 : ARG X\n")).toBe(true);

    const twoChunks = featureContentPinned();
    expect(twoChunks("Step 2/24 : FROM dev_container_feature_content_temp as dev_containers_feature_content_source\n")).toBe(false);
    expect(twoChunks(" ---> 1a2b\n")).toBe(false);
    expect(twoChunks("Step 3/24 : ARG _DEV_CONTAINERS_BASE_IMAGE=scratch\n")).toBe(true);
  });
});
