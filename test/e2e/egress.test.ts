/**
 * The egress policy end to end, on the real engine: a scaffolded config in `allowlist` mode brought up by the
 * plain devcontainer CLI, and a `launch`ed one in `log` mode, each with the real Codex CLI installed, against
 * the test's own "internet" (HTTPS servers as allowed.test and blocked.test, a DNS server that logs every
 * query). Every check runs inside, as the agent user (and a few as root), and reads the enforcer's log
 * through the real `egress` command.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EGRESS_LABEL, egressStateDir, enforcerName } from "../../src/egress/layout.js";
import type { Connection } from "../../src/egress/inspect.js";
import { NOTICE_GRACE_MS } from "../../src/lifecycle/orphan-notice.js";
import { PROXY_URL } from "../../src/egress/proxy-address.js";
import { HOST_REPO_MOUNT, OUTBOX_DIR } from "../../src/workspace/layout.js";
import { exec, inspect, remove, testHostEnv, up, type Container } from "../support/devcontainer.js";
import { BASE_IMAGE, bridgeGateway, containerCpuSeconds, docker, NODE_IMAGE } from "../support/docker.js";
import { CURL_TIMING, parseTiming, summarize, type Timing } from "../support/download-timing.js";
import { createInternet, type Internet } from "../support/internet.js";
import { fixtureRepo } from "../support/scaffold.js";
import { cliArgs, runCli } from "../support/cli.js";
import { hostTree } from "../support/host-tree.js";
import { spellings } from "../support/address-spellings.js";

/** The agent whose Feature builds quickest here (see test/e2e/workspace.test.ts). */
const AGENT = "codex";

let internet: Internet;
let base = "";
let env: NodeJS.ProcessEnv = {};
let stateHome = "";
let repo = "";
let container: Container;
let egressId = "";
let launched = "";
const ids: string[] = [];
/** The test's own hosts at special addresses, and their networks (removed in afterAll). */
const ownContainers: string[] = [];
const ownNetworks: string[] = [];

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, cliArgs(args), {
    env,
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function cliOk(args: string[]): string {
  const result = cli(args);
  if (result.code !== 0) throw new Error(`${args.join(" ")} exited ${result.code}:\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

/**
 * What an injected agent leaves in its outbox for prune's reader: git runs core.alternateRefsCommand (for an
 * alternate that has refs/) while it bundles the branch. The command reports who it runs as and whether it can
 * write the host's objects, then stops that git, so its report is the refusal's last line and nothing is imported.
 */
function plantReaderPayload(outbox: string): string {
  return `mkdir -p ${outbox}/info/alt/objects ${outbox}/info/alt/refs && echo ${outbox}/info/alt/objects >> ${outbox}/objects/info/alternates && cat > ${outbox}/info/payload.sh <<'END'
#!/bin/sh
if touch ${HOST_REPO_MOUNT}/objects/pwned 2>/dev/null; then w=written; else w=refused; fi
echo "reader: uid=$(id -u) $(awk '/^(CapEff|NoNewPrivs):/ {printf "%s%s ", $1, $2}' /proc/self/status)host objects $w" >&2
p=$PPID
for _ in 1 2 3; do grep -qx git /proc/$p/comm && { kill -9 $p; exit 0; }; p=$(awk '{print $4}' /proc/$p/stat); done
END
chmod +x ${outbox}/info/payload.sh && git --git-dir=${outbox} config core.alternateRefsCommand ${outbox}/info/payload.sh`;
}

/** As the agent user, in the scaffolded container; never throws, reports how long it took. */
async function agentSh(script: string, timeoutMs = 60_000): Promise<{ code: number; out: string; ms: number }> {
  const started = Date.now();
  const result = await exec(container, ["bash", "-c", script], { env, timeoutMs });
  return { code: result.code, out: `${result.stdout}${result.stderr}`, ms: Date.now() - started };
}

function rootSh(id: string, script: string): { code: number; out: string } {
  const result = spawnSync("docker", ["exec", "-u", "0", id, "bash", "-c", script], { encoding: "utf8", timeout: 60_000 });
  return { code: result.status ?? -1, out: `${result.stdout}${result.stderr}` };
}

function egressLog(name: string): { mode: string; connections: Connection[] } {
  return JSON.parse(cliOk(["egress", name, "--json"])) as { mode: string; connections: Connection[] };
}

function policy(allow: string[]): string {
  return `allow = ${JSON.stringify(allow)}\nprivate = ${JSON.stringify([internet.subnet])}\n`;
}

const CURL = "curl -sS --max-time 20";
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

interface HostLimits {
  PidsLimit: number;
  Memory: number;
  NanoCpus: number;
}

function containerName(id: string): string {
  return docker("inspect", "-f", "{{.Name}}", id).replace(/^\//, "");
}

/**
 * Bash for the agent user: `first_line REQUEST HOST` sends `REQUEST HTTP/1.1` with that Host to the
 * enforcer as written (no client rewriting an address) and prints the answer's status line; with a third
 * argument it keeps the connection open on descriptor 3.
 */
const PROXY_FIRST_LINE = [
  'p=${HTTPS_PROXY:-$https_proxy}; hp=${p#*://}; hp=${hp%%/*}',
  "first_line() {",
  '  exec 3<>"/dev/tcp/${hp%:*}/${hp##*:}" || return',
  "  printf '%s HTTP/1.1\\r\\nHost: %s\\r\\n\\r\\n' \"$1\" \"$2\" >&3",
  "  IFS= read -r -t 10 line <&3",
  "  printf '%s' \"${line%$'\\r'}\"",
  '  [ -n "$3" ] || exec 3<&-',
  "}",
].join("\n");

describe.skipIf(!inject("docker"))("egress policy (allowlist via plain devcontainer up, log via launch)", () => {
  beforeAll(async () => {
    internet = createInternet({ baseImage: BASE_IMAGE, nodeImage: NODE_IMAGE });
    // The run's base trusts the test CA that signed the internet's servers.
    base = BASE_IMAGE;
    stateHome = mkdtempSync(join(tmpdir(), `${internet.runId}-state-`));
    env = {
      ...testHostEnv(),
      XDG_STATE_HOME: stateHome,
      // The enforcer's way out is the test's internet, its resolver the recording DNS server.
      CADC_EGRESS_NETWORK: internet.network,
      CADC_EGRESS_DNS: internet.dns,
    };
    const mirror = process.env.AGENT_DC_TEST_NODE_MIRROR!;
    repo = fixtureRepo(`egress-${internet.runId}`);
    cliOk([repo, "--yes", "--agent", AGENT, "--local-features", "--base-image", base, "--node-mirror", mirror, "--egress", "allowlist", "--allow-host", "allowed.test"]);
    // The team's policy file: a name under allowed.test, and the test network's range as a private range.
    writeFileSync(join(repo, ".devcontainer", "egress.toml"), policy(["*.allowed.test"]));
    container = await up(repo, join(repo, ".devcontainer", AGENT, "devcontainer.json"), { env });
    egressId = ((inspect(container).Config as { Labels: Record<string, string> }).Labels[EGRESS_LABEL] ?? "").trim();
    ids.push(egressId);
  });

  afterAll(() => {
    // Images stay for the files after this one (Docker's layer cache); the run's teardown removes them.
    if (launched) cli(["rm", "--force", "--keep-image", launched]);
    if (container) remove(container);
    for (const name of ownContainers) spawnSync("docker", ["rm", "-f", name], { stdio: "ignore" });
    for (const name of ownNetworks) spawnSync("docker", ["network", "rm", name], { stdio: "ignore" });
    for (const id of ids.filter(Boolean)) {
      spawnSync("docker", ["rm", "-f", enforcerName(id)], { stdio: "ignore" });
      spawnSync("docker", ["network", "rm", enforcerName(id)], { stdio: "ignore" });
    }
    internet?.remove();
    if (stateHome) rmSync(stateHome, { recursive: true, force: true });
  });

  describe("allowlist", () => {
    it("labels the container with its egress id and puts the enforcer outside it", () => {
      expect(egressId).toMatch(/^[a-z0-9]+$/);
      const networks = Object.keys((inspect(container).NetworkSettings as { Networks: Record<string, unknown> }).Networks);
      expect(networks).toEqual([enforcerName(egressId)]);
      const enforcer = JSON.parse(docker("inspect", enforcerName(egressId)))[0] as { Config: { User: string }; HostConfig: { CapDrop: string[] } };
      expect(enforcer.Config.User).toBe("65534:65534");
      expect(enforcer.HostConfig.CapDrop).toContain("ALL");
      // It listens on the agent's network only: no proxy for the containers of its upstream network.
      const upstreamIp = docker("inspect", "-f", `{{(index .NetworkSettings.Networks "${internet.network}").IPAddress}}`, enforcerName(egressId));
      const probe = spawnSync("docker", ["run", "--rm", "--network", internet.network, BASE_IMAGE, "bash", "-c", `timeout 5 bash -c 'exec 3<>/dev/tcp/${upstreamIp}/3128'`], { encoding: "utf8", timeout: 60_000 });
      expect(probe.status).not.toBe(0);
    });

    it("limits the agent's container (pids, memory, CPUs, from runArgs) and its enforcer (from the host step)", () => {
      const agentHost = inspect(container).HostConfig as HostLimits;
      expect([agentHost.PidsLimit, agentHost.Memory, agentHost.NanoCpus]).toEqual([1024, 4 * GIB, 2e9]);
      const enforcerHost = (JSON.parse(docker("inspect", enforcerName(egressId)))[0] as { HostConfig: HostLimits }).HostConfig;
      expect([enforcerHost.PidsLimit, enforcerHost.Memory, enforcerHost.NanoCpus]).toEqual([128, 256 * MIB, 1e9]);
    });

    it("lets the agent user reach a listed host, by HTTPS and HTTP, through the proxy variables", async () => {
      expect((await agentSh(`${CURL} https://allowed.test/`)).out).toContain("hello from allowed.test");
      expect((await agentSh(`${CURL} http://allowed.test/plain`)).out).toContain("hello from allowed.test GET /plain");
      expect((await agentSh(`${CURL} https://sub.allowed.test/`)).out).toContain("hello from allowed.test");
    });

    it("fails fast on an unlisted name, naming the host and the command that allows it", async () => {
      const tls = await agentSh(`${CURL} https://blocked.test/`);
      expect(tls.code).not.toBe(0);
      expect(tls.out).toMatch(/403/);
      expect(tls.ms).toBeLessThan(5_000);
      const plain = await agentSh(`${CURL} http://blocked.test/`);
      expect(plain.out).toContain("blocked.test:80 is blocked");
      expect(plain.out).toContain(`egress allow ${egressId} blocked.test`);
    });

    it("refuses the Docker host's services, the metadata address and raw IPs, through the proxy and around it", async () => {
      const mirror = new URL(process.env.AGENT_DC_TEST_NODE_MIRROR!);
      const targets = [`http://${bridgeGateway()}:${mirror.port}/`, "http://169.254.169.254/latest/meta-data/", `https://${internet.addresses.blocked}/`, `https://${internet.addresses.allowed}/`];
      for (const url of targets) {
        const proxied = await agentSh(`${CURL} --fail -o /dev/null ${url}`);
        expect(proxied.code, url).not.toBe(0);
        const direct = await agentSh(`${CURL} --noproxy '*' --max-time 8 -o /dev/null ${url}`);
        expect(direct.code, url).not.toBe(0);
      }
      // The internal network's gateway holds no host address: nothing answers there either.
      const gateway = docker("network", "inspect", enforcerName(egressId), "--format", "{{(index .IPAM.Config 0).Gateway}}");
      expect((await agentSh(`${CURL} --noproxy '*' --max-time 8 http://${gateway}:${mirror.port}/`)).code).not.toBe(0);
    });

    it("does not get out without the proxy variables, with --noproxy, over IPv6, or as root", async () => {
      expect((await agentSh(`env -u HTTPS_PROXY -u https_proxy -u HTTP_PROXY -u http_proxy ${CURL} https://allowed.test/`)).code).not.toBe(0);
      expect((await agentSh(`${CURL} --noproxy '*' https://allowed.test/`)).code).not.toBe(0);
      expect((await agentSh("cat /proc/sys/net/ipv6/conf/all/disable_ipv6")).out.trim()).toBe("1");
      expect((await agentSh(`${CURL} -6 https://allowed.test/`)).code).not.toBe(0);
      // No capabilities for the agent user (no raw sockets, no route changes).
      expect((await agentSh("grep CapEff /proc/self/status")).out).toMatch(/CapEff:\s+0+$/m);
      const root = rootSh(container.id, `curl -sS --max-time 8 --noproxy '*' https://${internet.addresses.allowed}/ -k; ip route add 1.2.3.4 via 127.0.0.1 2>&1 || echo no-route-change`);
      expect(root.out).not.toContain("hello from");
    });

    it("sends no DNS query for a blocked name anywhere", () => {
      const queries = internet.dnsQueries();
      expect(queries).toContain("allowed.test");
      expect(queries.filter((name) => name.includes("blocked.test"))).toEqual([]);
    });

    it("routes the real agent CLI's own HTTPS traffic through the enforcer", async () => {
      // A model provider whose base URL is a listed test host (Codex does not read OPENAI_BASE_URL).
      const provider = `model_providers.egresstest={name="egresstest",base_url="https://codex.allowed.test/v1",env_key="OPENAI_API_KEY",wire_api="responses"}`;
      await agentSh(
        `OPENAI_API_KEY=test-key timeout 30 codex exec --skip-git-repo-check -c 'model_provider="egresstest"' -c '${provider}' 'say hi' </dev/null`,
        90_000,
      );
      const entry = egressLog(container.id).connections.find((c) => c.host === "codex.allowed.test");
      expect(entry?.verdict).toBe("allowed");
    });

    it("lists allowed and blocked connections, with bytes, in egress --json", () => {
      const log = egressLog(container.id);
      expect(log.mode).toBe("allowlist");
      const allowed = log.connections.find((c) => c.host === "allowed.test" && c.verdict === "allowed");
      expect(allowed?.down).toBeGreaterThan(0);
      expect(log.connections.some((c) => c.host === "blocked.test" && c.verdict === "blocked")).toBe(true);
      expect(log.connections.some((c) => c.host === "169.254.169.254" && c.verdict === "blocked")).toBe(true);
    });

    it("egress allow opens blocked.test on the running container, without a restart", async () => {
      const startedAt = (inspect(container).State as { StartedAt: string }).StartedAt;
      cliOk(["egress", "allow", container.id, "blocked.test"]);
      expect((await agentSh(`${CURL} https://blocked.test/`)).out).toContain("hello from blocked.test");
      expect((inspect(container).State as { StartedAt: string }).StartedAt).toBe(startedAt);
    });

    it("downloads 100 MB through the enforcer at close to the direct speed (benchmark, reported)", async () => {
      const size = 100 * 1024 * 1024;
      const image = (inspect(container).Config as { Image: string }).Image;
      const through: Timing[] = [];
      const direct: Timing[] = [];
      const enforcer = enforcerName(egressId);
      const cpuBefore = containerCpuSeconds(enforcer);
      for (let i = 0; i < 3; i++) {
        const run = await agentSh(`${CURL} -o /dev/null -w '${CURL_TIMING}' https://allowed.test/bytes/${size}`, 120_000);
        expect(run.code).toBe(0);
        through.push(parseTiming(run.out));
        direct.push(parseTiming(execFileSync(
          "docker",
          ["run", "--rm", "--network", internet.network, "--add-host", `allowed.test:${internet.addresses.allowed}`, image,
            "curl", "-sS", "--noproxy", "*", "-o", "/dev/null", "-w", CURL_TIMING, `https://allowed.test/bytes/${size}`],
          { encoding: "utf8", timeout: 120_000 },
        )));
      }
      // The enforcer only relays the three downloads through it in this loop.
      const cpu = (containerCpuSeconds(enforcer) - cpuBefore) / 3;
      const [t, d] = [summarize(through), summarize(direct)];
      console.log(
        `egress benchmark: 100 MB through the enforcer ${t.total} s, direct ${d.total} s (medians of 3), ratio ${(t.total / d.total).toFixed(2)}; ` +
          `set-up ${t.setUp.toFixed(3)} s vs ${d.setUp.toFixed(3)} s, transfer alone ratio ${(t.transfer / d.transfer).toFixed(2)}; ` +
          `enforcer CPU ${cpu.toFixed(3)} s per 100 MB`,
      );
      expect(t.total).toBeGreaterThan(0);
      expect(cpu).toBeGreaterThan(0);
    });

    it("admits no storage host or OS archive by default; --allow-preset brings them back, through the real host step", async () => {
      const hosts = ["storage.googleapis.com", "deb.debian.org"];
      const lastVerdict = (host: string) => egressLog(container.id).connections.filter((c) => c.host === host).at(-1);
      for (const host of hosts) {
        const refused = await agentSh(`${CURL} https://${host}/`);
        expect(refused.out, host).toMatch(/403/);
        expect(lastVerdict(host)?.verdict, host).toBe("blocked");
      }
      // The same scaffolder with the presets named, and the same container brought up again: its host step
      // rewrites the preset the running enforcer reads (the base image is Debian-named; that no longer counts).
      cliOk([repo, "--yes", "--agent", AGENT, "--local-features", "--base-image", base, "--node-mirror", process.env.AGENT_DC_TEST_NODE_MIRROR!, "--egress", "allowlist", "--allow-host", "allowed.test", "--allow-preset", "storage", "--allow-preset", "os-archives"]);
      expect((await up(repo, container.config, { env, idLabel: container.idLabel })).id).toBe(container.id);
      for (const host of hosts) {
        await agentSh(`${CURL} https://${host}/`);
        // Past the name check: the enforcer looked the name up (the test's DNS does not know it).
        expect(lastVerdict(host)?.reason ?? "", host).not.toContain("not in the allowlist");
        expect(internet.dnsQueries(), host).toContain(host);
      }
    });
  });

  describe("log mode, through launch", () => {
    let launchRepo = "";
    const launchArgs = (branch: string, mode: string) =>
      ["launch", launchRepo, "--agent", AGENT, "--branch", branch, "--local-features", "--base-image", base, "--node-mirror", process.env.AGENT_DC_TEST_NODE_MIRROR!, "--egress", mode, "--json"];

    beforeAll(() => {
      launchRepo = fixtureRepo(`egl-${internet.runId}`);
      execFileSync("mkdir", ["-p", join(launchRepo, ".devcontainer")]);
      writeFileSync(join(launchRepo, ".devcontainer", "egress.toml"), policy([]));
      const out = cliOk(launchArgs("log", "log"));
      launched = (JSON.parse(out) as { name: string }[])[0]!.name;
      const config = JSON.parse(docker("inspect", launched))[0].Config as { Labels: Record<string, string> };
      ids.push(config.Labels[EGRESS_LABEL] ?? "");
      // Hosts of the test's own at the metadata address and at a private (bridge-like) one, on networks
      // the test creates and joins the enforcer to: a spelling the enforcer failed to classify would reach them.
      const own = (name: string, networkArgs: string[], ip?: string): string => {
        const network = `${internet.runId}-${name}`;
        docker("network", "create", "--label", `agent-dc-test=${internet.runId}`, ...networkArgs, network);
        ownNetworks.push(network);
        const host = `${internet.runId}-${name}-host`;
        docker("run", "-d", "--name", host, "--network", network, ...(ip ? ["--ip", ip] : []), "--label", `agent-dc-test=${internet.runId}`, NODE_IMAGE,
          "node", "-e", `require("http").createServer((q, s) => s.end("own host\\n")).on("connection", () => console.log("CONNECTION")).listen(80)`);
        ownContainers.push(host);
        docker("network", "connect", network, enforcerName(ids.at(-1)!));
        return docker("inspect", "-f", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, host);
      };
      ownHosts.metadata = own("meta", ["--subnet", "169.254.169.248/29", "--gateway", "169.254.169.249"], "169.254.169.254");
      ownHosts.bridge = own("side", []);
    });

    const ownHosts = { metadata: "", bridge: "" };
    const ownConnections = (name: "meta" | "side"): number =>
      execFileSync("docker", ["logs", `${internet.runId}-${name}-host`], { encoding: "utf8" }).split("\n").filter((line) => line === "CONNECTION").length;

    it("refuses every spelling of the metadata and a bridge-like address (hosts of the test's own), and of the Docker bridge", () => {
      expect(ownHosts.metadata).toBe("169.254.169.254");
      // Control: from the enforcer itself, both hosts answer, so a spelling that got through would arrive.
      for (const address of [ownHosts.metadata, ownHosts.bridge]) {
        expect(docker("exec", enforcerName(ids.at(-1)!), "node", "-e", `require("http").get("http://${address}/", (r) => r.pipe(process.stdout))`)).toBe("own host");
      }
      const before = { meta: ownConnections("meta"), side: ownConnections("side") };
      const mirrorPort = new URL(process.env.AGENT_DC_TEST_NODE_MIRROR!).port;
      const targets = [
        ...spellings(ownHosts.metadata).map((spelling) => `${spelling}:80`),
        ...spellings(ownHosts.bridge).map((spelling) => `${spelling}:80`),
        ...spellings(bridgeGateway()).map((spelling) => `${spelling}:${mirrorPort}`),
      ];
      // As the agent, raw requests (the enforcer sees each spelling as written): CONNECT, and plain HTTP.
      const script = [
        PROXY_FIRST_LINE,
        `for t in ${targets.map((target) => `'${target}'`).join(" ")}; do`,
        `  echo "connect $t $(first_line "CONNECT $t" "$t")"`,
        `  echo "http $t $(first_line "GET http://$t/" "$t")"`,
        "done",
      ].join("\n");
      const result = cli(["shell", launched, "--", "bash", "-c", script]);
      const lines = result.stdout.trim().split("\n");
      expect(lines, result.stderr).toHaveLength(targets.length * 2);
      for (const line of lines) expect(line).toMatch(/^(connect|http) \S+ HTTP\/1\.1 403 /);
      expect({ meta: ownConnections("meta"), side: ownConnections("side") }).toEqual(before);
      const blocked = egressLog(launched).connections.filter((c) => c.verdict === "blocked");
      expect(blocked.some((c) => c.host === "::ffff:a9fe:a9fe")).toBe(true);
      expect(blocked.some((c) => c.host === "64:ff9b::a9fe:a9fe")).toBe(true);
    });

    it("shows a tunnel the agent keeps open as open (egress, egress --follow), then closed with its bytes", async () => {
      const name = "open-tunnel.allowed.test";
      const hold = spawn(process.execPath, cliArgs(["shell", launched, "--", "bash", "-c",
        `${PROXY_FIRST_LINE}\nfirst_line 'CONNECT ${name}:443' x hold; echo; sleep 20; printf hello >&3; sleep 1`]),
        { env, stdio: ["ignore", "pipe", "pipe"] });
      const ended = new Promise<void>((resolve) => hold.on("close", () => resolve()));
      try {
        const find = () => egressLog(launched).connections.find((c) => c.host === name);
        let open = find();
        for (let i = 0; i < 30 && open?.state !== "open"; i++) {
          await new Promise((r) => setTimeout(r, 500));
          open = find();
        }
        expect(open).toMatchObject({ state: "open", verdict: "allowed", port: 443 });
        // --follow first prints what is open now.
        const follow = spawn(process.execPath, cliArgs(["egress", launched, "--follow", "--json"]), { env, stdio: ["ignore", "pipe", "ignore"] });
        let followed = "";
        follow.stdout.on("data", (chunk: Buffer) => (followed += chunk.toString()));
        for (let i = 0; i < 40 && !followed.includes(name); i++) await new Promise((r) => setTimeout(r, 250));
        follow.kill("SIGINT");
        const line = followed.split("\n").find((entry) => entry.includes(name));
        expect(line && JSON.parse(line)).toMatchObject({ host: name, state: "open" });
      } finally {
        await ended;
      }
      let closed = egressLog(launched).connections.find((c) => c.host === name);
      for (let i = 0; i < 20 && closed?.state !== "closed"; i++) {
        await new Promise((r) => setTimeout(r, 500));
        closed = egressLog(launched).connections.find((c) => c.host === name);
      }
      expect(closed).toMatchObject({ state: "closed", verdict: "allowed", up: 5 });
    }, 90_000);

    it("reaches both hosts and logs both", () => {
      const shell = (script: string) => cliOk(["shell", launched, "--", "bash", "-c", script]);
      expect(shell(`${CURL} https://allowed.test/`)).toContain("hello from allowed.test");
      expect(shell(`${CURL} https://blocked.test/`)).toContain("hello from blocked.test");
      const log = egressLog(launched);
      expect(log.mode).toBe("log");
      for (const host of ["allowed.test", "blocked.test"]) expect(log.connections.some((c) => c.host === host && c.verdict === "allowed"), host).toBe(true);
    });

    it("still refuses the Docker host and the metadata address", () => {
      const mirror = new URL(process.env.AGENT_DC_TEST_NODE_MIRROR!);
      const result = cli(["shell", launched, "--", "bash", "-c", `${CURL} http://${bridgeGateway()}:${mirror.port}/ ; ${CURL} http://169.254.169.254/`]);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/SHASUMS|Index of|<html/i);
      const log = egressLog(launched);
      expect(log.connections.some((c) => c.host === "169.254.169.254" && c.verdict === "blocked")).toBe(true);
    });

    it("doctor reports each container's mode", () => {
      const report = JSON.parse(cliOk(["doctor", repo, "--json"])) as { egress: { name: string; mode: string }[] };
      expect(report.egress.find((entry) => entry.name === launched)?.mode).toBe("log");
      expect(report.egress.some((entry) => entry.mode === "allowlist")).toBe(true);
    });

    it("doctor and list --json show each container's limits and its enforcer's, as Docker applies them", () => {
      const agentLimits = { pids: 1024, memoryBytes: 4 * GIB, cpus: 2 };
      const enforcerLimits = { pids: 128, memoryBytes: 256 * MIB, cpus: 1 };
      const report = JSON.parse(cliOk(["doctor", repo, "--json"])) as { limits: { name: string; limits: unknown; enforcer?: unknown }[] };
      for (const name of [launched, containerName(container.id)]) {
        expect(report.limits.find((row) => row.name === name), name).toEqual({ name, running: true, limits: agentLimits, enforcer: enforcerLimits });
      }
      expect(cliOk(["doctor", repo])).toContain(`${launched}: pids 1024, memory 4 GiB, cpus 2; enforcer: pids 128, memory 256 MiB, cpus 1`);
      const row = (JSON.parse(cliOk(["list", "--json"])) as { name: string; limits: unknown; enforcerLimits: unknown }[]).find((r) => r.name === launched);
      expect(row?.limits).toEqual(agentLimits);
      expect(row?.enforcerLimits).toEqual(enforcerLimits);
    });

    it("a fork bomb run as the agent user stops at the pids limit; the host and the other agent's container keep answering", async () => {
      const inside = (script: string) => spawnSync("docker", ["exec", container.id, "bash", "-c", script], { encoding: "utf8", timeout: 30_000 });
      // Read on the host (the container's cgroup): at the limit, an exec inside has no pid to start with.
      // Not `docker stats`: in a run beside another file's builds it read 0 for the whole two minutes.
      const cgroup = (file: string) =>
        [`/sys/fs/cgroup/pids/docker/${container.id}/${file}`, `/sys/fs/cgroup/system.slice/docker-${container.id}.scope/${file}`]
          .filter((path) => existsSync(path))
          .map((path) => readFileSync(path, "utf8"))
          .join("");
      const hitsOfLimit = () => Number(/^max (\d+)/m.exec(cgroup("pids.events"))?.[1] ?? NaN);
      const pids = () => Number(cgroup("pids.current").trim() || NaN);
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const before = hitsOfLimit();
      expect(inside("id -u").stdout.trim()).toBe("1000");
      // A bomb whose copies stay alive (each forks two and waits), so it fills the limit however loaded the
      // machine is; bounded by a deadline, and ended earlier by restarting the container from the host.
      const bomb = inside(
        "setsid bash -c 'end=$((EPOCHSECONDS + 150)); b() { ((EPOCHSECONDS < end)) || return; b & b & wait; }; b' </dev/null >/dev/null 2>&1 & echo started",
      );
      expect(bomb.stdout).toContain("started");
      let peak = 0;
      for (let i = 0; i < 120 && peak < 1000; i++) {
        await sleep(1_000);
        peak = Math.max(peak, pids());
      }
      const timed = (command: string, args: string[]) => {
        const started = Date.now();
        const result = spawnSync(command, args, { encoding: "utf8", timeout: 30_000 });
        return { code: result.status, ms: Date.now() - started };
      };
      // At the limit: the host, its engine and the other agent's container answer within seconds.
      const date = timed("date", []);
      const ps = timed("docker", ["ps", "-q"]);
      const other = timed("docker", ["exec", launched, "true"]);
      const hits = hitsOfLimit();
      // The bomb ends with the container's processes: a restart from the host needs no pid inside.
      const restarted = spawnSync("docker", ["restart", "-t", "1", container.id], { encoding: "utf8", timeout: 120_000 }).status === 0;
      console.log(`fork bomb: ${peak} pids at the peak (limit 1024); meanwhile host date ${date.ms} ms, docker ps ${ps.ms} ms, docker exec in the other agent's container ${other.ms} ms`);
      expect(peak).toBeGreaterThanOrEqual(1000);
      expect(peak).toBeLessThanOrEqual(1024);
      expect(date.code).toBe(0);
      expect(date.ms).toBeLessThan(2_000);
      expect(ps.code).toBe(0);
      expect(ps.ms).toBeLessThan(5_000);
      expect(other.code).toBe(0);
      expect(other.ms).toBeLessThan(10_000);
      expect(hits).toBeGreaterThan(before);
      expect(restarted).toBe(true);
      expect(Number(inside("cat /sys/fs/cgroup/pids.current /sys/fs/cgroup/pids/pids.current 2>/dev/null").stdout.trim())).toBeLessThan(64);
    }, 300_000);

    it("a launch of the agent with open egress gets none of the enforced launch's proxy variables (the CLI bakes containerEnv into the image)", () => {
      const proxyVariables = (name: string) => (JSON.parse(docker("inspect", "--format", "{{json .Config.Env}}", name)) as string[]).filter((entry) => /^https?_proxy=/i.test(entry));
      const open = (JSON.parse(cliOk(launchArgs("open", "open"))) as { name: string }[])[0]!.name;
      try {
        expect(proxyVariables(launched)).toContain(`HTTPS_PROXY=${PROXY_URL}`);
        expect(proxyVariables(open)).toEqual([]);
      } finally {
        cliOk(["rm", "--force", "--keep-image", open]);
      }
    });

    it("list shows the mode and the blocked hosts; rm removes the enforcer, its network and its state", () => {
      const row = cliOk(["list"]).split("\n").find((line) => line.startsWith(launched)) ?? "";
      expect(row).toMatch(/log, blocked: \S+/);
      const id = ids.at(-1)!;
      cliOk(["rm", "--force", "--keep-image", launched]);
      launched = "";
      expect(spawnSync("docker", ["inspect", enforcerName(id)]).status).not.toBe(0);
      expect(spawnSync("docker", ["network", "inspect", enforcerName(id)]).status).not.toBe(0);
      expect(existsSync(egressStateDir(id, env))).toBe(false);
    });
  });

  it("keeps the state folder under XDG_STATE_HOME, never in the repository", () => {
    expect(egressStateDir(egressId, env).startsWith(stateHome)).toBe(true);
    expect(execFileSync("git", ["-C", repo, "status", "--porcelain", "--ignored"], { encoding: "utf8" })).not.toMatch(/allow\.txt|preset\.txt/);
  });

  // Last: these remove the scaffolded container (the second test brings up the one extra container).
  describe("one lifecycle for the scaffolded container", () => {
    const hostGit = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
    const inRepo = (args: string[]) => spawnSync(process.execPath, cliArgs(args), { cwd: repo, env, encoding: "utf8", timeout: 10 * 60_000 });
    const gone = (...args: string[]) => spawnSync("docker", args, { stdio: "ignore" }).status !== 0;
    const volumesOf = (id: string) => docker("inspect", "-f", '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}', id).split(" ").filter((v) => /^agent-(workspace|outbox)-/.test(v));
    async function commitAndPush(message: string): Promise<string> {
      const pushed = await agentSh(`cd /workspace && git -c user.name=Agent -c user.email=agent@example.com commit -q --allow-empty -m '${message}' && git push -q 2>&1 && git rev-parse --abbrev-ref HEAD`);
      expect(pushed.code, pushed.out).toBe(0);
      return pushed.out.trim().split("\n").pop()!;
    }

    it("after docker rm -f of the agent container, prune <folder> imports its outbox's unimported commit, then removes its enforcer, network and volumes", async () => {
      const branch = await commitAndPush("first");
      const synced = inRepo(["sync"]); // claims the branch for this container, in this repository
      expect(synced.status, synced.stderr).toBe(0);
      expect(await commitAndPush("orphaned")).toBe(branch);
      const volumes = volumesOf(container.id);
      expect(volumes).toHaveLength(2);
      const image = (inspect(container) as { Config: { Image: string } }).Config.Image.replace(/:latest$/, "");
      const enforcerAge = Date.now() - Date.parse(docker("inspect", "-f", "{{.Created}}", enforcerName(egressId)));
      const planted = await agentSh(plantReaderPayload(OUTBOX_DIR));
      expect(planted.code, planted.out).toBe(0);
      docker("rm", "-f", container.id); // as VS Code removes a container
      // Side by side, as from two terminals: both read the engine's disk usage, which engines before 23.0 serve one at a time.
      const [listed, dryRun] = await Promise.all([runCli(["list"], { env }), runCli(["prune", repo, "--grace", "0", "--dry-run", "--json"], { env })]);
      // The notice spares what is younger than its grace (an `up` still building has an enforcer and no container
      // yet), so it is asserted only when this enforcer is older: other files' orphans may appear in it any time.
      if (enforcerAge >= NOTICE_GRACE_MS + 10_000) {
        expect(listed.stderr).toMatch(/^left behind by removed agent containers: \d+ enforcers?, \d+ networks?, \d+ volumes?.*; run `create-agent-devcontainer prune`/m);
      }

      expect(dryRun.code, dryRun.stderr).toBe(0);
      const dry = JSON.parse(dryRun.stdout) as { removed: { kind: string; name: string; size?: number }[] };
      const images = dry.removed.filter((i) => i.kind === "image");
      expect(dry.removed.filter((i) => i.kind !== "image").map((i) => `${i.kind} ${i.name}`).sort()).toEqual([`enforcer ${enforcerName(egressId)}`, `network ${enforcerName(egressId)}`, ...volumes.map((v) => `volume ${v}`)].sort());
      expect(dry.removed.filter((i) => i.kind === "volume").every((i) => typeof i.size === "number")).toBe(true);
      // The image it ran, built for this folder and used by no container now, goes too unless --keep-images.
      expect(images.map((i) => i.name.replace(/:latest$/, ""))).toContain(image);
      expect(images.every((i) => (i.size ?? 0) > 0)).toBe(true);
      expect(hostGit("log", "-1", "--format=%s", branch)).toBe("first");

      // The agent's planted command runs while prune reads its outbox: as the agent did, with nothing of the host's.
      const tree = hostTree(repo);
      const attacked = inRepo(["prune", repo, "--grace", "0", "--keep-images"]);
      const outbox = volumes.find((v) => v.startsWith("agent-outbox-"))!;
      expect(attacked.stderr).toMatch(new RegExp(`^kept volume ${outbox}: .*reader: uid=1000 CapEff:0{16} NoNewPrivs:1 host objects refused$`, "m"));
      expect(hostTree(repo)).toBe(tree);
      // Kept whole, so this prune <folder> finds it again once the outbox is mended.
      for (const volume of volumes) expect(gone("volume", "inspect", volume), volume).toBe(false);
      expect(attacked.stderr).toContain(`kept enforcer ${enforcerName(egressId)}: kept with its outbox`);
      expect(gone("container", "inspect", enforcerName(egressId))).toBe(false);
      // Taken out again (as the agent's UID, in a throwaway container), so the import below can go through.
      docker("run", "--rm", "--network", "none", "--user", "1000:1000", "--mount", `type=volume,source=${outbox},target=${OUTBOX_DIR}`, "--entrypoint", "sh", image, "-c",
        `git --git-dir=${OUTBOX_DIR} config --unset core.alternateRefsCommand && sed -i '\\#/info/alt/objects#d' ${OUTBOX_DIR}/objects/info/alternates`);

      // --keep-images: the next test's `up` builds from it (a rebuild would cost CI minutes); rm's test sees an image go.
      const pruned = inRepo(["prune", repo, "--grace", "0", "--keep-images"]);
      expect(pruned.status, pruned.stderr).toBe(0);
      expect(pruned.stderr).toContain(`imported ${branch}`);
      expect(pruned.stderr).toMatch(/^freed \d/m);
      expect(hostGit("log", "-1", "--format=%s", branch)).toBe("orphaned");
      expect(gone("container", "inspect", enforcerName(egressId))).toBe(true);
      expect(gone("network", "inspect", enforcerName(egressId))).toBe(true);
      for (const volume of volumes) expect(gone("volume", "inspect", volume), volume).toBe(true);
      expect(existsSync(egressStateDir(egressId, env))).toBe(false);
      expect(gone("image", "inspect", image)).toBe(false);
      expect((JSON.parse(cliOk(["prune", repo, "--grace", "0", "--dry-run", "--keep-images", "--json"])) as { removed: unknown[] }).removed).toEqual([]);
    });

    it("a scaffolded container is listed with its folder; rm <name> imports its pushed commit and leaves no container, enforcer, network, volume or image of it", async () => {
      container = await up(repo, join(repo, ".devcontainer", AGENT, "devcontainer.json"), { env });
      const inspected = inspect(container) as { Image: string; Config: { Labels: Record<string, string> } };
      const id = inspected.Config.Labels[EGRESS_LABEL]!;
      ids.push(id);
      const name = containerName(container.id);
      const rows = JSON.parse(cliOk(["list", "--json"])) as { name: string; kind: string; agent: string; folder?: string }[];
      expect(rows.find((r) => r.name === name)).toMatchObject({ kind: "scaffolded", agent: AGENT, folder: repo });
      expect(cliOk(["list"])).toContain(`scaffolded, from ${repo}`);
      const branch = await commitAndPush("from the second container");
      const volumes = volumesOf(container.id);
      expect(volumes).toHaveLength(2);

      const removed = cli(["rm", name]);

      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stderr).toContain(`imported ${branch}`);
      expect(hostGit("log", "-1", "--format=%s", branch)).toBe("from the second container");
      expect(gone("container", "inspect", container.id)).toBe(true);
      expect(gone("container", "inspect", enforcerName(id))).toBe(true);
      expect(gone("network", "inspect", enforcerName(id))).toBe(true);
      for (const volume of volumes) expect(gone("volume", "inspect", volume), volume).toBe(true);
      expect(gone("image", "inspect", inspected.Image), removed.stderr).toBe(true);
    });
  });
});
