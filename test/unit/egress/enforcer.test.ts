/**
 * The real enforcer bundle (egress/proxy.cjs), run by Node.js on loopback with a state folder of the test's
 * own: decisions on names, refusal of special addresses after resolution, policy reload, the log lines.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { connect, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLog } from "../../../src/egress/inspect.js";
import { packagePath } from "../../../src/paths.js";
import { spellings } from "../../support/address-spellings.js";

let dir = "";
let origin: Server;
let originPort = 0;
/** Connections the origin (the test's own host at 127.0.0.1) accepted. */
let originConnections = 0;
let proxy: ChildProcess;
const proxyPort = 20000 + Math.floor(Math.random() * 20000);
let stdout = "";

function get(url: string, host = new URL(url).host): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: proxyPort, path: url, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.setTimeout(5000, () => req.destroy(new Error("timeout")));
    req.end();
  });
}

function connectStatus(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxyPort, "127.0.0.1", () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    socket.setTimeout(5000, () => socket.destroy(new Error("timeout")));
    socket.once("data", (chunk: Buffer) => {
      resolve(chunk.toString("latin1").split("\r\n")[0]!);
      socket.destroy();
    });
    socket.on("error", reject);
  });
}

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "egress-unit-"));
  writeFileSync(join(dir, "mode"), "allowlist\n");
  writeFileSync(join(dir, "preset.txt"), "localhost:0\n");
  writeFileSync(join(dir, "allow.txt"), "");
  writeFileSync(join(dir, "egress.toml"), `private = ["127.0.0.0/8"]\n`);
  origin = createServer((req, res) => res.end(`origin ${req.url}`));
  origin.on("connection", () => void (originConnections += 1));
  await new Promise<void>((resolve) => origin.listen(0, "127.0.0.1", resolve));
  originPort = (origin.address() as { port: number }).port;
  writeFileSync(join(dir, "preset.txt"), `localhost:${originPort}\n`);
  proxy = spawn(process.execPath, [packagePath("egress", "proxy.cjs")], {
    env: { PATH: process.env.PATH, EGRESS_STATE: dir, EGRESS_POLICY: join(dir, "egress.toml"), EGRESS_PORT: String(proxyPort), EGRESS_ID: "abc123" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let ready = false;
  proxy.stderr!.on("data", (d: Buffer) => (ready ||= d.toString().includes("listening")));
  proxy.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  await waitFor(() => ready);
});

afterAll(() => {
  proxy?.kill();
  origin?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the enforcer", () => {
  it("forwards a listed host and logs the bytes", async () => {
    const answer = await get(`http://localhost:${originPort}/hello`);
    expect(answer.body).toBe("origin /hello");
    await waitFor(() => stdout.includes('"event":"close"'));
    const line = JSON.parse(stdout.trim().split("\n").at(-1)!) as { host: string; verdict: string; down: number };
    expect(line).toMatchObject({ event: "close", host: "localhost", port: originPort, verdict: "allowed" });
    expect(line.down).toBeGreaterThan(0);
  });

  it("answers 403 for an unlisted name, naming it and the command that allows it", async () => {
    const answer = await get("http://blocked.test/");
    expect(answer.status).toBe(403);
    expect(answer.headers["x-egress-blocked"]).toBe("blocked.test:80");
    expect(answer.body).toContain("npx create-agent-devcontainer egress allow abc123 blocked.test");
    expect(await connectStatus("blocked.test:443")).toMatch(/^HTTP\/1\.1 403/);
  });

  it("names the container as the host step recorded it, never a name with characters a name cannot have", async () => {
    writeFileSync(join(dir, "name"), "claude-app-x\n");
    expect((await get("http://blocked.test/")).body).toContain("Allow it for this container (no restart):  npx create-agent-devcontainer egress allow claude-app-x blocked.test\n");
    writeFileSync(join(dir, "name"), "x; rm -rf ~\n");
    expect((await get("http://blocked.test/")).body).toContain("egress allow abc123 blocked.test");
    writeFileSync(join(dir, "name"), "");
  });

  it("refuses a listed name that resolves to an unlisted special address (DNS rebinding)", async () => {
    writeFileSync(join(dir, "egress.toml"), `allow = ["localhost:${originPort}"]\nprivate = []\n`);
    const answer = await get(`http://localhost:${originPort}/`);
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/loopback/);
  });

  it("re-reads allow.txt on the next connection (egress allow without a restart)", async () => {
    writeFileSync(join(dir, "egress.toml"), `private = ["127.0.0.0/8"]\n`);
    expect(await connectStatus(`127.0.0.1:${originPort}`)).toMatch(/403/);
    writeFileSync(join(dir, "allow.txt"), `127.0.0.1:${originPort}\n`);
    expect(await connectStatus(`127.0.0.1:${originPort}`)).toMatch(/^HTTP\/1\.1 200/);
  });

  it("lets every public name through in log mode but still refuses the metadata address", async () => {
    writeFileSync(join(dir, "mode"), "log\n");
    expect(await connectStatus("169.254.169.254:80")).toMatch(/403/);
    writeFileSync(join(dir, "mode"), "allowlist\n");
  });

  it("refuses every spelling of a loopback host of the test's own, in log mode, before connecting", async () => {
    writeFileSync(join(dir, "mode"), "log\n");
    writeFileSync(join(dir, "egress.toml"), "private = []\n");
    writeFileSync(join(dir, "allow.txt"), "");
    try {
      const before = originConnections;
      for (const spelling of spellings("127.0.0.1")) {
        expect(await connectStatus(`${spelling}:${originPort}`), spelling).toMatch(/^HTTP\/1\.1 403/);
      }
      for (const spelling of ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "2130706433", "0x7f.1", "127.1", "0177.0.0.1"]) {
        const answer = await get(`http://${spelling}:${originPort}/`);
        expect(answer.status, spelling).toBe(403);
        expect(answer.body, spelling).toMatch(/loopback|embeds/);
      }
      expect(originConnections).toBe(before);
      // The log names the address as it was classified, never a spelling that hides it.
      expect(stdout).toContain('"host":"::ffff:7f00:1"');
      expect(stdout).not.toContain('"host":"2130706433"');
    } finally {
      writeFileSync(join(dir, "mode"), "allowlist\n");
      writeFileSync(join(dir, "egress.toml"), `private = ["127.0.0.0/8"]\n`);
    }
  });

  it("forwards plain HTTP only with the URL's own Host, refusing another with 421", async () => {
    const before = originConnections;
    const fronted = await get(`http://localhost:${originPort}/fronted`, "other.example");
    expect(fronted.status).toBe(421);
    expect(originConnections).toBe(before);
    expect((await get(`http://localhost:${originPort}/same`, `LOCALHOST:${originPort}`)).body).toBe("origin /same");
  });

  it("logs a tunnel when it opens, as open, and again when it closes, with its bytes", async () => {
    writeFileSync(join(dir, "allow.txt"), `127.0.0.1:${originPort}\n`);
    const socket = connect(proxyPort, "127.0.0.1", () => socket.write(`CONNECT 127.0.0.1:${originPort} HTTP/1.1\r\nHost: x\r\n\r\n`));
    await new Promise((resolve) => socket.once("data", resolve));
    const open = () => parseLog(stdout).filter((c) => c.host === "127.0.0.1" && c.port === originPort && c.state === "open");
    await waitFor(() => open().length === 1);
    expect(open()).toEqual([expect.objectContaining({ verdict: "allowed", state: "open", up: 0, down: 0 })]);
    const id = open()[0]!.id;
    socket.write("GET /through HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    await new Promise((resolve) => socket.on("close", resolve));
    await waitFor(() => open().length === 0);
    const closed = parseLog(stdout).find((c) => c.id === id)!;
    expect(closed).toMatchObject({ state: "closed", verdict: "allowed" });
    expect(closed.up).toBeGreaterThan(0);
    expect(closed.down).toBeGreaterThan(0);
    expect(stdout.split("\n").filter((line) => line.includes(`"id":"${id}"`)).map((line) => JSON.parse(line).event)).toEqual(["open", "close"]);
  });

  it("relays every byte in order, both ways: to a server that speaks first, and to a client slower than the server", async () => {
    const banner = Buffer.from("220 speaks first\r\n");
    const bulk = randomBytes(24 * 1024 * 1024);
    const server = createNetServer((socket) => {
      socket.write(banner);
      socket.once("data", (ask: Buffer) => socket.end(Buffer.concat([ask, bulk])));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    writeFileSync(join(dir, "allow.txt"), `127.0.0.1:${port}\n`);
    try {
      const socket = connect(proxyPort, "127.0.0.1", () => socket.write(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: x\r\n\r\n`));
      const chunks: Buffer[] = [];
      let asked = false;
      socket.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        if (asked || !Buffer.concat(chunks).includes(banner)) return;
        asked = true;
        // A client that stops reading for a while: the enforcer must wait for it, then go on.
        socket.write("go\n");
        socket.pause();
        setTimeout(() => socket.resume(), 300);
      });
      await new Promise((resolve) => socket.on("close", resolve));
      const received = Buffer.concat(chunks);
      const head = received.indexOf("\r\n\r\n") + 4;
      expect(received.subarray(0, head).toString("latin1")).toMatch(/^HTTP\/1\.1 200 /);
      expect(received.subarray(head).equals(Buffer.concat([banner, Buffer.from("go\n"), bulk]))).toBe(true);
      const closed = () => parseLog(stdout).find((c) => c.port === port && c.state === "closed");
      await waitFor(() => closed() !== undefined);
      expect(closed()).toMatchObject({ up: 3, down: banner.length + 3 + bulk.length });
    } finally {
      server.close();
    }
  });
});

describe("the enforcer behind a corporate proxy", () => {
  it("tunnels allowed names through HTTPS_PROXY (which resolves them), still refusing unlisted ones first", async () => {
    const seen: string[] = [];
    const upstream = createNetServer((socket) => {
      socket.once("data", (chunk: Buffer) => {
        const line = chunk.toString("latin1").split("\r\n")[0]!;
        seen.push(line);
        const target = connect(originPort, "127.0.0.1", () => {
          socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
          socket.pipe(target).pipe(socket);
        });
        target.on("error", () => socket.destroy());
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const upstreamPort = (upstream.address() as { port: number }).port;
    const port = proxyPort + 1;
    writeFileSync(join(dir, "allow.txt"), `only-the-proxy-knows.example:${originPort}\n`);
    const child = spawn(process.execPath, [packagePath("egress", "proxy.cjs")], {
      env: { PATH: process.env.PATH, EGRESS_STATE: dir, EGRESS_POLICY: join(dir, "egress.toml"), EGRESS_PORT: String(port), HTTPS_PROXY: `http://127.0.0.1:${upstreamPort}` },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let ready = false;
    child.stderr!.on("data", (d: Buffer) => (ready ||= d.toString().includes("listening")));
    try {
      await waitFor(() => ready);
      const status = (target: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(port, "127.0.0.1", () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
          socket.once("data", (chunk: Buffer) => (resolve(chunk.toString("latin1").split("\r\n")[0]!), socket.destroy()));
          socket.on("error", reject);
        });
      expect(await status(`only-the-proxy-knows.example:${originPort}`)).toMatch(/^HTTP\/1\.1 200/);
      expect(await status("blocked.test:443")).toMatch(/403/);
      // Addresses are classified here, not left to the upstream proxy: in log mode, every spelling of the
      // metadata and a bridge address is refused, and the upstream (the test's own) never hears of it.
      writeFileSync(join(dir, "mode"), "log\n");
      try {
        for (const spelling of [...spellings("169.254.169.254"), ...spellings("172.17.0.1")]) {
          expect(await status(`${spelling}:80`), spelling).toMatch(/^HTTP\/1\.1 403/);
        }
      } finally {
        writeFileSync(join(dir, "mode"), "allowlist\n");
      }
      expect(seen).toEqual([`CONNECT only-the-proxy-knows.example:${originPort} HTTP/1.1`]);
    } finally {
      child.kill();
      upstream.close();
    }
  });
});
