/**
 * The credential broker with more real agent CLIs than Claude (test/e2e/broker.test.ts has the attacks and
 * the three containers): Qwen Code (Chat Completions, `Authorization: Bearer`), Codex (a Rust binary:
 * Responses API, the key stored by its own login command) and Gemini CLI (`x-goog-api-key`), each scaffolded with `--auth broker` and brought up by the plain devcontainer CLI, its
 * base-URL variable at a gateway in the test's own internet (HTTPS, test CA, through the policy). The real
 * CLI's headless run gets its answer from the gateway, which receives the host's key; the container's
 * environment and `docker inspect` hold only the placeholder.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { agent, brokerOf, type AgentId } from "../../src/catalogue/agents.js";
import type { Connection } from "../../src/egress/connection.js";
import { packagePath } from "../../src/paths.js";
import { exec, inspect, remove, testHostEnv, up, type Container } from "../support/devcontainer.js";
import { BASE_IMAGE, NODE_IMAGE } from "../support/docker.js";
import { createInternet, type Internet } from "../support/internet.js";
import { fixtureRepo } from "../support/scaffold.js";

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
    // The fixture's clone is not a trusted folder, and headless Gemini stops there without this.
    run: "GEMINI_CLI_TRUST_WORKSPACE=true timeout 200 gemini -p 'say hi' --approval-mode yolo </dev/null",
    path: /generateContent/,
  },
];

let internet: Internet;
let base = "";
let env: NodeJS.ProcessEnv = {};
let repo = "";
const containers = new Map<AgentId, Container>();

function cli(args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", packagePath("src", "cli", "main.ts"), ...args], { env, encoding: "utf8", timeout: 10 * 60_000 });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}:\n${result.stderr.slice(-4000)}`);
  return result.stdout;
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
  });

  afterAll(() => {
    // Images stay for the files after this one (Docker's layer cache); the run's teardown removes them.
    for (const container of containers.values()) remove(container);
    internet?.remove();
    if (env.XDG_STATE_HOME) rmSync(env.XDG_STATE_HOME, { recursive: true, force: true });
  });

  it.each(CASES.map((item) => [item.id, item] as const))("the real %s CLI gets its answer from the gateway, which receives the host's key", async (_id, item) => {
    const container = containers.get(item.id)!;
    const shown = await exec(container, ["bash", "-c", `printenv ${item.keyEnv} ${item.baseUrl[0]}`], { env });
    expect(shown.stdout.trim().split("\n")).toEqual([placeholder(item), item.baseUrl[1]]);
    const since = internet.requests("allowed").length;
    const run = await exec(container, ["bash", "-c", item.run], { env, timeoutMs: 240_000 });
    const output = `${run.stdout}${run.stderr}`;
    const calls = internet.requests("allowed").slice(since).filter((request) => request.headers.host === GATEWAY && item.path.test(request.url.split("?")[0]!));
    expect(calls.length, output).toBeGreaterThan(0);
    const [header, value] = item.header(item.key);
    for (const call of calls) expect(call.headers[header]).toBe(value);
    expect(output).toContain("hello from allowed.test");
    // The container and its configuration hold the placeholder only; the egress log names what was injected.
    expect(JSON.stringify(inspect(container))).not.toContain(item.key);
    const log = (JSON.parse(cli(["egress", container.id, "--json"])) as { connections: Connection[] }).connections;
    expect(log.some((connection) => connection.host === GATEWAY && connection.injected?.includes(item.keyEnv))).toBe(true);
    const environ = spawnSync("docker", ["exec", "-u", "0", container.id, "sh", "-c", `cat /proc/[0-9]*/environ | grep -ac '${item.key}' || true`], { encoding: "utf8" });
    expect(environ.stdout.trim()).toBe("0");
  }, 360_000);
});
