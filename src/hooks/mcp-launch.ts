/**
 * The launcher's work: find the server's env templates, resolve them against the secrets file and the
 * environment, and run the server in this process's place. Everything it says goes to stderr: stdout is
 * the MCP channel between the agent and the server.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { parseLaunchArgs, resolveLaunchEnv, type LaunchArgs, type LaunchSpec } from "../mcp/launcher.js";
import { findOnPath } from "../core/on-path.js";
import { readSecrets, type Environment } from "./mcp-files.js";

export interface LaunchSetup {
  specFile: string;
  secretsFile: string;
  env: Environment;
}

/** An exit status on failure; undefined once the server runs (execve never returns; a child's status becomes ours). */
export function runLaunch(argv: readonly string[], setup: LaunchSetup): number | undefined {
  const launch = parseLaunchArgs(argv);
  if (!launch) return fail(undefined, `usage: run-server NAME -- COMMAND [ARGS…] (got ${JSON.stringify(argv)})`, 2);
  const say = (message: string) => process.stderr.write(`[agent-devcontainer] run-server ${launch.name}: ${message}\n`);
  let spec: LaunchSpec;
  try {
    spec = JSON.parse(readFileSync(setup.specFile, "utf8")) as LaunchSpec;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return fail(launch.name, `cannot read the launch spec ${setup.specFile} (${why}); the mcp hook writes it when the container starts`, 1);
  }
  const entry = spec.servers?.[launch.name];
  if (!entry) {
    return fail(launch.name, `no server "${launch.name}" in ${setup.specFile}; restart the container so the mcp hook renders the current MCP source`, 1);
  }
  const secrets = readSecrets(setup.secretsFile);
  for (const warning of secrets.warnings) say(`warning: ${warning}`);
  const { env, missing } = resolveLaunchEnv(entry.env, secrets.values, setup.env);
  for (const name of missing) {
    say(`warning: \${${name}} is set neither in the MCP secrets file nor in the environment; env entries that need it are left unset`);
  }
  const childEnv = Object.fromEntries(
    Object.entries({ ...setup.env, ...env }).filter((pair): pair is [string, string] => pair[1] !== undefined),
  );
  const file = findOnPath(launch.command, childEnv.PATH);
  if (!file) return fail(launch.name, `${launch.command}: not found (PATH=${childEnv.PATH ?? ""})`, 127);
  return run(file, launch, childEnv);
}

type Execve = (file: string, args: string[], env: Record<string, string>) => never;

function run(file: string, launch: LaunchArgs, env: Record<string, string>): undefined {
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof execve === "function") execve(file, [launch.command, ...launch.args], env);
  // Node.js before 22.15 cannot exec: stay as the parent, pass stdio through, forward signals and the status.
  const child = spawn(file, launch.args, { argv0: launch.command, env, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => fail(launch.name, `${launch.command}: ${error.message}`, 126));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
  return undefined;
}

function fail(name: string | undefined, message: string, status: number): number {
  process.stderr.write(`[agent-devcontainer] run-server${name === undefined ? "" : ` ${name}`}: ${message}\n`);
  process.exitCode = status;
  return status;
}
