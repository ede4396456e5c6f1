/**
 * A caching mirror of the npm registry for one test run, served on the Docker bridge: every Feature build of an
 * agent CLI downloads its package (Claude Code's and Codex's native ones are about 200 MB each) from here, so the
 * run fetches each package once instead of once per image, and builds do not share the machine's link to the
 * registry. It is a plain registry to npm: the metadata is the registry's own, with tarball URLs pointing here,
 * and npm checks each tarball against the integrity the registry published. The test base images name it in
 * root's ~/.npmrc (withNpmCache), which is where a Feature's install runs npm.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageExists } from "./docker.js";

const UPSTREAM = "https://registry.npmjs.org";

export interface NpmCache {
  url: string;
  close(): Promise<void>;
}

/** Metadata by path and Accept (npm asks for the abbreviated form to install, the full one to `npm view`), tarballs by path. */
export async function startNpmCache(host: string): Promise<NpmCache> {
  const dir = mkdtempSync(join(tmpdir(), "agent-dc-npm-cache-"));
  const pending = new Map<string, Promise<string>>();
  let url = "";

  /** The cached file for this request, fetched once however many builds ask at the same time. */
  const cached = (path: string, accept: string): Promise<string> => {
    const tarball = /\/-\/[^/]+\.tgz$/.test(path);
    const key = createHash("sha256").update(tarball ? path : `${path}\n${accept}`).digest("hex");
    const file = join(dir, key);
    if (existsSync(file)) return Promise.resolve(file);
    let fetching = pending.get(key);
    if (!fetching) {
      fetching = (async () => {
        const response = await fetch(`${UPSTREAM}${path}`, { headers: { accept }, signal: AbortSignal.timeout(10 * 60_000) });
        if (!response.ok) throw new Error(`${response.status}`);
        const body = Buffer.from(await response.arrayBuffer());
        // Tarballs are served from here too; their bytes and the integrity npm checks them by stay the registry's.
        const content = tarball ? body : Buffer.from(body.toString("utf8").replaceAll(`"${UPSTREAM}/`, `"${url}/`));
        writeFileSync(`${file}.part`, content);
        renameSync(`${file}.part`, file);
        return file;
      })().finally(() => pending.delete(key));
      pending.set(key, fetching);
    }
    return fetching;
  };

  const server: Server = createServer((request, response) => {
    const path = request.url ?? "/";
    if (request.method !== "GET" || !path.startsWith("/") || path.includes("..")) {
      response.writeHead(405).end();
      return;
    }
    const tarball = /\/-\/[^/]+\.tgz$/.test(path);
    const accept = String(request.headers.accept ?? "application/json");
    cached(path, accept).then(
      (file) => {
        response.writeHead(200, { "content-type": tarball ? "application/octet-stream" : "application/json" });
        createReadStream(file).pipe(response);
      },
      (error: Error) => response.writeHead(error.message === "404" ? 404 : 502).end(),
    );
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("npm cache has no port");
  url = `http://${host}:${address.port}`;
  return {
    url,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The run's cache, as the e2e global setup publishes it to the test files. */
export const ENV_NPM_CACHE = "AGENT_DC_TEST_NPM_CACHE";

/** `image` with root's ~/.npmrc naming the cache: a Feature's install runs npm as root, so it downloads from there. */
export function withNpmCache(image: string, cacheUrl: string): string {
  const tag = `${image.split(":")[0]}-npm:${createHash("sha256").update(image).update(cacheUrl).digest("hex").slice(0, 12)}`;
  if (imageExists(tag)) return tag;
  const context = mkdtempSync(join(tmpdir(), "npm-cache-image-"));
  try {
    writeFileSync(join(context, "npmrc"), `registry=${cacheUrl}/\n`);
    writeFileSync(join(context, "Dockerfile"), `FROM ${image}\nCOPY npmrc /root/.npmrc\n`);
    execFileSync("docker", ["build", "-q", "-t", tag, context], { stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
  return tag;
}
