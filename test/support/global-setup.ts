/**
 * Prepares the real-container test bed once per run: a Docker engine (required under CI=true), the local
 * base images (one of them trusting the run's test CA), and a Node.js mirror and an npm cache served on the
 * Docker bridge so Feature builds download from them.
 */
import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { BASE_IMAGE, NODE_IMAGE, bridgeGateway, dockerAvailable, ensureNodeImage, imageExists, useDockerShim } from "./docker.js";
import { removeLeftovers, snapshotEngine } from "./leftovers.js";
import { ensureNodeMirror, serveDirectory } from "./node-mirror.js";
import { ENV_NPM_CACHE, startNpmCache, withNpmCache } from "./npm-cache.js";
import { baseImageWithTestCa, testCaDir } from "./test-ca.js";

declare module "vitest" {
  export interface ProvidedContext {
    docker: boolean;
    nodeMirror: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!dockerAvailable()) {
    if (process.env.CI) throw new Error("CI=true but no Docker engine answers `docker info`: end-to-end tests cannot run");
    console.warn("\n!!! No Docker engine: end-to-end tests are SKIPPED (start one with scripts/testbed/docker.sh)\n");
    project.provide("docker", false);
    project.provide("nodeMirror", "");
    return undefined;
  }
  if (!imageExists(BASE_IMAGE)) {
    throw new Error(`base image ${BASE_IMAGE} is missing: build it with scripts/testbed/base-image.sh`);
  }
  const before = snapshotEngine();
  // Files run side by side; their devcontainer CLIs each stage Features under a tag of their own.
  useDockerShim();
  const mirror = ensureNodeMirror();
  ensureNodeImage(mirror.tarball);
  const { url, server } = await serveDirectory(mirror.dir, bridgeGateway());
  const npmCache = await startNpmCache(bridgeGateway());
  process.env[ENV_NPM_CACHE] = npmCache.url;
  // Every file builds on this one base (it trusts the run's test CA): Feature layers built by one file serve the rest.
  const caDir = testCaDir();
  const base = withNpmCache(baseImageWithTestCa(BASE_IMAGE), npmCache.url);
  process.env.AGENT_DC_TEST_BASE_IMAGE = base;
  process.env.AGENT_DC_TEST_NODE_IMAGE = withNpmCache(NODE_IMAGE, npmCache.url);
  process.env.AGENT_DC_TEST_NODE_MIRROR = url;
  project.provide("docker", true);
  project.provide("nodeMirror", url);
  console.log(`test bed: base ${base}, node image ${process.env.AGENT_DC_TEST_NODE_IMAGE}, Node.js ${mirror.version} mirror at ${url}, npm cache at ${npmCache.url}`);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await npmCache.close();
    rmSync(caDir, { recursive: true, force: true });
    const removed = removeLeftovers(before);
    console.log(`test bed: removed ${removed.images} images, ${removed.volumes} volumes and ${removed.networks} networks the run left`);
  };
}
