/**
 * Where a repository keeps its MCP source. The one place in src/mcp that touches the file system:
 * `.devcontainer/mcp.toml` (written by the scaffolder) wins; a root `config.toml` with
 * `[mcp_servers]` (the original design's file) is honoured when there is none.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseMcpSource, type ParseOptions } from "./source.js";
import type { McpServer } from "./model.js";

export const DEFAULT_MCP_SOURCE = ".devcontainer/mcp.toml";
export const LEGACY_MCP_SOURCE = "config.toml";

export interface McpSourceLocation {
  /** Absolute path of the file. */
  path: string;
  /** Parse options the file needs: a root config.toml may hold other settings besides `mcp_servers`. */
  options: ParseOptions;
}

/** The source for `repoRoot`, or undefined when it has none (no MCP servers is not an error). */
export function findMcpSource(repoRoot: string): McpSourceLocation | undefined {
  const preferred = join(repoRoot, DEFAULT_MCP_SOURCE);
  if (existsSync(preferred)) return { path: preferred, options: {} };
  const legacy = join(repoRoot, LEGACY_MCP_SOURCE);
  if (existsSync(legacy) && declaresMcpServers(readFileSync(legacy, "utf8"))) {
    return { path: legacy, options: { mcpTableOnly: true } };
  }
  return undefined;
}

/**
 * The source a configuration names: a path relative to `root` (or absolute). The default name also finds
 * a root config.toml with `[mcp_servers]`, as findMcpSource does; any other name is taken exactly.
 */
export function locateMcpSource(root: string, configured: string = DEFAULT_MCP_SOURCE): McpSourceLocation | undefined {
  if (configured === DEFAULT_MCP_SOURCE) return findMcpSource(root);
  const path = resolve(root, configured);
  return existsSync(path) ? { path, options: { mcpTableOnly: basename(path) === LEGACY_MCP_SOURCE } } : undefined;
}

/** Reads and parses a located source; errors name the file as given in `location.path`. */
export function loadMcpSource(location: McpSourceLocation): McpServer[] {
  return parseMcpSource(readFileSync(location.path, "utf8"), location.path, location.options);
}

/**
 * A cheap textual test, so a config.toml that is broken or unrelated is never parsed here: any table
 * header, dotted key or key starting with `mcp_servers` at the start of a line counts.
 */
function declaresMcpServers(text: string): boolean {
  return /^[ \t]*(?:\[\[?[ \t]*)?["']?mcp_servers["']?[ \t]*[.\]=]/m.test(text);
}

/** The source `configured` names under `root`, parsed, with its path relative to `root`; undefined when absent. */
export function readMcpSourceAt(root: string, configured: string): { path: string; servers: McpServer[] } | undefined {
  const location = locateMcpSource(root, configured);
  return location && { path: relative(root, location.path), servers: loadMcpSource(location) };
}
