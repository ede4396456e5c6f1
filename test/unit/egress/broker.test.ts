import { describe, expect, it } from "vitest";
import { applyAuthFlags, assertBrokerEgress } from "../../../src/auth/modes.js";
import { agent, allAgents, brokerOf, brokerRefusal } from "../../../src/catalogue/agents.js";
import { brokerArgs, brokeredMcpNames, loginSpec, mcpBrokerSpecs } from "../../../src/egress/broker-args.js";
import { credentialsFor, inject, parseCredentials } from "../../../src/egress/broker.js";
import { scrubHeaders, scrubStream, scrubText, swapPairs } from "../../../src/egress/scrub.js";
import type { ScaffoldOptions } from "../../../src/generated/scaffold-options.js";
import type { McpServer } from "../../../src/mcp/model.js";
import { authPart } from "../../../src/render/parts/auth.js";
import { egressPart } from "../../../src/render/parts/egress.js";
import { mcpPart } from "../../../src/render/parts/mcp.js";

const remote = (url: string, headers: Record<string, string>): McpServer => ({ name: "docs", agents: ["claude"], enabled: true, transport: "http", url, headers });

describe("the enforcer's credentials", () => {
  const credentials = parseCredentials(
    ["ANTHROPIC_API_KEY sk-ant-placeholder api.anthropic.com,gw.example:8443 x-api-key sk-real", "broken line", "X short h x-api-key s", "NO_HEADER sk-ant-placeholder h sk-real"].join("\n"),
  );

  it("parses VAR PLACEHOLDER HOSTS HEADERS SECRET lines and skips malformed ones (too short a placeholder, no headers)", () => {
    expect(credentials).toEqual([
      { name: "ANTHROPIC_API_KEY", placeholder: "sk-ant-placeholder", hosts: [{ host: "api.anthropic.com" }, { host: "gw.example", port: 8443 }], headers: ["x-api-key"], secret: "sk-real" },
    ]);
  });

  it("applies to the named hosts only: a bare name on 443, a host:port on that port", () => {
    expect(credentialsFor(credentials, "api.anthropic.com", 443)).toHaveLength(1);
    expect(credentialsFor(credentials, "API.anthropic.com.", 443)).toHaveLength(1);
    expect(credentialsFor(credentials, "api.anthropic.com", 80)).toHaveLength(0);
    expect(credentialsFor(credentials, "gw.example", 8443)).toHaveLength(1);
    expect(credentialsFor(credentials, "gw.example", 443)).toHaveLength(0);
    expect(credentialsFor(credentials, "evil.api.anthropic.com", 443)).toHaveLength(0);
  });

  it("replaces the placeholder only in the header its credential declares, and names what it injected (never the value)", () => {
    const headers: Record<string, string | string[] | undefined> = {
      "x-api-key": "sk-ant-placeholder",
      authorization: "Bearer sk-ant-placeholder",
      cookie: ["a=sk-ant-placeholder", "b=1"],
      other: "unchanged",
    };
    expect(inject(headers, credentials)).toEqual(["ANTHROPIC_API_KEY"]);
    expect(headers).toEqual({ "x-api-key": "sk-real", authorization: "Bearer sk-ant-placeholder", cookie: ["a=sk-ant-placeholder", "b=1"], other: "unchanged" });
    expect(inject({ authorization: "Bearer sk-ant-placeholder" }, credentials)).toEqual([]);
  });
});

describe("scrubbing what the upstream sends back", () => {
  const pairs = swapPairs([{ secret: "sk-real/key+1", placeholder: "sk-ant-placeholder" }]);

  it("replaces the secret as it is, percent-encoded and JSON-escaped, in header values", () => {
    expect(scrubHeaders({ "x-echo": "k=sk-real/key+1", location: ["/?k=sk-real%2Fkey%2B1"], "content-length": 3 }, pairs)).toEqual({
      "x-echo": "k=sk-ant-placeholder",
      location: ["/?k=sk-ant-placeholder"],
      "content-length": 3,
    });
    expect(scrubText('{"k":"sk-real\\/key+1"}', pairs)).toEqual({ out: '{"k":"sk-ant-placeholder"}', rest: "" });
  });

  it("holds back only a tail that could begin a secret, so nothing is delayed that cannot be one", () => {
    expect(scrubText("data: hello\n\n", pairs)).toEqual({ out: "data: hello\n\n", rest: "" });
    expect(scrubText("data: sk-re", pairs)).toEqual({ out: "data: ", rest: "sk-re" });
  });

  it("catches a secret split across any chunk boundary of a streamed body", async () => {
    const body = `before sk-real/key+1 middle ${"x".repeat(50)}sk-real/key+1 after`;
    for (let cut = 1; cut < body.length; cut++) {
      const stream = scrubStream(pairs);
      const out: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => out.push(chunk));
      stream.write(Buffer.from(body.slice(0, cut)));
      stream.end(Buffer.from(body.slice(cut)));
      await new Promise((resolve) => stream.on("end", resolve));
      expect(Buffer.concat(out).toString(), `cut at ${cut}`).toBe(`before sk-ant-placeholder middle ${"x".repeat(50)}sk-ant-placeholder after`);
    }
  });

  it("passes binary bodies through byte for byte", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const stream = scrubStream(pairs);
    const out: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => out.push(chunk));
    stream.end(bytes);
    await new Promise((resolve) => stream.on("end", resolve));
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
  });
});

describe("broker arguments from data", () => {
  it("gives every brokerable agent hosts, placeholders and the host variables to read, from its module", () => {
    for (const record of allAgents()) {
      const broker = brokerOf(record);
      if (!broker) {
        expect(brokerRefusal(record), record.id).toMatch(/\w{10,}/);
        continue;
      }
      const placeholders = new Set<string>();
      for (const credential of broker.credentials) {
        expect(credential.placeholder, record.id).toMatch(/^[A-Za-z0-9_-]{20,}$/);
        expect(credential.from.length, record.id).toBeGreaterThan(0);
        expect((credential.hosts ?? broker.hosts).length, `${record.id} ${credential.env}`).toBeGreaterThan(0);
        // The one header the secret may travel in (never "every header").
        expect(credential.header, `${record.id} ${credential.env}`).toMatch(/^(authorization|x-api-key|x-goog-api-key)$/);
        placeholders.add(credential.placeholder);
      }
      // One placeholder per secret: the enforcer tells them apart by it.
      expect(placeholders.size, record.id).toBe(broker.credentials.length);
    }
    const claude = brokerOf(agent("claude"))!;
    expect(brokerArgs(agent("claude"))).toEqual([
      "--broker", `ANTHROPIC_API_KEY=ANTHROPIC_API_KEY=${claude.credentials[0]!.placeholder}=api.anthropic.com=ANTHROPIC_BASE_URL=x-api-key`,
      "--broker", `CLAUDE_CODE_OAUTH_TOKEN=CLAUDE_CODE_OAUTH_TOKEN=${claude.credentials[1]!.placeholder}=api.anthropic.com=ANTHROPIC_BASE_URL=authorization`,
      // Without either key: the host's Claude.ai login, kept by the broker (./claude-login.test.ts).
      ...loginSpec(agent("claude")),
    ]);
  });

  it("sends a provider's key only to that provider's hosts for an agent with several (a credential's own hosts)", () => {
    const specs = brokerArgs(agent("opencode")).filter((arg) => arg !== "--broker");
    expect(specs.map((spec) => spec.split("=").filter((_, i) => i !== 2).join("="))).toEqual([
      "OPENCODE_API_KEY=OPENCODE_API_KEY=opencode.ai==authorization",
      "ANTHROPIC_API_KEY=ANTHROPIC_API_KEY=api.anthropic.com==x-api-key",
      "OPENAI_API_KEY=OPENAI_API_KEY=api.openai.com==authorization",
    ]);
    const qwen = brokerArgs(agent("qwen")).filter((arg) => arg !== "--broker");
    expect(qwen[0]).toMatch(/^OPENAI_API_KEY=OPENAI_API_KEY=[^=]+=api\.openai\.com=OPENAI_BASE_URL=authorization$/);
    expect(qwen[1]).toMatch(/^DASHSCOPE_API_KEY=DASHSCOPE_API_KEY=[^=]+=dashscope\.aliyuncs\.com,.*=OPENAI_BASE_URL=authorization$/);
  });

  it("brokers ${VAR}s in remote HTTPS servers' headers for that server's host and those headers, read from the MCP secrets file first", () => {
    const servers = [
      remote("https://mcp.example.com/mcp", { Authorization: "Bearer ${DOCS_TOKEN}", "X-Team": "${TEAM} ${DOCS_TOKEN}" }),
      remote("https://other.example:8443/mcp", { Authorization: "Bearer ${DOCS_TOKEN}" }),
      remote("http://plain.example/mcp", { Authorization: "Bearer ${PLAIN}" }),
    ];
    expect(mcpBrokerSpecs(servers)).toEqual([
      "--broker", "DOCS_TOKEN=@DOCS_TOKEN,DOCS_TOKEN=cadc-broker-placeholder-DOCS_TOKEN=mcp.example.com,other.example:8443==authorization,x-team",
      "--broker", "TEAM=@TEAM,TEAM=cadc-broker-placeholder-TEAM=mcp.example.com==x-team",
    ]);
    expect(brokeredMcpNames(servers)).toEqual(["DOCS_TOKEN", "TEAM"]);
    expect(brokerArgs(agent("gemini"), servers, "/secrets.env").slice(0, 2)).toEqual(["--secrets", "/secrets.env"]);
  });
});

describe("rendering auth mode broker", () => {
  const options: ScaffoldOptions = {
    agents: ["claude"],
    baseImage: "debian:bookworm",
    user: "agent",
    featureSource: "ghcr",
    featureOwner: "create-agent-devcontainer",
    repoName: "r",
    auth: { claude: "broker" },
    egress: "allowlist",
    mcpSource: ".devcontainer/mcp.toml",
    mcpSecretsFile: "~/.config/agent-devcontainer/mcp-secrets.env",
  };
  const servers = [remote("https://mcp.example.com/mcp", { Authorization: "Bearer ${DOCS_TOKEN}" })];

  it("gives the container the placeholders' env file, the CA read-only and the bundle variables, and no secret variable", () => {
    const part = authPart(agent("claude"), options);
    expect(part.runArgs).toEqual([
      "--label=io.github.create-agent-devcontainer.auth.claude=broker",
      "--env-file=${localEnv:HOME}/.local/state/create-agent-devcontainer/broker/${devcontainerId}/placeholders.env",
    ]);
    expect(part.mounts).toEqual([
      'type=bind,"source=${localEnv:HOME}/.local/state/create-agent-devcontainer/broker/ca.crt",target=/run/agent-devcontainer/broker-ca.crt,readonly',
      // The placeholder login the host step stages when no key is set (a subscription login on the host).
      'type=bind,"source=${localEnv:HOME}/.local/state/create-agent-devcontainer/broker/${devcontainerId}/login",target=/run/agent-devcontainer/host-login/claude,readonly',
    ]);
    expect(part.containerEnv).toEqual({
      NODE_EXTRA_CA_CERTS: "/var/lib/agent-devcontainer/claude/broker-ca-bundle.pem",
      SSL_CERT_FILE: "/var/lib/agent-devcontainer/claude/broker-ca-bundle.pem",
    });
    expect(JSON.stringify(part)).not.toMatch(/localEnv:(ANTHROPIC_API_KEY|CLAUDE_CODE_OAUTH_TOKEN)/);
  });

  it("passes the broker arguments to the host step, and keeps brokered MCP secrets out of the container's copy", () => {
    const egress = (egressPart(agent("claude"), options, undefined, { mcpServers: servers }).initializeCommand as Record<string, string[]>).egress!;
    expect(egress).toContain("--secrets");
    expect(egress[egress.indexOf("--secrets") + 1]).toBe("${localEnv:HOME}${localEnv:USERPROFILE}/.config/agent-devcontainer/mcp-secrets.env");
    expect(egress.filter((arg) => arg === "--broker")).toHaveLength(3);
    const mcp = (mcpPart(agent("claude"), options, undefined, { mcpServers: servers }).initializeCommand as Record<string, string[]>)["mcp-secrets"]!;
    expect(mcp.at(-1)).toBe("DOCS_TOKEN");
    const copy = (mcpPart(agent("claude"), { ...options, auth: { claude: "copy" } }, undefined, { mcpServers: servers }).initializeCommand as Record<string, string[]>)["mcp-secrets"]!;
    expect(copy).not.toContain("DOCS_TOKEN");
  });

  it("refuses broker without the enforcer", () => {
    expect(() => egressPart(agent("claude"), { ...options, egress: "open" })).toThrow("--auth broker (claude) needs the egress enforcer");
    expect(() => assertBrokerEgress({ claude: "broker", codex: "copy" }, "open")).toThrow("--auth broker (claude) needs the egress enforcer");
    expect(() => assertBrokerEgress({ claude: "broker" }, "log")).not.toThrow();
  });
});

describe("--auth broker", () => {
  it("applies to every agent that can be brokered", () => {
    expect(applyAuthFlags(["claude", "qwen"], ["broker"])).toEqual({ claude: "broker", qwen: "broker" });
    expect(applyAuthFlags(["claude", "codex"], ["token", "codex=broker"])).toEqual({ claude: "token", codex: "broker" });
  });
});
