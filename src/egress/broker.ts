/**
 * The credential broker, inside the enforcer (auth mode `broker`, docs/broker.md). For a CONNECT to one of
 * the hosts a credential names, the enforcer answers the TLS handshake itself, with a certificate the host
 * step signed with this user's broker CA (only the agent's container trusts it; the CA's key stays on the
 * host), and forwards each request over its own TLS connection, verified against the real roots and the
 * base image's extra (corporate) CAs. In those requests, and only there, each placeholder in a header
 * becomes the host's secret. A request whose Host is not the CONNECT's target is refused, so a shared
 * front end (a CDN) can never be asked to route the secret elsewhere.
 *
 * Files (the host step's, mounted read-only at /broker): server.key, server.crt, and `credentials`, one
 * `VAR PLACEHOLDER HOST[:PORT],... SECRET` per line. All are re-read when they change.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { Agent, request as httpsRequest } from "node:https";
import { isIP, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { connect as tlsConnect, createSecureContext, rootCertificates, TLSSocket, type SecureContext } from "node:tls";
import { fileStamp } from "./file-stamp.js";
import { parseHostRule, ruleMatches, type HostRule } from "./policy.js";

const DIR = process.env.EGRESS_BROKER ?? "/broker";

export interface Credential {
  name: string;
  placeholder: string;
  hosts: HostRule[];
  secret: string;
}

/** Parses the credentials file; malformed lines are skipped (the host step writes only well-formed ones). */
export function parseCredentials(text: string): Credential[] {
  return text.split("\n").flatMap((line) => {
    const [name, placeholder, hosts, secret, ...rest] = line.trim().split(" ");
    if (!name || !placeholder || !hosts || !secret || rest.length > 0 || placeholder.length < 8) return [];
    const rules = hosts.split(",").flatMap((entry) => {
      const rule = parseHostRule(entry);
      return typeof rule === "string" ? [] : [rule];
    });
    return [{ name, placeholder, hosts: rules, secret }];
  });
}

/** A credential applies to host:port when a host of it names both (a bare name means 443 only). */
export function credentialsFor(credentials: readonly Credential[], host: string, port: number): Credential[] {
  return credentials.filter((credential) => credential.hosts.some((rule) => ruleMatches({ host: rule.host, port: rule.port ?? 443 }, host, port)));
}

/** Replaces every placeholder in the header values; returns the names of the credentials it put in. */
export function inject(headers: Record<string, string | string[] | undefined>, credentials: readonly Credential[]): string[] {
  const injected = new Set<string>();
  const swap = (value: string): string =>
    credentials.reduce((text, credential) => {
      if (!text.includes(credential.placeholder)) return text;
      injected.add(credential.name);
      return text.split(credential.placeholder).join(credential.secret);
    }, value);
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === "string") headers[name] = swap(value);
    else if (Array.isArray(value)) headers[name] = value.map(swap);
  }
  return [...injected];
}

// ---- the broker's files, re-read when they change --------------------------------------------------------

interface State {
  credentials: Credential[];
  context?: SecureContext;
}

let cached: { key: string; state: State } | undefined;

function state(): State {
  const paths = ["credentials", "server.key", "server.crt"].map((name) => `${DIR}/${name}`);
  const key = paths.map(fileStamp).join("|");
  if (cached?.key === key) return cached.state;
  let next: State = { credentials: [] };
  try {
    const credentials = parseCredentials(readFileSync(paths[0]!, "utf8"));
    const context = createSecureContext({ key: readFileSync(paths[1]!), cert: readFileSync(paths[2]!) });
    next = { credentials, context };
    process.stderr.write(`egress: broker holds ${credentials.map((c) => c.name).join(", ") || "no credential"}\n`);
  } catch (error) {
    if (existsSync(DIR)) process.stderr.write(`egress: broker files unreadable: ${(error as Error).message}\n`);
  }
  cached = { key, state: next };
  return next;
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

function upstreamTls(): SecureContext {
  upstreamContext ??= createSecureContext({ ca: [...rootCertificates, ...extraCas()] });
  return upstreamContext;
}

// ---- the terminated connection ---------------------------------------------------------------------

export interface Target {
  host: string;
  port: number;
  address: string;
  credentials: Credential[];
  /** Through an upstream proxy: a socket already CONNECTed to host:port. */
  open?: () => Promise<Socket>;
  /** Called once per request that carried a placeholder, with the credentials' names. */
  injected(names: string[]): void;
}

const targets = new WeakMap<object, Target>();
const HOP_BY_HOP = ["proxy-authorization", "proxy-connection", "connection", "keep-alive", "te", "trailer", "upgrade", "transfer-encoding"];

const inner = createServer({ keepAlive: true }, (req, res) => void onRequest(req, res));
inner.on("clientError", (_error, socket) => socket.destroy());

function onRequest(req: IncomingMessage, res: ServerResponse): void {
  const target = targets.get(req.socket);
  if (!target) return void res.destroy();
  const { host, port } = target;
  const authority = (req.headers.host ?? "").toLowerCase().replace(/\.$/, "");
  if (authority !== host && authority !== `${host}:${port}`) {
    res.writeHead(421, { "Content-Type": "text/plain" }).end(`create-agent-devcontainer egress: this connection is for ${host}:${port}, not ${authority}\n`);
    return;
  }
  const headers: Record<string, string | string[] | undefined> = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  const names = inject(headers, target.credentials);
  if (names.length > 0) target.injected(names);
  const servername = isIP(host) === 0 ? host : undefined;
  const options = {
    method: req.method,
    path: req.url,
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
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on("socket", (socket) => (socket as Socket).setNoDelay?.(true));
  forward.on("error", (error) => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" }).end(`create-agent-devcontainer egress: ${error.message}\n`);
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
