/**
 * Whether the engine can get an image and the builds can reach the Node.js source, asked of the real engine
 * and network. Every check is bounded in time: `doctor` must answer on a network that drops packets, and
 * `launch` must stop before its first `up` when the base image cannot come.
 */
import { docker, dockerSync } from "../engine/docker.js";
import { dockerReason } from "./hints.js";
import type { NodeSourceTarget } from "./node-source.js";

export type Availability = { ok: true; detail: string } | { ok: false; reason: string };

/** `docker image inspect`: the image is already on this engine. */
function present(image: string): boolean {
  return dockerSync(["image", "inspect", "--format", "{{.Id}}", image], { timeoutMs: 30_000 }).status === 0;
}

/** For `launch`: present, else pulled now (what the build would do anyway, but with the failure named). */
export function ensureImage(image: string, onPull: () => void, timeoutMs = 15 * 60_000): Availability {
  if (present(image)) return { ok: true, detail: "present on this engine" };
  onPull();
  const pulled = dockerSync(["pull", "-q", image], { timeoutMs });
  if (pulled.status === null) return { ok: false, reason: `no image within ${timeoutMs / 1000} s` };
  return pulled.status === 0 ? { ok: true, detail: "pulled" } : { ok: false, reason: dockerReason(pulled.stderr) };
}

/** For `doctor`: present, else its manifest readable from the registry (nothing is downloaded). */
export async function checkImage(image: string, timeoutMs = 15_000): Promise<Availability> {
  if (present(image)) return { ok: true, detail: "present on this engine" };
  try {
    const result = await docker(["manifest", "inspect", image], timeoutMs);
    if (result.status === 0) return { ok: true, detail: "not on this engine yet; its registry serves it" };
    return { ok: false, reason: result.status === null ? `no answer from its registry within ${timeoutMs / 1000} s` : dockerReason(result.stderr) };
  } catch (error) {
    return { ok: false, reason: dockerReason((error as Error).message) };
  }
}

/** One GET of the file the Features read first; only the status line is waited for. */
export async function checkNodeSource(target: NodeSourceTarget, timeoutMs = 10_000): Promise<Availability> {
  try {
    const response = await fetch(target.url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: "application/json, text/plain" } });
    await response.body?.cancel();
    return response.ok ? { ok: true, detail: `${target.url} answers` } : { ok: false, reason: `${target.url} answers HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ok: false, reason: `cannot reach ${target.url} (${why})` };
  }
}
