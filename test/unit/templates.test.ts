import { describe, expect, it } from "vitest";
import { AGENT_IDS, agent } from "../../src/catalogue/agents.js";
import { DEFAULT_MCP_SOURCE_PATH } from "../../src/scaffold-defaults.js";
import { featureRef } from "../../src/features/refs.js";
import type { DevContainerConfig } from "../../src/model/devcontainer.js";
import { renderAgentConfig } from "../../src/render/devcontainer-json.js";
import { mergeAgentConfigs, templateScaffoldOptions } from "../../src/templates/config.js";
import { renderTemplates, templateDefinitions } from "../../src/templates/index.js";
import { substituteOption } from "../../src/templates/options.js";
import type { TemplateMetadata } from "../../src/model/template.js";
import { devContainerSchemaErrors, parseJsonc } from "../support/official-schemas.js";

const tree = renderTemplates();
const file = (id: string, path: string) => tree.get(`templates/src/${id}/${path}`)!.content;
const metadata = (id: string) => JSON.parse(file(id, "devcontainer-template.json")) as TemplateMetadata;

/** What devcontainers/templates CI does before `devcontainer up`: every option's default, in every file. */
function applyDefaults(id: string, text: string): string {
  const options = metadata(id).options ?? {};
  return text.replace(/\$\{templateOption:([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const option = options[name];
    if (!option) throw new Error(`${id}: \${templateOption:${name}} has no option`);
    return String(option.default);
  });
}

describe("templates", () => {
  it("ship every host script their initializeCommand runs, and keep each config short, with no multi-line script", () => {
    for (const { id } of templateDefinitions()) {
      const text = file(id, ".devcontainer/devcontainer.json");
      // Each agent in the "all" Template adds its Feature (3 lines), auth label, staging step and mount.
      expect(text.split("\n").length).toBeLessThan(id === "all" ? 60 + 6 * AGENT_IDS.length : 80);
      expect(text).not.toMatch(/\\n/);
      const config = parseJsonc(text) as { initializeCommand: Record<string, string | string[]> };
      const scripts = Object.values(config.initializeCommand).filter(Array.isArray).map((argv) => argv[1]!);
      expect(scripts.length).toBeGreaterThan(0);
      const shipped = [...tree.keys()].filter((path) => path.startsWith(`templates/src/${id}/.devcontainer/host/`));
      expect(shipped).toEqual([...new Set(scripts)].sort().map((path) => `templates/src/${id}/${path}`));
    }
  });

  it("one per agent and one with every agent, each with metadata, a config and a README", () => {
    expect(templateDefinitions().map((t) => t.id)).toEqual([...AGENT_IDS, "all"]);
    for (const { id } of templateDefinitions()) {
      expect(metadata(id)).toMatchObject({ id, version: "1.0.0", platforms: ["Any"] });
      expect(file(id, "README.md")).toContain(`templates/${id}`);
    }
  });

  it("declare a version option per agent and the MCP source path, each used in the config and nothing else", () => {
    for (const { id, agents } of templateDefinitions()) {
      const declared = Object.keys(metadata(id).options ?? {}).sort();
      expect(declared).toEqual([...agents.map((a) => `${a}Version`), "mcpSource"].sort());
      const used = [...new Set([...file(id, ".devcontainer/devcontainer.json").matchAll(/\$\{templateOption:(\w+)\}/g)].map((m) => m[1]))].sort();
      expect(used).toEqual(declared);
    }
  });

  it("with the defaults substituted, a one-agent template is the scaffolder's config on the base image", () => {
    for (const id of AGENT_IDS) {
      const config = parseJsonc(applyDefaults(id, file(id, ".devcontainer/devcontainer.json"))) as DevContainerConfig;
      expect(devContainerSchemaErrors(config)).toEqual([]);
      const options = templateScaffoldOptions([id], DEFAULT_MCP_SOURCE_PATH);
      const expected = renderAgentConfig(agent(id), options);
      const ref = featureRef(id, options);
      expect(config.features?.[ref]).toEqual({ version: "latest", ...expected.features?.[ref] });
      expect({ ...config, features: undefined }).toEqual({ ...expected, features: undefined });
      expect(config.image).toBe("ghcr.io/create-agent-devcontainer/create-agent-devcontainer/images/base:1");
    }
  });

  it("the all template holds every agent's Feature and login, and one workspace (the first agent's)", () => {
    const config = parseJsonc(applyDefaults("all", file("all", ".devcontainer/devcontainer.json"))) as DevContainerConfig;
    expect(devContainerSchemaErrors(config)).toEqual([]);
    for (const id of AGENT_IDS) expect(config.features?.[featureRef(id, { featureSource: "ghcr", featureOwner: "create-agent-devcontainer" })]).toEqual({ version: "latest" });
    const labelKeys = (config.runArgs ?? []).flatMap((arg) => /^--label=([^=]+)=/.exec(arg)?.[1] ?? []);
    expect(new Set(labelKeys).size).toBe(labelKeys.length);
    // One container, so one set of limits (every agent's config carries the same defaults).
    expect((config.runArgs ?? []).filter((arg) => !arg.startsWith("--label="))).toEqual(["--pids-limit=1024", "--memory=4g", "--cpus=2"]);
    const mounts = (config.mounts ?? []).map(String);
    expect(new Set(mounts).size).toBe(mounts.length);
    expect(mounts.filter((m) => m.includes("target=/workspace,") || m.endsWith("target=/workspace"))).toHaveLength(1);
    expect(mounts.some((m) => m.includes("refs/heads/codex"))).toBe(false);
  });
});

describe("mergeAgentConfigs", () => {
  const a: DevContainerConfig = {
    name: "a",
    image: "img",
    features: { f: {}, g: { x: "1" } },
    runArgs: ["--label=agent=a", "--label=auth.a=copy", "--init"],
    mounts: ["m1", "m2"],
    containerEnv: { AGENT: "a" },
    initializeCommand: { one: "true" },
  };
  const b: DevContainerConfig = {
    name: "b",
    image: "img",
    features: { f: {}, h: {} },
    runArgs: ["--label=agent=b", "--label=auth.b=token", "--init"],
    mounts: ["m2", "m3"],
    containerEnv: { AGENT: "b", OTHER: "1" },
    initializeCommand: { two: "true" },
  };

  it("adds the others' Features, mounts, labels and hooks once, and keeps the first's where they differ", () => {
    expect(mergeAgentConfigs("both", [a, b])).toEqual({
      name: "both",
      image: "img",
      features: { f: {}, g: { x: "1" }, h: {} },
      runArgs: ["--label=agent=a", "--label=auth.a=copy", "--init", "--label=auth.b=token"],
      mounts: ["m1", "m2", "m3"],
      containerEnv: { AGENT: "a", OTHER: "1" },
      initializeCommand: { one: "true", two: "true" },
    });
  });

  it("refuses two different single-command hooks", () => {
    expect(() => mergeAgentConfigs("x", [{ ...a, postCreateCommand: "a" }, { ...b, postCreateCommand: "b" }])).toThrow(/postCreateCommand/);
  });
});

describe("substituteOption", () => {
  it("places the placeholder where the value went", () => {
    expect(substituteOption("p", (v) => `{"source":"${v}"}`)).toBe('{"source":"${templateOption:p}"}');
  });

  it("fails when the option changes the output's shape, not just a value", () => {
    expect(() => substituteOption("p", (v) => (v.includes("other") ? "{}" : `{"source":"${v}"}`))).toThrow(/structure/);
  });
});
