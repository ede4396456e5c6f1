/**
 * The publishing path, offline: the real `devcontainer features package`, and `features publish` /
 * `templates publish` into a throwaway registry on loopback (the release workflow's commands, minus GHCR).
 * Then every template is applied from that registry with `devcontainer templates apply` (which substitutes
 * the option defaults) and brought up for real, its Features fetched from the same registry and its image
 * the base image built locally under its GHCR name.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { agent, configDir } from "../../src/catalogue/agents.js";
import { DEFAULT_FEATURE_OWNER, REPO_NAME } from "../../src/features/refs.js";
import { packagePath } from "../../src/paths.js";
import { templateDefinitions } from "../../src/templates/index.js";
import { DEVCONTAINER_BIN, execOk, remove, up, type Container } from "../support/devcontainer.js";
import { buildBase } from "../support/images.js";
import { startRegistry, type Registry } from "../support/oci-registry.js";
import { featureSchemaErrors, parseJsonc } from "../support/official-schemas.js";
import { fixtureRepo } from "../support/scaffold.js";

const NAMESPACE = `${DEFAULT_FEATURE_OWNER}/${REPO_NAME}`;
const FEATURES = packagePath("features", "src");
const TEMPLATES = packagePath("templates", "src");
const templates = templateDefinitions();
/**
 * Every template is applied; two are brought up: the one with every agent (each agent's Feature fetched from the
 * registry and installed) and one single-agent template, rendered like the other six.
 */
const BROUGHT_UP = new Set([templates.find((template) => template.agents.length > 1)!.id, templates.find((template) => template.agents.length === 1)!.id]);

/** The devcontainer CLI, asynchronously: the registry answering it runs in this process. */
function devcontainer(args: string[], timeoutMs = 5 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEVCONTAINER_BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`devcontainer ${args.join(" ")} exited ${code}: ${stderr.slice(-3000)}`));
    });
  });
}

describe("devcontainer features package (offline)", () => {
  it("packages every Feature, and the packaged metadata validates against the official Feature schema", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "features-package-"));
    const out = join(scratch, "out");
    try {
      await devcontainer(["features", "package", FEATURES, "-o", out]);
      const collection = JSON.parse(readFileSync(join(out, "devcontainer-collection.json"), "utf8")) as { features: { id: string }[] };
      const ids = readdirSync(FEATURES).sort();
      expect(collection.features.map((feature) => feature.id).sort()).toEqual(ids);
      for (const feature of collection.features) {
        expect(featureSchemaErrors(feature)).toEqual([]);
        expect(existsSync(join(out, `devcontainer-feature-${feature.id}.tgz`))).toBe(true);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!inject("docker"))("publishing to a registry, then every template applied and brought up", () => {
  let registry: Registry;
  const repos = new Map<string, string>();
  const containers = new Map<string, Container>();

  beforeAll(async () => {
    registry = await startRegistry();
    await devcontainer(["features", "publish", FEATURES, "-r", registry.host, "-n", NAMESPACE]);
    await devcontainer(["templates", "publish", TEMPLATES, "-r", registry.host, "-n", `${NAMESPACE}/templates`]);
    // The templates' default image, under its published name, so nothing is pulled.
    await buildBase(inject("nodeMirror"));
    for (const template of templates) {
      const repo = fixtureRepo(`template-${template.id}`);
      repos.set(template.id, repo);
      await devcontainer(["templates", "apply", "-t", `${registry.host}/${NAMESPACE}/templates/${template.id}:1`, "-w", repo]);
      // The one change from a user's copy: the Features come from this registry instead of ghcr.io.
      const path = join(repo, ".devcontainer", "devcontainer.json");
      const config = parseJsonc(readFileSync(path, "utf8")) as { features: Record<string, unknown> };
      const local = (ref: string) => ref.replace(`ghcr.io/${NAMESPACE}/`, `${registry.host}/${NAMESPACE}/`);
      config.features = Object.fromEntries(Object.entries(config.features).map(([ref, options]) => [local(ref), options]));
      writeFileSync(path, JSON.stringify(config, null, 2));
      if (BROUGHT_UP.has(template.id)) containers.set(template.id, await up(repo, path));
    }
  });

  afterAll(async () => {
    for (const container of containers.values()) remove(container);
    for (const repo of repos.values()) rmSync(join(repo, ".."), { recursive: true, force: true });
    await registry?.close();
  });

  it("publishes every Feature and template with the semver tags and a collection", () => {
    // Each Feature carries its own version (src/features/feature.ts): its semver tags follow it.
    for (const id of readdirSync(FEATURES)) {
      const { version } = JSON.parse(readFileSync(join(FEATURES, id, "devcontainer-feature.json"), "utf8")) as { version: string };
      const [major, minor] = version.split(".");
      expect(registry.tags(`${NAMESPACE}/${id}`), id).toEqual([major, `${major}.${minor}`, version, "latest"]);
    }
    for (const template of templates) expect(registry.tags(`${NAMESPACE}/templates/${template.id}`)).toEqual(["1", "1.0", "1.0.0", "latest"]);
    expect(registry.tags(NAMESPACE)).toEqual(["latest"]);
    expect(registry.tags(`${NAMESPACE}/templates`)).toEqual(["latest"]);
  });

  describe.each(templates.map((template) => [template.id, template.agents] as const))("template %s", (id, agents) => {
    it("applies with every option default substituted", () => {
      const text = readFileSync(join(repos.get(id)!, ".devcontainer", "devcontainer.json"), "utf8");
      expect(text).not.toContain("${templateOption:");
      const config = parseJsonc(text) as { features: Record<string, { version?: string; source?: string }> };
      const versions = Object.entries(config.features).filter(([, options]) => options.version !== undefined);
      expect(versions.map(([, options]) => options.version)).toEqual(agents.map(() => "latest"));
      expect(existsSync(join(repos.get(id)!, "devcontainer-template.json"))).toBe(false);
    });
  });

  describe.each(templates.filter((template) => BROUGHT_UP.has(template.id)).map((template) => [template.id, template.agents] as const))(
    "template %s, brought up",
    (id, agents) => {
      const container = () => containers.get(id)!;

      it("comes up as UID 1000 with no_new_privs, every agent running and its hook reporting", async () => {
        expect(await execOk(container(), ["id", "-u"])).toBe("1000");
        expect(await execOk(container(), ["grep", "NoNewPrivs", "/proc/self/status"])).toMatch(/1$/);
        for (const agentId of agents) {
          const record = agent(agentId);
          expect(await execOk(container(), [record.binary, "--version"])).toMatch(/\d+\.\d+\.\d+/);
          expect(container().up.log).toMatch(new RegExp(`\\[agent-devcontainer\\] ${agentId}: .*config ${configDir(record)}`));
        }
      });
    },
  );
});
