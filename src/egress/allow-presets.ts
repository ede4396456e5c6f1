/**
 * Named host groups that no agent needs while it runs, so none is in a default allowlist: each comes in
 * only when asked for by name (`--allow-preset`), and says what it opens. Installs happen at build time,
 * outside the enforcer, and the agent user cannot run apt; multi-tenant storage is where anyone can own a
 * bucket, so it is a place to upload the user's code to. Pure data.
 */
export const ALLOW_PRESET_IDS = ["os-archives", "storage"] as const;
export type AllowPresetId = (typeof ALLOW_PRESET_IDS)[number];

export interface AllowPreset {
  id: AllowPresetId;
  /** What it opens, for --help and the docs. */
  summary: string;
  hosts: readonly string[];
}

export const ALLOW_PRESETS: readonly AllowPreset[] = [
  {
    id: "os-archives",
    summary: "the Debian and Ubuntu package archives, for a container whose user runs apt",
    hosts: ["deb.debian.org", "security.debian.org", "archive.ubuntu.com", "security.ubuntu.com", "ports.ubuntu.com"],
  },
  {
    id: "storage",
    summary:
      "multi-tenant storage and blob hosts: Google Cloud Storage (Go module downloads, Claude Code's older update bucket), GitHub's release-asset and raw-file hosts, VS Code's blob store",
    hosts: ["storage.googleapis.com", "objects.githubusercontent.com", "raw.githubusercontent.com", "vscode.blob.core.windows.net"],
  },
];

export function isAllowPresetId(name: string): name is AllowPresetId {
  return (ALLOW_PRESET_IDS as readonly string[]).includes(name);
}

export function allowPresetHosts(ids: readonly AllowPresetId[]): string[] {
  return ALLOW_PRESETS.filter((preset) => ids.includes(preset.id)).flatMap((preset) => preset.hosts);
}
