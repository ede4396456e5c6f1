/**
 * `${NAME}` references in MCP source values. The source uses one syntax (Claude's, which is also the
 * shell's); each renderer maps it to its target's mechanism. Any `$` not starting `${` is literal text.
 */
import type { McpServer } from "./model.js";

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const EXACT_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
/** `$NAME` without braces: literal for us and for Claude, but Copilot and Gemini expand it. */
const BARE_DOLLAR = /\$[A-Za-z_]/;

/** The variable a value consists of, when it is exactly one reference (`${TOKEN}`). */
export function exactRef(value: string): string | undefined {
  return EXACT_REF.exec(value)?.[1];
}

/** Names referenced anywhere in the value, in order, without duplicates. */
export function refsIn(value: string): string[] {
  return [...new Set([...value.matchAll(REF)].map((match) => match[1] as string))];
}

export function hasRefs(value: string): boolean {
  return refsIn(value).length > 0;
}

/** Rewrites every reference, e.g. to VS Code's `${env:NAME}`. */
export function mapRefs(value: string, rewrite: (name: string) => string): string {
  return value.replace(REF, (_match, name: string) => rewrite(name));
}

/** True when literal text (outside references) holds `$NAME`, which some targets would expand. */
export function hasBareDollar(value: string): boolean {
  return BARE_DOLLAR.test(value.replace(REF, ""));
}

/** Every variable a server needs at run time, e.g. for the hook to warn about unset secrets. */
export function serverVariables(server: McpServer): string[] {
  const values =
    server.transport === "stdio"
      ? [server.command, ...server.args, ...Object.values(server.env), ...(server.cwd === undefined ? [] : [server.cwd])]
      : [server.url, ...Object.values(server.headers)];
  return [...new Set(values.flatMap(refsIn))];
}
