/** Reading a task's transcript for the page: from an offset, whole lines while the task runs. */
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { statePaths } from "../../../src/launch/state.js";
import { taskFiles } from "../../../src/tasks/status.js";
import { readTranscript } from "../../../src/ui/live.js";
import { tempDir } from "../../support/temp-dir.js";

function launchWithTask(dir: string, state: string, log: string) {
  const paths = statePaths(dir, "claude-repo-x");
  mkdirSync(paths.dir, { recursive: true });
  const files = taskFiles(paths);
  writeFileSync(files.status, JSON.stringify({ id: 1, state, prompt: "p", startedAt: "2026-01-01T00:00:00Z", baseCommit: "a".repeat(40) }));
  writeFileSync(files.transcript, log);
  return { name: "claude-repo-x", paths };
}

describe("readTranscript", () => {
  it("gives whole lines while the task runs, and the half-written last line once it ended", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const running = launchWithTask(dir, "running", "one\ntwo\nthr");
    expect(readTranscript(running, 0)).toMatchObject({ text: "one\ntwo\n", offset: 0, next: 8, more: true, task: { state: "running" } });
    expect(readTranscript(running, 8)).toMatchObject({ text: "", next: 8 });
    const done = launchWithTask(dir, "done", "one\ntwo\nthree");
    expect(readTranscript(done, 8)).toMatchObject({ text: "three", next: 13, more: false, task: { state: "done" } });
  });

  it("never shows the base commit, clamps an offset past the end, and reads a missing log as empty", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const found = launchWithTask(dir, "done", "all\n");
    expect(readTranscript(found, 99)).toEqual({ text: "", offset: 4, next: 4, more: false, task: { id: 1, state: "done", prompt: "p", startedAt: "2026-01-01T00:00:00Z" } });
    expect(readTranscript({ name: "none", paths: statePaths(dir, "none") }, 0)).toEqual({ text: "", offset: 0, next: 0, more: false });
  });

  it("splits a long transcript into chunks the page asks for one after another", ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const line = `${"x".repeat(1023)}\n`;
    const found = launchWithTask(dir, "running", line.repeat(300)); // 300 KiB
    const first = readTranscript(found, 0);
    expect([first.next, first.more]).toEqual([256 * 1024, true]);
    const second = readTranscript(found, first.next);
    expect([second.next, second.more, first.text + second.text]).toEqual([300 * 1024, false, line.repeat(300)]);
  });
});
