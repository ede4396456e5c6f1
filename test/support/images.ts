/**
 * Builds the layered images from images/ with plain `docker build` (the classic builder) on the local test
 * bed, tagged with their GHCR names so configs and templates find them without a registry. Each build
 * reuses Docker's layer cache, so the e2e files and the benchmark share one set of images per run.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_IDS } from "../../src/catalogue/agents.js";
import { readFeatureTree } from "../../src/features/load.js";
import { DEFAULT_FEATURE_OWNER } from "../../src/features/refs.js";
import { AGENTS_IMAGE_NAME, BASE_IMAGE_NAME, imageRef } from "../../src/images/refs.js";
import { acquireLock } from "../../src/launch/build-lock.js";
import { packagePath } from "../../src/paths.js";
import { mergeTrees, prefixTree, type Tree } from "../../src/core/tree.js";
import { BASE_IMAGE, docker, imageExists } from "./docker.js";
import { ENV_NPM_CACHE, withNpmCache } from "./npm-cache.js";

export const IMAGE_OWNER = DEFAULT_FEATURE_OWNER;
/** Build order: base, the one-agent images, then `agents` (its first agent's layers come from the cache). */
export const IMAGE_NAMES = [BASE_IMAGE_NAME, ...AGENT_IDS, AGENTS_IMAGE_NAME] as const;
export const UNTRUSTED_BASE = "agent-dc-test/debian-untrusted:bookworm";
const HOST_CA_DIR = "/usr/local/share/ca-certificates";

export interface Build {
  image: string;
  seconds: number;
  log: string;
}

export function ref(name: string): string {
  return imageRef(IMAGE_OWNER, name);
}

/** `docker build`, capturing the log; rejects with its tail on failure. */
export function dockerBuild(args: string[], timeoutMs = 20 * 60_000): Promise<{ seconds: number; log: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn("docker", ["build", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve({ seconds, log });
      else reject(new Error(`docker build ${args.join(" ")} failed (${code}):\n${log.slice(-4000)}`));
    });
  });
}

/** The host's extra CAs (a TLS-intercepting proxy's), as PEM text; empty where there are none. */
export function hostCaPem(): string {
  if (!existsSync(HOST_CA_DIR)) return "";
  return readdirSync(HOST_CA_DIR)
    .filter((file) => file.endsWith(".crt"))
    .sort()
    .map((file) => readFileSync(`${HOST_CA_DIR}/${file}`, "utf8").trim())
    .join("\n");
}

/**
 * The test base with the host's extra CAs removed, so only the base image's EXTRA_CA_CERTS can make TLS
 * through the proxy work. Where the host has no extra CA the test base is already that.
 */
export async function untrustedBase(): Promise<string> {
  if (hostCaPem() === "") return BASE_IMAGE;
  if (!imageExists(UNTRUSTED_BASE)) {
    const dockerfile = `FROM ${BASE_IMAGE}\nRUN rm -f ${HOST_CA_DIR}/*.crt && update-ca-certificates --fresh >/dev/null\n`;
    await new Promise<void>((resolve, reject) => {
      const child = spawn("docker", ["build", "-q", "-t", UNTRUSTED_BASE, "-"], { stdio: ["pipe", "ignore", "inherit"] });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`building ${UNTRUSTED_BASE} failed (${code})`))));
      child.stdin.end(dockerfile);
    });
  }
  return UNTRUSTED_BASE;
}

export interface BuildOptions {
  /** Extra `--build-arg NAME=value`s. */
  buildArgs?: Record<string, string>;
  /** Build context for a Features image (default: features/src). */
  context?: string;
  tag?: string;
  noCache?: boolean;
}

function buildArgs(args: Record<string, string>): string[] {
  return Object.entries(args).flatMap(([name, value]) => ["--build-arg", `${name}=${value}`]);
}

/** Builds images/base on the untrusted test base, trusting the host's CAs through EXTRA_CA_CERTS. */
export async function buildBase(nodeMirror: string, options: BuildOptions = {}): Promise<Build> {
  const image = options.tag ?? ref(BASE_IMAGE_NAME);
  const npmCache = process.env[ENV_NPM_CACHE];
  const args = {
    BASE_IMAGE: npmCache ? withNpmCache(await untrustedBase(), npmCache) : await untrustedBase(),
    NODE_MIRROR: nodeMirror,
    ...(hostCaPem() ? { EXTRA_CA_CERTS: hostCaPem() } : {}),
    ...options.buildArgs,
  };
  const run = await dockerBuild([...(options.noCache ? ["--no-cache"] : []), "-t", image, ...buildArgs(args), packagePath("images", "base")]);
  return { image, ...run };
}

/** Builds images/<name> (FROM the base built above) with the Features folder as context. */
export async function buildFeatureImage(name: string, options: BuildOptions = {}): Promise<Build> {
  const image = options.tag ?? ref(name);
  const run = await dockerBuild([
    ...(options.noCache ? ["--no-cache"] : []),
    "-t", image,
    "-f", packagePath("images", name, "Dockerfile"),
    ...buildArgs(options.buildArgs ?? {}),
    options.context ?? packagePath("features", "src"),
  ]);
  return { image, ...run };
}

/**
 * Every image, in build order; what is unchanged comes from Docker's cache. One file at a time builds them
 * (files run side by side): the classic builder shares no build in progress, so the second file waits and
 * gets every layer from the cache instead of installing each agent again.
 */
export async function buildAllImages(nodeMirror: string): Promise<Map<string, Build>> {
  const release = await acquireLock(join(tmpdir(), `agent-dc-test-images-${process.getuid?.() ?? 0}.lock`), () => undefined);
  try {
    const builds = new Map<string, Build>();
    builds.set(BASE_IMAGE_NAME, await buildBase(nodeMirror));
    for (const name of IMAGE_NAMES.slice(1)) builds.set(name, await buildFeatureImage(name));
    return builds;
  } finally {
    release();
  }
}

/** Layer digests of an image, bottom first: equal prefixes mean shared layers. */
export function layers(image: string): string[] {
  return JSON.parse(docker("image", "inspect", "-f", "{{json .RootFS.Layers}}", image)) as string[];
}

/** `docker run --rm` of the image's default user (never root). */
export function runInImage(image: string, command: string[]): string {
  return docker("run", "--rm", "--network", "none", image, ...command);
}

/** The committed Features (features/src/<id>/…) as one tree: the registry the images were rendered from. */
export function committedFeatures(): Tree {
  const root = packagePath("features", "src");
  const ids = readdirSync(root).filter((id) => existsSync(`${root}/${id}/devcontainer-feature.json`));
  return mergeTrees(...ids.map((id) => prefixTree(`features/src/${id}`, readFeatureTree(id))));
}
