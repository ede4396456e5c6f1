import { describe, expect, it } from "vitest";
import { attachedContainerUri } from "../../../src/launch/attach.js";
import { age } from "../../../src/launch/manage.js";
import { containerName, isContainerName } from "../../../src/launch/names.js";

describe("containerName", () => {
  it("is <agent>-<repo>[-<feature>], reduced to what Docker accepts", () => {
    expect(containerName("claude", "my-repo")).toBe("claude-my-repo");
    expect(containerName("codex", "My Repo $(x)", "fix/Login.lock")).toBe("codex-my-repo-x-fix-login.lock");
    expect(containerName("gemini", "..", "é")).toBe("gemini");
    for (const name of [containerName("claude", "a b", "c/d"), containerName("copilot", "-x-", "@")]) expect(isContainerName(name)).toBe(true);
  });

  it("accepts only Docker names for the companion commands (no paths)", () => {
    expect(isContainerName("claude-app")).toBe(true);
    expect(isContainerName("../etc")).toBe(false);
    expect(isContainerName("a/b")).toBe(false);
    expect(isContainerName("")).toBe(false);
  });
});

describe("attachedContainerUri", () => {
  it("hex-encodes {\"containerName\":\"/<name>\"} the way VS Code's Dev Containers extension reads it", () => {
    const uri = attachedContainerUri("claude-app", "/workspace");
    const [, hex, folder] = /^vscode-remote:\/\/attached-container\+([0-9a-f]+)(\/.*)$/.exec(uri) ?? [];
    expect(JSON.parse(Buffer.from(hex!, "hex").toString("utf8"))).toEqual({ containerName: "/claude-app" });
    expect(folder).toBe("/workspace");
  });
});

describe("age", () => {
  it.each([
    ["2025-01-01T00:00:30Z", "30s"],
    ["2024-12-31T23:55:00Z", "6m"],
    ["2024-12-31T21:00:00Z", "3h"],
    ["2024-12-29T00:00:00Z", "3d"],
  ])("created %s → %s", (created, expected) => expect(age(created, new Date("2025-01-01T00:01:00Z"))).toBe(expected));
});
