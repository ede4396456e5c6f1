import { describe, expect, it } from "vitest";
import { needsLauncher, parseLaunchArgs, resolveLaunchEnv, routeThroughLauncher } from "../../../src/mcp/launcher.js";
import { remote, stdio } from "./fixtures.js";

const LAUNCHER = "/opt/run-server";

describe("routeThroughLauncher", () => {
  it("wraps a stdio server whose env references variables, moving its env into the spec", () => {
    const github = stdio("github", {
      command: "npx",
      args: ["-y", "server-github"],
      env: { GITHUB_TOKEN: "${GH_PAT}", MODE: "read-only" },
      cwd: "/work",
      agents: ["claude", "codex"],
      enabled: false,
    });

    const { servers, spec } = routeThroughLauncher([github], LAUNCHER);

    expect(servers).toEqual([
      { ...github, command: LAUNCHER, args: ["github", "--", "npx", "-y", "server-github"], env: {} },
    ]);
    expect(spec).toEqual({ servers: { github: { env: { GITHUB_TOKEN: "${GH_PAT}", MODE: "read-only" } } } });
  });

  it("leaves servers without references, and remote servers, exactly as they are", () => {
    const plain = stdio("plain", { env: { MODE: "x" }, args: ["${NOT_IN_ENV}"] });
    const docs = remote("docs", { headers: { Authorization: "Bearer ${DOCS_TOKEN}" } });

    const { servers, spec } = routeThroughLauncher([plain, docs], LAUNCHER);

    expect(servers).toEqual([plain, docs]);
    expect(spec).toEqual({ servers: {} });
    expect(needsLauncher(plain)).toBe(false);
    expect(needsLauncher(docs)).toBe(false);
  });

  it("writes arguments parseLaunchArgs reads back", () => {
    const { servers } = routeThroughLauncher([stdio("s", { command: "node", args: ["--", "x.js"], env: { T: "${T}" } })], LAUNCHER);
    const routed = servers[0]!;

    expect(routed.transport === "stdio" && parseLaunchArgs(routed.args)).toEqual({ name: "s", command: "node", args: ["--", "x.js"] });
  });
});

describe("parseLaunchArgs", () => {
  it.each([[[]], [["name"]], [["name", "node"]], [["name", "--"]], [["name", "--", ""]]])("rejects %j", (argv) => {
    expect(parseLaunchArgs(argv)).toBeUndefined();
  });
});

describe("resolveLaunchEnv", () => {
  it("takes a variable from the secrets file first, then from the environment", () => {
    const resolved = resolveLaunchEnv(
      { TOKEN: "${TOKEN}", URL: "https://${HOST}/api", LITERAL: "as is" },
      { TOKEN: "from-file", HOST: "file.example" },
      { TOKEN: "from-env", HOST: "env.example", PATH: "/bin" },
    );

    expect(resolved).toEqual({ env: { TOKEN: "from-file", URL: "https://file.example/api", LITERAL: "as is" }, missing: [] });
  });

  it("falls back to the environment, and counts an empty value as set", () => {
    expect(resolveLaunchEnv({ A: "${A}", B: "${B}" }, { B: "" }, { A: "env" })).toEqual({ env: { A: "env", B: "" }, missing: [] });
  });

  it("leaves out an entry with an unset variable instead of setting half a value, and names the variable once", () => {
    const resolved = resolveLaunchEnv({ AUTH: "Bearer ${TOKEN}", ALSO: "${TOKEN}", OK: "${HOME}" }, {}, { HOME: "/home/agent" });

    expect(resolved).toEqual({ env: { OK: "/home/agent" }, missing: ["TOKEN"] });
  });

  it("does not look up inherited object properties as variables", () => {
    expect(resolveLaunchEnv({ A: "${constructor}" }, {}, {})).toEqual({ env: {}, missing: ["constructor"] });
  });
});
