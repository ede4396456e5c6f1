import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { AGENT_IDS, agent, configEnvValue } from "../../src/catalogue/agents.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_USER } from "../../src/scaffold-defaults.js";
import { DEFAULT_DEBIAN_IMAGE, IMAGE_USER, renderBaseInstallScript } from "../../src/images/base.js";
import { literal } from "../../src/images/dockerfile.js";
import { featureSources, installFiles } from "../../src/images/features.js";
import { featureImages, renderImages } from "../../src/images/index.js";
import { METADATA_LABEL, imageMetadata } from "../../src/images/metadata.js";
import { agentImageRef, imageRef } from "../../src/images/refs.js";
import { renderAgentConfig } from "../../src/render/devcontainer-json.js";
import { featureIdsFor } from "../../src/render/scaffold.js";
import type { ScaffoldOptions } from "../../src/generated/scaffold-options.js";
import { committedFeatures } from "../support/images.js";
import { devContainerSchemaErrors } from "../support/official-schemas.js";

const release = { version: "1.2.3", license: "MIT", owner: "Some-Owner" };
const features = committedFeatures();
const tree = renderImages(features, release);
const dockerfile = (name: string) => tree.get(`images/${name}/Dockerfile`)!.content;
const images = featureImages(featureSources(features));

/** The LABEL value as Docker reads it: a double-quoted word with \" \\ \$ escapes. */
function labelValue(text: string, name: string): string {
  const match = new RegExp(`${name.replace(/\./g, "\\.")}="((?:[^"\\\\]|\\\\.)*)"`).exec(text);
  if (!match) throw new Error(`no ${name} label`);
  return match[1]!.replace(/\\(.)/g, "$1");
}

describe("image Dockerfiles", () => {
  it("renders base, agents and one image per agent, each with a README", () => {
    const names = ["base", "agents", ...AGENT_IDS];
    for (const name of names) {
      expect(tree.has(`images/${name}/Dockerfile`)).toBe(true);
      expect(tree.has(`images/${name}/README.md`)).toBe(true);
    }
    expect(tree.get("images/base/install.sh")?.mode).toBe(0o755);
  });

  it("work with the classic builder: no syntax line, no BuildKit-only flags", () => {
    for (const [path, file] of tree) {
      if (!path.endsWith("Dockerfile")) continue;
      expect(file.content).not.toMatch(/^#\s*syntax=/m);
      expect(file.content).not.toMatch(/--mount|--link|--chmod|<<[A-Z]/);
    }
  });

  it("defaults to the scaffolder's base image and user", () => {
    expect(DEFAULT_DEBIAN_IMAGE).toBe(DEFAULT_BASE_IMAGE);
    expect(IMAGE_USER).toBe(DEFAULT_USER);
    expect(dockerfile("base")).toContain(`ARG BASE_IMAGE=${DEFAULT_BASE_IMAGE}\nFROM \${BASE_IMAGE}`);
    expect(dockerfile("claude")).toContain(`ARG BASE_IMAGE=${imageRef("Some-Owner", "base")}\nFROM \${BASE_IMAGE}`);
  });

  it("install every Feature of the registry, by its own install.sh, shared ones before the agent", () => {
    const ids = featureSources(features).map((feature) => feature.id);
    expect(images.find((image) => image.spec.name === "agents")!.features.map((f) => f.id)).toEqual(ids);
    for (const id of AGENT_IDS) {
      const text = dockerfile(id);
      const order = images.find((image) => image.spec.name === id)!.features.map((f) => text.indexOf(`cd /tmp/agent-devcontainer/features/${f.id} &&`));
      expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
      for (const other of AGENT_IDS.filter((o) => o !== id)) expect(text).not.toContain(`features/${other}/`);
    }
  });

  it("declare each agent's version argument just before its install layer, and the hooks after every install", () => {
    const text = dockerfile("agents");
    const lastInstall = Math.max(...AGENT_IDS.map((id) => text.indexOf(`VERSION="$${id.toUpperCase()}_VERSION"`)));
    for (const [i, id] of AGENT_IDS.entries()) {
      const arg = text.indexOf(`ARG ${id.toUpperCase()}_VERSION=latest`);
      const copy = text.indexOf(`COPY ${id}/devcontainer-feature.json`);
      expect(arg).toBeGreaterThan(0);
      expect(copy).toBeGreaterThan(arg);
      if (i > 0) expect(arg).toBeGreaterThan(text.indexOf(`COPY ${AGENT_IDS[i - 1]}/devcontainer-feature.json`));
    }
    expect(text.indexOf("/hooks/ /tmp/agent-devcontainer")).toBeGreaterThan(lastInstall);
    for (const feature of featureSources(features)) expect(installFiles(feature)).not.toContain("README.md");
  });

  it("label each image with OCI annotations and the rendered devcontainer.metadata", () => {
    for (const image of images) {
      const text = dockerfile(image.spec.name);
      expect(labelValue(text, "org.opencontainers.image.version")).toBe("1.2.3");
      expect(labelValue(text, "org.opencontainers.image.licenses")).toBe("MIT");
      expect(labelValue(text, "org.opencontainers.image.source")).toMatch(/^https:\/\/github\.com\//);
      expect(JSON.parse(labelValue(text, METADATA_LABEL))).toEqual(imageMetadata(IMAGE_USER, image.features, "Some-Owner"));
    }
  });

  it("give no container from the images extra privileges (metadata adds no capability, privileged or init)", () => {
    for (const image of images) {
      const [own, ...entries] = imageMetadata(IMAGE_USER, image.features, "o");
      expect(own).toMatchObject({ remoteUser: "agent", containerUser: "agent", securityOpt: ["no-new-privileges:true"] });
      for (const entry of entries) {
        expect(entry).not.toHaveProperty("capAdd");
        expect(entry).not.toHaveProperty("privileged");
        expect(String(entry.id)).toMatch(/^ghcr\.io\/o\/create-agent-devcontainer\/[a-z-]+:1$/);
      }
    }
  });

  it("bake every Feature's containerEnv as ENV, as the devcontainer CLI does", () => {
    for (const id of AGENT_IDS) expect(dockerfile(id)).toContain(`ENV ${agent(id).configEnv}="${configEnvValue(agent(id))}"`);
  });

  it("escape LABEL values so Docker reads them back verbatim", () => {
    expect(literal('a "b" $HOME \\ c')).toBe('"a \\"b\\" \\$HOME \\\\ c"');
  });

  it.runIf(spawnSync("shellcheck", ["--version"]).status === 0)("base install.sh passes ShellCheck", () => {
    const result = spawnSync("shellcheck", ["-"], { input: renderBaseInstallScript(), encoding: "utf8" });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("--prebuilt configs", () => {
  const options: ScaffoldOptions = {
    agents: ["claude", "codex"],
    baseImage: "debian:trixie-slim",
    user: "agent",
    featureSource: "local",
    featureOwner: "Some-Owner",
    repoName: "repo",
    prebuilt: true,
  };

  it("name the agent's image (owner lower-cased, under images/) and carry no agent Feature", () => {
    const config = renderAgentConfig(agent("claude"), options);
    expect(config.image).toBe("ghcr.io/some-owner/create-agent-devcontainer/images/claude:1");
    expect(config.image).toBe(agentImageRef(agent("claude"), "Some-Owner"));
    expect(Object.keys(config.features ?? {}).some((ref) => /\/(claude|codex)$/.test(ref))).toBe(false);
    expect(config).toMatchObject({ remoteUser: "agent", containerUser: "agent", securityOpt: ["no-new-privileges:true"] });
    expect(devContainerSchemaErrors(config)).toEqual([]);
  });

  it("keep the user, security, mounts and hooks of the Feature path, minus Features the image holds", () => {
    const built = renderAgentConfig(agent("codex"), { ...options, prebuilt: false });
    const prebuilt = renderAgentConfig(agent("codex"), options);
    const { image: _a, features: featuresA = {}, ...restA } = built;
    const { image: _b, features: featuresB = {}, ...restB } = prebuilt;
    expect(restB).toEqual(restA);
    const kept = Object.keys(featuresA).filter((ref) => !ref.endsWith("/codex"));
    expect(Object.keys(featuresB).every((ref) => kept.includes(ref))).toBe(true);
  });

  it("vendor no agent Feature", () => {
    expect(featureIdsFor(options)).not.toContain("claude");
    expect(featureIdsFor({ ...options, prebuilt: false })).toContain("claude");
  });
});
