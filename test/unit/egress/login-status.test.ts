import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BROKER_HOST_DIR } from "../../../src/egress/layout.js";
import { failingLogin, failureLine, loginIds } from "../../../src/egress/login-status.js";

const FAILED = '{"state":"failed","message":"the login could not be refreshed (invalid_grant); log in again on the host: codex login"}\n';

const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

/** A host folder with one container's enforcer credentials and its logins' statuses, as egress.sh and the refresher write them. */
function host(credentials: string, statuses: Record<string, string>): string {
  const home = mkdtempSync(join(tmpdir(), "cadc-login-status-"));
  homes.push(home);
  const root = join(home, BROKER_HOST_DIR);
  mkdirSync(join(root, "abc123", "enforcer"), { recursive: true });
  writeFileSync(join(root, "abc123", "enforcer", "credentials"), credentials);
  for (const [id, status] of Object.entries(statuses)) {
    mkdirSync(join(root, "logins", id), { recursive: true });
    writeFileSync(join(root, "logins", id, "status"), status);
  }
  return home;
}

describe("a brokered login's failure, in one line", () => {
  it("names the login, why it fails and the command that fixes it", () => {
    expect(failureLine("codex-123", FAILED)).toBe("codex login: the login could not be refreshed (invalid_grant); log in again on the host: codex login");
    expect(failureLine("codex-123", '{"state":"ok","message":"refreshed"}')).toBeUndefined();
    expect(failureLine("codex-123", "")).toBeUndefined();
    // The status is the refresher's, written from a token endpoint's answer: no control character reaches a terminal.
    expect(failureLine("codex-123", '{"state":"failed","message":"a\\u001b[2Jb\\nc"}')).toBe("codex login: a [2Jb c");
  });

  it("reads only the @LOGIN fields of the enforcer's credentials", () => {
    expect(loginIds("OPENAI_API_KEY sk-proj-x api.openai.com authorization sk-real\ncodex-login eyJ.x chatgpt.com authorization @codex-42\n")).toEqual(["codex-42"]);
  });

  it("finds the failing login of a container from the host's files, and nothing for one that works or has none", () => {
    const credentials = "codex-login eyJ.x chatgpt.com authorization @codex-42\n";
    expect(failingLogin("abc123", host(credentials, { "codex-42": FAILED }))).toMatch(/^codex login: .*invalid_grant.*log in again on the host: codex login$/);
    expect(failingLogin("abc123", host(credentials, { "codex-42": '{"state":"ok","message":"valid"}' }))).toBeUndefined();
    expect(failingLogin("abc123", host("", {}))).toBeUndefined();
    expect(failingLogin("../x", host(credentials, { "codex-42": FAILED }))).toBeUndefined();
  });
});
