/**
 * `KEY=value` files: the host's MCP secrets file and the Feature's baked options. Pure, and careful with
 * secrets: a problem names its line and, at most, the variable's name, never any value.
 *
 * Accepted per line: blank, `# comment`, `KEY=value` or `export KEY=value`. An unquoted value is the rest
 * of the line without surrounding blanks (a `#` inside it is kept: tokens may hold one); a value in double
 * quotes takes \n, \" and \\ escapes, one in single quotes is literal. A later line wins over an earlier one.
 */

export interface EnvFile {
  values: Record<string, string>;
  /** `line N: what is wrong` */
  problems: string[];
}

const LINE = /^\s*(?:export\s+)?([^=\s]*)\s*=\s*(.*?)\s*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseEnvFile(text: string): EnvFile {
  // No prototype: a line naming __proto__ is stored like any other instead of reaching Object.prototype.
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `line ${index + 1}`;
    const match = LINE.exec(line);
    if (!match) return void problems.push(`${where}: expected KEY=value`);
    const [, name = "", rawValue = ""] = match;
    if (!NAME.test(name)) return void problems.push(`${where}: not a variable name (letters, digits and _, not starting with a digit)`);
    const value = unquote(rawValue);
    if (value === undefined) return void problems.push(`${where}: ${name} has an unterminated quote`);
    values[name] = value;
  });
  return { values, problems };
}

function unquote(value: string): string | undefined {
  const quote = value[0];
  if (quote !== '"' && quote !== "'") return value;
  if (value.length < 2 || !value.endsWith(quote)) return undefined;
  const inner = value.slice(1, -1);
  if (quote === "'") return inner;
  return inner.replace(/\\(.)/g, (_match, ch: string) => (ch === "n" ? "\n" : ch));
}
