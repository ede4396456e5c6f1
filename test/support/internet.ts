/**
 * A small "internet" of the test's own, for egress tests (shared/reference/testbed.md): one Docker network
 * the test creates, two HTTPS servers (certificates from the run's test CA, test/support/test-ca.ts) answering as
 * allowed.test and blocked.test (and every name under them), and a dnsmasq that answers those names and logs every
 * query it gets. Everything is named with the run id and removed by `remove()`; the dnsmasq image is shared by the run.
 *
 * Each server logs every request it gets (method, host, path, headers) as a JSON line in a file the test reads, and
 * answers Anthropic's Messages API (`POST /v1/messages`), OpenAI's Chat Completions (`POST …/chat/completions`)
 * and Responses (`POST …/responses`, streamed), and Gemini's `generateContent` (also as Code Assist's
 * `/v1internal:` calls, for Login with Google) just enough for `claude -p`,
 * `qwen`, `codex exec` and `gemini -p`: the
 * credential broker's tests read what arrived. `/reflect` is a hostile echo route: it sends every request
 * header back, as response headers (`x-reflect-<name>`) and in a JSON body with the request's own body, in
 * small chunks (gzip-encoded when the path ends in `?gzip`, whatever the request accepts; with `?te-gzip`, in the
 * transfer coding `gzip, chunked`, which Node's client does not decode).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docker, imageExists } from "./docker.js";
import { openssl, testCaDir } from "./test-ca.js";

export interface Internet {
  runId: string;
  network: string;
  subnet: string;
  /** Server name → its address on the network. */
  addresses: Record<"allowed" | "blocked", string>;
  dns: string;
  /** PEM of the test CA, and a folder holding it as test-ca.crt. */
  caDir: string;
  /** Queries the DNS server has logged so far. */
  dnsQueries(): string[];
  /** The requests a server has logged so far: every request it has answered is in it. */
  requests(name: "allowed" | "blocked"): ServerRequest[];
  /** The requests after the first `since` that `match`. */
  requestsSince(name: "allowed" | "blocked", since: number, match: (request: ServerRequest) => boolean): ServerRequest[];
  remove(): void;
}

export interface ServerRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** When it arrived (ms since the epoch; the server shares the host's clock). */
  at: number;
}

/** HTTPS on 443 and HTTP on 80: "/" says who answers, "/bytes/<n>" streams n bytes (for the benchmark). */
const SERVER_JS = String.raw`
const fs = require("fs"), https = require("https"), http = require("http");
const name = process.env.NAME;
const message = (text) => ({ id: "msg_test", type: "message", role: "assistant", model: "test-model", content: [{ type: "text", text }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });
const sse = (res, text) => {
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  const { content, ...start } = message(text);
  const events = [["message_start", { type: "message_start", message: { ...start, content: [], stop_reason: null } }],
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }],
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } }],
    ["message_stop", { type: "message_stop" }]];
  res.end(events.map(([event, data]) => "event: " + event + "\ndata: " + JSON.stringify(data) + "\n\n").join(""));
};
// OpenAI's Chat Completions (Qwen Code) and Gemini's generateContent (Gemini CLI), streamed or not.
const chat = (res, stream, text) => {
  const base = { id: "chatcmpl-test", created: 1, model: "test-model" };
  const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
  if (!stream) return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ...base, object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }], usage }));
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  const chunk = (choice, extra) => "data: " + JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, ...choice }], ...extra }) + "\n\n";
  res.end(chunk({ delta: { role: "assistant", content: text }, finish_reason: null }) + chunk({ delta: {}, finish_reason: "stop" }, { usage }) + "data: [DONE]\n\n");
};
// Code Assist (Gemini CLI on Login with Google) wraps the same answer in { response }.
// A JSON answer where JSON is asked for: the CLI's model router (its classifiers' fields) and next-speaker check; prose
// there makes the CLI retry with backoff for about 100 s before it falls back to its default model.
const ROUTED = JSON.stringify({ reasoning: "test", model_choice: "flash", complexity_reasoning: "test", complexity_score: 1, next_speaker: "user" });
const wantsJson = (body) => {
  try {
    const request = JSON.parse(body);
    return (request.request ?? request).generationConfig?.responseMimeType === "application/json";
  } catch { return false; }
};
const gemini = (res, stream, text, codeAssist) => {
  const answer = { candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 }, modelVersion: "test-model" };
  const body = codeAssist ? { response: answer } : answer;
  if (!stream) return res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
  res.writeHead(200, { "Content-Type": "text/event-stream" }).end("data: " + JSON.stringify(body) + "\r\n\r\n");
};
// OpenAI's Responses API, streamed (Codex): the three events its own tests mock.
const responses = (res, text) => {
  const usage = { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 };
  const events = [["response.created", { type: "response.created", response: { id: "resp_test" } }],
    ["response.output_item.done", { type: "response.output_item.done", item: { type: "message", role: "assistant", id: "msg_test", content: [{ type: "output_text", text }] } }],
    ["response.completed", { type: "response.completed", response: { id: "resp_test", usage } }]];
  res.writeHead(200, { "Content-Type": "text/event-stream" });
  res.end(events.map(([event, data]) => "event: " + event + "\ndata: " + JSON.stringify(data) + "\n\n").join(""));
};
const reflect = (req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const headers = { "Content-Type": "application/json" };
    for (const [name, value] of Object.entries(req.headers)) headers["x-reflect-" + name] = value;
    let text = Buffer.from(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    if (req.url.endsWith("?gzip")) { headers["Content-Encoding"] = "gzip"; text = require("zlib").gzipSync(text); }
    if (req.url.endsWith("?te-gzip")) {
      const gz = require("zlib").gzipSync(text);
      const head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + gz.length.toString(16) + "\r\n";
      return res.socket.end(Buffer.concat([Buffer.from(head), gz, Buffer.from("\r\n0\r\n\r\n")]));
    }
    res.writeHead(200, headers);
    let at = 0;
    const next = () => { if (at >= text.length) return res.end(); res.write(text.subarray(at, at += 7)); setImmediate(next); };
    next();
  });
};
const handler = (req, res) => {
  // Appended before the answer is sent: the test reads the file itself, so a request answered is a request logged.
  if (!req.url.startsWith("/bytes/")) fs.appendFileSync("/log/requests.jsonl", JSON.stringify({ method: req.method, url: req.url, headers: req.headers, at: Date.now() }) + "\n");
  if (req.url.startsWith("/reflect")) return reflect(req, res);
  if (req.method === "POST" && /\/chat\/completions$/.test(req.url)) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    return req.on("end", () => {
      let stream = false;
      try { stream = JSON.parse(body).stream === true; } catch {}
      chat(res, stream, "hello from " + name);
    });
  }
  if (req.method === "POST" && /\/responses$/.test(req.url)) {
    req.resume();
    return req.on("end", () => responses(res, "hello from " + name));
  }
  if (req.method === "POST" && /:(stream)?[gG]enerateContent/.test(req.url)) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    return req.on("end", () => gemini(res, req.url.includes(":streamGenerateContent"), wantsJson(body) ? ROUTED : "hello from " + name, req.url.startsWith("/v1internal:")));
  }
  if (req.method === "POST" && /:countTokens/.test(req.url)) {
    req.resume();
    return req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ totalTokens: 1 })));
  }
  // Code Assist's other calls: setup names a tier and a project; quota, experiments and the rest get {}.
  if (req.method === "POST" && req.url.startsWith("/v1internal:")) {
    req.resume();
    const body = req.url.startsWith("/v1internal:loadCodeAssist") ? { currentTier: { id: "standard-tier", name: "Standard" }, cloudaicompanionProject: "test-project" } : {};
    return req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body)));
  }
  if (req.method === "POST" && req.url.startsWith("/v1/messages")) {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    return req.on("end", () => {
      let stream = false;
      try { stream = JSON.parse(body).stream === true; } catch {}
      const text = "hello from " + name;
      if (stream) return sse(res, text);
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(message(text)));
    });
  }
  const m = /^\/bytes\/(\d+)$/.exec(req.url);
  if (m) {
    let left = Number(m[1]);
    res.writeHead(200, { "Content-Length": left, "Content-Type": "application/octet-stream" });
    const chunk = Buffer.alloc(1 << 16, 120);
    const pump = () => { while (left > 0) { const n = Math.min(left, chunk.length); left -= n; if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return res.once("drain", pump); } res.end(); };
    return pump();
  }
  res.writeHead(200, { "Content-Type": "text/plain" }).end("hello from " + name + " " + req.method + " " + req.url + "\n");
};
https.createServer({ key: fs.readFileSync("/certs/server.key"), cert: fs.readFileSync("/certs/server.crt") }, handler).listen(443);
http.createServer(handler).listen(80);
`;

/** The run's CA (test-ca.crt, ca.key) and one server certificate for allowed.test, blocked.test and every name under them. */
function makeCertificates(dir: string): void {
  for (const file of ["test-ca.crt", "ca.key"]) copyFileSync(join(testCaDir(), file), join(dir, file));
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:allowed.test,DNS:*.allowed.test,DNS:blocked.test,DNS:*.blocked.test\n");
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=allowed.test", "-keyout", "server.key", "-out", "server.csr");
  openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "test-ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
  execFileSync("chmod", ["644", join(dir, "server.key")]);
}

/** The resolver's image, built by the first internet of a run (or of a benchmark) and left for the next. */
export const DNS_IMAGE = "agent-dc-test/dnsmasq:bookworm";

export function createInternet(options: { baseImage: string; nodeImage: string }): Internet {
  const runId = `egx${randomBytes(4).toString("hex")}`;
  const network = `${runId}-net`;
  const caDir = mkdtempSync(join(tmpdir(), `${runId}-ca-`));
  const created: { containers: string[] } = { containers: [] };
  const logDir = (server: "allowed" | "blocked") => join(caDir, `log-${server}`);
  const remove = (): void => {
    for (const name of created.containers) execFileSync("docker", ["rm", "-f", name], { stdio: "ignore" });
    try {
      execFileSync("docker", ["network", "rm", network], { stdio: "ignore" });
    } catch {
      // not created, or still in use by something the caller removes afterwards
    }
    rmSync(caDir, { recursive: true, force: true });
  };
  try {
    makeCertificates(caDir);
    writeFileSync(join(caDir, "server.js"), SERVER_JS);
    docker("network", "create", "--label", `agent-dc-test=${runId}`, network);
    const subnet = docker("network", "inspect", network, "--format", "{{(index .IPAM.Config 0).Subnet}}");
    const addresses = { allowed: "", blocked: "" };
    for (const name of ["allowed", "blocked"] as const) {
      const container = `${runId}-${name}`;
      mkdirSync(logDir(name));
      docker(
        "run", "-d", "--name", container, "--network", network, "--label", `agent-dc-test=${runId}`,
        "-e", `NAME=${name}.test`, "-v", `${caDir}:/certs:ro`, "-v", `${logDir(name)}:/log`, options.nodeImage, "node", "/certs/server.js",
      );
      created.containers.push(container);
      addresses[name] = docker("inspect", "-f", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container);
    }
    // dnsmasq from Debian's archive, on the local base image, built once per run; answers only the test's names, logs all.
    const dnsImage = DNS_IMAGE;
    if (!imageExists(dnsImage)) {
      execFileSync("docker", ["build", "-q", "-t", dnsImage, "-"], {
        input: `FROM ${options.baseImage}\nRUN apt-get update -qq && apt-get install -y -qq --no-install-recommends dnsmasq >/dev/null && rm -rf /var/lib/apt/lists/*\n`,
        stdio: ["pipe", "ignore", "inherit"],
      });
    }
    const dnsName = `${runId}-dns`;
    docker(
      "run", "-d", "--name", dnsName, "--network", network, "--label", `agent-dc-test=${runId}`, dnsImage,
      "dnsmasq", "--keep-in-foreground", "--log-queries", "--log-facility=-", "--no-resolv", "--no-hosts", "--user=root",
      `--address=/allowed.test/${addresses.allowed}`, `--address=/blocked.test/${addresses.blocked}`,
    );
    created.containers.push(dnsName);
    const dns = docker("inspect", "-f", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, dnsName);
    const dnsQueries = (): string[] => {
      const log = execFileSync("docker", ["logs", dnsName], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const err = execFileSync("sh", ["-c", `docker logs ${dnsName} 2>&1 >/dev/null`], { encoding: "utf8" });
      return `${log}\n${err}`.split("\n").flatMap((line) => /query\[[A-Z]+\] (\S+) from/.exec(line)?.[1] ?? []);
    };
    const requests = (server: "allowed" | "blocked"): ServerRequest[] => {
      const log = join(logDir(server), "requests.jsonl");
      if (!existsSync(log)) return [];
      return readFileSync(log, "utf8").split("\n").flatMap((line) => (line ? [JSON.parse(line) as ServerRequest] : []));
    };
    const requestsSince = (server: "allowed" | "blocked", since: number, match: (request: ServerRequest) => boolean): ServerRequest[] =>
      requests(server).slice(since).filter(match);
    return { runId, network, subnet, addresses, dns, caDir, dnsQueries, requests, requestsSince, remove };
  } catch (error) {
    remove();
    throw error;
  }
}

/** The host's address on the internet's network (its gateway): a server the test runs on the host listens there. */
export function hostAddress(internet: Internet): string {
  return docker("network", "inspect", internet.network, "--format", "{{(index .IPAM.Config 0).Gateway}}");
}

/** A certificate for an IP address, signed by the test CA (trusted by images made with baseImageWithCa). */
export function ipCertificate(internet: Internet, ip: string): { key: string; cert: string } {
  const dir = internet.caDir;
  writeFileSync(join(dir, "ip.ext"), `subjectAltName=IP:${ip}\n`);
  openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${ip}`, "-keyout", "ip.key", "-out", "ip.csr");
  openssl(dir, "x509", "-req", "-in", "ip.csr", "-CA", "test-ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "ip.ext", "-out", "ip.crt");
  return { key: readFileSync(join(dir, "ip.key"), "utf8"), cert: readFileSync(join(dir, "ip.crt"), "utf8") };
}
