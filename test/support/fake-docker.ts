/** For unit tests of how we read the engine's answers: the adapter's binary set to a script of the test's. */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENV_DOCKER_PATH } from "../../src/engine/docker.js";

/** Writes `body` as an executable `sh` script named `name` in `dir`; returns its path. */
export function fakeDocker(dir: string, body: string, name = "docker"): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** Runs `body` with the setting as given (undefined: unset), restoring the environment after. */
export async function withDockerPath<T>(value: string | undefined, body: () => T | Promise<T>): Promise<T> {
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
