/** A model gateway under the broker: a config's https:// gateway gets the key like the host's; http:// is refused. */
import { describe, expect, it } from "vitest";
import { agent, brokerOf } from "../../../src/catalogue/agents.js";
import { brokerGatewayHost, brokerGatewayProblem, withConfigGateway } from "../../../src/egress/broker-gateway.js";
import { egressPart } from "../../../src/render/parts/egress.js";
import { localOptions } from "../../support/options.js";

const options = localOptions({
  agents: ["claude"],
  egress: "allowlist",
  auth: { claude: "broker" },
});

function brokerSpecs(part: ReturnType<typeof egressPart>): string[] {
  const command = (part.initializeCommand as Record<string, string[]>).egress!;
  return command.flatMap((arg, index) => (command[index - 1] === "--broker" ? [arg] : []));
}

describe("a gateway given by --agent-env under the broker", () => {
  it("names the https gateway's host (and a port off 443) as a broker host", () => {
    expect(brokerGatewayHost("https://llm.example.com/v1")).toBe("llm.example.com");
    expect(brokerGatewayHost("https://llm.example.com:443")).toBe("llm.example.com");
    expect(brokerGatewayHost("https://10.1.2.3:8443/")).toBe("10.1.2.3:8443");
    expect(brokerGatewayHost("http://llm.example.com")).toBeUndefined();
    expect(brokerGatewayHost("not a url")).toBeUndefined();
  });

  it("puts the gateway's host into every credential that reads that base URL, as the host's environment would", () => {
    const specs = brokerSpecs(egressPart(agent("claude"), { ...options, agentEnv: { ANTHROPIC_BASE_URL: "https://gw.example:8443/anthropic" } }));
    expect(specs).toHaveLength(2);
    for (const spec of specs) expect(spec.split("=")[3]).toBe("api.anthropic.com,gw.example:8443");
    // Without a gateway in the config, only the agent's own hosts (the host step adds a host-env gateway itself).
    for (const spec of brokerSpecs(egressPart(agent("claude"), options))) expect(spec.split("=")[3]).toBe("api.anthropic.com");
  });

  it("leaves a credential alone when its own base URL is another variable", () => {
    const claude = agent("claude");
    const broker = brokerOf(claude)!;
    const [key, token] = broker.credentials;
    const mixed = { ...claude, broker: { ...broker, credentials: [key!, { ...token!, baseUrlEnv: "OTHER_BASE_URL", hosts: ["other.example"] }] } };
    const [first, second] = brokerOf(withConfigGateway(mixed, { ANTHROPIC_BASE_URL: "https://gw.example" }))!.credentials;
    expect(first!.hosts).toEqual(["api.anthropic.com", "gw.example"]);
    expect(second!.hosts).toEqual(["other.example"]);
    expect(brokerOf(withConfigGateway(mixed, { OTHER_BASE_URL: "https://o.example:8443" }))!.credentials.map((c) => c.hosts)).toEqual([undefined, ["other.example", "o.example:8443"]]);
  });

  it("refuses a gateway that is not https:// in one line naming both fixes", () => {
    expect(brokerGatewayProblem(agent("claude"), { ANTHROPIC_BASE_URL: "http://gw.example:4000" })).toBe(
      "ANTHROPIC_BASE_URL=http://gw.example:4000 is not https://, so the broker cannot put claude's key into its requests: use an https:// URL, or --auth claude=token",
    );
    expect(brokerGatewayProblem(agent("claude"), { ANTHROPIC_BASE_URL: "https://gw.example" })).toBeUndefined();
    expect(brokerGatewayProblem(agent("claude"), { ANTHROPIC_MODEL: "x" })).toBeUndefined();
    // The renderer refuses it too (a library caller, the page's launch form), and only under the broker.
    expect(() => egressPart(agent("claude"), { ...options, agentEnv: { ANTHROPIC_BASE_URL: "http://gw.example:4000" } })).toThrow(
      "--agent-env ANTHROPIC_BASE_URL=http://gw.example:4000 is not https://",
    );
    expect(() => egressPart(agent("claude"), { ...options, auth: { claude: "token" }, agentEnv: { ANTHROPIC_BASE_URL: "http://gw.example:4000" } })).not.toThrow();
  });
});
