/**
 * Renders the agent lists inside schemas/*.schema.json from the registry (src/catalogue/agents.ts): the
 * `agents` enums and the per-agent `auth` properties. Everything else in a schema is edited by hand; the
 * generator only replaces these values and writes the file back in the one JSON layout (2-space indent).
 */
import { AGENT_IDS } from "../src/catalogue/agents.js";
import { renderJson, type Tree } from "../src/core/tree.js";
import { loadSchema } from "../src/schema/validate.js";

type Json = Record<string, unknown>;

function at(schema: Json, path: readonly string[]): Json {
  return path.reduce((node, key) => {
    const next = node[key];
    if (next === null || typeof next !== "object") throw new Error(`schema has no ${path.join(".")}`);
    return next as Json;
  }, schema);
}

/** Each schema with its agent lists filled in from the registry. */
export function agentSchemas(): Map<string, object> {
  const scaffold = loadSchema("scaffold-options") as Json;
  at(scaffold, ["properties", "agents", "items"]).enum = [...AGENT_IDS];
  at(scaffold, ["properties", "auth"]).properties = Object.fromEntries(AGENT_IDS.map((id) => [id, { $ref: "#/definitions/authMode" }]));
  const mcp = loadSchema("mcp") as Json;
  // VS Code's own MCP client is a target too, though not an agent.
  at(mcp, ["definitions", "server", "properties", "agents", "items"]).enum = [...AGENT_IDS, "vscode"];
  return new Map<string, object>([
    ["scaffold-options", scaffold],
    ["mcp", mcp],
  ]);
}

export function renderSchemas(schemas: ReadonlyMap<string, object>): Tree {
  return new Map([...schemas].map(([name, schema]) => [`schemas/${name}.schema.json`, { content: renderJson(schema) }]));
}
