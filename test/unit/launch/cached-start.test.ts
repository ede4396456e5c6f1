/**
 * The cached start's config: the launch's own, on the cached image, with nothing to build. Every setting that
 * shapes the container (its docker-run arguments: security options, limits, user, mounts, network) is the
 * launch config's, so a container started from the cache is confined exactly as a built one.
 */
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { cacheLabel, cachedConfigPath, renderCachedConfig } from "../../../src/launch/cached-start.js";
import { renderLaunchTree } from "../../../src/launch/render.js";
import { agentConfigPath } from "../../../src/render/devcontainer-json.js";
import type { Tree } from "../../../src/core/tree.js";
import { devContainerSchemaErrors, parseJsonc } from "../../support/official-schemas.js";
import { localOptions } from "../../support/options.js";

const TAG = "create-agent-devcontainer-cache/codex:0123456789abcdef0123456789abcdef";
const options = localOptions({
  workspace: "clone",
  egress: "allowlist",
  limits: { agent: { pids: 512, memory: "2g", cpus: 1 } },
  mcpSource: ".devcontainer/mcp.toml",
  mcpSecretsFile: "~/.secrets.env",
});
const record = agent("codex");
const stub = (id: string): Tree => new Map([["devcontainer-feature.json", { content: `{"id":"${id}"}\n` }]]);
const features = new Map(["codex", "workspace", "mcp"].map((id) => [id, stub(id)]));
const host = { gitDir: "/repos/app/.git", volumeSuffix: "codex-app-x", inputDir: "/state/codex-app-x/input", hostDir: "/state/codex-app-x", loginDir: "/state/auth", containerName: "codex-app-x" };
const assets: Tree = new Map([
  ["egress/egress.sh", { content: "#!/bin/sh\n" }],
  ["egress/proxy.cjs", { content: "// proxy\n" }],
]);
const tree = renderLaunchTree(record, options, host, { name: "codex-app-x", branch: "codex/x", stateDir: "/state/codex-app-x" }, features, { assets });
const launchConfig = parseJsonc(tree.get(agentConfigPath(record))!.content) as Record<string, unknown>;
const cached = parseJsonc(renderCachedConfig(tree.get(agentConfigPath(record))!.content, TAG)!) as Record<string, unknown>;

describe("the cached start's config", () => {
  it("is the launch's config but for its image (the cached one) and its Features (none: nothing to build)", () => {
    const { image: _image, features: _features, ...rest } = launchConfig;
    expect(cached).toEqual({ ...rest, image: TAG });
    expect(devContainerSchemaErrors(cached)).toEqual([]);
  });

  it("keeps every docker-run setting the config requires: no-new-privileges, limits, the non-root user, read-only binds, the enforcer's network", () => {
    // The fixture's config has them all, so the equality above covers each.
    expect(launchConfig.securityOpt).toEqual(["no-new-privileges:true"]);
    expect(launchConfig.runArgs).toEqual(expect.arrayContaining(["--pids-limit=512", "--memory=2g", "--cpus=1", "--network=cadc-egress-${devcontainerId}"]));
    expect([launchConfig.containerUser, launchConfig.remoteUser]).toEqual(["agent", "agent"]);
    const binds = (launchConfig.mounts as string[]).filter((mount) => mount.startsWith("type=bind"));
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) expect(bind).toMatch(/,readonly$/);
    for (const key of ["runArgs", "securityOpt", "capAdd", "privileged", "init", "containerUser", "remoteUser", "mounts", "containerEnv", "initializeCommand", "updateRemoteUserUID"]) {
      expect(cached[key], key).toEqual(launchConfig[key]);
    }
  });

  it("sits in its own folder beside the launch's config", () => {
    expect(cachedConfigPath("/state/x/.devcontainer/codex/devcontainer.json")).toBe("/state/x/.devcontainer/codex/cached/devcontainer.json");
  });
});

describe("the cache tag's label", () => {
  const base = { remoteUser: "node" };
  const codex = { id: "../features/codex", postStartCommand: "/usr/local/share/agent-devcontainer/codex/hook post-start" };
  const own = { mounts: ["type=bind,source=/state/other-launch/git-view,target=/mnt/host-repo.git,readonly"], containerUser: "agent" };

  it("drops the entry of the launch that built the image (its mounts and volumes are that launch's), keeping the base's and the Features'", () => {
    const label = cacheLabel(JSON.stringify([base, codex, own]));
    expect(JSON.parse(label!)).toEqual([base, codex]);
    // A relabelled image is recognised by its label staying the same (an image tagged by plain `docker tag` is not).
    expect(cacheLabel(label)).toBe(label);
    expect(cacheLabel(JSON.stringify([base, codex, own]))).not.toBe(JSON.stringify([base, codex, own]));
  });

  it("is none for an image without the devcontainer CLI's label", () => {
    for (const label of [undefined, "", "not json", "{}", "[1]"]) expect(cacheLabel(label), String(label)).toBeUndefined();
  });
});
