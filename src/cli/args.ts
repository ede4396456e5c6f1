/**
 * A command's flags as one typed table: node:util parseArgs parses from it, defaults and environment
 * fallbacks are applied from it, and `--help` is rendered from it, so a flag is written once. (citty's
 * defineCommand does the same; this is the few dozen lines of it we need, with no dependency.)
 */
import { parseArgs } from "node:util";
import { UserError } from "../errors.js";

interface FlagBase {
  short?: string;
  /** One or more sentences for --help (wrapped there); the default is appended. */
  help: string;
  /** The ScaffoldOptions field the flag sets, so a schema problem with it names the flag. */
  option?: string;
}

export interface StringFlag extends FlagBase {
  type: "string";
  /** The value's name in --help: `--agent <name>`. */
  arg: string;
  default?: string;
  /** Read when the flag is absent (an empty variable counts as unset); before the default. */
  env?: string;
  /** What happens without a value, for --help, when there is no `default`. */
  unset?: string;
  multiple?: false;
}

export interface ListFlag extends FlagBase {
  type: "string";
  arg: string;
  multiple: true;
  default?: readonly string[];
}

export interface BooleanFlag extends FlagBase {
  type: "boolean";
}

export type FlagSpec = StringFlag | ListFlag | BooleanFlag;
export type Flags = Record<string, FlagSpec>;

export interface CommandSpec<F extends Flags = Flags> {
  /** What follows the program's name: `launch <local-path|git-url> --agent <name> [options]`. */
  usage: string;
  /** Paragraphs after the usage line. */
  description: string;
  flags: F;
  /** Sections printed after the options, e.g. ["Examples", "  npx …"]. */
  sections?: readonly (readonly [title: string, body: string])[];
}

type ValueOf<S extends FlagSpec> = S extends ListFlag
  ? string[]
  : S extends BooleanFlag
    ? boolean
    : S extends { default: string }
      ? string
      : string | undefined;

export type Values<F extends Flags> = { [K in keyof F]: ValueOf<F[K]> };

export interface Parsed<F extends Flags> {
  /** Every flag, with its default (booleans false, lists empty) when not given. */
  values: Values<F>;
  /** Flags the user set, on the command line or through their environment variable. */
  given: ReadonlySet<keyof F & string>;
  positionals: string[];
}

const PROGRAM = "create-agent-devcontainer";

/** Flags many commands take. */
export const JSON_FLAG = { type: "boolean", help: "print the result as JSON on stdout" } as const satisfies BooleanFlag;
export const HELP_FLAG = { type: "boolean", short: "h", help: "show this help" } as const satisfies BooleanFlag;

/** Typed identity: keeps the literal flag names and types for Values<F>. */
export function defineCommand<const F extends Flags>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

/** Strict parsing; a bad flag is the user's error (one line, pointing at --help), not a crash. */
export function parseCommand<F extends Flags>(spec: CommandSpec<F>, argv: string[], env: NodeJS.ProcessEnv = process.env): Parsed<F> {
  const options = Object.fromEntries(
    Object.entries(spec.flags).map(([name, flag]) => [
      name,
      { type: flag.type, ...(flag.type === "string" && flag.multiple ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) },
    ]),
  );
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw argumentError(error as Error & { code?: string }, spec);
  }
  const given = new Set<string>();
  const values: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    let value = parsed.values[name];
    if (value === undefined && flag.type === "string" && !flag.multiple && flag.env && env[flag.env]) value = env[flag.env];
    if (value !== undefined) given.add(name);
    values[name] = value ?? (flag.type === "boolean" ? false : flag.multiple ? [...(flag.default ?? [])] : flag.default);
  }
  return { values: values as Values<F>, given: given as Set<keyof F & string>, positionals: parsed.positionals };
}

/** parseArgs' errors in our own words, one line each: an unknown flag names the closest known one. */
function argumentError(error: Error & { code?: string }, spec: CommandSpec): UserError {
  const option = /^(?:Unknown option|Option) '(-[^' ]*)/.exec(error.message)?.[1];
  if (option && error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const closest = closestFlag(option.replace(/^-+/, ""), Object.keys(spec.flags));
    return closest ? new UserError(`unknown flag ${option}; did you mean --${closest}?`) : new UserError(`unknown flag ${option}`, helpHint(spec));
  }
  if (option && error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return new UserError(/argument missing/.test(error.message) ? `${option} needs a value` : `${option} takes no value`, helpHint(spec));
  }
  return new UserError(error.message.split(/\n|\. /)[0] ?? "bad arguments", helpHint(spec));
}

/** The known flag nearest to `name` (typos, swapped letters, or a prefix of it), when near enough to be a slip. */
export function closestFlag(name: string, flags: readonly string[]): string | undefined {
  const scored = flags.map((flag) => ({ flag, distance: flag.startsWith(name) && name.length >= 3 ? 1 : editDistance(name, flag) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.flag : undefined;
}

/** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment distance. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** "see launch --help", from the usage line. */
export function helpHint(spec: CommandSpec): string {
  const command = /^([a-z][a-z-]*)\b/.exec(spec.usage)?.[1];
  return `see ${command ? `${command} ` : ""}--help`;
}

const WIDTH = 104;
const COLUMN = 26;

/** `text`'s words wrapped to WIDTH after `label`, continuation lines indented to COLUMN. */
function wrap(text: string, label: string): string {
  const lines: string[] = [];
  let line = label.padEnd(COLUMN);
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = " ".repeat(COLUMN);
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}

function defaultText(flag: FlagSpec): string {
  if (flag.type === "boolean") return "";
  const value = flag.multiple ? flag.default?.join(", ") : (flag.default ?? flag.unset);
  const env = !flag.multiple && flag.env ? `$${flag.env}` : undefined;
  if (env) return ` (default: ${env}${value !== undefined ? `, else ${value}` : ""})`;
  return value !== undefined && value !== "" ? ` (default: ${value})` : "";
}

function flagLabel(name: string, flag: FlagSpec): string {
  const short = flag.short ? `-${flag.short}, ` : "";
  return `  ${short}--${name}${flag.type === "string" ? ` <${flag.arg}>` : ""}`;
}

/** One entry of a help list: the label, then the text from the second column (below a long label). */
export function helpLine(label: string, text: string): string {
  return label.length + 2 > COLUMN ? `${label}\n${wrap(text, "")}` : wrap(text, label);
}

export function renderHelp(spec: CommandSpec): string {
  const options = Object.entries(spec.flags).map(([name, flag]) => helpLine(flagLabel(name, flag), `${flag.help}${defaultText(flag)}`));
  const sections = (spec.sections ?? []).map(([title, body]) => `\n${title}:\n${body.replace(/\n$/, "")}\n`);
  return `Usage: ${PROGRAM} ${spec.usage}\n\n${spec.description.trim()}\n\nOptions:\n${options.join("\n")}\n${sections.join("")}`;
}

/** Parses `argv`; with --help (a flag of every command), prints the command's help instead and returns undefined. */
export function parseOrHelp<F extends Flags>(spec: CommandSpec<F>, argv: string[], env: NodeJS.ProcessEnv = process.env): Parsed<F> | undefined {
  const parsed = parseCommand(spec, argv, env);
  if ((parsed.values as Record<string, unknown>).help !== true) return parsed;
  process.stdout.write(renderHelp(spec));
  return undefined;
}
