import { describe, expect, it } from "vitest";
import { runLaunch } from "../../../src/cli/launch-command.js";
import { allowRequest, launchArgs } from "../../../src/ui/requests.js";

/** The one line the CLI refuses these flags with (refused before anything starts, so nothing runs here). */
async function cliRefusal(argv: string[]): Promise<string> {
  try {
    await runLaunch(argv);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("launch did not refuse");
}

function pageRefusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the page's request was not refused");
}

describe("launchArgs", () => {
  it("puts every value in --flag=value form and the repository after --, so nothing typed becomes a flag", () => {
    expect(launchArgs({ source: "--help", agents: ["claude", "codex"], branch: "--force", prompt: "fix it; rm -rf /", egress: "open" })).toEqual([
      "launch",
      "--agent=claude",
      "--agent=codex",
      "--branch=--force",
      "--egress=open",
      "--task=fix it; rm -rf /",
      "--",
      "--help",
    ]);
  });

  it("refuses an unknown agent, egress mode or an empty repository in one line", () => {
    expect(() => launchArgs({ source: "r", agents: ["nope"] })).toThrow("choose at least one agent of claude, codex");
    expect(() => launchArgs({ source: "r", agents: [] })).toThrow("choose at least one agent");
    expect(() => launchArgs({ source: "r", agents: ["claude"], egress: "wide" })).toThrow("egress is one of allowlist, log, open");
    expect(() => launchArgs({ source: " ", agents: ["claude"] })).toThrow("give a repository");
  });

  it("passes each agent's auth mode as --auth and its gateway as its own base-URL variable, as the CLI takes them", () => {
    const form = { source: "r", agents: ["claude", "codex"], auth: { claude: "broker", codex: "" }, gateway: { claude: "https://llm.example.com", codex: "http://10.0.0.5:4000/v1" } };
    expect(launchArgs(form)).toEqual(["launch", "--agent=claude", "--agent=codex", "--auth=claude=broker", "--agent-env=ANTHROPIC_BASE_URL=https://llm.example.com", "--agent-env=OPENAI_BASE_URL=http://10.0.0.5:4000/v1", "--", "r"]);
  });

  it("refuses an http:// gateway under broker with the CLI's own line, naming both fixes", async () => {
    const page = pageRefusal(() => launchArgs({ source: "r", agents: ["claude"], auth: { claude: "broker" }, gateway: { claude: "http://llm.example.com" } }));
    expect(page).toBe("--agent-env ANTHROPIC_BASE_URL=http://llm.example.com is not https://, so the broker cannot put claude's key into its requests: use an https:// URL, or --auth claude=token");
    expect(await cliRefusal(["/no/such/repo", "--agent", "claude", "--auth", "claude=broker", "--agent-env", "ANTHROPIC_BASE_URL=http://llm.example.com"])).toBe(page);
  });

  it.for([
    [{ auth: { claude: "sso" } }, ["--auth", "claude=sso"]],
    [{ auth: { claude: "broker" }, egress: "open" }, ["--auth", "claude=broker", "--egress", "open"]],
    [{ gateway: { claude: "ftp://llm.example.com" } }, ["--agent-env", "ANTHROPIC_BASE_URL=ftp://llm.example.com"]],
    [{ gateway: { claude: "https://user:pw@llm.example.com" } }, ["--agent-env", "ANTHROPIC_BASE_URL=https://user:pw@llm.example.com"]],
    [{ gateway: { claude: "not a url" } }, ["--agent-env", "ANTHROPIC_BASE_URL=not a url"]],
  ] as const)("refuses %j as the CLI refuses %j", async ([fields, flags]) => {
    const page = pageRefusal(() => launchArgs({ source: "r", agents: ["claude"], ...fields }));
    expect(await cliRefusal(["/no/such/repo", "--agent", "claude", ...flags])).toBe(page);
  });

  it("refuses an auth mode or gateway for an agent not checked, not text, or one that takes no gateway", () => {
    expect(() => launchArgs({ source: "r", agents: ["claude"], auth: { codex: "token" } })).toThrow("auth: codex is not one of the agents checked");
    expect(() => launchArgs({ source: "r", agents: ["claude"], gateway: { "__proto__x": "https://a.example" } })).toThrow("gateway: __proto__x is not one of the agents checked");
    expect(() => launchArgs({ source: "r", agents: ["claude"], gateway: { claude: 1 } as never })).toThrow("gateway of claude must be text");
    expect(() => launchArgs({ source: "r", agents: ["claude"], auth: ["broker"] as never })).toThrow("auth must map agents to text");
    expect(() => launchArgs({ source: "r", agents: ["opencode"], gateway: { opencode: "https://a.example" } })).toThrow("gateway: opencode takes no gateway base URL from its environment");
  });
});

describe("allowRequest", () => {
  it("takes one valid host name or address, lower-cased, and whether to save it", () => {
    expect(allowRequest({ host: "PyPI.org" })).toEqual({ host: "pypi.org", save: false });
    expect(allowRequest({ host: "172.17.0.1", save: true })).toEqual({ host: "172.17.0.1", save: true });
    expect(allowRequest({ host: "::1" })).toEqual({ host: "::1", save: false });
  });

  it.for([{}, { host: 1 }, { host: "" }, { host: "x;id;.example" }, { host: "pypi.org:443" }, { host: "*.example.com" }, { host: "*" }, { host: "0x7f.1" }, { host: "a".repeat(400) }])("refuses %j", (body) => {
    expect(() => allowRequest(body)).toThrow(/^not a host name or address: /);
  });

  it("refuses a save that is not true or false", () => {
    expect(() => allowRequest({ host: "pypi.org", save: "yes" })).toThrow("save must be true or false");
  });
});
