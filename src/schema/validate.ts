/** Run-time validation of user input against the project's own JSON Schemas (schemas/*.schema.json). */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { packagePath } from "../paths.js";

const ajv = new Ajv({ allErrors: true, strict: true });
const compiled = new Map<string, ValidateFunction>();

export function loadSchema(name: string): object {
  return JSON.parse(readFileSync(packagePath("schemas", `${name}.schema.json`), "utf8")) as object;
}

function validator(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile(loadSchema(name));
    compiled.set(name, validate);
  }
  return validate;
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
export function assertValid<T>(name: string, data: unknown, what: string): asserts data is T {
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
