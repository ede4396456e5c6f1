/**
 * Which engine the CLI talks to, and whether it sees the client's files: a bind mount of a client path
 * only works on an engine on this machine, sharing its filesystem. The endpoint is `DOCKER_HOST`, else the
 * current Docker context's (`DOCKER_CONTEXT` or `docker context use`), as the `docker` CLI picks it.
 *
 * - `ssh://`, `tcp://`, `http(s)://`: remote.
 * - the default socket (`/var/run/docker.sock`, Windows' `docker_engine` pipe): local.
 * - any other socket (Docker Desktop's, rootless Docker's, a test bed's second engine): local when it is the
 *   engine that answers on the default socket (the same engine ID in `docker info`) or when none answers
 *   there, remote when another engine does.
 *
 * `CREATE_AGENT_DEVCONTAINER_ENGINE=local|remote` overrides the guess.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { dockerSync } from "./docker.js";
import { engineIdSync } from "./identity.js";
import { UserError } from "../errors.js";

export const ENV_ENGINE = "CREATE_AGENT_DEVCONTAINER_ENGINE";
export const DEFAULT_ENDPOINTS = ["unix:///var/run/docker.sock", "unix:///run/docker.sock", "npipe:////./pipe/docker_engine"] as const;

export type EngineLocation = "local" | "remote";

export interface EngineLocationInfo {
  /** As the `docker` CLI reaches it: `unix:///…`, `ssh://…`, `tcp://…`. */
  endpoint: string;
  /** `docker info`'s ID; empty when the engine did not answer. */
  id: string;
  location: EngineLocation;
  /** Why, in a few words, for `doctor` and error messages. */
  reason: string;
}

export interface Facts {
  endpoint: string;
  /** The override's value, if set. */
  override?: string | undefined;
  id: string;
  /** Asked only for a socket that is not the default one: the ID of the engine on the default socket ("" when none answers). */
  defaultId(): string;
}

/** The rule above, on facts already read: pure, for the tests. */
export function classify(facts: Facts): Pick<EngineLocationInfo, "location" | "reason"> {
  const override = facts.override?.trim();
  if (override) {
    if (override !== "local" && override !== "remote") throw new UserError(`${ENV_ENGINE}="${override}" is neither local nor remote`, `set ${ENV_ENGINE}=local or ${ENV_ENGINE}=remote, or unset it`);
    return { location: override, reason: `${ENV_ENGINE}=${override}` };
  }
  const scheme = /^([a-z]+):\/\//.exec(facts.endpoint)?.[1] ?? "";
  if (scheme !== "unix" && scheme !== "npipe") return { location: "remote", reason: `a ${scheme || "network"} endpoint` };
  if ((DEFAULT_ENDPOINTS as readonly string[]).includes(facts.endpoint)) return { location: "local", reason: "the default socket" };
  const defaultId = facts.defaultId();
  if (!defaultId) return { location: "local", reason: "a socket on this machine, and no other engine on the default socket" };
  if (defaultId === facts.id) return { location: "local", reason: "the same engine as the default socket" };
  return { location: "remote", reason: "a socket to another engine than the default socket's" };
}

const cache = new Map<string, EngineLocationInfo>();

/**
 * The engine this process's `docker` reaches; asked once per endpoint per process. `knownId`: its `docker info` ID
 * where the caller has read it already (launch, for its record), saving a second `docker info`.
 */
export function engineLocation(env: NodeJS.ProcessEnv = process.env, knownId = ""): EngineLocationInfo {
  const endpoint = endpointOf(env);
  const key = `${endpoint}\n${env[ENV_ENGINE] ?? ""}`;
  const known = cache.get(key);
  if (known) return known;
  const id = knownId || engineIdSync(env);
  const located = { endpoint, id, ...classify({ endpoint, override: env[ENV_ENGINE], id, defaultId: () => engineIdSync(defaultEngineEnv(env)) }) };
  cache.set(key, located);
  return located;
}

/** Whether a bind mount of a client path reaches the container. */
export function engineSeesClientFiles(env: NodeJS.ProcessEnv = process.env): boolean {
  return engineLocation(env).location === "local";
}

/**
 * The context the `docker` CLI would use other than its default one: `DOCKER_CONTEXT`, else `currentContext` in its
 * config file. Read, not asked: the usual case, no context at all, then costs no `docker` process.
 */
export function namedContext(env: NodeJS.ProcessEnv): string | undefined {
  const name = env.DOCKER_CONTEXT?.trim() || configuredContext(join(env.DOCKER_CONFIG || join(env.HOME || homedir(), ".docker"), "config.json"));
  return name && name !== "default" ? name : undefined;
}

function configuredContext(file: string): string | undefined {
  try {
    const { currentContext } = JSON.parse(readFileSync(file, "utf8")) as { currentContext?: unknown };
    return typeof currentContext === "string" ? currentContext.trim() : undefined;
  } catch {
    return undefined; // no config file, or one the docker CLI would not read either
  }
}

function endpointOf(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_HOST) return env.DOCKER_HOST;
  if (!namedContext(env)) return defaultEndpoint();
  const context = dockerSync(["context", "inspect", "--format", "{{.Endpoints.docker.Host}}"], { timeoutMs: 30_000, env });
  return (context.status === 0 && context.stdout.trim()) || defaultEndpoint();
}

function defaultEndpoint(): string {
  return process.platform === "win32" ? DEFAULT_ENDPOINTS[2] : DEFAULT_ENDPOINTS[0];
}

function defaultEngineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DOCKER_CONTEXT: _context, ...rest } = env;
  return { ...rest, DOCKER_HOST: defaultEndpoint() };
}
