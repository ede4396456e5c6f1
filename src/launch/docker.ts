/** The few Docker operations the launcher needs, through the engine adapter (src/engine/docker.ts). */
import { containersLabelledSync, type EngineContainer } from "../engine/containers.js";
import { DockerError, docker, dockerSync as run, dockerSyncOk as ok, type DockerResult } from "../engine/docker.js";
import { engineIdentitySync, type EngineIdentity } from "../engine/identity.js";
import { LABELS } from "../labels.js";
import { LaunchError } from "./errors.js";

/** The engine, which each launch's record names (one call: it also tells that the engine answers). */
export function requireEngine(): EngineIdentity {
  try {
    return engineIdentitySync();
  } catch (error) {
    if (error instanceof DockerError) throw new LaunchError("the Docker engine does not answer", "start Docker, then try again");
    throw error;
  }
}

/** The CLI builds Features with BuildKit (isolated build contexts) only where buildx is installed. */
export function hasBuildx(): boolean {
  return run(["buildx", "version"], { timeoutMs: 30_000 }).status === 0;
}

export function containerExists(name: string): boolean {
  return run(["container", "inspect", "--format", "{{.Id}}", name]).status === 0;
}

export function volumeExists(name: string): boolean {
  return run(["volume", "inspect", "--format", "{{.Name}}", name]).status === 0;
}

/** Everything `launch` started, by our label; each named by its launch (the label's value). */
export function launchedContainers(name?: string): EngineContainer[] {
  return containersLabelledSync(name === undefined ? LABELS.launch : `${LABELS.launch}=${name}`).map((c) => ({ ...c, name: c.labels[LABELS.launch] ?? "" }));
}

export function stopContainer(id: string): void {
  ok(["stop", id]);
}

export function startContainer(id: string): void {
  ok(["start", id]);
}

const REMOVE_ATTEMPTS = 10;
const REMOVE_RETRY_MS = 500;

/**
 * Removes a container (if any) and named volumes (if any); missing ones are not an error. An interrupted
 * `docker run` whose request already reached the engine still creates its container after we looked, so a
 * volume that container holds is retried (bounded) after removing the container again.
 */
export function removeContainerAndVolumes(container: string | undefined, volumes: readonly string[]): void {
  for (let attempt = 1; ; attempt++) {
    if (container !== undefined) {
      const result = run(["rm", "-f", "-v", container]);
      if (result.status !== 0 && !/No such container/i.test(result.stderr)) throw new LaunchError(`cannot remove ${container}: ${result.stderr.trim()}`);
    }
    const inUse = volumes.filter((volume) => {
      const result = run(["volume", "rm", "-f", volume]);
      if (result.status === 0 || /no such volume/i.test(result.stderr)) return false;
      if (container !== undefined && attempt < REMOVE_ATTEMPTS && /volume is in use/i.test(result.stderr)) return true;
      throw new LaunchError(`cannot remove volume ${volume}: ${result.stderr.trim()}`);
    });
    if (inUse.length === 0) return;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, REMOVE_RETRY_MS);
  }
}

/** Runs a command in the container as its user (for `rm`'s check); output captured. */
export function execCapture(id: string, command: readonly string[]): DockerResult {
  return run(["exec", id, ...command], { timeoutMs: 60_000 });
}

export function containerLogs(id: string): string {
  const result = run(["logs", id]);
  return `${result.stdout}${result.stderr}`;
}

/** An image's id, or undefined when the engine has no such image. */
export function imageId(image: string): string | undefined {
  const result = run(["image", "inspect", "--format", "{{.Id}}", image], { timeoutMs: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** imageId, without blocking: asked while the devcontainer CLI runs (a docker that cannot run is `up`'s to report). */
export function imageIdAsync(image: string): Promise<string | undefined> {
  return docker(["image", "inspect", "--format", "{{.Id}}", image], 30_000).then(
    (result) => (result.status === 0 ? result.stdout.trim() : undefined),
    () => undefined,
  );
}

/** One label of an image, without blocking ("" when it has no such label); undefined when the engine has no such image. */
export function imageLabelAsync(image: string, label: string): Promise<string | undefined> {
  return docker(["image", "inspect", "--format", `{{index .Config.Labels ${JSON.stringify(label)}}}`, image], 30_000).then(
    (result) => (result.status === 0 ? result.stdout.trim() : undefined),
    () => undefined,
  );
}

/**
 * Tags the image a container runs; with `relabel`, tags instead an image on top of it whose label `name` is
 * `relabel(its value)` (a build with no context and no step: one metadata layer).
 */
export function tagContainerImage(containerId: string, tag: string, relabel?: { name: string; value(current: string): string | undefined }): void {
  const image = ok(["container", "inspect", "--format", "{{.Image}}", containerId]);
  const label = relabel?.value(ok(["image", "inspect", "--format", `{{index .Config.Labels ${JSON.stringify(relabel.name)}}}`, image]));
  if (!relabel || label === undefined) return void ok(["tag", image, tag]);
  ok(["build", "-q", "--label", `${relabel.name}=${label}`, "-t", tag, "-"], { input: `FROM ${image}\n`, timeoutMs: 120_000 });
}
