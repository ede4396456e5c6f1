/**
 * The egress enforcer: an HTTP/HTTPS forward proxy that runs in its own container, outside the agent's
 * reach, as the agent container's only way out (bundled into egress/proxy.cjs; runs on Node.js ≥ 18).
 *
 * For each request it decides on the name first (no DNS lookup for a refused name ever leaves), then
 * resolves the name itself and refuses special-purpose addresses (DNS rebinding to the Docker host or
 * 169.254.169.254), then tunnels (CONNECT; TLS is not intercepted) or forwards (plain HTTP). Hosts are
 * compared and classified as Node's URL parser spells them (./policy.ts), so no spelling of an address
 * (`0xa9fea9fe`, `[::ffff:a9fe:a9fe]`) gets past the ranges. Every connection is two JSON lines on stdout
 * (`docker logs`, ./connection.ts): one when its verdict is known, one when it ends. The policy is re-read
 * whenever one of its files changes, so `egress allow` applies to the next connection.
 *
 * Between `decide` and `open` sits the credential broker (./broker.ts): a CONNECT to a host a credential
 * names is answered with TLS here and forwarded request by request, the host's secret in place of the
 * placeholder; every other connection is tunnelled untouched.
 */
import { readFileSync } from "node:fs";
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { lookup } from "node:dns/promises";
import { connect, isIP, type Socket } from "node:net";
import { networkInterfaces } from "node:os";
import type { Duplex, Writable } from "node:stream";
import { fileStamp } from "./file-stamp.js";
import { PROXY_ALIAS } from "./proxy-address.js";
import { parsePolicyFile } from "./policy-file.js";
import { addressRefusal, EGRESS_MODES, nameAllowed, parseAuthority, parseHostRules, type EgressMode, type Policy } from "./policy.js";
import type { LogLine } from "./connection.js";
import { brokeredFor, refusedEndpoint, terminate } from "./broker.js";
import { pooledReads } from "./relay.js";

const STATE = process.env.EGRESS_STATE ?? "/state";
const POLICY_FILE = process.env.EGRESS_POLICY ?? "/repo/egress.toml";
const ID = process.env.EGRESS_ID ?? "<container>";
const PORT = Number(process.env.EGRESS_PORT ?? "3128");
const CONNECT_TIMEOUT_MS = 10_000;

function log(line: LogLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Unique across restarts of this enforcer (its log keeps every run's lines). */
const RUN = Date.now().toString(36);
let counter = 0;

type Opened = Omit<LogLine, "id" | "event" | "time" | "up" | "down" | "ms">;

/** Logs the open line now; the returned function logs the close line, once. */
function opened(line: Opened): (end: { up: number; down: number; verdict?: LogLine["verdict"]; reason?: string; injected?: string[] }) => void {
  const started = Date.now();
  const head = { id: `${RUN}.${++counter}`, time: new Date(started).toISOString() };
  log({ ...head, event: "open", ...line });
  let closed = false;
  return ({ injected, ...end }) => {
    if (closed) return;
    closed = true;
    log({ ...head, event: "close", ...line, ...end, ms: Date.now() - started, ...(injected && injected.length > 0 ? { injected } : {}) });
  };
}

// ---- policy, re-read when a file changes -------------------------------------------------------------

const files = () => [`${STATE}/mode`, `${STATE}/preset.txt`, `${STATE}/allow.txt`, POLICY_FILE];
let cached: { key: string; policy: Policy } | undefined;

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

export function currentPolicy(): Policy {
  const key = files().map(fileStamp).join("|");
  if (cached?.key === key) return cached.policy;
  const modeText = readText(`${STATE}/mode`).trim();
  const mode: EgressMode = (EGRESS_MODES as readonly string[]).includes(modeText) ? (modeText as EgressMode) : "allowlist";
  const listed = parseHostRules([...readText(`${STATE}/preset.txt`).split("\n"), ...readText(`${STATE}/allow.txt`).split("\n")]);
  const file = parsePolicyFile(readText(POLICY_FILE));
  for (const error of [...listed.errors, ...file.errors]) process.stderr.write(`egress: ignored: ${error}\n`);
  const policy: Policy = { mode, rules: [...listed.rules, ...file.allow], privateRanges: file.privateRanges };
  cached = { key, policy };
  process.stderr.write(`egress: policy ${mode}, ${policy.rules.length} rule(s), ${policy.privateRanges.length} private range(s)\n`);
  return policy;
}

// ---- decisions -------------------------------------------------------------------------------------

type Decision = { allowed: true; address: string } | { allowed: false; reason: string; status: number; verdict: "blocked" | "failed" };

/** How a refusal names this container: its name as the host step recorded it (never the agent's word), else the egress id. */
function containerName(): string {
  const name = readText(`${STATE}/name`).trim();
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name) ? name : ID;
}

/** Why a brokered login's token endpoint is refused: only the host's refresher may rotate the login. */
const TOKEN_ENDPOINT = "the token endpoint of a brokered login: only the host refreshes it";

function blockedMessage(host: string, port: number, reason: string): string {
  if (reason === TOKEN_ENDPOINT) return `create-agent-devcontainer egress: ${host}:${port} is refused (${reason}).\n`;
  const entry = port === 80 || port === 443 ? host : `${host}:${port}`;
  return (
    `create-agent-devcontainer egress: ${host}:${port} is blocked (${reason}).\n` +
    `Allow it for this container (no restart):  npx create-agent-devcontainer egress allow ${containerName()} ${entry}\n` +
    `or for every container of the repository: add "${entry}" to allow in .devcontainer/egress.toml\n`
  );
}

async function decide(host: string, port: number, secure: boolean): Promise<Decision> {
  if (refusedEndpoint(host, port)) return { allowed: false, reason: TOKEN_ENDPOINT, status: 403, verdict: "blocked" };
  const policy = currentPolicy();
  if (!nameAllowed(policy, host, port)) return { allowed: false, reason: "not in the allowlist", status: 403, verdict: "blocked" };
  // Through an upstream (corporate) proxy, that proxy resolves a name: ours may not be able to. An
  // address is classified here all the same.
  const upstream = upstreamFor(host, secure);
  if (upstream && isIP(host) === 0) return { allowed: true, address: `via ${upstream.host}` };
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch (error) {
      return { allowed: false, reason: `cannot resolve ${host} (${(error as NodeJS.ErrnoException).code ?? "error"})`, status: 502, verdict: "failed" };
    }
  }
  const refusals: string[] = [];
  for (const address of addresses) {
    const refusal = addressRefusal(policy, host, port, address);
    if (refusal === undefined) return { allowed: true, address: upstream ? `via ${upstream.host}` : address };
    refusals.push(refusal);
  }
  return { allowed: false, reason: refusals.join("; ") || "no address", status: 403, verdict: "blocked" };
}

// ---- an upstream proxy (corporate networks) ----------------------------------------------------------

function upstreamFor(host: string, secure: boolean): URL | undefined {
  const raw = secure ? process.env.HTTPS_PROXY ?? process.env.https_proxy : process.env.HTTP_PROXY ?? process.env.http_proxy;
  if (!raw) return undefined;
  const noProxy = (process.env.NO_PROXY ?? process.env.no_proxy ?? "").split(",").map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  const name = host.toLowerCase();
  if (noProxy.some((entry) => entry === "*" || name === entry.replace(/^\./, "") || name.endsWith(entry.startsWith(".") ? entry : `.${entry}`))) {
    return undefined;
  }
  try {
    return new URL(raw.includes("://") ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
}

/**
 * A socket to host:port: directly to the checked address, or through the upstream proxy's CONNECT. Given
 * `into`, a direct socket writes what it reads there itself, from pooled buffers (./relay.ts), once resumed.
 */
function open(host: string, port: number, address: string, into?: Writable): Promise<Socket> {
  const upstream = upstreamFor(host, true);
  return new Promise((resolve, reject) => {
    const socket: Socket = upstream
      ? connect(Number(upstream.port || 80), upstream.hostname)
      : connect({ port, host: address, ...(into ? { onread: pooledReads(into, () => socket) } : {}) });
    // Paused until the caller has answered its client: nothing read goes to it before that answer.
    if (into && !upstream) socket.pause();
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error("connect timed out")));
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.setTimeout(0);
      if (!upstream) return resolve(socket);
      const auth = upstream.username ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(upstream.username)}:${decodeURIComponent(upstream.password)}`).toString("base64")}\r\n` : "";
      const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        socket.off("data", onData);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.toString("latin1"))?.[1];
        if (status !== "200") return reject(new Error(`upstream proxy answered ${status ?? "garbage"}`));
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
      };
      socket.on("data", onData);
    });
  });
}

// ---- CONNECT (TLS and anything else tunnelled) -------------------------------------------------------

async function onConnect(req: IncomingMessage, client: Duplex, head: Buffer): Promise<void> {
  const target = parseAuthority(req.url ?? "", 443);
  client.on("error", () => undefined);
  if (!target) {
    client.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    return;
  }
  const { host, port } = target;
  const base = { kind: "connect" as const, host, port };
  const decision = await decide(host, port, true);
  if (!decision.allowed) {
    const body = blockedMessage(host, port, decision.reason);
    const close = opened({ ...base, verdict: decision.verdict, reason: decision.reason });
    client.end(
      `HTTP/1.1 ${decision.status} Blocked by egress policy\r\nX-Egress-Blocked: ${host}:${port}\r\nContent-Type: text/plain\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
    return close({ up: 0, down: 0 });
  }
  if (brokeredFor(host, port).length > 0) {
    const close = opened({ ...base, verdict: "allowed", address: decision.address });
    const injected = new Set<string>();
    const raw = client as Socket;
    const tls = terminate(client, head, {
      host,
      port,
      address: decision.address,
      ...(upstreamFor(host, true) ? { open: () => open(host, port, decision.address) } : {}),
      injected: (names) => names.forEach((name) => injected.add(name)),
    });
    tls.on("close", () => close({ up: raw.bytesRead ?? 0, down: raw.bytesWritten ?? 0, injected: [...injected] }));
    return;
  }
  const close = opened({ ...base, verdict: "allowed", address: decision.address });
  const direct = upstreamFor(host, true) === undefined;
  let upstream: Socket;
  try {
    upstream = await open(host, port, decision.address, direct ? client : undefined);
  } catch (error) {
    client.end("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n");
    return close({ up: 0, down: 0, verdict: "failed", reason: (error as Error).message });
  }
  // Bytes are counted by the upstream socket itself (no per-chunk listeners on the hot path).
  const sent = upstream.bytesWritten;
  const received = upstream.bytesRead;
  upstream.setNoDelay(true);
  (client as Socket).setNoDelay?.(true);
  client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
  if (head.length > 0) upstream.write(head);
  client.pipe(upstream);
  // Downloads are the heavy direction: a direct socket writes to the client itself (see open).
  if (direct) upstream.on("end", () => client.end()).resume();
  else upstream.pipe(client);
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    client.destroy();
    upstream.destroy();
    close({ up: upstream.bytesWritten - sent, down: upstream.bytesRead - received });
  };
  upstream.on("error", finish).on("close", finish);
  client.on("close", finish);
}

// ---- plain HTTP (absolute-form requests) -------------------------------------------------------------

const HOP_BY_HOP = ["proxy-authorization", "proxy-connection", "connection", "keep-alive", "te", "trailer", "upgrade"];

async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "");
    if (url.protocol !== "http:" || url.username !== "" || url.password !== "") throw new Error("not http");
  } catch {
    res.writeHead(400, { "Content-Type": "text/plain" }).end("create-agent-devcontainer egress: this is a proxy; send absolute http:// URLs or CONNECT\n");
    return;
  }
  const target = parseAuthority(url.host, 80);
  if (!target) {
    res.writeHead(400, { "Content-Type": "text/plain" }).end("create-agent-devcontainer egress: not a host in the URL\n");
    return;
  }
  const { host, port } = target;
  // The request goes where its URL says, with that Host: another Host would let a shared front end route
  // it to a name the policy never saw.
  const named = req.headers.host === undefined ? target : parseAuthority(req.headers.host, 80);
  const base = { kind: "http" as const, host, port };
  if (named?.host !== host || named.port !== port) {
    const reason = `the URL names ${host}:${port} but Host is ${JSON.stringify(req.headers.host)}`;
    const close = opened({ ...base, verdict: "blocked", reason });
    res.writeHead(421, { "Content-Type": "text/plain" }).end(`create-agent-devcontainer egress: ${reason}\n`);
    return close({ up: 0, down: 0 });
  }
  const decision = await decide(host, port, false);
  if (!decision.allowed) {
    const close = opened({ ...base, verdict: decision.verdict, reason: decision.reason });
    res.writeHead(decision.status, { "Content-Type": "text/plain", "X-Egress-Blocked": `${host}:${port}` }).end(blockedMessage(host, port, decision.reason));
    return close({ up: 0, down: 0 });
  }
  const close = opened({ ...base, verdict: "allowed", address: decision.address });
  const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: url.host };
  for (const name of HOP_BY_HOP) delete headers[name];
  const upstream = upstreamFor(host, false);
  let up = 0;
  let down = 0;
  const forward = httpRequest(
    upstream
      ? { host: upstream.hostname, port: Number(upstream.port || 80), method: req.method, path: url.href, headers }
      : { host: decision.address, port, method: req.method, path: `${url.pathname}${url.search}`, headers, setHost: false },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on("data", (chunk: Buffer) => void (down += chunk.length));
      answer.pipe(res);
    },
  );
  req.on("data", (chunk: Buffer) => void (up += chunk.length));
  req.pipe(forward);
  forward.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" }).end(`create-agent-devcontainer egress: ${error.message}\n`);
    else res.destroy();
    close({ up, down, verdict: "failed", reason: error.message });
  });
  res.on("close", () => close({ up, down }));
}

// ---- the server ----------------------------------------------------------------------------------------

/**
 * Only on the agent's network: the address its name there ("egress") has, when it is one of ours; the
 * enforcer is then no proxy for the other containers on its upstream network. Elsewhere (tests), all.
 */
async function listenAddress(): Promise<string> {
  try {
    const own = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address)));
    const { address } = await lookup(PROXY_ALIAS, { family: 4 });
    return own.has(address) ? address : "0.0.0.0";
  } catch {
    return "0.0.0.0";
  }
}

export function startEnforcer(port = PORT): void {
  const server = createServer((req, res) => void onRequest(req, res).catch(() => res.destroy()));
  server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => void onConnect(req, socket, head).catch(() => socket.destroy()));
  server.on("clientError", (_error, socket) => socket.destroy());
  currentPolicy();
  void listenAddress().then((address) =>
    server.listen(port, address, () => process.stderr.write(`egress: enforcer for ${ID} listening on ${address}:${port}\n`)),
  );
  const stop = (): void => void server.close(() => process.exit(0));
  process.once("SIGTERM", stop).once("SIGINT", stop);
}
