/** Dockerfile text for the classic builder: no `# syntax=` line, no BuildKit-only instructions. */
import { METADATA_LABEL, type MetadataEntry } from "./metadata.js";

/** A double-quoted Dockerfile word with no variable expansion (LABEL values expand `$`). */
export function literal(value: string): string {
  return `"${value.replace(/(?=["\\$])/g, "\\")}"`;
}

/** ENV lines as the devcontainer CLI writes a Feature's containerEnv: `${VAR}` in a value still expands. */
export function envLines(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([name, value]) => `ENV ${name}="${value.replace(/(?=["\\])/g, "\\")}"`);
}

/** One LABEL instruction, one label per line. */
export function labelInstruction(labels: Readonly<Record<string, string>>): string {
  const lines = Object.entries(labels).map(([name, value]) => `${name}=${literal(value)}`);
  return `LABEL ${lines.join(" \\\n      ")}`;
}

export function metadataLabel(entries: readonly MetadataEntry[]): Record<string, string> {
  return { [METADATA_LABEL]: JSON.stringify(entries) };
}

/** A RUN of several shell commands, one per line. */
export function runInstruction(commands: readonly string[]): string {
  return `RUN ${commands.join(" \\\n && ")}`;
}

/** Upper-cased, underscore-separated: the build argument name for a Feature option (`claude` → CLAUDE_VERSION). */
export function buildArgName(...parts: string[]): string {
  return parts
    .join("_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toUpperCase();
}
