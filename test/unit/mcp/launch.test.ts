import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../../src/paths.js";
import { tempDir } from "../../support/temp-dir.js";

const DRIVER = packagePath("test", "fixtures", "mcp", "run-launch.ts");
/** A stand-in server: echoes its stdin upper-cased, then reports its argv and the variables it got. */
const ECHO = `process.stdin.on("data", (d) => process.stdout.write(String(d).toUpperCase()));
process.stdin.on("end", () => process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), token: process.env.API_TOKEN ?? null, url: process.env.API_URL ?? null, home: process.env.HOME ?? null })));`;

function files(onTestFinished: Parameters<typeof tempDir>[0], secrets: string) {
  const dir = tempDir(onTestFinished);
  const spec = join(dir, "servers.json");
  writeFileSync(spec, JSON.stringify({ servers: { echo: { env: { API_TOKEN: "${API_TOKEN}", API_URL: "https://${API_HOST}/v1" } } } }));
  writeFileSync(join(dir, "secrets.env"), secrets);
  return { spec, secrets: join(dir, "secrets.env") };
}

function launch(paths: { spec: string; secrets: string }, argv: string[], env: NodeJS.ProcessEnv = {}, input = "") {
  return spawnSync(process.execPath, ["--import", "tsx", DRIVER, paths.spec, paths.secrets, ...argv], {
    cwd: packagePath(),
    encoding: "utf8",
    input,
    env: { PATH: process.env.PATH, HOME: "/home/test", ...env },
    timeout: 30_000,
  });
}

describe("the MCP launcher", () => {
  it("runs the command with the env resolved from the secrets file, passing stdio and arguments through", ({ onTestFinished }) => {
    const paths = files(onTestFinished, 'API_TOKEN="from-file"\nAPI_HOST=api.example\n');

    const run = launch(paths, ["echo", "--", "node", "-e", ECHO, "first", "--", "x y"], { API_TOKEN: "from-env" }, "ping\n");

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [echoed, report] = run.stdout.split(/(?<=\n)/) as [string, string];
    expect(echoed).toBe("PING\n");
    expect(JSON.parse(report)).toEqual({ argv: ["first", "--", "x y"], token: "from-file", url: "https://api.example/v1", home: "/home/test" });
  });

  it("falls back to its own environment, and leaves an entry out with a warning on stderr when its variable is set nowhere", ({ onTestFinished }) => {
    const paths = files(onTestFinished, "");

    const run = launch(paths, ["echo", "--", "node", "-e", ECHO], { API_TOKEN: "from-env" });

    expect(JSON.parse(run.stdout)).toMatchObject({ token: "from-env", url: null });
    expect(run.stderr).toBe(
      "[agent-devcontainer] run-server echo: warning: ${API_HOST} is set neither in the MCP secrets file nor in the environment; env entries that need it are left unset\n",
    );
  });

  it("works without a secrets file", ({ onTestFinished }) => {
    const paths = { ...files(onTestFinished, ""), secrets: "/nonexistent/secrets.env" };

    const run = launch(paths, ["echo", "--", "node", "-e", ECHO], { API_TOKEN: "t", API_HOST: "h" });

    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ token: "t", url: "https://h/v1" });
  });

  it("passes the server's exit status on", ({ onTestFinished }) => {
    const run = launch(files(onTestFinished, ""), ["echo", "--", "node", "-e", "process.exit(3)"]);

    expect(run.status).toBe(3);
  });

  for (const [argv, status, message] of [
    [["nope", "--", "true"], 1, 'no server "nope" in'],
    [["echo", "--", "no-such-command-here"], 127, "no-such-command-here: not found"],
    [["echo", "true"], 2, "usage: run-server NAME -- COMMAND [ARGS…]"],
  ] as const) {
    it(`refuses ${JSON.stringify(argv)} with status ${status}, on stderr only`, ({ onTestFinished }) => {
      const run = launch(files(onTestFinished, ""), [...argv]);

      expect(run.status).toBe(status);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(message);
    });
  }

  it("says the hook writes the launch spec when it is missing", ({ onTestFinished }) => {
    const paths = { ...files(onTestFinished, ""), spec: "/nonexistent/servers.json" };

    const run = launch(paths, ["echo", "--", "true"]);

    expect(run.status).toBe(1);
    expect(run.stderr).toContain("cannot read the launch spec /nonexistent/servers.json (ENOENT); the mcp hook writes it when the container starts");
  });
});
