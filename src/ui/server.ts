/**
 * The dashboard's HTTP server on node:http: a handful of JSON routes, one Server-Sent Events stream and
 * four static files do not need a framework, and every check that matters here (security.ts) would be
 * ours with any framework. Bound to 127.0.0.1 only. Every request is judged before it is routed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { packagePath } from "../paths.js";
import { hostRunNotice } from "../launch/host-run.js";
import { escapeControls, quotePath } from "../terminal.js";
import { AGENT_IDS } from "../catalogue/agents.js";
import { AUTH_MODES } from "../auth/modes.js";
import { allowRequest, gatewayVariable } from "./requests.js";
import { DashboardError, EGRESS_MODES, type Action, type Dashboard, type LaunchForm } from "./model.js";
import { judge, newToken, SECURITY_HEADERS, sessionCookie } from "./security.js";

const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/diff.js": { file: "diff.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
};
const ACTIONS: readonly Action[] = ["sync", "stop", "start", "remove", "code"];
const MAX_BODY = 64 * 1024;
/** Beyond this a diff is cut: a browser tab is not the place to read a 50 MB patch. */
const MAX_PATCH = 2 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface UiOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  token?: string;
  /** How often the list is re-read while a page is open. */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface UiServer {
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startUi(dashboard: Dashboard, options: UiOptions = {}): Promise<UiServer> {
  const token = options.token ?? newToken();
  const log = options.log ?? (() => undefined);
  const assets = new Map(Object.entries(ASSETS).map(([path, asset]) => [path, { body: readFileSync(packagePath("ui", asset.file)), type: asset.type }]));
  const events = listStream(dashboard, options.pollMs ?? 2_000, log);
  let port = 0;

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const verdict = judge(
      {
        method: request.method ?? "GET",
        url: request.url ?? "/",
        host: request.headers.host,
        origin: request.headers.origin,
        secFetchSite: header(request, "sec-fetch-site"),
        cookie: request.headers.cookie,
        contentType: request.headers["content-type"],
      },
      token,
      port,
    );
    if (!verdict.allowed) {
      log(`refused ${request.method} ${(request.url ?? "").split("?")[0]}: ${verdict.reason}`);
      return send(response, 403, { error: "forbidden" });
    }
    if (verdict.viaUrlToken) {
      // The token leaves the address bar for a cookie other sites cannot send.
      response.writeHead(303, { location: "/", "set-cookie": sessionCookie(token) });
      return void response.end();
    }
    route(request, response).catch((error: unknown) => {
      if (error instanceof DashboardError) return send(response, error.status, { error: error.message, ...(error.hint ? { hint: error.hint } : {}) });
      log(`error on ${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) send(response, 500, { error: "internal error (see the terminal running ui)" });
      else response.end();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const method = request.method ?? "GET";
    const asset = assets.get(url.pathname);
    if (asset && method === "GET") {
      response.writeHead(200, { "content-type": asset.type, "content-length": asset.body.length });
      return void response.end(asset.body);
    }
    if (method === "GET" && url.pathname === "/api/events") return events.subscribe(request, response);
    if (method === "GET" && url.pathname === "/api/meta") return send(response, 200, { agents: AGENT_IDS, egressModes: EGRESS_MODES, authModes: AUTH_MODES, gateways: Object.fromEntries(AGENT_IDS.flatMap((id) => (gatewayVariable(id) ? [[id, gatewayVariable(id)]] : []))) });
    if (method === "GET" && url.pathname === "/api/list") return send(response, 200, await dashboard.list());
    if (method === "GET" && url.pathname === "/api/jobs") return send(response, 200, dashboard.jobs());
    if (method === "POST" && url.pathname === "/api/launch") return send(response, 202, dashboard.launch((await body(request)) as LaunchForm));
    const match = /^\/api\/c\/([a-z0-9][a-z0-9._-]*)\/([a-z]+)$/.exec(url.pathname);
    if (match) {
      const [, name = "", what = ""] = match;
      if (method === "GET" && what === "transcript") return send(response, 200, await dashboard.transcript(name, Number(url.searchParams.get("offset")) || 0));
      if (method === "GET" && what === "diff") {
        const diff = await dashboard.diff(name);
        const truncated = diff.patch.length > MAX_PATCH;
        // Names as the CLI prints them (git's quoting, as in the patch's headers), with the host-run warning.
        const files = diff.files.map((file) => ({ ...file, path: quotePath(file.path) }));
        return send(response, 200, { ...diff, files, hostRun: diff.hostRun.map(quotePath), hostRunNotice: hostRunNotice(diff.hostRun), patch: truncated ? diff.patch.slice(0, MAX_PATCH) : diff.patch, truncated });
      }
      if (method === "GET" && what === "egress") return send(response, 200, await dashboard.egress(name));
      if (method === "POST" && what === "task") {
        const { prompt } = (await body(request)) as { prompt?: unknown };
        return send(response, 200, await dashboard.task(name, typeof prompt === "string" ? prompt : ""));
      }
      if (method === "POST" && what === "allow") {
        const result = await dashboard.allow(name, allowRequest((await body(request)) as Record<string, unknown>));
        events.refresh();
        return send(response, 200, result);
      }
      if (method === "POST" && (ACTIONS as readonly string[]).includes(what)) {
        const { force } = (await body(request)) as { force?: unknown };
        const result = await dashboard.act(name, what as Action, { force: force === true });
        events.refresh();
        return send(response, 200, result);
      }
    }
    send(response, 404, { error: "not found" });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        events.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * JSON for the page with every string's control characters escaped (src/terminal.ts): nothing a container
 * wrote reaches the page, and from there a clipboard and a terminal, raw. Every answer goes through here.
 */
export function pageJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "string" ? escapeControls(item) : item));
}

function send(response: ServerResponse, status: number, value: unknown): void {
  const body = pageJson(value);
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

async function body(request: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of request) {
    text += (chunk as Buffer).toString("utf8");
    if (text.length > MAX_BODY) throw new DashboardError("request too large", undefined, 413);
  }
  try {
    const value: unknown = JSON.parse(text || "{}");
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new DashboardError("the request body is not a JSON object", undefined, 400);
}

/**
 * One reader of the list for every open page: re-read every `pollMs` while a page listens, and pushed
 * to each page only when it changed.
 */
function listStream(dashboard: Dashboard, pollMs: number, log: (line: string) => void) {
  const clients = new Set<ServerResponse>();
  let last = "";
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<void> | undefined;

  const push = (response: ServerResponse, data: string) => response.write(`event: list\ndata: ${data}\n\n`);
  const read = (): Promise<void> =>
    (reading ??= dashboard
      .list()
      .then((rows) => {
        const data = pageJson(rows);
        if (data !== last) for (const client of clients) push(client, data);
        last = data;
      })
      .catch((error: unknown) => log(`reading the list failed: ${(error as Error).message}`))
      .finally(() => (reading = undefined)));
  const schedule = () => {
    clearTimeout(timer);
    if (clients.size > 0) timer = setTimeout(() => void read().then(schedule), pollMs);
  };

  return {
    async subscribe(request: IncomingMessage, response: ServerResponse) {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive" });
      const beat = setInterval(() => response.write(": keep-alive\n\n"), HEARTBEAT_MS);
      clients.add(response);
      request.on("close", () => {
        clearInterval(beat);
        clients.delete(response);
      });
      if (last) push(response, last);
      await read();
      schedule();
    },
    refresh() {
      void read();
    },
    close() {
      clearTimeout(timer);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
