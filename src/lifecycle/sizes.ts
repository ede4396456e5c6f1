/** Reading Docker's words for sizes and volume names back into values (`prune` reports them). */
import { outboxVolume, workspaceVolume } from "../workspace/layout.js";

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** "27.16kB", "1.2GB", "0B" (Docker's decimal units) in bytes; undefined for anything else ("N/A"). */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([kKMGT]?B)$/.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNITS[match[2]!]!) : undefined;
}

/** "1.5 MB": a size for a person. */
export function formatSize(bytes: number): string {
  const steps: [string, number][] = [["GB", 1e9], ["MB", 1e6], ["kB", 1e3]];
  const [unit, scale] = steps.find(([, step]) => bytes >= step) ?? ["B", 1];
  return unit === "B" ? `${bytes} B` : `${(bytes / scale).toFixed(1)} ${unit}`;
}

/** A workspace or outbox volume's kind and the suffix that pairs them (a launch's name, a devcontainer id). */
export function volumePair(name: string): { kind: "workspace" | "outbox"; suffix: string } | undefined {
  for (const [kind, prefix] of [["workspace", workspaceVolume("")], ["outbox", outboxVolume("")]] as const) {
    if (name.startsWith(prefix) && name.length > prefix.length) return { kind, suffix: name.slice(prefix.length) };
  }
  return undefined;
}
