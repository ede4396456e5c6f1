/**
 * Validators for the official Dev Containers JSON Schemas, read from ../shared/schemas (never copied into
 * this tree). Where that folder is missing the suite fails loudly instead of passing without checking.
 */
import { existsSync, readFileSync } from "node:fs";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv, type ErrorObject } from "ajv";
import { packagePath } from "../../src/paths.js";

export const OFFICIAL_SCHEMA_DIR = process.env.DEVCONTAINER_SCHEMA_DIR ?? packagePath("..", "shared", "schemas");

function load(file: string): object {
  const path = `${OFFICIAL_SCHEMA_DIR}/${file}`;
  if (!existsSync(path)) {
    throw new Error(
      `official schema ${path} is missing: set DEVCONTAINER_SCHEMA_DIR to a checkout of devcontainers/spec's schemas/ folder. ` +
        "Schema checks cannot pass without it.",
    );
  }
  return JSON.parse(readFileSync(path, "utf8")) as object;
}

let devContainer: ((data: unknown) => readonly ErrorObject[]) | undefined;
let feature: ((data: unknown) => readonly ErrorObject[]) | undefined;

/** Problems found validating against devContainer.base.schema.json (2019-09, needs strict: false). */
export function devContainerSchemaErrors(config: unknown): readonly ErrorObject[] {
  if (!devContainer) {
    const validate = new Ajv2019({ strict: false, allErrors: true }).compile(load("devContainer.base.schema.json"));
    devContainer = (data) => (validate(data) ? [] : (validate.errors ?? []));
  }
  return devContainer(config);
}

/** Problems found validating against devContainerFeature.schema.json (draft-07). */
export function featureSchemaErrors(metadata: unknown): readonly ErrorObject[] {
  if (!feature) {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(load("devContainerFeature.schema.json"));
    feature = (data) => (validate(data) ? [] : (validate.errors ?? []));
  }
  return feature(metadata);
}

/** Parses devcontainer.json text: JSONC with only whole-line `//` comments, which is all we emit. */
export function parseJsonc(text: string): unknown {
  return JSON.parse(text.replace(/^\s*\/\/.*$/gm, ""));
}
