/**
 * Run-time validation of user input against the project's own JSON Schemas (schemas/*.schema.json),
 * with the validators Ajv compiled ahead of time (src/generated/validators.ts, `npm run generate`).
 */
import { readFileSync } from "node:fs";
import type { ErrorObject, ValidateFunction } from "ajv";
import * as validators from "../generated/validators.js";
import { packagePath } from "../paths.js";

export type SchemaName = "scaffold-options" | "mcp";

const VALIDATORS: Record<SchemaName, ValidateFunction> = {
  "scaffold-options": validators.scaffoldOptions as unknown as ValidateFunction,
  mcp: validators.mcp as unknown as ValidateFunction,
};

/** The schema itself, for tools that publish or compile it (the generator); validation needs no file. */
export function loadSchema(name: string): object {
  return JSON.parse(readFileSync(packagePath("schemas", `${name}.schema.json`), "utf8")) as object;
}

export function validator(name: SchemaName): ValidateFunction {
  return VALIDATORS[name];
}

/** One line per problem: where the value is, what is wrong, and the value itself. */
export function formatErrors(errors: readonly ErrorObject[], data: unknown): string[] {
  return errors.map((error) => {
    const where = error.instancePath ? pointerToPath(error.instancePath) : "(top level)";
    const got = valueAt(data, error.instancePath);
    let what = error.message ?? "is invalid";
    if (error.keyword === "enum") what = `must be one of ${(error.params.allowedValues as string[]).join(", ")}`;
    if (error.keyword === "additionalProperties") return `${where}: unknown field "${String(error.params.additionalProperty)}"`;
    if (error.keyword === "not") what = "is not allowed";
    if (error.keyword === "pattern") what = "has a form or characters that are not allowed";
    return got === undefined || !error.instancePath ? `${where}: ${what}` : `${where}: ${what} (got ${JSON.stringify(got)})`;
  });
}

export class SchemaError extends Error {
  constructor(
    readonly problems: string[],
    what: string,
  ) {
    super(`${what}:\n  ${problems.join("\n  ")}`);
  }
}

/** Validates `data` against schemas/<name>.schema.json, throwing every problem at once. */
export function assertValid<T>(name: SchemaName, data: unknown, what: string): asserts data is T {
  const validate = validator(name);
  if (!validate(data)) throw new SchemaError(formatErrors(validate.errors ?? [], data), what);
}

function pointerToPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const part of pointer.split("/").slice(1)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return value;
}
