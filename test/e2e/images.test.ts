/**
 * The layered images, built from images/ with plain `docker build` (classic builder) on the local base,
 * then used the way users would: `docker run` each agent, a `--prebuilt` config under the real devcontainer
 * CLI (the same checks as the Feature path), and a config that names nothing but the image.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AGENT_IDS, agent, configDir, configEnvValue, configRoot } from "../../src/catalogue/agents.js";
import { featureSources, hookFiles } from "../../src/images/features.js";
import { featureImages } from "../../src/images/index.js";
import { METADATA_LABEL, imageMetadata } from "../../src/images/metadata.js";
import { AGENTS_IMAGE_NAME, BASE_IMAGE_NAME } from "../../src/images/refs.js";
import { packagePath } from "../../src/paths.js";
import { parseJsonc } from "../support/official-schemas.js";
import { docker } from "../support/docker.js";
import { exec, execOk, inspect, remove, up, type Container } from "../support/devcontainer.js";
import {
  IMAGE_OWNER,
  UNTRUSTED_BASE,
  buildAllImages,
  buildFeatureImage,
  committedFeatures,
  hostCaPem,
  layers,
  ref,
  runInImage,
} from "../support/images.js";
import { cli, fixtureRepo, testBedFlags } from "../support/scaffold.js";

const images = featureImages(featureSources(committedFeatures()));
const scratch: string[] = [];
const extraTags: string[] = [];

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

describe.skipIf(!inject("docker"))("the layered images", () => {
  beforeAll(async () => {
    await buildAllImages(inject("nodeMirror"));
  });

  afterAll(() => {
    if (extraTags.length > 0) docker("rmi", "-f", ...extraTags);
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it("base runs as UID 1000 with Node.js LTS, git, gh, Python 3 and a C compiler", () => {
    const out = runInImage(ref(BASE_IMAGE_NAME), ["sh", "-c", "id -u; id -un; node --version; git --version; gh --version; python3 --version; cc --version; make --version"]);
    const [uid, user, node] = out.split("\n");
    expect([uid, user]).toEqual(["1000", "agent"]);
    expect(node).toMatch(/^v24\./);
    expect(out).toMatch(/git version/);
    expect(out).toMatch(/gh version/);
    expect(out).toMatch(/Python 3\./);
    expect(out).toMatch(/GNU Make/);
  });

  it.runIf(hostCaPem() !== "")("base trusts the CAs passed in EXTRA_CA_CERTS (the test base it was built on does not)", () => {
    expect(runInImage(UNTRUSTED_BASE, ["sh", "-c", "ls /usr/local/share/ca-certificates | wc -l"])).toBe("0");
    const first = hostCaPem().split("-----END CERTIFICATE-----")[0]!.trim();
    expect(runInImage(ref(BASE_IMAGE_NAME), ["cat", "/usr/local/share/ca-certificates/extra-ca-01.crt"])).toContain(first);
    // On that trust alone, the image's npm reaches the registry through the proxy (the test builds download from the run's npm cache).
    expect(docker("run", "--rm", ref(BASE_IMAGE_NAME), "sh", "-c", "npm ping --registry=https://registry.npmjs.org/ 2>&1")).toContain("PONG");
  });

  describe.each(AGENT_IDS)("the %s image", (id) => {
    const record = agent(id);

    it(`runs ${record.binary} --version as UID 1000, with its config relocated to a private folder`, () => {
      const out = runInImage(ref(id), ["sh", "-c", `id -u; ${record.binary} --version; printenv ${record.configEnv}; stat -c '%a %u' ${configRoot(record)}`]);
      const lines = out.split("\n");
      expect(lines[0]).toBe("1000");
      expect(out).toMatch(/\d+\.\d+\.\d+/);
      expect(lines.slice(-2)).toEqual([configEnvValue(record), "700 1000"]);
    });

    it("holds no other agent", () => {
      const others = AGENT_IDS.filter((other) => other !== id).map((other) => agent(other).binary);
      expect(runInImage(ref(id), ["sh", "-c", `for b in ${others.join(" ")}; do command -v $b || true; done`])).toBe("");
    });
  });

  it("the agents image holds every agent", () => {
    const script = AGENT_IDS.map((id) => `${agent(id).binary} --version >/dev/null && echo ${id}`).join("; ");
    expect(runInImage(ref(AGENTS_IMAGE_NAME), ["sh", "-c", script]).split("\n")).toEqual([...AGENT_IDS]);
  });

  it("each image's devcontainer.metadata label is the rendered one (user, no-new-privileges, every Feature's hooks)", () => {
    for (const image of images) {
      const label = docker("image", "inspect", "-f", `{{index .Config.Labels "${METADATA_LABEL}"}}`, ref(image.spec.name));
      expect(JSON.parse(label)).toEqual(imageMetadata("agent", image.features, IMAGE_OWNER));
    }
  });

  it("every image starts with base's layers (shared in a registry and on a host)", () => {
    const base = layers(ref(BASE_IMAGE_NAME));
    for (const name of [...AGENT_IDS, AGENTS_IMAGE_NAME]) expect(layers(ref(name)).slice(0, base.length)).toEqual(base);
  });

  it("bumping one agent's version rebuilds only that agent's layers and those above", async () => {
    const tag = "agent-dc-test/gemini-bumped";
    extraTags.push(tag);
    await buildFeatureImage("gemini", { tag, buildArgs: { GEMINI_VERSION: "0.60.0" } });
    expect(runInImage(tag, ["gemini", "--version"])).toBe("0.60.0");
    const before = layers(ref("gemini"));
    const after = layers(tag);
    const gemini = images.find((image) => image.spec.name === "gemini")!;
    const shared = gemini.features.length - 1;
    // Reused: base, a COPY and a RUN per shared Feature, and gemini's COPY (the argument's first use is its RUN).
    expect(commonPrefix(before, after)).toBe(layers(ref(BASE_IMAGE_NAME)).length + 2 * shared + 1);
    expect(after.length).toBe(before.length);
  });

  it("a hook change rebuilds only the hook layers, not the agent installs", async () => {
    const context = mkdtempSync(join(tmpdir(), "features-"));
    scratch.push(context);
    cpSync(packagePath("features", "src"), context, { recursive: true });
    appendFileSync(join(context, "gemini", "hooks", "hook.js"), "\n// a hook change\n");
    const tag = "agent-dc-test/gemini-hook-change";
    extraTags.push(tag);
    await buildFeatureImage("gemini", { tag, context });
    const before = layers(ref("gemini"));
    const after = layers(tag);
    const gemini = images.find((image) => image.spec.name === "gemini")!;
    const hookLayers = gemini.features.filter((feature) => hookFiles(feature).length > 0).length + 1;
    expect(before.length).toBe(after.length);
    expect(commonPrefix(before, after)).toBeGreaterThanOrEqual(before.length - hookLayers);
    expect(runInImage(tag, ["tail", "-n", "1", "/usr/local/share/agent-devcontainer/gemini/hook.js"])).toBe("// a hook change");
  });
});

describe.skipIf(!inject("docker"))("configs that use the prebuilt images, under the real devcontainer CLI", () => {
  let repo: string;
  const containers = new Map<string, Container>();
  let bare: Container;

  beforeAll(async () => {
    await buildAllImages(inject("nodeMirror"));
    repo = fixtureRepo();
    cli([repo, "--yes", "--prebuilt", ...testBedFlags()]);
    // One at a time: the devcontainer CLI tags the image it builds for a config after the workspace folder alone,
    // so two configs of one folder built side by side can start each other's image.
    for (const id of AGENT_IDS) containers.set(id, await up(repo, `${repo}/.devcontainer/${id}/devcontainer.json`));
    // A config with nothing but the image: its label must bring the user, the security options and the hooks.
    const folder = join(mkdtempSync(join(tmpdir(), "image-only-")), "image-only");
    scratch.push(join(folder, ".."));
    mkdirSync(join(folder, ".devcontainer"), { recursive: true });
    writeFileSync(join(folder, ".devcontainer", "devcontainer.json"), JSON.stringify({ image: ref("claude") }));
    bare = await up(folder, join(folder, ".devcontainer", "devcontainer.json"));
  });

  afterAll(() => {
    for (const container of containers.values()) remove(container);
    if (bare) remove(bare);
    if (repo) rmSync(join(repo, ".."), { recursive: true, force: true });
  });

  describe.each(AGENT_IDS)("%s --prebuilt", (id) => {
    const record = agent(id);
    const container = () => containers.get(id)!;

    it("names the agent's image and builds no agent Feature", () => {
      const config = parseJsonc(readFileSync(`${repo}/.devcontainer/${id}/devcontainer.json`, "utf8")) as { image: string; features?: Record<string, unknown> };
      expect(config.image).toBe(ref(id));
      expect(Object.keys(config.features ?? {}).some((key) => key.endsWith(`/${id}`))).toBe(false);
      expect(container().up.log).not.toMatch(/pulling|Pulling from/i);
    });

    it("runs as UID 1000 with no_new_privs and no effective capabilities", async () => {
      expect(container().up.remoteUser).toBe("agent");
      expect(await execOk(container(), ["id", "-u"])).toBe("1000");
      expect(inspect(container()).Config).toMatchObject({ User: "agent" });
      const status = await execOk(container(), ["cat", "/proc/self/status"]);
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
    });

    it(`runs ${record.binary} --version and keeps its config private and writable`, async () => {
      const version = await exec(container(), [record.binary, "--version"]);
      expect(version.code).toBe(0);
      expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
      expect(await execOk(container(), ["printenv", record.configEnv])).toBe(configEnvValue(record));
      expect(await execOk(container(), ["stat", "-c", "%a %u", configRoot(record)])).toBe("700 1000");
      await execOk(container(), ["sh", "-c", `touch ${configDir(record)}/probe && rm ${configDir(record)}/probe`]);
    });

    it("shows the hook's report in the creation log", () => {
      expect(container().up.log).toMatch(new RegExp(`\\[agent-devcontainer\\] ${id}: .*\\d+\\.\\d+.*config ${configDir(record)}`));
    });
  });

  it("a config naming only the image gets the user, no-new-privileges and the hooks from the image's label", async () => {
    expect(bare.up.remoteUser).toBe("agent");
    expect(await execOk(bare, ["id", "-u"])).toBe("1000");
    expect(await execOk(bare, ["grep", "NoNewPrivs", "/proc/self/status"])).toMatch(/1$/);
    expect(bare.up.log).toMatch(/\[agent-devcontainer\] claude: .*config \/var\/lib\/agent-devcontainer\/claude/);
  });
});
