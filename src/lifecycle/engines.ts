/**
 * Launches of other Docker engines. After a switch of context or `DOCKER_HOST`, the current engine has
 * none of another engine's containers, and a launch of that engine would look gone: `list`, `prune` and
 * `rm` act only on the current engine's records and leave the others as they are, saying so.
 */
import { existsSync, readdirSync } from "node:fs";
import { describeEngine, type EngineIdentity } from "../engine/identity.js";
import { LaunchError } from "../launch/errors.js";
import { onEngine, readRecord, statePaths, type LaunchRecord } from "../launch/state.js";

/** Every launch record in the state folder, by name (a folder without a readable record is left out). */
export function readRecords(stateRoot: string): { name: string; record: LaunchRecord }[] {
  if (!existsSync(stateRoot)) return [];
  return readdirSync(stateRoot).flatMap((name) => {
    const record = readRecord(statePaths(stateRoot, name));
    return record ? [{ name, record }] : [];
  });
}

/** The launches recorded on engines other than `engine`, by name. */
export function elsewhere(stateRoot: string, engine: EngineIdentity): { name: string; engine: EngineIdentity }[] {
  return readRecords(stateRoot).flatMap(({ name, record }) => (record.engine && !onEngine(record, engine) ? [{ name, engine: record.engine }] : []));
}

/** "2 launches of another Docker engine are left alone: a, b on vm (ID …); …", or undefined when there are none. */
export function describeElsewhere(launches: readonly { name: string; engine: EngineIdentity }[]): string | undefined {
  if (launches.length === 0) return undefined;
  const byEngine = new Map<string, { engine: EngineIdentity; names: string[] }>();
  for (const { name, engine } of launches) {
    const entry = byEngine.get(engine.id) ?? { engine, names: [] };
    entry.names.push(name);
    byEngine.set(engine.id, entry);
  }
  const groups = [...byEngine.values()].map(({ engine, names }) => `${names.sort().join(", ")} on ${describeEngine(engine)}`);
  const count = launches.length === 1 ? "1 launch of another Docker engine is" : `${launches.length} launches of other Docker engines are`;
  return `${count} not shown: ${groups.join("; ")}; switch to its engine (docker context use, DOCKER_HOST) to manage it`;
}

/** A launch of another engine cannot be stopped, started or removed from this one: its container is there, not here. */
export function refuseOtherEngine(name: string, record: LaunchRecord, engine: EngineIdentity): void {
  if (onEngine(record, engine)) return;
  throw new LaunchError(
    `${name} was launched on another Docker engine, ${describeEngine(record.engine!)}; this one is ${describeEngine(engine)}`,
    "switch back to that engine (docker context use, DOCKER_HOST), then run the command again",
  );
}
