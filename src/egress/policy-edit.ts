/**
 * Adding hosts to a repository's `.devcontainer/egress.toml` the way a person would (`egress suggest`
 * shows it as a diff, `egress allow --save` writes it): new entries go at the end of the `allow` list,
 * and every other byte of the file (the user's comments, entries, order, layout) stays. A TOML library
 * would rewrite the file without its comments, so the list's closing bracket is found by a scanner that
 * knows strings and comments, and the result is parsed again before anyone sees it.
 */
import { parse } from "smol-toml";
import { parsePolicyFile, POLICY_FILE, renderPolicyStarter } from "./policy-file.js";
import { formatRule, parseHostRule } from "./policy.js";

/** Where the top-level `allow = [ … ]` is: its `[`, its `]`, and just past its last value (or the `[`). */
function findAllow(text: string): { open: number; close: number; afterLast: number } | undefined {
  const key = /^[ \t]*allow[ \t]*=[ \t]*\[/m.exec(text);
  if (!key) return undefined;
  const open = key.index + key[0].length - 1;
  let afterLast = open + 1;
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === "#") {
      const end = text.indexOf("\n", i);
      i = end === -1 ? text.length : end;
    } else if (char === '"' || char === "'") {
      const quote = char;
      for (i++; i < text.length && text[i] !== quote; i++) if (quote === '"' && text[i] === "\\") i++;
      afterLast = i + 1;
    } else if (char === "[") depth++;
    else if (char === "]") {
      if (depth === 0) return { open, close: i, afterLast };
      depth--;
      afterLast = i + 1;
    } else if (char === ",") afterLast = i + 1;
    else if (!/\s/.test(char)) afterLast = i + 1;
  }
  return undefined;
}

/**
 * The policy file's text with `entries` (host, host:port or *.domain) added to `allow`; entries already
 * listed are skipped. `text` undefined: the starter, as the scaffolder writes it. Throws on a file that
 * does not parse (it is the user's to fix) or on an entry that is not a host rule.
 */
export function addToPolicy(text: string | undefined, entries: readonly string[]): string {
  const base = text ?? renderPolicyStarter();
  const current = parsePolicyFile(base);
  if (current.errors.length > 0) throw new Error(current.errors[0]);
  const listed = new Set(current.allow.map(formatRule));
  const added: string[] = [];
  for (const entry of entries) {
    const rule = parseHostRule(entry);
    if (typeof rule === "string") throw new Error(rule);
    const formatted = formatRule(rule);
    if (!listed.has(formatted) && !added.includes(formatted)) added.push(formatted);
  }
  if (added.length === 0) return base;
  const quoted = added.map((entry) => JSON.stringify(entry));
  const allow = findAllow(base);
  let next: string;
  if (!allow) {
    next = `${base}${base === "" || base.endsWith("\n") ? "" : "\n"}allow = [\n${quoted.map((entry) => `  ${entry},\n`).join("")}]\n`;
  } else {
    const inside = base.slice(allow.open + 1, allow.close);
    const lastIsValue = base[allow.afterLast - 1] !== "," && allow.afterLast > allow.open + 1;
    if (!inside.includes("\n")) {
      // One line: `allow = []` or `allow = ["a"]`.
      next = `${base.slice(0, allow.afterLast)}${lastIsValue ? ", " : ""}${quoted.join(", ")}${base.slice(allow.afterLast)}`;
    } else {
      // Over several lines: one entry a line, before the line that closes the list.
      const lineStart = base.lastIndexOf("\n", allow.close - 1) + 1;
      const closing = /^[ \t]*$/.test(base.slice(lineStart, allow.close)) ? lineStart : allow.close;
      const lines = quoted.map((entry) => `  ${entry},\n`).join("");
      const head = lastIsValue ? `${base.slice(0, allow.afterLast)},${base.slice(allow.afterLast, closing)}` : base.slice(0, closing);
      next = `${head}${closing === lineStart ? "" : "\n"}${lines}${base.slice(closing)}`;
    }
  }
  const check = parsePolicyFile(next);
  const now = new Set(check.allow.map(formatRule));
  if (check.errors.length > 0 || !added.every((entry) => now.has(entry))) throw new Error(`could not add ${added.join(", ")} to ${POLICY_FILE} by hand: ${check.errors[0] ?? "entries missing"}`);
  parse(next);
  return next;
}

/** A unified diff of two texts (a few hundred lines at most), as `git diff` shows one file; empty when equal. */
export function unifiedDiff(path: string, before: string | undefined, after: string, context = 3): string {
  const a = before === undefined || before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  // Longest common subsequence, then the edit script.
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { kind: " " | "-" | "+"; line: string; i: number; j: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: " ", line: a[i]!, i: i++, j: j++ });
    else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) ops.push({ kind: "+", line: b[j]!, i, j: j++ });
    else ops.push({ kind: "-", line: a[i]!, i: i++, j });
  }
  const changed = ops.flatMap((op, index) => (op.kind === " " ? [] : [index]));
  if (changed.length === 0) return "";
  const hunks: [number, number][] = [];
  for (const index of changed) {
    const last = hunks.at(-1);
    if (last && index - last[1] <= 2 * context) last[1] = index;
    else hunks.push([index, index]);
  }
  const out = [`--- ${before === undefined ? "/dev/null" : `a/${path}`}`, `+++ b/${path}`];
  for (const [first, last] of hunks) {
    const slice = ops.slice(Math.max(0, first - context), Math.min(ops.length, last + context + 1));
    const oldLines = slice.filter((op) => op.kind !== "+").length;
    const newLines = slice.filter((op) => op.kind !== "-").length;
    const oldStart = oldLines === 0 ? slice[0]!.i : slice[0]!.i + 1;
    const newStart = newLines === 0 ? slice[0]!.j : slice[0]!.j + 1;
    out.push(`@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`, ...slice.map((op) => `${op.kind}${op.line}`));
  }
  return `${out.join("\n")}\n`;
}
