import { describe, expect, it } from "vitest";
import { docker, dockerCommand, dockerPath, DockerError, dockerSync, ENV_DOCKER_PATH } from "../../../src/engine/docker.js";
import { targetArgs } from "../../../src/launch/devcontainer-cli.js";
import { fakeDocker, withDockerPath } from "../../support/fake-docker.js";
import { tempDir } from "../../support/temp-dir.js";

describe("the docker binary the adapter runs", () => {
  it("is docker from PATH unless the setting names another", () => {
    expect(dockerPath({})).toBe("docker");
    expect(dockerPath({ [ENV_DOCKER_PATH]: "" })).toBe("docker");
    expect(dockerPath({ [ENV_DOCKER_PATH]: "/opt/podman/bin/docker" })).toBe("/opt/podman/bin/docker");
  });

  it("is the configured one for every call, asynchronous, synchronous and streamed", async ({ onTestFinished }) => {
    const binary = fakeDocker(tempDir(onTestFinished), 'echo "my-docker $*"', "my-docker");
    await withDockerPath(binary, async () => {
      expect((await docker(["ps", "-q"])).stdout).toBe("my-docker ps -q\n");
      expect(dockerSync(["info"]).stdout).toBe("my-docker info\n");
      expect(dockerCommand(["exec", "c"])).toEqual([binary, "exec", "c"]);
    });
  });

  it("that does not exist is one line naming it and the setting", async () => {
    await withDockerPath("/nonexistent/docker", async () => {
      const error = await docker(["ps"]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DockerError);
      expect((error as DockerError).message).toBe(`no such docker binary: /nonexistent/docker (${ENV_DOCKER_PATH})`);
      expect(() => dockerSync(["ps"])).toThrow(`no such docker binary: /nonexistent/docker (${ENV_DOCKER_PATH})`);
    });
  });

  it("reaches the devcontainer CLI's up and exec as --docker-path", async () => {
    const target = { workspaceFolder: "/w", config: "/w/c.json", idLabel: "l=x" };
    expect(await withDockerPath(undefined, () => targetArgs(target))).toEqual(["--workspace-folder", "/w", "--config", "/w/c.json", "--id-label", "l=x", "--docker-path", "docker"]);
    expect((await withDockerPath("/opt/docker", () => targetArgs(target))).slice(-2)).toEqual(["--docker-path", "/opt/docker"]);
  });
});
