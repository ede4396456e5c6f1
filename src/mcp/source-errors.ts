/**
 * Turns Ajv's errors on an MCP source into one line per problem: the path to the value and what is
 * expected. The generic wording comes from formatErrors; the cases a user actually hits (neither or
 * both of command/url, an unsafe name, a malformed ${VAR}) get messages that say how to fix them.
 */
import type { ErrorObject } from "ajv";
import { formatErrors } from "../schema/validate.js";

const SAFE_NAME = "letters, digits, _ and -, starting with a letter or digit";

export function describeSourceErrors(errors: readonly ErrorObject[], data: unknown): string[] {
  // A server with neither command nor url also trips "args needs command": the first message says it all.
  const incomplete = new Set(errors.filter((error) => error.schemaPath === "#/else/required").map((error) => error.instancePath));
  const lines: string[] = [];
  for (const error of errors) {
    if (error.keyword === "dependencies" && incomplete.has(error.instancePath)) continue;
    const line = describe(error, data);
    if (line !== undefined && !lines.includes(line)) lines.push(line);
  }
  return lines;
}

/** undefined drops an error that only restates another one (if/then wrappers, propertyNames' inner pattern). */
function describe(error: ErrorObject, data: unknown): string | undefined {
  const where = path(error.instancePath);
  const { schemaPath, keyword, params } = error;
  if (keyword === "if") return undefined;
  // The if/then/else checks only mean something on a table; a non-table already gets "must be object".
  const onServer = schemaPath === "#/then/not" || schemaPath === "#/else/required";
  if (onServer && !isTable(valueAt(data, error.instancePath))) return undefined;
  if (keyword === "additionalProperties" && error.instancePath === "") {
    return `${String(params.additionalProperty)}: unknown top-level key; an MCP source holds only [mcp_servers.<name>] tables`;
  }
  if (schemaPath.endsWith("/propertyNames/pattern")) return undefined;
  if (keyword === "propertyNames") {
    const name = JSON.stringify(String(params.propertyName));
    if (where === "mcp_servers") return `${where}: server name ${name} is not a safe identifier (${SAFE_NAME})`;
    if (where.endsWith(".env")) return `${where}: ${name} is not a valid environment variable name`;
    return `${where}: ${name} is not a valid header name`;
  }
  if (schemaPath === "#/else/required") return `${where}: needs either command (a local server) or url (a remote server)`;
  if (schemaPath === "#/then/not") {
    return `${where}: has both command and url; a server is either local (command) or remote (url)`;
  }
  if (schemaPath === "#/then/properties/type/enum") {
    return `${where}: must be "http" or "sse" for a server with url${got(data, error)}`;
  }
  if (schemaPath === "#/else/properties/type/const") {
    return `${where}: must be "stdio" for a server with command${got(data, error)}`;
  }
  if (keyword === "dependencies") {
    const kind = params.deps === "url" ? "remote servers (url)" : "local servers (command)";
    return `${where}.${String(params.property)}: only allowed on ${kind}`;
  }
  if (schemaPath.startsWith("#/definitions/templated")) {
    return `${where}: malformed variable reference; write \${NAME} with NAME made of letters, digits and _${got(data, error)}`;
  }
  if (schemaPath === "#/properties/url/pattern") return `${where}: must start with http:// or https://${got(data, error)}`;
  return formatErrors([error], data)[0];
}

function isTable(value: unknown): boolean {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function got(data: unknown, error: ErrorObject): string {
  const value = valueAt(data, error.instancePath);
  return value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
}

/** JSON pointer → `mcp_servers.github.args[0]`, the way a user would write it in TOML. */
function path(pointer: string): string {
  if (!pointer) return "(top level)";
  return parts(pointer).reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

function valueAt(data: unknown, pointer: string): unknown {
  let value = data;
  for (const part of parts(pointer)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function parts(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}
