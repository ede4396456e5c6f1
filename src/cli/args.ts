import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** Strict parsing with positionals; a bad flag is the user's error (one line plus `hint`), not a crash. */
export function parseCommandLine<const O extends Options>(argv: string[], options: O, hint: string): Parsed<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError((error as Error).message.split("\n")[0] ?? "bad arguments", hint);
  }
}
