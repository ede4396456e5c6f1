/** The layer cache's tag: one per config and base image, the same for every launch of them. */
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { CACHE_REPOSITORY, cacheTag, isCacheTag } from "../../../src/launch/image-cache.js";
import { renderLaunchTree } from "../../../src/launch/render.js";
import { agentConfigPath } from "../../../src/render/devcontainer-json.js";
import type { Tree } from "../../../src/core/tree.js";
import { localOptions } from "../../support/options.js";

const options = localOptions({ workspace: "clone" });
const record = agent("codex");
const CONFIG = agentConfigPath(record);
const stub = (id: string, body = ""): Tree => new Map([["devcontainer-feature.json", { content: `{"id":"${id}"}${body}\n` }]]);
const features = new Map(["codex", "workspace", "mcp"].map((id) => [id, stub(id)]));
const images: Record<string, string> = { "debian:bookworm": "sha256:base1", "debian:trixie": "sha256:base2" };
const imageId = (image: string) => images[image];

const egressAssets: Tree = new Map([
  ["egress/egress.sh", { content: "#!/bin/sh\n" }],
  ["egress/proxy.cjs", { content: "// enforcer\n" }],
]);

function treeOf(name: string, opts = options, feats = features): Tree {
  const dir = `/state/${name}`;
  const host = { gitDir: `/repos/${name}/.git`, volumeSuffix: name, inputDir: `${dir}/input`, hostDir: dir, loginDir: "/state/auth" };
  return renderLaunchTree(record, opts, host, { name, branch: `codex/${name}`, stateDir: dir }, feats, { assets: egressAssets });
}

const tagOf = (tree: Tree) => cacheTag(record.id, tree, CONFIG, imageId, "0.89.0");

describe("the layer cache's tag", () => {
  it("is the same for two launches of one config (their names, branches and folders differ)", () => {
    const tag = tagOf(treeOf("codex-app-a"));
    expect(tag).toMatch(new RegExp(`^${CACHE_REPOSITORY}/codex:[0-9a-f]{32}$`));
    expect(isCacheTag(tag!)).toBe(true);
    expect(tagOf(treeOf("codex-other-b"))).toBe(tag);
  });

  it("changes with what the image is built from: a Feature's files, the base image, its id, the CLI", () => {
    const tag = tagOf(treeOf("a"));
    expect(tagOf(treeOf("a", options, new Map([...features, ["codex", stub("codex", " ")]])))).not.toBe(tag);
    expect(tagOf(treeOf("a", { ...options, baseImage: "debian:trixie" }))).not.toBe(tag);
    expect(cacheTag(record.id, treeOf("a"), CONFIG, () => "sha256:rebuilt", "0.89.0")).not.toBe(tag);
    expect(cacheTag(record.id, treeOf("a"), CONFIG, imageId, "0.90.0")).not.toBe(tag);
  });

  it("differs between egress modes: the CLI bakes containerEnv (an enforced launch's proxy variables) into the image", () => {
    const open = tagOf(treeOf("a"));
    const enforced = tagOf(treeOf("a", { ...options, egress: "log" }));
    expect(enforced).toBeDefined();
    expect(enforced).not.toBe(open);
    expect(tagOf(treeOf("b", { ...options, egress: "log" }))).toBe(enforced);
  });

  it("is none when there is no base image to key by, or no config", () => {
    expect(cacheTag(record.id, treeOf("a"), CONFIG, () => undefined, "0.89.0")).toBeUndefined();
    expect(cacheTag(record.id, new Map(), CONFIG, imageId, "0.89.0")).toBeUndefined();
  });

  it("is told from the devcontainer CLI's own tags", () => {
    expect(isCacheTag("vsc-codex-app-a-1f2e-features:latest")).toBe(false);
  });
});
