/**
 * A throwaway OCI registry on loopback, in memory: just the Distribution API calls that
 * `devcontainer features|templates publish` push with, and that `templates apply` and Feature installs
 * pull with. The devcontainer CLI speaks plain HTTP to a registry named `localhost:<port>`, so the real
 * publish and fetch code runs offline, against this.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export interface Registry {
  /** `localhost:<port>`: what `-r` and OCI references take. */
  host: string;
  /** Tags pushed per repository (e.g. `owner/repo/claude` → ["1", "1.0", "1.0.0", "latest"]). */
  tags(repository: string): string[];
  /** The manifest a tag points at, parsed. */
  manifest(repository: string, tag: string): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

interface Manifest {
  body: Buffer;
  type: string;
  digest: string;
}

function digestOf(body: Buffer): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

export async function startRegistry(): Promise<Registry> {
  const blobs = new Map<string, Buffer>();
  const uploads = new Map<string, Buffer[]>();
  const manifests = new Map<string, Map<string, Manifest>>();

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://registry");
    const method = request.method ?? "GET";
    const send = (status: number, headers: Record<string, string> = {}, body?: Buffer | string) => {
      response.writeHead(status, { "Docker-Distribution-API-Version": "registry/2.0", ...headers });
      response.end(method === "HEAD" ? undefined : body);
    };
    if (url.pathname === "/v2/" || url.pathname === "/v2") return send(200, { "Content-Type": "application/json" }, "{}");
    const match = /^\/v2\/(.+)\/(manifests|blobs\/uploads|blobs|tags)\/?(.*)$/.exec(url.pathname);
    if (!match) return send(404);
    const [, name = "", kind, ref = ""] = match;
    const repo = manifests.get(name) ?? new Map<string, Manifest>();
    manifests.set(name, repo);

    if (kind === "tags") {
      const tags = [...repo.keys()].filter((key) => !key.startsWith("sha256:"));
      return send(200, { "Content-Type": "application/json" }, JSON.stringify({ name, tags }));
    }
    if (kind === "manifests") {
      if (method === "PUT") {
        const body = await readBody(request);
        const manifest = { body, type: request.headers["content-type"] ?? "application/vnd.oci.image.manifest.v1+json", digest: digestOf(body) };
        repo.set(ref, manifest);
        repo.set(manifest.digest, manifest);
        return send(201, { Location: `/v2/${name}/manifests/${manifest.digest}`, "Docker-Content-Digest": manifest.digest });
      }
      const manifest = repo.get(ref);
      if (!manifest) return send(404, { "Content-Type": "application/json" }, JSON.stringify({ errors: [{ code: "MANIFEST_UNKNOWN" }] }));
      return send(200, { "Content-Type": manifest.type, "Docker-Content-Digest": manifest.digest, "Content-Length": String(manifest.body.length) }, manifest.body);
    }
    if (kind === "blobs/uploads") {
      if (method === "POST") {
        const body = await readBody(request);
        const digest = url.searchParams.get("digest");
        if (digest) {
          blobs.set(digest, body);
          return send(201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
        }
        const id = randomUUID();
        uploads.set(id, body.length > 0 ? [body] : []);
        return send(202, { Location: `/v2/${name}/blobs/uploads/${id}`, "Docker-Upload-UUID": id, Range: "0-0" });
      }
      const parts = uploads.get(ref);
      if (!parts) return send(404);
      parts.push(await readBody(request));
      if (method === "PATCH") return send(202, { Location: `/v2/${name}/blobs/uploads/${ref}`, "Docker-Upload-UUID": ref });
      const digest = url.searchParams.get("digest") ?? "";
      const blob = Buffer.concat(parts);
      if (digestOf(blob) !== digest) return send(400, {}, "digest mismatch");
      uploads.delete(ref);
      blobs.set(digest, blob);
      return send(201, { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest });
    }
    const blob = blobs.get(ref);
    if (!blob) return send(404);
    return send(200, { "Content-Type": "application/octet-stream", "Docker-Content-Digest": ref, "Content-Length": String(blob.length) }, blob);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("registry has no port");
  return {
    host: `localhost:${address.port}`,
    tags: (repository) => [...(manifests.get(repository)?.keys() ?? [])].filter((key) => !key.startsWith("sha256:")).sort(),
    manifest: (repository, tag) => {
      const found = manifests.get(repository)?.get(tag);
      return found ? (JSON.parse(found.body.toString("utf8")) as Record<string, unknown>) : undefined;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
