/**
 * The credential broker with more real agent CLIs than Claude (test/e2e/broker.test.ts has the attacks and
 * the three containers): Qwen Code (Chat Completions, `Authorization: Bearer`), Codex (a Rust binary:
 * Responses API, the key stored by its own login command) and Gemini CLI (`x-goog-api-key`), each scaffolded with `--auth broker` and brought up by the plain devcontainer CLI, its
 * base-URL variable at a gateway in the test's own internet (HTTPS, test CA, through the policy). The real
 * CLI's headless run gets its answer from the gateway, which receives the host's key; the container's
 * environment and `docker inspect` hold only the placeholder.
 *
 * One more Codex container runs on a ChatGPT login (issue 26) instead of a key: the host's `auth.json` stays on
 * the host, refreshed by one refresher against a scripted token server of single-use refresh tokens and
 * access tokens that live for seconds (test/support/oauth-server.ts, on the host, TLS from the test CA).
 * One more Gemini container, from the same repository, runs on a Google login the same way (Google's
 * refresh tokens do not rotate: a second token server keeps that rule), the real CLI talking to Code Assist.
 * Three Claude Code containers, from a repository of their own, run on a Claude.ai (Pro/Max) login: the host's
 * `.credentials.json` stays on the host, refreshed against a third token server (rotating, as Anthropic's).
 * Three Codex containers and the host's own `codex`, two Gemini containers, and three Claude containers and the
 * host's own `claude` (each host CLI the binary its image installed, copied out) share their login for five
 * access-token lifetimes each: the token servers issue tokens of LOGIN_LIFETIME_SECONDS, so the refresher (at 70%
 * of a token's life) rotates every few seconds and every model call can be checked against the token current at that moment.
 */
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { stagedDir } from "../../src/auth/locations.js";
import { agent, brokerOf, type AgentId } from "../../src/catalogue/agents.js";
import type { Connection } from "../../src/egress/connection.js";
import { exec, inspect, remove, testHostEnv, up, type Container } from "../support/devcontainer.js";
import { BASE_IMAGE, NODE_IMAGE } from "../support/docker.js";
import { createInternet, hostAddress, ipCertificate, type Internet } from "../support/internet.js";
import { claudeLogin } from "../../src/egress/logins/claude.js";
import { codexLogin } from "../../src/egress/logins/codex.js";
import { googleLogin } from "../../src/egress/logins/google.js";
import { claudeCredentials, codexAuthJson, googleOAuthCreds, startOAuthServer, type OAuthServer } from "../support/oauth-server.js";
import { imagesHolding } from "../support/image-scan.js";
import { fixtureRepo } from "../support/scaffold.js";
import { jwtClaims } from "../../src/egress/logins/format.js";
import { cliArgs } from "../support/cli.js";

const GATEWAY = "gateway.allowed.test";
/** One host variable, one key: Qwen Code and Codex both read OPENAI_API_KEY. */
const OPENAI_KEY = `sk-proj-realkey${randomBytes(12).toString("hex")}`;

interface Case {
  id: AgentId;
  /** The key variable the host holds, and the header the gateway must see it in. */
  keyEnv: string;
  key: string;
  header: (key: string) => [string, string];
  /** The host's gateway variable and its value (what the container gets, unchanged). */
  baseUrl: [string, string];
  /** The agent's own headless run, as the agent user. */
  run: string;
  /** The gateway path the model request goes to. */
  path: RegExp;
}

/**
 * Gemini's headless run on a Google login. The fixture's clone is not a trusted folder, and headless Gemini stops
 * there without GEMINI_CLI_TRUST_WORKSPACE. A named model: the key run below covers the CLI's model router.
 */
const GEMINI_RUN = "GEMINI_CLI_TRUST_WORKSPACE=true timeout 200 gemini -p 'say hi' -m gemini-2.5-flash --approval-mode yolo </dev/null";

const CASES: Case[] = [
  {
    id: "qwen",
    keyEnv: "OPENAI_API_KEY",
    key: OPENAI_KEY,
    header: (key) => ["authorization", `Bearer ${key}`],
    baseUrl: ["OPENAI_BASE_URL", `https://${GATEWAY}/v1`],
    run: "OPENAI_MODEL=test-model timeout 100 qwen --approval-mode yolo 'say hi' </dev/null",
    path: /\/chat\/completions$/,
  },
  {
    id: "codex",
    keyEnv: "OPENAI_API_KEY",
    key: OPENAI_KEY,
    header: (key) => ["authorization", `Bearer ${key}`],
    baseUrl: ["OPENAI_BASE_URL", `https://${GATEWAY}/v1`],
    // The hook stored the placeholder with Codex's own `codex login --with-api-key` (its token login), and
    // the gateway as openai_base_url in its config (Codex no longer reads OPENAI_BASE_URL).
    run: "timeout 200 codex exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox 'say hi' </dev/null",
    path: /\/responses$/,
  },
  {
    id: "gemini",
    keyEnv: "GEMINI_API_KEY",
    key: `AIzaRealKey${randomBytes(12).toString("hex")}`,
    header: (key) => ["x-goog-api-key", key],
    baseUrl: ["GOOGLE_GEMINI_BASE_URL", `https://${GATEWAY}`],
    // No named model: the CLI's model router asks the gateway first, which answers it in JSON.
    run: "GEMINI_CLI_TRUST_WORKSPACE=true timeout 200 gemini -p 'say hi' --approval-mode yolo </dev/null",
    path: /generateContent/,
  },
];

/**
 * The logins' access tokens live this long: the refresher rotates at 70% of it (3.5 s), so five lifetimes of
 * three containers sharing one login take 25 s.
 */
const LOGIN_LIFETIME_SECONDS = 5;
/** How long a rotated token takes to reach a request: refresher, published file, enforcer, gateway's log. */
const ROTATION_SLACK_MS = 1000;
const ACCOUNT = "acct-e2e";
const CODEX_RUN = "timeout 200 codex exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox 'say hi' </dev/null";
const CLAUDE_RUN = "timeout 100 claude -p 'say hi' </dev/null";
/** Beside the login in the host's .credentials.json: an MCP server's OAuth, which must stay on the host. */
const CLAUDE_MCP = { mcpOAuth: { "docs|0123": { accessToken: "mcp-secret-access", refreshToken: "mcp-secret-refresh" } } };

let internet: Internet;
let base = "";
let env: NodeJS.ProcessEnv = {};
let repo = "";
const containers = new Map<AgentId, Container>();
/** The ChatGPT login: the token server, the host's CODEX_HOME, the host environment without a key, the container. */
let oauth: OAuthServer | undefined;
let codexHome = "";
let loginEnv: NodeJS.ProcessEnv = {};
let loginRepo = "";
/** Claude's login containers build beside the other two, so from a folder of their own (below). */
let claudeRepo = "";
let login: Container | undefined;
/** Two more containers of the ChatGPT login, and one more of the Google login. */
let codexPeers: Container[] = [];
let geminiPeer: Container | undefined;
/** The images of the login containers (Codex's, Gemini's and Claude's), kept for one `docker save` search at the end. */
const loginImages = new Set<string>();
/** The Google login: its token server (refresh tokens not rotated), the host's GEMINI_CLI_HOME, the container. */
let googleOAuth: OAuthServer | undefined;
let geminiHome = "";
let googleLoginContainer: Container | undefined;
/** The Claude.ai login: its token server (rotating), the host's CLAUDE_CONFIG_DIR, the container and two more. */
let claudeOAuth: OAuthServer | undefined;
let claudeHome = "";
let claudeLoginContainer: Container | undefined;
let claudePeers: Container[] = [];
/** Their start, under way beside the others': awaited before the teardown, so a failed start elsewhere leaves none behind. */
let claudeUp: Promise<void> | undefined;

function cli(args: string[], environment = env): string {
  const result = spawnSync(process.execPath, cliArgs(args), { env: environment, encoding: "utf8", timeout: 10 * 60_000 });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}:\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

/** The one refresher of a host's login file (egress.sh names it after the format and the file's path). */
function refresherName(format = "codex", file = join(codexHome, "auth.json")): string {
  const sum = spawnSync("sh", ["-c", 'printf %s "$0" | cksum', file], { encoding: "utf8" }).stdout.split(" ")[0];
  return `cadc-broker-login-${format}-${sum}`;
}

/**
 * Stops a login's refresher; it finishes a refresh under way first. Not spawnSync: that refresh may be waiting
 * on this process's token server, which a blocked event loop cannot answer, and Docker's kill after the timeout
 * would leave the refresh lock behind.
 */
async function stopRefresher(name: string): Promise<void> {
  await promisify(execFile)("docker", ["stop", "-t", "30", name]);
}

/**
 * Revokes every token of a login and lets its refresher fail once: stopped first (it finishes a refresh under
 * way), so the host file returned is the one the failed refresh starts from; restarted with that file's token
 * expired, it refreshes at once (bounded: three lifetimes). Returns that file and the count of refresh requests.
 */
async function failedRefresh(format: string, server: OAuthServer, creds: string): Promise<{ before: Buffer; used: number }> {
  await stopRefresher(refresherName(format, creds));
  server.revokeAll();
  const before = readFileSync(creds);
  const usedBefore = server.used.length;
  spawnSync("docker", ["start", refresherName(format, creds)], { stdio: "ignore" });
  const deadline = Date.now() + 3 * LOGIN_LIFETIME_SECONDS * 1000 + 10_000;
  while (server.used.length === usedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  expect(server.used.length).toBe(usedBefore + 1);
  return { before, used: server.used.length };
}

function googleCreds(): string {
  return join(geminiHome, ".gemini", "oauth_creds.json");
}

/**
 * The files (under `dirs`, /home, /tmp, /etc, /run) and processes (environment, command line: what `ps` shows)
 * inside that hold one of `patterns`, searched as the agent (its config folder is its own, 0700; root inside
 * has no capability to read it) and as root.
 */
function holders(container: Container, dirs: string[], patterns: string[]): string {
  return [container.up.remoteUser || "agent", "0"]
    .map((user) => spawnSync("docker", ["exec", "-i", "-u", user, container.id, "sh", "-c", 'grep -rlsF -D skip -f /dev/stdin "$@" /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null; true', "sh", ...dirs, "/home", "/tmp", "/etc", "/run"], { input: `${patterns.join("\n")}\n`, encoding: "utf8" }).stdout)
    .join("");
}

/** Everything the container's own layer added or changed (`docker diff`), for `holders` to search too. */
function changedPaths(container: Container): string[] {
  return spawnSync("docker", ["diff", container.id], { encoding: "utf8" }).stdout.split("\n").flatMap((line) => /^[AC] (\/.+)$/.exec(line)?.slice(1) ?? []);
}

/**
 * Why `token` was not the login's current access token when a request carrying it arrived at `at`, or undefined
 * when it was: issued by then, not yet expired, and not replaced for longer than a rotation takes to arrive.
 */
function notCurrent(server: OAuthServer, token: string, at: number): string | undefined {
  const index = server.issued.indexOf(token);
  if (index < 0) return `${token.slice(0, 40)} was never issued`;
  if (server.issuedAt[index]! > at) return `token ${index} arrived before it was issued`;
  if (at >= (jwtClaims(token).exp as number) * 1000) return `token ${index} arrived expired`;
  const next = server.issuedAt[index + 1];
  if (next !== undefined && next + ROTATION_SLACK_MS < at) return `token ${index} arrived ${at - next} ms after token ${index + 1} replaced it`;
  return undefined;
}

/** Every secret a token server gave out (access, refresh and id tokens) and every refresh token it was sent. */
function secretsOf(server: OAuthServer): string[] {
  return [...server.issued, ...server.idTokens, ...server.used].filter((secret) => secret.length >= 16);
}

/**
 * That no file (the container's own layer included), process environment or command line, or `docker inspect`
 * output of these containers holds a secret (their images' layers are searched once, in a test of their own).
 */
function holdsNoSecret(containers: Container[], configDir: string, agentId: AgentId, secrets: string[]): void {
  for (const container of containers) {
    const dirs = [configDir, stagedDir(agentId), ...changedPaths(container)];
    expect(holders(container, dirs, secrets), container.id).toBe("");
    const shown = JSON.stringify(inspect(container));
    for (const secret of secrets) expect(shown.includes(secret)).toBe(false);
  }
}

/**
 * A host's own CLI: the binary the container's image installed, copied out to run on the host (Codex's is static,
 * musl; Claude Code's native build needs the glibc the host has too). `locate` prints its path inside.
 */
let hostBinDir = "";
async function hostBinary(container: Container, name: string, locate: string): Promise<string> {
  const found = await exec(container, ["bash", "-c", locate]);
  const path = found.stdout.trim();
  expect(path, found.stderr).toMatch(/^\/\S+$/);
  hostBinDir ||= mkdtempSync(join(tmpdir(), `${internet.runId}-host-bin-`));
  expect(spawnSync("docker", ["cp", `${container.id}:${path}`, join(hostBinDir, name)], { stdio: "ignore" }).status).toBe(0);
  return join(hostBinDir, name);
}

/** `codex login status` run on the host by the real CLI, against the host's (rotating) auth.json. */
function hostLoginStatus(binary: string): string {
  const result = spawnSync(binary, ["login", "status"], { env: { ...loginEnv, CODEX_HOME: codexHome }, encoding: "utf8", timeout: 60_000 });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  return `${result.stdout}${result.stderr}`;
}

/**
 * Whether the container's egress log shows a connection that `match`es, waiting (up to 10 s) for it: the enforcer logs a
 * connection when it closes, often as the CLI exits, and Docker writes that log asynchronously.
 */
async function egressShows(container: Container, match: (connection: Connection) => boolean): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const log = (JSON.parse(cli(["egress", container.id, "--json"])) as { connections: Connection[] }).connections;
    if (log.some(match) || Date.now() > deadline) return log.some(match);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A refresh from inside goes nowhere: refused (403) before the token server, and logged as a token endpoint's refusal. */
async function tokenEndpointRefused(container: Container, server: OAuthServer, environment: NodeJS.ProcessEnv): Promise<void> {
  const url = new URL(server.url);
  const usedBefore = server.used.length;
  const curl = await exec(container, ["bash", "-c", `curl -sS --max-time 20 -X POST -d 'grant_type=refresh_token&refresh_token=rt-from-inside' ${server.url} 2>&1`], { env: environment });
  expect(curl.code).not.toBe(0);
  expect(`${curl.stdout}${curl.stderr}`).toMatch(/403/);
  expect(server.used.slice(usedBefore)).not.toContain("rt-from-inside");
  const log = (JSON.parse(cli(["egress", container.id, "--json"], environment)) as { connections: Connection[] }).connections;
  const refused = log.filter((connection) => connection.host === url.hostname && connection.port === Number(url.port));
  expect(refused.length).toBeGreaterThan(0);
  for (const connection of refused) expect(connection.verdict).toBe("blocked");
  expect(refused.at(-1)!.reason).toContain("token endpoint");
}

function claudeCreds(): string {
  return join(claudeHome, ".credentials.json");
}

/** What `claude auth status` prints for a Claude.ai login. */
const CLAUDE_LOGGED_IN = /"loggedIn":\s*true[^]*"authMethod":\s*"claude.ai"/;

/**
 * `claude auth status` run on the host by the real CLI, against the host's (rotating) .credentials.json. Its tokens
 * of seconds are due for the CLI's own refresh (5 min before expiry), which it tries under the lock the refresher
 * takes too, at Anthropic's endpoint (the CLI takes no other): its proxy is a closed loopback port, so nothing
 * leaves the host. Run just after a rotation, so the CLI holds that lock while the refresher sleeps (the
 * refresher would look again only 2 s later, after these tokens expire).
 */
async function hostClaudeStatus(binary: string): Promise<string> {
  const issued = claudeOAuth!.issued.length;
  const deadline = Date.now() + 2 * LOGIN_LIFETIME_SECONDS * 1000;
  while (claudeOAuth!.issued.length === issued && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const proxy = "http://127.0.0.1:1";
  const result = spawnSync(binary, ["auth", "status"], { env: { ...loginEnv, HTTPS_PROXY: proxy, HTTP_PROXY: proxy, NO_PROXY: "", no_proxy: "" }, encoding: "utf8", timeout: 60_000 });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  return `${result.stdout}${result.stderr}`;
}

function hostClaude(): { claudeAiOauth: { accessToken: string; refreshToken: string }; mcpOAuth?: unknown } {
  return JSON.parse(readFileSync(claudeCreds(), "utf8")) as { claudeAiOauth: { accessToken: string; refreshToken: string }; mcpOAuth?: unknown };
}

/** Claude's secrets: every token of its server, the host's refresh token, and what sits beside them in the file (an MCP server's OAuth, the account). */
function claudeSecrets(): string[] {
  return [...secretsOf(claudeOAuth!), hostClaude().claudeAiOauth.refreshToken, "mcp-secret-access", "mcp-secret-refresh", "account-uuid-e2e"];
}

function hostLogin(): { tokens: { access_token: string; refresh_token: string } } {
  return JSON.parse(readFileSync(join(codexHome, "auth.json"), "utf8")) as { tokens: { access_token: string; refresh_token: string } };
}

function placeholder(item: Case): string {
  return brokerOf(agent(item.id))!.credentials.find((credential) => credential.env === item.keyEnv)!.placeholder;
}

describe.skipIf(!inject("docker"))("credential broker with the real Qwen Code, Codex and Gemini CLIs", () => {
  beforeAll(async () => {
    internet = createInternet({ baseImage: BASE_IMAGE, nodeImage: NODE_IMAGE });
    // The run's base trusts the test CA that signed the internet's servers.
    base = BASE_IMAGE;
    env = {
      ...testHostEnv(),
      XDG_STATE_HOME: mkdtempSync(join(tmpdir(), `${internet.runId}-state-`)),
      CADC_EGRESS_NETWORK: internet.network,
      CADC_EGRESS_DNS: internet.dns,
      ...Object.fromEntries(CASES.flatMap((item) => [[item.keyEnv, item.key], item.baseUrl])),
    };
    repo = fixtureRepo(`broker-agents-${internet.runId}`);
    const agents = CASES.flatMap((item) => ["--agent", item.id]);
    cli([repo, "--yes", ...agents, "--auth", "broker", "--local-features", "--base-image", base, "--node-mirror", process.env.AGENT_DC_TEST_NODE_MIRROR!, "--egress", "allowlist", "--allow-host", "allowed.test"]);
    writeFileSync(join(repo, ".devcontainer", "egress.toml"), `allow = []\nprivate = ["${internet.subnet}"]\n`);
    for (const item of CASES) containers.set(item.id, await up(repo, join(repo, ".devcontainer", item.id, "devcontainer.json"), { env }));
    // The ChatGPT login: no key on this host, CODEX_HOME's auth.json, Codex's own token URL override.
    const ip = hostAddress(internet);
    oauth = await startOAuthServer({ lifetimeSeconds: LOGIN_LIFETIME_SECONDS, host: ip, tls: ipCertificate(internet, ip), accountId: ACCOUNT });
    codexHome = mkdtempSync(join(tmpdir(), `${internet.runId}-codex-home-`));
    writeFileSync(join(codexHome, "auth.json"), codexAuthJson(oauth.issue(), ACCOUNT), { mode: 0o600 });
    // The Google login: GEMINI_CLI_HOME's oauth_creds.json, the broker's own token URL override, Code Assist at the gateway.
    googleOAuth = await startOAuthServer({ lifetimeSeconds: LOGIN_LIFETIME_SECONDS, host: ip, tls: ipCertificate(internet, ip), rotate: false });
    geminiHome = mkdtempSync(join(tmpdir(), `${internet.runId}-gemini-home-`));
    mkdirSync(join(geminiHome, ".gemini"), { mode: 0o700 });
    writeFileSync(googleCreds(), googleOAuthCreds(googleOAuth.issue(), LOGIN_LIFETIME_SECONDS), { mode: 0o600 });
    // The Claude.ai login: CLAUDE_CONFIG_DIR's .credentials.json as the CLI writes it, the broker's own token URL override.
    claudeOAuth = await startOAuthServer({ lifetimeSeconds: LOGIN_LIFETIME_SECONDS, host: ip, tls: ipCertificate(internet, ip) });
    claudeHome = mkdtempSync(join(tmpdir(), `${internet.runId}-claude-home-`));
    writeFileSync(claudeCreds(), claudeCredentials(claudeOAuth.issue(), LOGIN_LIFETIME_SECONDS, CLAUDE_MCP), { mode: 0o600 });
    loginEnv = {
      ...env,
      CODEX_HOME: codexHome,
      CODEX_REFRESH_TOKEN_URL_OVERRIDE: oauth.url,
      GEMINI_CLI_HOME: geminiHome,
      CADC_GOOGLE_TOKEN_URL_OVERRIDE: googleOAuth.url,
      CODE_ASSIST_ENDPOINT: `https://${GATEWAY}`,
      CLAUDE_CONFIG_DIR: claudeHome,
      CADC_CLAUDE_TOKEN_URL_OVERRIDE: claudeOAuth.url,
      ANTHROPIC_BASE_URL: `https://${GATEWAY}`,
    };
    for (const name of ["OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL", "ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"]) delete loginEnv[name];
    loginRepo = fixtureRepo(`broker-login-${internet.runId}`);
    // The devcontainer CLI tags a config's image after its workspace folder alone: two configs of one folder
    // built side by side could start each other's image.
    claudeRepo = fixtureRepo(`broker-claude-${internet.runId}`);
    for (const folder of [loginRepo, claudeRepo]) {
      cli([folder, "--yes", "--agent", "codex", "--agent", "gemini", "--agent", "claude", "--auth", "codex=broker", "--auth", "gemini=broker", "--auth", "claude=broker", "--local-features", "--base-image", base, "--node-mirror", process.env.AGENT_DC_TEST_NODE_MIRROR!, "--egress", "allowlist", "--allow-host", "allowed.test"], loginEnv);
      writeFileSync(join(folder, ".devcontainer", "egress.toml"), `allow = []\nprivate = ["${internet.subnet}"]\n`);
    }
    // Claude's peers start from the image its first container built, one at a time (as the Codex peers below).
    const claudeConfig = join(claudeRepo, ".devcontainer", "claude", "devcontainer.json");
    claudeUp = (async () => {
      claudeLoginContainer = await up(claudeRepo, claudeConfig, { env: loginEnv });
      for (let peer = 0; peer < 2; peer++) claudePeers.push(await up(claudeRepo, claudeConfig, { env: loginEnv }));
    })();
    login = await up(loginRepo, join(loginRepo, ".devcontainer", "codex", "devcontainer.json"), { env: loginEnv });
    googleLoginContainer = await up(loginRepo, join(loginRepo, ".devcontainer", "gemini", "devcontainer.json"), { env: loginEnv });
    // The images are built: the peers only start containers of them (one at a time: the devcontainer CLI tags
    // an image after its folder alone, so two configs of one folder side by side could swap images).
    const codexConfig = join(loginRepo, ".devcontainer", "codex", "devcontainer.json");
    for (let peer = 0; peer < 2; peer++) codexPeers.push(await up(loginRepo, codexConfig, { env: loginEnv }));
    geminiPeer = await up(loginRepo, join(loginRepo, ".devcontainer", "gemini", "devcontainer.json"), { env: loginEnv });
    await claudeUp;
    for (const container of [login, ...codexPeers, googleLoginContainer, geminiPeer, claudeLoginContainer!, ...claudePeers]) loginImages.add(inspect(container).Image as string);
  });

  afterAll(async () => {
    await claudeUp?.catch(() => undefined);
    // Images stay for the files after this one (Docker's layer cache); the run's teardown removes them.
    for (const container of [...containers.values(), login, ...codexPeers, googleLoginContainer, geminiPeer, claudeLoginContainer, ...claudePeers]) if (container) remove(container);
    if (codexHome) spawnSync("docker", ["rm", "-f", refresherName()], { stdio: "ignore" });
    if (geminiHome) spawnSync("docker", ["rm", "-f", refresherName("google", googleCreds())], { stdio: "ignore" });
    if (claudeHome) spawnSync("docker", ["rm", "-f", refresherName("claude", claudeCreds())], { stdio: "ignore" });
    await oauth?.close();
    await googleOAuth?.close();
    await claudeOAuth?.close();
    internet?.remove();
    for (const dir of [codexHome, geminiHome, claudeHome, hostBinDir, loginRepo && dirname(loginRepo), claudeRepo && dirname(claudeRepo)]) if (dir) rmSync(dir, { recursive: true, force: true });
    if (env.XDG_STATE_HOME) rmSync(env.XDG_STATE_HOME, { recursive: true, force: true });
  });

  it.each(CASES.map((item) => [item.id, item] as const))("the real %s CLI gets its answer from the gateway, which receives the host's key", async (_id, item) => {
    const container = containers.get(item.id)!;
    const shown = await exec(container, ["bash", "-c", `printenv ${item.keyEnv} ${item.baseUrl[0]}`], { env });
    expect(shown.stdout.trim().split("\n")).toEqual([placeholder(item), item.baseUrl[1]]);
    const since = internet.requests("allowed").length;
    const run = await exec(container, ["bash", "-c", item.run], { env, timeoutMs: 240_000 });
    const output = `${run.stdout}${run.stderr}`;
    const calls = internet.requestsSince("allowed", since, (request) => request.headers.host === GATEWAY && item.path.test(request.url.split("?")[0]!));
    expect(calls.length, output).toBeGreaterThan(0);
    const [header, value] = item.header(item.key);
    for (const call of calls) expect(call.headers[header]).toBe(value);
    expect(output).toContain("hello from allowed.test");
    // The container and its configuration hold the placeholder only; the egress log names what was injected.
    expect(JSON.stringify(inspect(container))).not.toContain(item.key);
    expect(await egressShows(container, (connection) => connection.host === GATEWAY && connection.injected?.includes(item.keyEnv) === true)).toBe(true);
    const environ = spawnSync("docker", ["exec", "-u", "0", container.id, "sh", "-c", `cat /proc/[0-9]*/environ | grep -ac '${item.key}' || true`], { encoding: "utf8" });
    expect(environ.stdout.trim()).toBe("0");
  }, 360_000);

  it("Codex on a ChatGPT login: the real CLI is logged in by a placeholder; three containers and the host's own codex share the login for five access-token lifetimes, every model call with the token current at that moment, no refresh token used twice, no token inside", async () => {
    const all = [login!, ...codexPeers];
    const status = await exec(login!, ["bash", "-c", "codex login status"], { env: loginEnv });
    expect(`${status.stdout}${status.stderr}`).toContain("ChatGPT");
    const binary = await hostBinary(login!, "codex", 'root=$(dirname "$(dirname "$(readlink -f "$(command -v codex)")")"); find "$root" -path "*/vendor/*/bin/codex" -type f | head -1');
    const lifetimes = LOGIN_LIFETIME_SECONDS * 1000;
    const start = Date.now();
    const issuedBefore = oauth!.issued.length;
    const since = internet.requests("allowed").length;
    // From inside, as the agent: one keep-alive connection across rotations (a request every 4 s) gets each token as it comes.
    const keepAlive = exec(login!, ["bash", "-c", `curl -sS --max-time 30 --rate 15/m -w '%{num_connects}\\n' -H 'Authorization: Bearer ${codexLogin.placeholder}'${` -o /dev/null 'https://${GATEWAY}/v1/ping?keep-alive'`.repeat(3)}`], { env: loginEnv });
    let rounds = 0;
    // Bounded: at most 10 rounds of the three runs at once.
    while (rounds < 10 && (Date.now() - start < 5 * lifetimes || oauth!.issued.length - issuedBefore < 5)) {
      const runs = await Promise.all(all.map((container) => exec(container, ["bash", "-c", CODEX_RUN], { env: loginEnv, timeoutMs: 240_000 })));
      for (const run of runs) expect(`${run.stdout}${run.stderr}`).toContain("hello from allowed.test");
      // The host's CLI reads the auth.json the refresher has rotated meanwhile.
      if (rounds === 1) {
        expect(oauth!.issued.indexOf(hostLogin().tokens.access_token)).toBeGreaterThanOrEqual(issuedBefore);
        expect(hostLoginStatus(binary)).toContain("Logged in using ChatGPT");
      }
      rounds += 1;
    }
    const kept = await keepAlive;
    expect(kept.stdout.trim().split("\n"), kept.stderr).toEqual(["1", "0", "0"]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(5 * lifetimes);
    expect(oauth!.issued.length - issuedBefore).toBeGreaterThanOrEqual(5);
    const calls = internet.requestsSince("allowed", since, (request) => request.headers.host === GATEWAY && /\/responses$/.test(request.url.split("?")[0]!));
    expect(calls.length).toBeGreaterThanOrEqual(all.length * rounds);
    const pings = internet.requests("allowed").slice(since).filter((request) => request.url === "/v1/ping?keep-alive");
    expect(pings).toHaveLength(3);
    expect(new Set(pings.map((ping) => ping.headers.authorization)).size).toBeGreaterThan(1);
    for (const call of [...calls, ...pings]) {
      expect(notCurrent(oauth!, (call.headers.authorization ?? "").replace(/^Bearer /, ""), call.at)).toBeUndefined();
      expect(call.headers["chatgpt-account-id"]).toBe(ACCOUNT);
    }
    expect(oauth!.reuses()).toBe(0);
    expect(new Set(oauth!.used).size).toBe(oauth!.used.length);
    expect(hostLoginStatus(binary)).toContain("Logged in using ChatGPT");
    const configDir = (await exec(login!, ["bash", "-c", 'printf %s "${CODEX_HOME:-$HOME/.codex}"'], { env: loginEnv })).stdout.trim();
    holdsNoSecret(all, configDir, "codex", [...secretsOf(oauth!), hostLogin().tokens.refresh_token]);
  }, 600_000);

  it("Codex on a ChatGPT login: no file or process environment inside holds a real token, and the token endpoint is refused and logged", async () => {
    const configDir = (await exec(login!, ["bash", "-c", 'printf %s "${CODEX_HOME:-$HOME/.codex}"'], { env: loginEnv })).stdout.trim();
    expect(configDir).not.toBe("");
    const grep = (patterns: string[]): string => holders(login!, [configDir, stagedDir("codex")], patterns);
    // The same search finds the placeholder where the CLI reads it (it can fail).
    const placeholderToken = (JSON.parse((await exec(login!, ["bash", "-c", `cat ${configDir}/auth.json`], { env: loginEnv })).stdout) as { tokens: { access_token: string } }).tokens.access_token;
    expect(grep([placeholderToken])).toContain(`${configDir}/auth.json`);
    const secrets = [...oauth!.issued, ...oauth!.used, hostLogin().tokens.refresh_token, "user@example.invalid"];
    expect(grep(secrets)).toBe("");
    expect(JSON.stringify(inspect(login!))).not.toContain(hostLogin().tokens.access_token);
    await tokenEndpointRefused(login!, oauth!, loginEnv);
  }, 120_000);

  it("Codex on a ChatGPT login: an answer in a transfer coding the scrubber cannot read is refused, so the token a gateway reflects never reaches the agent", async () => {
    const since = internet.requests("allowed").length;
    // As an injected agent would: the placeholder to an echo route whose answer is `gzip, chunked`, which curl decodes.
    const curl = await exec(login!, ["bash", "-c", `curl -sS --max-time 20 --tr-encoding -D - -H 'Authorization: Bearer ${codexLogin.placeholder}' https://${GATEWAY}/reflect?te-gzip 2>&1`], { env: loginEnv });
    const seen = internet.requests("allowed").slice(since).filter((request) => request.url === "/reflect?te-gzip");
    expect(seen.map((request) => oauth!.issued.includes((request.headers.authorization ?? "").replace(/^Bearer /, "")))).toEqual([true]);
    expect(curl.stdout).toMatch(/^HTTP\/1\.1 502 /m);
    for (const token of oauth!.issued) expect(curl.stdout).not.toContain(token);
    // The host's login is intact (the next test checks it is the last pair issued).
    expect(oauth!.issued).toContain(hostLogin().tokens.access_token);
  }, 60_000);

  it("Codex on a ChatGPT login: the token server never saw a refresh token twice, and the host's auth.json holds the last issued pair", async () => {
    // Stopped, so nothing rotates between the reads below.
    await stopRefresher(refresherName());
    expect(oauth!.used.length).toBeGreaterThan(1);
    expect(oauth!.reuses()).toBe(0);
    expect(new Set(oauth!.used).size).toBe(oauth!.used.length);
    const host = hostLogin();
    expect(host.tokens.access_token).toBe(oauth!.issued.at(-1));
    expect(oauth!.used).not.toContain(host.tokens.refresh_token);
    expect(statSync(join(codexHome, "auth.json")).mode & 0o777).toBe(0o600);
  }, 60_000);

  it("Codex on a ChatGPT login: when the token server answers invalid_grant, egress and list say why in one line with the fix for each of the three containers, and the host's auth.json is untouched", async () => {
    oauth!.revokeAll();
    const before = readFileSync(join(codexHome, "auth.json"), "utf8");
    const usedBefore = oauth!.used.length;
    const since = internet.requests("allowed").length;
    // From inside, as the agent: a keep-alive connection opened while the login works, a request every 2 s, is cut off
    // with the others once the login is withdrawn (its later requests carry the placeholder: the API answers 401).
    const keepAlive = exec(login!, ["bash", "-c", `curl -sS --max-time 30 --rate 30/m -w '%{num_connects}\\n' -H 'Authorization: Bearer ${codexLogin.placeholder}'${` -o /dev/null 'https://${GATEWAY}/v1/ping?withdrawn'`.repeat(6)}`], { env: loginEnv });
    await new Promise((resolve) => setTimeout(resolve, 500));
    spawnSync("docker", ["start", refresherName()], { stdio: "ignore" });
    // It refreshes at 70% of the access token's life (bounded: three lifetimes).
    const deadline = Date.now() + 3 * LOGIN_LIFETIME_SECONDS * 1000 + 10_000;
    while (oauth!.used.length === usedBefore && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    expect(oauth!.used.length).toBe(usedBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const line = /^codex login: the login could not be refreshed \(invalid_grant\); log in again on the host: codex login$/;
    const rows = JSON.parse(cli(["list", "--json"], loginEnv)) as { id: string; login?: string }[];
    for (const container of [login!, ...codexPeers]) {
      expect((JSON.parse(cli(["egress", container.id, "--json"], loginEnv)) as { login?: string }).login).toMatch(line);
      expect(rows.find((row) => container.id.startsWith(row.id))?.login).toMatch(line);
    }
    expect(readFileSync(join(codexHome, "auth.json"), "utf8")).toBe(before);
    const kept = await keepAlive;
    expect(kept.stdout.trim().split("\n"), kept.stderr).toEqual(["1", "0", "0", "0", "0", "0"]);
    const pings = internet.requests("allowed").slice(since).filter((request) => request.url === "/v1/ping?withdrawn").map((request) => (request.headers.authorization ?? "").replace(/^Bearer /, ""));
    expect(pings).toHaveLength(6);
    expect(oauth!.issued).toContain(pings[0]);
    expect(pings.at(-1)).toBe(codexLogin.placeholder);
    // The refresher goes with the last container that uses its login.
    for (const container of [login!, ...codexPeers]) remove(container);
    expect(spawnSync("docker", ["inspect", refresherName()], { stdio: "ignore" }).status).not.toBe(0);
  }, 120_000);

  it("Gemini on a Google login: the real CLI is logged in by placeholders; two containers share the login for five access-token lifetimes, every Code Assist call with the token current at that moment, one refresher, no token inside", async () => {
    const both = [googleLoginContainer!, geminiPeer!];
    for (const container of both) {
      const shown = await exec(container, ["bash", "-c", "printenv GOOGLE_GENAI_USE_GCA GOOGLE_CLOUD_ACCESS_TOKEN CODE_ASSIST_ENDPOINT"], { env: loginEnv });
      expect(shown.stdout.trim().split("\n")).toEqual(["true", googleLogin.placeholder, `https://${GATEWAY}`]);
    }
    const lifetimes = LOGIN_LIFETIME_SECONDS * 1000;
    const start = Date.now();
    const issuedBefore = googleOAuth!.issued.length;
    const usedBefore = googleOAuth!.used.length;
    const since = internet.requests("allowed").length;
    let rounds = 0;
    // Bounded: at most 10 rounds of the two runs at once.
    while (rounds < 10 && (Date.now() - start < 5 * lifetimes || googleOAuth!.issued.length - issuedBefore < 5)) {
      const runs = await Promise.all(both.map((container) => exec(container, ["bash", "-c", GEMINI_RUN], { env: loginEnv, timeoutMs: 240_000 })));
      for (const run of runs) expect(`${run.stdout}${run.stderr}`).toContain("hello from allowed.test");
      rounds += 1;
    }
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(5 * lifetimes);
    expect(googleOAuth!.issued.length - issuedBefore).toBeGreaterThanOrEqual(5);
    // One refresher for both: a refresh per 70% of a lifetime at most, not one per container.
    expect(googleOAuth!.used.length - usedBefore).toBeLessThanOrEqual(Math.ceil(elapsed / (0.6 * lifetimes)) + 1);
    const calls = internet.requestsSince("allowed", since, (request) => request.headers.host === GATEWAY && request.url.startsWith("/v1internal:streamGenerateContent"));
    expect(calls.length).toBeGreaterThanOrEqual(both.length * rounds);
    for (const call of internet.requests("allowed").slice(since).filter((request) => request.headers.host === GATEWAY && request.url.startsWith("/v1internal:"))) {
      expect(notCurrent(googleOAuth!, (call.headers.authorization ?? "").replace(/^Bearer /, ""), call.at)).toBeUndefined();
    }
    // The host's file holds a current access token and the refresh token it always had (Google does not rotate it).
    const host = JSON.parse(readFileSync(googleCreds(), "utf8")) as { access_token: string; refresh_token: string };
    expect(googleOAuth!.issued.indexOf(host.access_token)).toBeGreaterThanOrEqual(issuedBefore);
    expect(new Set(googleOAuth!.used)).toEqual(new Set([host.refresh_token]));
    const configDir = (await exec(googleLoginContainer!, ["bash", "-c", 'printf %s "${GEMINI_CLI_HOME:-$HOME}/.gemini"'], { env: loginEnv })).stdout.trim();
    // The same search finds the placeholder where the CLI reads it (it can fail).
    expect(holders(googleLoginContainer!, [configDir, stagedDir("gemini")], [googleLogin.placeholder])).toContain("/environ");
    holdsNoSecret(both, configDir, "gemini", [...secretsOf(googleOAuth!), "user@example.invalid"]);
    await tokenEndpointRefused(googleLoginContainer!, googleOAuth!, loginEnv);
  }, 600_000);

  it("Gemini on a Google login: when the token server answers invalid_grant, egress and list say why in one line with the fix for both containers, and the host's oauth_creds.json is untouched", async () => {
    const { before, used } = await failedRefresh("google", googleOAuth!, googleCreds());
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const line = /^google login: the login could not be refreshed \(invalid_grant\); log in again on the host: gemini \(choose Login with Google\)$/;
    const rows = JSON.parse(cli(["list", "--json"], loginEnv)) as { id: string; login?: string }[];
    for (const container of [googleLoginContainer!, geminiPeer!]) {
      expect((JSON.parse(cli(["egress", container.id, "--json"], loginEnv)) as { login?: string }).login).toMatch(line);
      expect(rows.find((row) => container.id.startsWith(row.id))?.login).toMatch(line);
    }
    expect(readFileSync(googleCreds()).equals(before)).toBe(true);
    // No second attempt: a failed refresh is not retried against a revoked login.
    expect(googleOAuth!.used.length).toBe(used);
  }, 120_000);

  it("Claude on a Claude.ai login: the real CLI is logged in by a placeholder; three containers and the host's own claude share the login and its one refresher for five access-token lifetimes, every model call a Bearer of the token current at that moment with the OAuth beta, no refresh token used twice, no token inside", async () => {
    const all = [claudeLoginContainer!, ...claudePeers];
    const refreshers = spawnSync("docker", ["ps", "-q", "--filter", `name=^${refresherName("claude", claudeCreds())}$`], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
    expect(refreshers).toHaveLength(1);
    const status = await exec(claudeLoginContainer!, ["bash", "-c", "claude auth status"], { env: loginEnv });
    expect(`${status.stdout}${status.stderr}`).toMatch(CLAUDE_LOGGED_IN);
    const binary = await hostBinary(claudeLoginContainer!, "claude", 'readlink -f "$(command -v claude)"');
    const lifetimes = LOGIN_LIFETIME_SECONDS * 1000;
    const start = Date.now();
    const issuedBefore = claudeOAuth!.issued.length;
    const usedBefore = claudeOAuth!.used.length;
    const since = internet.requests("allowed").length;
    let rounds = 0;
    // Bounded: at most 10 rounds of the three runs at once.
    while (rounds < 10 && (Date.now() - start < 5 * lifetimes || claudeOAuth!.issued.length - issuedBefore < 5)) {
      const runs = await Promise.all(all.map((container) => exec(container, ["bash", "-c", CLAUDE_RUN], { env: loginEnv, timeoutMs: 150_000 })));
      for (const run of runs) expect(run.stdout, run.stderr).toContain("hello from allowed.test");
      // The host's CLI reads the .credentials.json the refresher has rotated meanwhile.
      if (rounds === 1) {
        expect(claudeOAuth!.issued.indexOf(hostClaude().claudeAiOauth.accessToken)).toBeGreaterThanOrEqual(issuedBefore);
        expect(await hostClaudeStatus(binary)).toMatch(CLAUDE_LOGGED_IN);
      }
      rounds += 1;
    }
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(5 * lifetimes);
    expect(claudeOAuth!.issued.length - issuedBefore).toBeGreaterThanOrEqual(5);
    // One refresher for the three: a refresh per 70% of a lifetime at most, not one per container.
    expect(claudeOAuth!.used.length - usedBefore).toBeLessThanOrEqual(Math.ceil(elapsed / (0.6 * lifetimes)) + 1);
    const calls = internet.requestsSince("allowed", since, (request) => request.headers.host === GATEWAY && request.url.split("?")[0] === "/v1/messages");
    expect(calls.length).toBeGreaterThanOrEqual(all.length * rounds);
    // Every request to the API that carried a token (the model calls and any other), not only the model calls.
    const authorized = internet.requests("allowed").slice(since).filter((request) => request.headers.host === GATEWAY && request.headers.authorization !== undefined);
    expect(authorized.length).toBeGreaterThanOrEqual(calls.length);
    for (const call of authorized) {
      expect(notCurrent(claudeOAuth!, call.headers.authorization!.replace(/^Bearer /, ""), call.at), call.url).toBeUndefined();
      expect(call.headers["anthropic-beta"]?.split(","), call.url).toContain("oauth-2025-04-20");
      expect(call.headers["x-api-key"]).toBeUndefined();
    }
    expect(claudeOAuth!.reuses()).toBe(0);
    expect(new Set(claudeOAuth!.used).size).toBe(claudeOAuth!.used.length);
    expect(await hostClaudeStatus(binary)).toMatch(CLAUDE_LOGGED_IN);
    const configDir = (await exec(claudeLoginContainer!, ["bash", "-c", 'printf %s "${CLAUDE_CONFIG_DIR:-$HOME/.claude}"'], { env: loginEnv })).stdout.trim();
    // The same search finds the placeholder where the CLI reads it (it can fail).
    expect(holders(claudeLoginContainer!, [configDir, stagedDir("claude")], [claudeLogin.placeholder])).toContain(`${configDir}/.credentials.json`);
    holdsNoSecret(all, configDir, "claude", claudeSecrets());
    await tokenEndpointRefused(claudeLoginContainer!, claudeOAuth!, loginEnv);
  }, 600_000);

  it("Claude on a Claude.ai login: the host's .credentials.json holds the last issued pair, as the CLI writes it, with the rest kept; no refresh token was used twice and no lock is left", async () => {
    await stopRefresher(refresherName("claude", claudeCreds()));
    expect(claudeOAuth!.used.length).toBeGreaterThan(1);
    expect(claudeOAuth!.reuses()).toBe(0);
    expect(new Set(claudeOAuth!.used).size).toBe(claudeOAuth!.used.length);
    const text = readFileSync(claudeCreds(), "utf8");
    expect(text.split("\n")).toHaveLength(1);
    const host = hostClaude();
    expect(host.claudeAiOauth).toMatchObject({ accessToken: claudeOAuth!.issued.at(-1), subscriptionType: "max", accountUuid: "account-uuid-e2e" });
    expect(claudeOAuth!.used).not.toContain(host.claudeAiOauth.refreshToken);
    expect(host.mcpOAuth).toEqual(CLAUDE_MCP.mcpOAuth);
    expect(statSync(claudeCreds()).mode & 0o777).toBe(0o600);
    expect(existsSync(join(claudeHome, ".oauth_refresh.lock"))).toBe(false);
  }, 60_000);

  it("Claude on a Claude.ai login: when the token server answers invalid_grant, egress and list say why in one line with the fix for each of the three containers, and the host's .credentials.json is untouched", async () => {
    const { before, used } = await failedRefresh("claude", claudeOAuth!, claudeCreds());
    const line = /^claude login: the login could not be refreshed \(invalid_grant\); log in again on the host: claude, then \/login$/;
    const said = (container: Container): string | undefined => (JSON.parse(cli(["egress", container.id, "--json"], loginEnv)) as { login?: string }).login;
    // The refresher writes its status as the answer arrives (bounded: 10 s).
    const shown = Date.now() + 10_000;
    while (!line.test(said(claudeLoginContainer!) ?? "") && Date.now() < shown) await new Promise((resolve) => setTimeout(resolve, 250));
    const rows = JSON.parse(cli(["list", "--json"], loginEnv)) as { id: string; login?: string }[];
    for (const container of [claudeLoginContainer!, ...claudePeers]) {
      expect(said(container)).toMatch(line);
      expect(rows.find((row) => container.id.startsWith(row.id))?.login).toMatch(line);
    }
    expect(readFileSync(claudeCreds()).equals(before)).toBe(true);
    expect(claudeOAuth!.used.length).toBe(used);
    expect(existsSync(join(claudeHome, ".oauth_refresh.lock"))).toBe(false);
  }, 120_000);

  it("Codex, Gemini and Claude on their logins: no layer of their containers' images holds an access, refresh or id token (docker save)", () => {
    // One save for the three images: the layers they share are written once.
    expect(imagesHolding([...loginImages], [...secretsOf(oauth!), ...secretsOf(googleOAuth!), ...claudeSecrets()])).toEqual([]);
  }, 300_000);
});
