/**
 * The credential broker, inside the enforcer (auth mode `broker`, docs/broker.md). For a CONNECT to one of
 * the hosts a credential names, the enforcer answers the TLS handshake itself, with a certificate the host
 * step signed with this user's broker CA (only the agent's container trusts it; the CA's key stays on the
 * host), and forwards each request over its own TLS connection, verified against the real roots and the
 * base image's extra (corporate) CAs. In those requests, and only there, the placeholder in the header its
 * credential declares (`x-api-key`, `authorization`…) becomes the host's secret; every other header keeps
 * the placeholder. A request whose target or Host is not the CONNECT's target is refused (421), so a shared
 * front end (a CDN) can never be asked to route the secret elsewhere; TRACE and TRACK, which echo the
 * request back, are refused. Whatever comes back has each secret replaced by its placeholder (./scrub.ts).
 *
 * Files (the host step's, mounted read-only at /broker): server.key, server.crt, and `credentials`, one
 * `VAR PLACEHOLDER HOST[:PORT],... HEADER,... SECRET` per line. All are re-read when they change.
 * A SECRET of `@LOGIN` is a subscription login's current access token: /logins/LOGIN/current, which only its
 * refresher on the host rewrites (./refresher.ts), with the headers the API needs besides (set, not swapped,
 * on requests that carried the placeholder, or added to a list header such as Claude's anthropic-beta). `refused` lists the host:port of each login's token endpoint:
 * nothing inside may rotate a login (./enforcer.ts refuses them before the policy).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { isIP, type Socket } from "node:net";
import type { Duplex, Transform } from "node:stream";
import { connect as tlsConnect, createSecureContext, rootCertificates, TLSSocket, type SecureContext } from "node:tls";
import { fileStamp } from "./file-stamp.js";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { parseAuthority, parseHostRule, ruleMatches, type HostRule } from "./policy.js";
import { scrubHeaders, scrubStream, scrubText, swapPairs } from "./scrub.js";

const DIR = process.env.EGRESS_BROKER ?? "/broker";
const LOGINS = process.env.EGRESS_LOGINS ?? "/logins";

export interface Credential {
  name: string;
  placeholder: string;
  hosts: HostRule[];
  /** The request headers (lower case) the secret goes into; no other header ever gets it. */
  headers: string[];
  secret: string;
  /** A subscription login's name (`@LOGIN`): its secret and `set` headers come from its refresher's file. */
  login?: string;
  /** Headers set on a request that carried the placeholder (Codex: chatgpt-account-id). */
  set?: Record<string, string>;
  /** Comma-separated list headers made to hold a value on such a request, their own values kept (Claude: anthropic-beta). */
  append?: Record<string, string>;
}

/** Parses the credentials file; malformed lines are skipped (the host step writes only well-formed ones). */
export function parseCredentials(text: string): Credential[] {
  return text.split("\n").flatMap((line) => {
    const [name, placeholder, hosts, headers, secret, ...rest] = line.trim().split(" ");
    if (!name || !placeholder || !hosts || !headers || !secret || rest.length > 0 || placeholder.length < 8) return [];
    const rules = hosts.split(",").flatMap((entry) => {
      const rule = parseHostRule(entry);
      return typeof rule === "string" ? [] : [rule];
    });
    const login = /^@[a-z0-9-]+$/.test(secret) ? { login: secret.slice(1) } : {};
    return [{ name, placeholder, hosts: rules, headers: headers.toLowerCase().split(",").filter(Boolean), secret, ...login }];
  });
}

/** A login's credential with its refresher's current token, or undefined while it has none. */
export function withLoginToken(credential: Credential, current: string): Credential | undefined {
  try {
    const parsed = JSON.parse(current) as { access_token?: unknown; headers?: unknown; append?: unknown };
    if (typeof parsed.access_token !== "string" || !/^[A-Za-z0-9._~+/=-]{8,}$/.test(parsed.access_token)) return undefined;
    const headers = (from: unknown): Record<string, string> => {
      const kept: Record<string, string> = {};
      if (from && typeof from === "object") {
        for (const [name, value] of Object.entries(from)) if (/^[a-z0-9-]+$/.test(name) && typeof value === "string" && /^[\x21-\x7e]*$/.test(value)) kept[name] = value;
      }
      return kept;
    };
    const append = headers(parsed.append);
    return { ...credential, secret: parsed.access_token, set: headers(parsed.headers), ...(Object.keys(append).length > 0 ? { append } : {}) };
  } catch {
    return undefined;
  }
}

/** The token endpoints' host:port entries of the `refused` file. */
export function parseRefused(text: string): HostRule[] {
  return text.split("\n").flatMap((line) => {
    const rule = line.trim() === "" ? "" : parseHostRule(line.trim());
    return typeof rule === "string" ? [] : [rule];
  });
}

/** A credential applies to host:port when a host of it names both (a bare name means 443 only). */
export function credentialsFor(credentials: readonly Credential[], host: string, port: number): Credential[] {
  return credentials.filter((credential) => credential.hosts.some((rule) => ruleMatches({ host: rule.host, port: rule.port ?? 443 }, host, port)));
}

/**
 * Replaces the placeholder in each credential's declared headers only (anywhere else it stays, so an
 * endpoint that reflects other headers reflects the placeholder); returns the names of the credentials
 * it put in.
 */
export function inject(headers: Record<string, string | string[] | undefined>, credentials: readonly Credential[]): string[] {
  const injected = new Set<string>();
  for (const credential of credentials) {
    const swap = (value: string): string => {
      if (!value.includes(credential.placeholder)) return value;
      injected.add(credential.name);
      return value.split(credential.placeholder).join(credential.secret);
    };
    for (const name of credential.headers) {
      const value = headers[name];
      if (typeof value === "string") headers[name] = swap(value);
      else if (Array.isArray(value)) headers[name] = value.map(swap);
    }
    if (!injected.has(credential.name)) continue;
    for (const [name, value] of Object.entries(credential.set ?? {})) headers[name] = value;
    for (const [name, value] of Object.entries(credential.append ?? {})) {
      const existing = headers[name];
      const items = (Array.isArray(existing) ? existing : existing === undefined ? [] : [existing]).join(",").split(",").map((item) => item.trim()).filter(Boolean);
      if (!items.includes(value)) headers[name] = [...items, value].join(",");
    }
  }
  return [...injected];
}

// ---- the broker's files, re-read when they change --------------------------------------------------------

interface State {
  credentials: Credential[];
  refused: HostRule[];
  context?: SecureContext;
}

let cached: { key: string; state: State } | undefined;

function loginFiles(): string[] {
  try {
    return readdirSync(LOGINS).sort().map((name) => `${LOGINS}/${name}/current`);
  } catch {
    return [];
  }
}

function readLogin(credential: Credential): Credential[] {
  if (!credential.login) return [credential];
  try {
    const current = withLoginToken(credential, readFileSync(`${LOGINS}/${credential.login}/current`, "utf8"));
    return current ? [current] : [];
  } catch {
    return [];
  }
}

function state(): State {
  const paths = ["credentials", "server.key", "server.crt", "refused"].map((name) => `${DIR}/${name}`);
  const key = [...paths, ...loginFiles()].map(fileStamp).join("|");
  if (cached?.key === key) return cached.state;
  let next: State = { credentials: [], refused: [] };
  try {
    const refused = existsSync(paths[3]!) ? parseRefused(readFileSync(paths[3]!, "utf8")) : [];
    next.refused = refused;
    const credentials = parseCredentials(readFileSync(paths[0]!, "utf8")).flatMap(readLogin);
    const context = createSecureContext({ key: readFileSync(paths[1]!), cert: readFileSync(paths[2]!) });
    next = { credentials, refused, context };
    process.stderr.write(`egress: broker holds ${credentials.map((c) => c.name).join(", ") || "no credential"}\n`);
  } catch (error) {
    if (existsSync(DIR)) process.stderr.write(`egress: broker files unreadable: ${(error as Error).message}\n`);
  }
  cached = { key, state: next };
  return next;
}

/** Whether host:port is a brokered login's token endpoint (refused whatever the policy says). */
export function refusedEndpoint(host: string, port: number): boolean {
  return refusedBy(state().refused, host, port);
}

/** A refused bare name is refused on every port: its token endpoint may also answer on 80 or another one. */
export function refusedBy(rules: readonly HostRule[], host: string, port: number): boolean {
  return rules.some((rule) => ruleMatches({ host: rule.host, port: rule.port ?? port }, host, port));
}

/** The credentials to inject for a CONNECT to host:port, or none (then the connection is only tunnelled). */
export function brokeredFor(host: string, port: number): Credential[] {
  const current = state();
  return current.context ? credentialsFor(current.credentials, host, port) : [];
}

// ---- upstream: verified against the real roots plus the image's own (corporate) CAs ---------------------

function extraCas(): string[] {
  const files = ["/etc/ssl/certs/ca-certificates.crt"];
  try {
    files.push(...readdirSync("/usr/local/share/ca-certificates").filter((name) => name.endsWith(".crt")).map((name) => `/usr/local/share/ca-certificates/${name}`));
  } catch {
    // no extra CAs
  }
  return files.flatMap((file) => {
    try {
      return [readFileSync(file, "utf8")];
    } catch {
      return [];
    }
  });
}

let upstreamContext: SecureContext | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** The roots an upstream is verified against (also the login refresher's, ./refresher.ts). */
export function upstreamTls(): SecureContext {
  upstreamContext ??= createSecureContext({ ca: [...rootCertificates, ...extraCas()] });
  return upstreamContext;
}

// ---- the terminated connection ---------------------------------------------------------------------

export interface Target {
  host: string;
  port: number;
  address: string;
  /** Through an upstream proxy: a socket already CONNECTed to host:port. */
  open?: () => Promise<Socket>;
  /** Called once per request that carried a placeholder, with the credentials' names. */
  injected(names: string[]): void;
}

const targets = new WeakMap<object, Target>();
const HOP_BY_HOP = ["proxy-authorization", "proxy-connection", "connection", "keep-alive", "te", "trailer", "upgrade", "transfer-encoding"];

const inner = createServer({ keepAlive: true }, (req, res) => void onRequest(req, res));
inner.on("clientError", (_error, socket) => socket.destroy());

/** Methods that make a server echo the request, its headers (and so the secret) included. */
const ECHOING = new Set(["TRACE", "TRACK"]);
/** Response encodings the scrubber can read through (the request asks for none; a server may still send one). */
const DECODERS: Record<string, () => Transform> = { gzip: createGunzip, "x-gzip": createGunzip, deflate: createInflate, br: createBrotliDecompress };

/** Answers up to this length are scrubbed whole and keep a Content-Length; longer or unsized ones stream. */
const WHOLE_MAX = 1 << 20;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "Content-Type": "text/plain", Connection: "close" }).end(`create-agent-devcontainer egress: ${message}\n`);
}

/** The request's path when both its target and its Host name the CONNECT's host:port, else undefined. */
function originPath(req: IncomingMessage, host: string, port: number): string | undefined {
  const same = (authority: { host: string; port: number } | undefined): boolean => authority?.host === host && authority.port === port;
  if (!same(parseAuthority(req.headers.host ?? "", port))) return undefined;
  const target = req.url ?? "";
  if (target.startsWith("/")) return target;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  // An absolute-form target must name this very host (the Host header alone is not what a server routes by).
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "" || !same(parseAuthority(url.host, 443))) return undefined;
  return `${url.pathname}${url.search}`;
}

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const target = targets.get(req.socket);
  if (!target) return void res.destroy();
  const { host, port } = target;
  if (ECHOING.has((req.method ?? "").toUpperCase())) return refuse(res, 405, `${req.method} is refused on a brokered connection (it echoes the request back)`);
  const path = originPath(req, host, port);
  if (path === undefined) return refuse(res, 421, `this connection is for ${host}:${port}; the request names ${JSON.stringify(req.headers.host ?? "")} ${JSON.stringify(req.url ?? "")}`);
  const headers: Record<string, string | string[] | undefined> = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  // An uncompressed answer is one the scrubber can read.
  headers["accept-encoding"] = "identity";
  // Looked up per request, not per connection: a keep-alive connection gets a login's token current at that
  // moment (a rotated one the moment its refresher publishes it; none once it is withdrawn, so a 401).
  const credentials = brokeredFor(host, port);
  const names = inject(headers, credentials);
  if (names.length > 0) target.injected(names);
  const pairs = swapPairs(credentials);
  const servername = isIP(host) === 0 ? host : undefined;
  const options = {
    method: req.method,
    path,
    headers: headers as OutgoingHttpHeaders,
    ...(target.open
      ? {
          agent: false as const,
          createConnection: (_opts: unknown, done: (error: Error | null, socket: Duplex) => void): undefined => {
            target.open!().then(
              (socket) => done(null, tlsConnect({ socket, secureContext: upstreamTls(), ...(servername ? { servername } : {}), ALPNProtocols: ["http/1.1"] })),
              (error: Error) => done(error, undefined as unknown as Duplex),
            );
            return undefined;
          },
        }
      : { agent, host: target.address, port, secureContext: upstreamTls(), ...(servername ? { servername } : { servername: "" }) }),
  };
  const forward = httpsRequest(options, (answer) => {
    const encoding = String(answer.headers["content-encoding"] ?? "identity").trim().toLowerCase();
    const decoder = DECODERS[encoding];
    if (encoding !== "identity" && !decoder) {
      answer.destroy();
      return refuse(res, 502, `the answer is encoded as ${JSON.stringify(encoding)}, which the broker cannot check for the secret`);
    }
    // Node decodes chunked only: a `gzip, chunked` body would reach the agent compressed, the secret unseen in it.
    const transfer = String(answer.headers["transfer-encoding"] ?? "chunked").trim().toLowerCase();
    if (transfer !== "chunked") {
      answer.destroy();
      return refuse(res, 502, `the answer's transfer encoding is ${JSON.stringify(transfer)}, which the broker cannot check for the secret`);
    }
    const answerHeaders = scrubHeaders(answer.headers, pairs);
    delete answerHeaders["content-encoding"];
    const body = decoder ? answer.pipe(decoder()) : answer;
    body.on("error", () => res.destroy());
    const length = Number(answer.headers["content-length"]);
    if (req.method !== "HEAD" && !decoder && Number.isInteger(length) && length <= WHOLE_MAX) {
      // A small answer of known length (an API's JSON) is scrubbed whole and sent in one write, with its new length.
      const chunks: Buffer[] = [];
      body.on("data", (chunk: Buffer) => chunks.push(chunk));
      body.on("end", () => {
        const scrubbed = scrubText(Buffer.concat(chunks).toString("latin1"), pairs);
        const out = Buffer.from(scrubbed.out + scrubbed.rest, "latin1");
        res.writeHead(answer.statusCode ?? 502, { ...answerHeaders, "content-length": String(out.length) }).end(out);
      });
      return;
    }
    // Streamed: a replacement changes the body's length, so the length is sent only where no body follows.
    if (req.method !== "HEAD") delete answerHeaders["content-length"];
    res.writeHead(answer.statusCode ?? 502, answerHeaders);
    body.pipe(scrubStream(pairs)).pipe(res);
  });
  forward.on("socket", (socket) => (socket as Socket).setNoDelay?.(true));
  forward.on("error", (error) => {
    if (!res.headersSent) refuse(res, 502, error.message);
    else res.destroy();
  });
  req.pipe(forward);
}

/** Takes over a CONNECT'ed client socket: TLS with the broker's certificate, then HTTP/1.1 requests. */
export function terminate(client: Duplex, head: Buffer, target: Target): TLSSocket {
  const context = state().context!;
  client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
  if (head.length > 0) client.unshift(head);
  (client as Socket).setNoDelay?.(true);
  const tls = new TLSSocket(client as Socket, { isServer: true, secureContext: context, ALPNProtocols: ["http/1.1"] });
  tls.on("error", () => tls.destroy());
  targets.set(tls, target);
  inner.emit("connection", tls);
  return tls;
}
