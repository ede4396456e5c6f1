import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { docker, dockerCommand, dockerPath, DockerError, dockerSync, ENV_DOCKER_PATH } from "../../../src/engine/docker.js";
import { targetArgs } from "../../../src/launch/devcontainer-cli.js";
import { tempDir } from "../../support/temp-dir.js";

/** Runs `body` with the setting as given, restoring the environment after. */
async function withSetting<T>(value: string | undefined, body: () => T | Promise<T>): Promise<T> {
  const before = process.env[ENV_DOCKER_PATH];
  if (value === undefined) delete process.env[ENV_DOCKER_PATH];
  else process.env[ENV_DOCKER_PATH] = value;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env[ENV_DOCKER_PATH];
    else process.env[ENV_DOCKER_PATH] = before;
  }
}

describe("the docker binary the adapter runs", () => {
  it("is docker from PATH unless the setting names another", () => {
    expect(dockerPath({})).toBe("docker");
    expect(dockerPath({ [ENV_DOCKER_PATH]: "" })).toBe("docker");
    expect(dockerPath({ [ENV_DOCKER_PATH]: "/opt/podman/bin/docker" })).toBe("/opt/podman/bin/docker");
  });

  it("is the configured one for every call, asynchronous, synchronous and streamed", async ({ onTestFinished }) => {
    const binary = join(tempDir(onTestFinished), "my-docker");
    writeFileSync(binary, '#!/bin/sh\necho "my-docker $*"\n');
    chmodSync(binary, 0o755);
    await withSetting(binary, async () => {
      expect((await docker(["ps", "-q"])).stdout).toBe("my-docker ps -q\n");
      expect(dockerSync(["info"]).stdout).toBe("my-docker info\n");
      expect(dockerCommand(["exec", "c"])).toEqual([binary, "exec", "c"]);
    });
  });

  it("that does not exist is one line naming it and the setting", async () => {
    await withSetting("/nonexistent/docker", async () => {
      const error = await docker(["ps"]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DockerError);
      expect((error as DockerError).message).toBe(`no such docker binary: /nonexistent/docker (${ENV_DOCKER_PATH})`);
      expect(() => dockerSync(["ps"])).toThrow(`no such docker binary: /nonexistent/docker (${ENV_DOCKER_PATH})`);
    });
  });

  it("reaches the devcontainer CLI's up and exec as --docker-path", async () => {
    const target = { workspaceFolder: "/w", config: "/w/c.json", idLabel: "l=x" };
    expect(await withSetting(undefined, () => targetArgs(target))).toEqual(["--workspace-folder", "/w", "--config", "/w/c.json", "--id-label", "l=x", "--docker-path", "docker"]);
    expect((await withSetting("/opt/docker", () => targetArgs(target))).slice(-2)).toEqual(["--docker-path", "/opt/docker"]);
  });
});
