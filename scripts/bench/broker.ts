/**
 * Issue 12 measurements: what the credential broker costs. The real host step (egress.sh with Claude's
 * broker arguments) starts enforcers on the test's own internet; a client container on an enforcer's
 * network sends keep-alive HTTPS requests through it, to the same test server, either tunnelled (no
 * injection: allowed.test) or terminated with the key injected (gateway.allowed.test, the ANTHROPIC_BASE_URL
 * host). Reported: median latency per request each way and the difference, and requests per second with
 * 4 containers (4 enforcers) at once. Every terminated answer is scrubbed for the key (issue 20); a third
 * latency measures an answer that carries it back (the test server's /reflect echo route), where the
 * scrubber replaces it in headers and body.
 *
 * Issue 26 measurements: the same with a subscription login instead of a key. Codex's ChatGPT login on the
 * host, refreshed by its one refresher against a scripted token server (test/support/oauth-server.ts) whose
 * access tokens live LOGIN_LIFETIME_SECONDS: the latency the token swap adds (the enforcer looks up the
 * current token per request), and refreshes per hour with one container on the login, then with
 * CONTAINERS (the goal: the same, since one refresher serves them all).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agent, brokerOf } from "../../src/catalogue/agents.js";
import { BROKER_HOST_DIR, enforcerName } from "../../src/egress/layout.js";
import { packagePath } from "../../src/paths.js";
import { testHostEnv } from "../../test/support/devcontainer.js";
import { BASE_IMAGE, NODE_IMAGE } from "../../test/support/docker.js";
import { createInternet, DNS_IMAGE, hostAddress, ipCertificate, type Internet } from "../../test/support/internet.js";
import { codexAuthJson, startOAuthServer } from "../../test/support/oauth-server.js";
import { brokerArgs, loginSpec } from "../../src/egress/broker-args.js";
import { codexLogin } from "../../src/egress/logins/codex.js";
import { baseImageWithTestCa } from "../../test/support/test-ca.js";
import { median } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

/** The client: N sequential requests on one keep-alive connection through the proxy, or as many as it can for S seconds. */
const CLIENT_JS = String.raw`
const http = require("http"), https = require("https"), tls = require("tls"), fs = require("fs");
const [host, mode, amount, path = "/v1/ping"] = process.argv.slice(2);
const ca = [fs.readFileSync("/ca/broker.crt", "utf8"), fs.readFileSync("/ca/test-ca.crt", "utf8")];
const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
agent.createConnection = (options, done) => {
  http.request({ host: "egress", port: 3128, method: "CONNECT", path: host + ":443" })
    .on("connect", (res, socket) => done(null, tls.connect({ socket, servername: host, ca })))
    .on("error", done).end();
};
const once = () => new Promise((resolve, reject) => {
  const start = process.hrtime.bigint();
  https.get({ host, path, agent, headers: { [process.env.HEADER || "x-api-key"]: process.env.KEY } }, (res) => {
    res.resume().on("end", () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  }).on("error", reject);
});
(async () => {
  await once();
  if (mode === "latency") {
    const times = [];
    for (let i = 0; i < Number(amount); i++) times.push(await once());
    console.log(JSON.stringify(times));
  } else {
    const end = Date.now() + Number(amount) * 1000;
    let count = 0;
    while (Date.now() < end) { await once(); count++; }
    console.log(JSON.stringify(count / Number(amount)));
  }
  agent.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
`;

const CONTAINERS = 4;
const SECONDS = 10;
const REQUESTS = 300;
/** The login's access tokens live this long: a refresh every 2.1 s (70% of it), so a window of seconds counts many. */
const LOGIN_LIFETIME_SECONDS = 3;
const LOGIN_WINDOW_SECONDS = 30;

export async function run(report: Report): Promise<void> {
  const internet = createInternet({ baseImage: BASE_IMAGE, nodeImage: NODE_IMAGE });
  const base = baseImageWithTestCa(BASE_IMAGE);
  const home = mkdtempSync(join(tmpdir(), `${internet.runId}-home-`));
  const work = join(home, "repo");
  const hostDir = join(work, ".devcontainer", "host");
  mkdirSync(hostDir, { recursive: true });
  copyFileSync(packagePath("egress", "egress.sh"), join(hostDir, "egress.sh"));
  copyFileSync(packagePath("egress", "proxy.cjs"), join(hostDir, "egress-proxy.cjs"));
  writeFileSync(join(work, ".devcontainer", "egress.toml"), `private = ["${internet.subnet}"]\n`);
  writeFileSync(join(home, "client.js"), CLIENT_JS);
  const placeholder = brokerOf(agent("claude"))!.credentials[0]!.placeholder;
  const env = {
    ...testHostEnv(),
    HOME: home,
    XDG_STATE_HOME: join(home, "state"),
    ANTHROPIC_API_KEY: "sk-ant-bench-real-key",
    ANTHROPIC_BASE_URL: "https://gateway.allowed.test",
    CADC_EGRESS_NETWORK: internet.network,
    CADC_EGRESS_DNS: internet.dns,
    CADC_EGRESS_IMAGE: `${internet.runId}-enforcer:1`,
  };
  const ids = Array.from({ length: CONTAINERS }, (_, i) => `${internet.runId}b${i}`);
  try {
    for (const id of ids) {
      execFileSync("sh", [join(hostDir, "egress.sh"), "up", id, "allowlist", base, ".devcontainer/egress.toml", ...brokerArgs(agent("claude")), "allowed.test"], { cwd: work, env, stdio: ["ignore", "ignore", "inherit"] });
    }
    const client = (id: string, host: string, mode: "latency" | "rate", amount: number, path = "/v1/ping", header = "x-api-key", key = placeholder): string[] => [
      "run", "--rm", "--network", enforcerName(id), "-e", `HEADER=${header}`, "-e", `KEY=${key}`,
      "-v", `${join(home, BROKER_HOST_DIR, "ca.crt")}:/ca/broker.crt:ro`, "-v", `${join(internet.caDir, "test-ca.crt")}:/ca/test-ca.crt:ro`,
      "-v", `${join(home, "client.js")}:/client.js:ro`, NODE_IMAGE, "node", "/client.js", host, mode, String(amount), path,
    ];
    const latency = (host: string, path?: string): number =>
      median(JSON.parse(execFileSync("docker", client(ids[0]!, host, "latency", REQUESTS, path), { encoding: "utf8" })) as number[]);
    const tunnelled = latency("allowed.test");
    const injected = latency("gateway.allowed.test");
    const reflectedTunnelled = latency("allowed.test", "/reflect");
    const reflected = latency("gateway.allowed.test", "/reflect");
    const arrived = internet.requests("allowed").filter((request) => request.url === "/v1/ping" && request.headers.host === "gateway.allowed.test");
    if (!arrived.every((request) => request.headers["x-api-key"] === env.ANTHROPIC_API_KEY)) throw new Error("the key was not injected");
    report(`HTTPS request, keep-alive, tunnelled without injection (median of ${REQUESTS})`, tunnelled, "ms");
    report(`HTTPS request, keep-alive, terminated with the key injected and the answer scrubbed (median of ${REQUESTS})`, injected, "ms", `+${(injected - tunnelled).toFixed(2)} ms per request; goal <= 5 ms`);
    report(`echo route, tunnelled (median of ${REQUESTS})`, reflectedTunnelled, "ms");
    report(`echo route, key injected and echoed back, scrubbed in headers and body (median of ${REQUESTS})`, reflected, "ms", `+${(reflected - reflectedTunnelled).toFixed(2)} ms per request; goal <= 5 ms`);

    const parallel = async (host: string): Promise<number> => {
      const rates = await Promise.all(
        ids.map(
          (id) =>
            new Promise<number>((resolve, reject) => {
              const child = spawn("docker", client(id, host, "rate", SECONDS));
              let out = "";
              child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
              child.on("close", (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`client exited ${code}`))));
            }),
        ),
      );
      return rates.reduce((sum, value) => sum + value, 0);
    };
    report(`requests/s, ${CONTAINERS} containers at once, tunnelled (${SECONDS} s)`, await parallel("allowed.test"), "req/s");
    report(`requests/s, ${CONTAINERS} containers at once, key injected (${SECONDS} s)`, await parallel("gateway.allowed.test"), "req/s");

    await login(report, { internet, base, home, work, hostDir, env, client });
  } finally {
    for (const id of ids) {
      spawnSync("docker", ["rm", "-f", enforcerName(id)], { stdio: "ignore" });
      spawnSync("docker", ["network", "rm", enforcerName(id)], { stdio: "ignore" });
    }
    internet.remove();
    spawnSync("docker", ["image", "rm", "-f", `${internet.runId}-enforcer:1`, base, DNS_IMAGE], { stdio: "ignore" });
    rmSync(home, { recursive: true, force: true });
  }
}

type Client = (id: string, host: string, mode: "latency" | "rate", amount: number, path?: string, header?: string, key?: string) => string[];

/** The subscription login's figures (issue 26): the token swap's latency, and refreshes per hour for 1 and N containers. */
async function login(
  report: Report,
  bed: { internet: Internet; base: string; home: string; work: string; hostDir: string; env: NodeJS.ProcessEnv; client: Client },
): Promise<void> {
  const { internet, base, home, work, hostDir, client } = bed;
  const ip = hostAddress(internet);
  const oauth = await startOAuthServer({ lifetimeSeconds: LOGIN_LIFETIME_SECONDS, host: ip, tls: ipCertificate(internet, ip), accountId: "acct-bench" });
  const file = join(home, ".codex", "auth.json");
  mkdirSync(join(home, ".codex"), { mode: 0o700 });
  writeFileSync(file, codexAuthJson(oauth.issue(), "acct-bench"), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { ...bed.env, OPENAI_BASE_URL: "https://gateway.allowed.test/v1", CODEX_REFRESH_TOKEN_URL_OVERRIDE: oauth.url };
  const ids = Array.from({ length: CONTAINERS }, (_, i) => `${internet.runId}l${i}`);
  const sum = spawnSync("sh", ["-c", 'printf %s "$0" | cksum', file], { encoding: "utf8" }).stdout.split(" ")[0];
  const refresher = `cadc-broker-login-codex-${sum}`;
  const up = (id: string): void =>
    void execFileSync("sh", [join(hostDir, "egress.sh"), "up", id, "allowlist", base, ".devcontainer/egress.toml", ...loginSpec(agent("codex")), "allowed.test"], { cwd: work, env, stdio: ["ignore", "ignore", "inherit"] });
  /** Refreshes per hour over a window: the refreshes the token server answered, by the time between the first and the last. */
  const refreshRate = async (): Promise<number> => {
    const from = oauth.issuedAt.length;
    await new Promise((resolve) => setTimeout(resolve, LOGIN_WINDOW_SECONDS * 1000));
    const times = oauth.issuedAt.slice(from);
    if (times.length < 2) throw new Error(`only ${times.length} refresh(es) in ${LOGIN_WINDOW_SECONDS} s`);
    return ((times.length - 1) / (times.at(-1)! - times[0]!)) * 3600_000;
  };
  try {
    up(ids[0]!);
    const bearer = `Bearer ${codexLogin.placeholder}`;
    const latency = (host: string, path: string): number =>
      median(JSON.parse(execFileSync("docker", client(ids[0]!, host, "latency", REQUESTS, path, "authorization", bearer), { encoding: "utf8" })) as number[]);
    const tunnelled = latency("allowed.test", "/v1/ping?login");
    const swapped = latency("gateway.allowed.test", "/v1/ping?login");
    const arrived = internet.requests("allowed").filter((request) => request.url === "/v1/ping?login" && request.headers.host === "gateway.allowed.test");
    if (arrived.length === 0 || !arrived.every((request) => oauth.issued.includes((request.headers.authorization ?? "").replace(/^Bearer /, "")))) throw new Error("the login's token was not swapped in");
    const tokens = new Set(arrived.map((request) => request.headers.authorization)).size;
    report(`HTTPS request, keep-alive, tunnelled, login's enforcer (median of ${REQUESTS})`, tunnelled, "ms");
    report(`HTTPS request, keep-alive, a login's current access token swapped in (median of ${REQUESTS})`, swapped, "ms", `+${(swapped - tunnelled).toFixed(2)} ms per request; goal <= 5 ms; ${tokens} token(s) across the run`);
    const one = await refreshRate();
    for (const id of ids.slice(1)) up(id);
    const many = await refreshRate();
    const expected = 3600 / (0.7 * LOGIN_LIFETIME_SECONDS);
    report(`refreshes per hour, 1 container on one login (${LOGIN_LIFETIME_SECONDS} s tokens, ${LOGIN_WINDOW_SECONDS} s)`, one, "/h", `70% of the life: ${expected.toFixed(0)}/h`);
    report(`refreshes per hour, ${CONTAINERS} containers on one login (${LOGIN_LIFETIME_SECONDS} s tokens, ${LOGIN_WINDOW_SECONDS} s)`, many, "/h", `${(many / one).toFixed(2)}x the rate of one; goal: the same; ${oauth.reuses()} refresh token(s) reused`);
  } finally {
    for (const id of ids) {
      spawnSync("docker", ["rm", "-f", enforcerName(id)], { stdio: "ignore" });
      spawnSync("docker", ["network", "rm", enforcerName(id)], { stdio: "ignore" });
    }
    spawnSync("docker", ["rm", "-f", refresher], { stdio: "ignore" });
    await oauth.close();
  }
}
