/**
 * Which Docker engine the CLI talks to: `DOCKER_HOST` or the current context can point it at another one
 * between two commands. A launch records the engine it ran on, so that the lifecycle never takes another
 * engine's launch for one whose container is gone. The engine's own ID (`docker info`) tells them apart;
 * its name (the engine host's) is what a person reads.
 */
import { docker, dockerSync, DockerError, type DockerResult } from "./docker.js";

export interface EngineIdentity {
  id: string;
  name: string;
}

const INFO = ["info", "--format", "{{json .ID}} {{json .Name}}"];

/** `"ID" "name"`, as INFO prints it; undefined when the engine did not answer with an ID. */
export function parseIdentity(stdout: string): EngineIdentity | undefined {
  const match = /^("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*")$/.exec(stdout.trim());
  if (!match) return undefined;
  const [id, name] = [JSON.parse(match[1]!) as string, JSON.parse(match[2]!) as string];
  return id ? { id, name } : undefined;
}

function identityOf(result: DockerResult): EngineIdentity {
  const identity = result.status === 0 ? parseIdentity(result.stdout) : undefined;
  if (!identity) throw new DockerError(`the Docker engine does not answer: ${result.stderr.trim().split("\n").pop() || `docker info printed ${JSON.stringify(result.stdout.trim())}`}`, "start Docker, then try again");
  return identity;
}

export async function engineIdentity(): Promise<EngineIdentity> {
  return identityOf(await docker(INFO, 30_000));
}

/** The same, synchronously: for the launcher's steps. */
export function engineIdentitySync(): EngineIdentity {
  return identityOf(dockerSync(INFO, { timeoutMs: 30_000 }));
}

/** The ID of the engine `env` reaches, or "" when none answers: for a guess that goes on without one. */
export function engineIdSync(env?: NodeJS.ProcessEnv): string {
  const result = dockerSync(INFO, { timeoutMs: 30_000, ...(env ? { env } : {}) });
  return (result.status === 0 && parseIdentity(result.stdout)?.id) || "";
}

/** One line naming an engine: its name and the start of its ID. */
export function describeEngine(engine: EngineIdentity): string {
  return `${engine.name || "unnamed"} (ID ${engine.id.length > 14 ? `${engine.id.slice(0, 14)}…` : engine.id})`;
}
