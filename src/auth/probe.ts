/**
 * Gathers HostFacts for `doctor`: login files, token variable names, keychain items, Docker, the
 * devcontainer CLI. Reads but never prints a secret: a token is reduced to "set", a file to whether it
 * holds a login. Every external command has a timeout.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { allAgents, GITHUB_CLI, type LoginFile } from "../catalogue/agents.js";
import { dockerSync } from "../engine/docker.js";
import { packagePath } from "../paths.js";
import { candidatePaths, type FileFact, type HostFacts, type LoginFacts, type ToolFact } from "./diagnose.js";
import { authVolumeName, locationVariables } from "./locations.js";

export interface ProbeInput {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform: string;
  /** The MCP secrets file, with ~ already expanded. */
  secretsFile: string;
}

const SOURCES = [...allAgents(), GITHUB_CLI];

export function probeHost(input: ProbeInput): HostFacts {
  const docker = probeDocker();
  return {
    ...probeLogins(input),
    ...(docker.found ? { volumes: authVolumes() } : {}),
    docker,
    devcontainerCli: probeDevcontainerCli(),
    secretsFile: secretsFact(input.secretsFile),
  };
}

/** The login part of HostFacts alone (files, token names, keychain items): no Docker, for the scaffolder's default. */
export function probeLogins(input: Omit<ProbeInput, "secretsFile">): LoginFacts {
  const files = SOURCES.flatMap((source) => source.hostLogin);
  const locationEnv = Object.fromEntries(
    locationVariables(files).flatMap((name) => (input.env[name] ? [[name, input.env[name]!]] : [])),
  ) as Record<string, string>;
  const wsl = input.platform === "linux" && isWsl(input.env);
  const windowsHome = wsl ? findWindowsHome() : undefined;
  const where = { locationEnv, home: input.home, ...(windowsHome ? { windowsHome } : {}) };
  return {
    platform: input.platform,
    wsl,
    home: input.home,
    ...(windowsHome ? { windowsHome } : {}),
    locationEnv,
    tokens: [...new Set(SOURCES.flatMap((source) => source.tokenEnv))].filter((name) => Boolean(input.env[name])),
    files: Object.fromEntries(files.flatMap((file) => candidatePaths(file, where).map((path) => [path, fileFact(file, path)]))),
    keychain: input.platform === "darwin" ? keychainItems() : [],
  };
}

function fileFact(file: LoginFile, path: string): FileFact {
  try {
    if (!statSync(path).isFile()) return { exists: false, holdsLogin: false };
    const text = readFileSync(path, "utf8");
    return { exists: true, holdsLogin: file.loginPattern ? new RegExp(file.loginPattern).test(text) : text.trim().length > 0 };
  } catch {
    return { exists: false, holdsLogin: false };
  }
}

function isWsl(env: ProbeInput["env"]): boolean {
  if (env.WSL_DISTRO_NAME) return true;
  try {
    return /microsoft/i.test(readFileSync("/proc/sys/kernel/osrelease", "utf8"));
  } catch {
    return false;
  }
}

/** The same lookup the host step makes: %USERPROFILE% through cmd.exe, turned into a WSL path. */
function findWindowsHome(): string | undefined {
  const profile = run("cmd.exe", ["/d", "/c", "echo %USERPROFILE%"], "/mnt/c");
  const path = profile ? run("wslpath", ["-u", profile.trim()]) : undefined;
  return path?.trim() || undefined;
}

/** Existence only: without -w, `security` reads no secret and shows no prompt. */
function keychainItems(): string[] {
  return SOURCES.flatMap((source) => (source.keychainService ? [source.keychainService] : [])).filter(
    (service) => spawnSync("security", ["find-generic-password", "-s", service], { stdio: "ignore", timeout: 5_000 }).status === 0,
  );
}

function authVolumes(): string[] {
  const listed = dockerSync(["volume", "ls", "--format", "{{.Name}}"], { timeoutMs: 10_000 });
  const names = new Set((listed.status === 0 ? listed.stdout : "").split("\n"));
  return allAgents().map((record) => authVolumeName(record.id)).filter((name) => names.has(name));
}

function probeTool(command: string, args: string[]): ToolFact {
  return toolFact(command, spawnSync(command, args, { encoding: "utf8", timeout: 15_000 }));
}

function probeDocker(): ToolFact {
  try {
    return toolFact("docker", dockerSync(["version", "--format", "{{.Server.Version}}"], { timeoutMs: 15_000 }));
  } catch {
    return { found: false, detail: "docker is not on PATH" };
  }
}

function toolFact(command: string, result: { error?: Error; status: number | null; stdout: string; stderr: string }): ToolFact {
  if (result.error) return { found: false, detail: `${command} is not on PATH` };
  if (result.status !== 0) return { found: false, detail: (result.stderr || result.stdout).trim().split("\n")[0] ?? `${command} failed` };
  return { found: true, version: result.stdout.trim() };
}

/** On PATH, else the one installed with this package. */
function probeDevcontainerCli(): ToolFact {
  const onPath = probeTool("devcontainer", ["--version"]);
  if (onPath.found) return { ...onPath, detail: "(on PATH)" };
  const bundled = packagePath("node_modules", ".bin", "devcontainer");
  if (!existsSync(bundled)) return onPath;
  const local = probeTool(bundled, ["--version"]);
  return local.found ? { ...local, detail: `(${bundled})` } : local;
}

function secretsFact(path: string): HostFacts["secretsFile"] {
  try {
    return { path, exists: true, private: (statSync(path).mode & 0o077) === 0 };
  } catch {
    return { path, exists: false, private: false };
  }
}

function run(command: string, args: string[], cwd?: string): string | undefined {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 10_000, ...(cwd && existsSync(cwd) ? { cwd } : {}) });
  return result.status === 0 ? result.stdout.replace(/\r/g, "") : undefined;
}
