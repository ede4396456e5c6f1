/** Runs a host step here, as `launch` does for its containers: the same script a scaffolded config runs at `up`. */
import { spawnSync } from "node:child_process";
import { HOST_SCRIPTS, type HostScriptName } from "../generated/host-scripts.js";

export class HostStepError extends Error {}

export function runHostStep(name: HostScriptName, ...args: string[]): void {
  const result = spawnSync("/bin/sh", ["-c", HOST_SCRIPTS[name], `${name}.sh`, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new HostStepError(`host step ${name} failed: ${result.stderr.trim() || result.error?.message || `exit ${String(result.status)}`}`);
}
