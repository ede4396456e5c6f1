import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { codexToml, renderCodex, type CodexServer } from "../../../src/mcp/render/codex.js";
import { remote, stdio, type McpServer } from "./fixtures.js";

describe("renderCodex", () => {
  it.each<[string, McpServer, CodexServer]>([
    [
      "env ${KEY} under its own name is forwarded with env_vars, literals go to env",
      stdio("github", { args: ["-y", "server-github"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", MODE: "read-only" } }),
      { command: "npx", args: ["-y", "server-github"], env_vars: ["GITHUB_TOKEN"], env: { MODE: "read-only" } },
    ],
    ["cwd is kept", stdio("local", { cwd: "/workspace/tools" }), { command: "npx", cwd: "/workspace/tools" }],
    [
      "Authorization: Bearer ${TOKEN} becomes bearer_token_env_var",
      remote("docs", { headers: { Authorization: "Bearer ${DOCS_TOKEN}" } }),
      { url: "https://mcp.example.com/mcp", bearer_token_env_var: "DOCS_TOKEN" },
    ],
    [
      "a header that is exactly ${VAR} becomes env_http_headers, a literal one http_headers",
      remote("api", { headers: { "X-Api-Key": "${API_KEY}", "X-Team": "core" } }),
      { url: "https://mcp.example.com/mcp", http_headers: { "X-Team": "core" }, env_http_headers: { "X-Api-Key": "API_KEY" } },
    ],
    [
      "a literal Authorization header stays a literal header",
      remote("basic", { headers: { Authorization: "Basic abc" } }),
      { url: "https://mcp.example.com/mcp", http_headers: { Authorization: "Basic abc" } },
    ],
    [
      "a disabled server is kept, marked enabled = false",
      stdio("off", { enabled: false }),
      { command: "npx", enabled: false },
    ],
  ])("%s", (_what, server, expected) => {
    const { config, warnings } = renderCodex([server]);
    expect(config).toEqual({ mcp_servers: { [server.name]: expected } });
    expect(warnings).toEqual([]);
  });

  it("warns about an env value it cannot express and leaves that variable out", () => {
    const { config, warnings } = renderCodex([stdio("x", { env: { API_KEY: "${OPENAI_KEY}", URL: "https://${HOST}/v1", OK: "${OK}" } })]);
    expect(config.mcp_servers.x).toEqual({ command: "npx", env_vars: ["OK"] });
    expect(warnings).toEqual([
      'mcp_servers.x.env.API_KEY: codex cannot rename or interpolate variables (value "${OPENAI_KEY}"); API_KEY is left unset for codex. Store the secret as API_KEY and write API_KEY = "${API_KEY}"',
      'mcp_servers.x.env.URL: codex cannot rename or interpolate variables (value "https://${HOST}/v1"); URL is left unset for codex. Store the secret as URL and write URL = "${URL}"',
    ]);
  });

  it("warns about a header built from a variable and text, and leaves it out", () => {
    const { config, warnings } = renderCodex([remote("r", { headers: { "X-Auth": "token ${T}" } })]);
    expect(config.mcp_servers.r).toEqual({ url: "https://mcp.example.com/mcp" });
    expect(warnings).toEqual([
      'mcp_servers.r.headers.X-Auth: codex can send a header from a variable only as the whole value ("${VAR}") or as "Bearer ${VAR}" in Authorization; header left out for codex',
    ]);
  });

  it.each<[string, McpServer, string]>([
    ["args", stdio("a", { args: ["--token", "${T}"] }), "mcp_servers.a.args[1]"],
    ["command", stdio("a", { command: "${TOOL}" }), "mcp_servers.a.command"],
    ["cwd", stdio("a", { cwd: "${HOME}/x" }), "mcp_servers.a.cwd"],
    ["url", remote("a", { url: "https://${HOST}/mcp" }), "mcp_servers.a.url"],
  ])("skips a server with ${VAR} in %s, which codex cannot expand, with a warning", (_field, server, where) => {
    const { config, warnings } = renderCodex([server]);
    expect(config.mcp_servers).toEqual({});
    expect(warnings).toEqual([`${where}: codex does not expand \${VAR} here; server skipped for codex (pass secrets through env instead)`]);
  });

  it("skips SSE servers, which codex cannot speak, with a warning", () => {
    const { config, warnings } = renderCodex([remote("events", { transport: "sse" })]);
    expect(config.mcp_servers).toEqual({});
    expect(warnings).toEqual(["mcp_servers.events.type: codex supports only streamable HTTP remote servers, not SSE; server skipped for codex"]);
  });

  it("leaves out servers that opt out of codex", () => {
    expect(renderCodex([stdio("a", { agents: ["claude"] }), stdio("b", { agents: ["codex"] })]).config.mcp_servers).toEqual({
      b: { command: "npx" },
    });
  });

  it("renders TOML [mcp_servers.NAME] tables that parse back to the config", () => {
    const { config } = renderCodex([stdio("github", { args: ["-y"], env: { GITHUB_TOKEN: "${GITHUB_TOKEN}", MODE: "ro" } }), remote("docs")]);
    const text = codexToml(config);
    expect(text).toContain("[mcp_servers.github]\n");
    expect(text).toContain('env_vars = [ "GITHUB_TOKEN" ]');
    expect(text).not.toContain("${");
    expect(parse(text)).toEqual(config);
  });

  it("renders no TOML at all when no server is for codex", () => {
    expect(codexToml(renderCodex([]).config)).toBe("");
  });
});
