/** `ui` as a user runs it: a separate Node process that prints its URL and stops cleanly on SIGTERM. */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliArgs } from "../../support/cli.js";

const ARGS = cliArgs(["ui"]);
// An empty state folder: the page lists nothing, and nothing of the user's is read.
const STATE = mkdtempSync(join(tmpdir(), "cad-ui-state-"));
const ENV = { ...process.env, XDG_STATE_HOME: STATE };
afterAll(() => rmSync(STATE, { recursive: true, force: true }));

describe("create-agent-devcontainer ui", { timeout: 30_000 }, () => {
  it("prints a loopback URL with a token, serves the page behind it, and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [...ARGS, "--no-open"], { env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()).includes("\n") && resolve(out.trim()));
      child.on("close", (code) => reject(new Error(`exited ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    const first = await fetch(url, { redirect: "manual" });
    expect(first.status).toBe(303);
    const cookie = first.headers.get("set-cookie")!.split(";")[0]!;
    // Every launched container on this engine (the list is Docker's, not the state folder's): some array.
    expect(Array.isArray(await fetch(new URL("/api/list", url), { headers: { cookie } }).then((r) => r.json()))).toBe(true);
    expect((await fetch(new URL("/api/list", url))).status).toBe(403);
    const code = await new Promise<number | null>((resolve) => {
      child.on("close", resolve);
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });

  it.for<[string, string]>([
    ["", "no browser could be opened (no xdg-open or open on PATH): open the URL above in one"],
    ["#!/bin/sh\nexit 3\n", "xdg-open exited with 3): open the URL above in one"],
  ])("says when no browser could be opened (opener %j)", async ([script, line], { onTestFinished }) => {
    const bin = mkdtempSync(join(tmpdir(), "cad-ui-bin-"));
    onTestFinished(() => rmSync(bin, { recursive: true, force: true }));
    if (script) writeFileSync(join(bin, "xdg-open"), script, { mode: 0o755 });
    const child = spawn(process.execPath, ARGS, { env: { ...ENV, PATH: bin }, stdio: ["ignore", "pipe", "pipe"] });
    const stderr = await new Promise<string>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()).includes("open the URL above") && resolve(err));
      child.on("close", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    child.kill("SIGTERM");
    expect(stderr).toContain(line);
  });

  it("refuses a port that is not one, in one line", async () => {
    const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [...ARGS, "--port", "http"], { env: ENV, timeout: 20_000 }, (error, _, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr })),
    );
    expect(run).toEqual({ code: 1, stderr: "create-agent-devcontainer: not a port: http (give 1-65535, or leave --port out for a free one)\n" });
  });
});
