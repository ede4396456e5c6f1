/** The dashboard's server on a real loopback socket, over made-up records (test/support/ui-fake.ts). */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUi, type UiServer } from "../../../src/ui/server.js";
import { fakeDashboard, type FakeDashboard } from "../../support/ui-fake.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: UiServer;
let dashboard: FakeDashboard;

function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, path, method: options.method ?? "GET", headers: { host: `127.0.0.1:${server.port}`, ...options.headers } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const cookie = () => ({ cookie: `cadc_ui=${server.token}` });
const json = () => ({ ...cookie(), origin: server.origin, "sec-fetch-site": "same-origin", "content-type": "application/json" });

beforeAll(async () => {
  dashboard = fakeDashboard(3);
  server = await startUi(dashboard);
});
afterAll(() => server.close());

describe("the dashboard server", () => {
  it("listens on 127.0.0.1 only and prints a URL with a long random token", () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{43}$`));
  });

  it("trades the URL's token for an HttpOnly SameSite=Strict cookie and sends the page with a strict CSP", async () => {
    const first = await call(`/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe("/");
    expect(first.headers["set-cookie"]).toEqual([`cadc_ui=${server.token}; HttpOnly; SameSite=Strict; Path=/`]);
    const page = await call("/", { headers: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/app.js"></script>');
    expect(page.headers["content-security-policy"]).toContain("script-src 'self'");
    expect(page.headers["referrer-policy"]).toBe("no-referrer");
  });

  it("answers 403 without the token, with a foreign Host, and to a state change from another origin; the action never runs", async () => {
    expect((await call("/")).status).toBe(403);
    expect((await call("/api/list")).status).toBe(403);
    expect((await call("/api/list", { headers: { ...cookie(), host: "rebound.example:80" } })).status).toBe(403);
    expect((await call(`/?token=${server.token}`, { headers: { host: `attacker.example:${server.port}` } })).status).toBe(403);
    const sync = "/api/c/claude-repo-0/sync";
    expect((await call(sync, { method: "POST", headers: { ...json(), origin: "http://evil.example" }, body: "{}" })).status).toBe(403);
    expect((await call(sync, { method: "POST", headers: { ...json(), "sec-fetch-site": "cross-site" }, body: "{}" })).status).toBe(403);
    expect((await call(sync, { method: "POST", headers: { ...json(), "content-type": "text/plain" }, body: "{}" })).status).toBe(403);
    expect((await call(sync, { method: "POST", headers: { ...json(), cookie: "cadc_ui=wrong" }, body: "{}" })).status).toBe(403);
    expect(dashboard.actions).toEqual([]);
  });

  it("runs an action asked for from its own page, and says 404 for a container it does not know", async () => {
    const done = await call("/api/c/claude-repo-0/remove", { method: "POST", headers: json(), body: JSON.stringify({ force: true }) });
    expect([done.status, JSON.parse(done.body)]).toEqual([200, { message: "remove claude-repo-0" }]);
    expect(dashboard.actions).toEqual([{ name: "claude-repo-0", action: "remove", force: true }]);
    const unknown = await call("/api/c/nobody/sync", { method: "POST", headers: json(), body: "{}" });
    expect([unknown.status, JSON.parse(unknown.body)]).toEqual([404, { error: "no launched container named nobody" }]);
    expect((await call("/api/c/claude-repo-0/sync", { method: "POST", headers: json(), body: "[1]" })).status).toBe(400);
  });

  it("allows a blocked host asked for from its own page, after checking it is a host name or address; nothing runs otherwise", async () => {
    const allow = "/api/c/codex-repo-1/allow";
    expect((await call(allow, { method: "POST", headers: { ...json(), origin: "http://evil.example" }, body: JSON.stringify({ host: "pypi.org" }) })).status).toBe(403);
    for (const host of ["x;id;.example", "$(id).example", "", 443, "127.1", "a b.example"]) {
      const refused = await call(allow, { method: "POST", headers: json(), body: JSON.stringify({ host }) });
      expect(refused.status).toBe(400);
      expect(JSON.parse(refused.body).error).toMatch(/^not a host name or address: /);
    }
    expect((await call(allow, { method: "POST", headers: json(), body: JSON.stringify({ host: "pypi.org", save: "yes" }) })).status).toBe(400);
    expect(dashboard.allows).toEqual([]);
    const done = await call(allow, { method: "POST", headers: json(), body: JSON.stringify({ host: "PyPI.org", save: true }) });
    expect([done.status, JSON.parse(done.body)]).toEqual([200, { message: "codex-repo-1: now allowed: pypi.org" }]);
    expect(dashboard.allows).toEqual([{ name: "codex-repo-1", request: { host: "pypi.org", save: true } }]);
  });

  it("serves the list, a transcript from an offset and a diff as JSON", async () => {
    const list = JSON.parse((await call("/api/list", { headers: cookie() })).body) as { name: string }[];
    expect(list.map((row) => row.name)).toEqual(["claude-repo-0", "codex-repo-1", "copilot-repo-2"]);
    expect(JSON.parse((await call("/api/c/claude-repo-0/transcript?offset=3", { headers: cookie() })).body)).toEqual({ text: "king…\n", offset: 3, next: 9, more: false });
    expect(JSON.parse((await call("/api/c/claude-repo-0/diff", { headers: cookie() })).body)).toMatchObject({ files: [{ path: "src/app.ts" }], truncated: false });
  });

  it("escapes every control character a container wrote, and names the branch's host-run files git-quoted with the warning", async () => {
    const osc52 = "\u001b]52;c;aGk=\u0007";
    const hostile = await startUi({
      ...fakeDashboard(1),
      transcript: async (_name, offset) => ({ text: `out ${osc52}\u009b2J\rover\r\n`, offset, next: offset + 20, more: false }),
      diff: async () => ({
        base: "a".repeat(40),
        head: "b".repeat(40),
        files: [{ path: ".devcontainer/devcontainer.json", added: 1, removed: 0, status: "A" }, { path: `${osc52}.txt`, added: 1, removed: 0, status: "A" }],
        hostRun: [".devcontainer/devcontainer.json"],
        patch: `+${osc52}\n`,
      }),
    });
    try {
      const get = (path: string) =>
        new Promise<string>((resolve, reject) => {
          request({ host: "127.0.0.1", port: hostile.port, path, headers: { host: `127.0.0.1:${hostile.port}`, cookie: `cadc_ui=${hostile.token}` } }, (res) => {
            let body = "";
            res.on("data", (chunk: Buffer) => (body += chunk.toString()));
            res.on("end", () => resolve(body));
          }).on("error", reject).end();
        });
      const transcript = await get("/api/c/claude-repo-0/transcript");
      const diff = await get("/api/c/claude-repo-0/diff");
      for (const body of [transcript, diff]) expect(body).not.toMatch(/[\u0000-\u001f\u007f-\u009f]|\\u00(?:1b|07|9b)/);
      expect(JSON.parse(transcript).text).toBe("out \\x1b]52;c;aGk=\\x07\\x9b2J\\x0dover\r\n");
      expect(JSON.parse(diff)).toMatchObject({
        files: [{ path: ".devcontainer/devcontainer.json" }, { path: '"\\033]52;c;aGk=\\a.txt"' }],
        hostRun: [".devcontainer/devcontainer.json"],
        hostRunNotice: expect.stringMatching(/^warning: the branch changes \.devcontainer\/devcontainer\.json: these run on your machine/),
        patch: "+\\x1b]52;c;aGk=\\x07\n",
      });
    } finally {
      await hostile.close();
    }
  });

  it("streams the list as Server-Sent Events", async () => {
    const first = await new Promise<string>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: server.port, path: "/api/events", headers: { host: `127.0.0.1:${server.port}`, ...cookie() } }, (res) => {
        res.once("data", (chunk: Buffer) => {
          resolve(chunk.toString());
          req.destroy();
        });
      });
      req.on("error", reject);
      req.end();
    });
    expect(first).toMatch(/^event: list\ndata: \[\{"name":"claude-repo-0"/);
  });
});
