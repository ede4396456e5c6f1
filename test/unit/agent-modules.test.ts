/**
 * An agent is one module (src/agents/<id>.ts) listed in one registry (src/catalogue/agents.ts): nothing
 * else in src/ may branch on an agent's id, and everything generated from the registry must agree with it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { AGENT_IDS, agent, allAgents } from "../../src/catalogue/agents.js";
import { packagePath } from "../../src/paths.js";
import { AGENT_ID_PATTERN } from "../../src/workspace/layout.js";
import { agentBranches } from "../support/agent-branches.js";

const SRC = packagePath("src");
/** The agent modules themselves, and files rendered from them. */
const EXEMPT = ["src/agents/", "src/generated/"];
/** Modules in src/agents/ that are not agents. */
const SHARED_MODULES = ["record.ts", "json-mcp.ts", "derived.ts", "github-cli.ts"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((entry) => entry.endsWith(".ts"))
    .map((entry) => join(dir, entry));
}

describe("agent modules", () => {
  it("the scan finds each kind of branch on an agent id, and not a mere mention", () => {
    const ids = ["codex"];
    expect(agentBranches(`if (id === "codex") x();`, ids)).toHaveLength(1);
    expect(agentBranches(`  case 'codex': {`, ids)).toHaveLength(1);
    expect(agentBranches(`return "codex" === target ? a : b;`, ids)).toHaveLength(1);
    expect(agentBranches(`const f = target == "codex" ? a : b;`, ids)).toHaveLength(1);
    expect(agentBranches(`if (ids.includes("codex")) x();`, ids)).toHaveLength(1);
    expect(agentBranches(`const PINS = {\n  codex: "0.1.0",\n};`, ids)).toHaveLength(1);
    expect(agentBranches(`serversFor("codex", servers)`, ids)).toEqual([]);
    expect(agentBranches(`// unlike codex === other agents`, ids)).toEqual([]);
  });

  it("nothing outside src/agents/ branches on an agent id", () => {
    const offenders = sourceFiles(SRC)
      .map((path) => relative(packagePath(), path))
      .filter((path) => !EXEMPT.some((prefix) => path.startsWith(prefix)))
      .flatMap((path) => agentBranches(readFileSync(packagePath(path), "utf8"), AGENT_IDS).map((line) => `${path}:${line}`));
    expect(offenders).toEqual([]);
  });

  it("every module in src/agents/ is in the registry, under its own file name", () => {
    const modules = readdirSync(packagePath("src", "agents"))
      .filter((file) => file.endsWith(".ts") && !SHARED_MODULES.includes(file))
      .map((file) => file.slice(0, -3))
      .sort();
    expect(modules).toEqual([...AGENT_IDS].sort());
    for (const id of AGENT_IDS) expect(agent(id).id).toBe(id);
  });

  it("every agent id has the shape the workspace hook accepts without the registry", () => {
    for (const id of AGENT_IDS) expect(id).toMatch(AGENT_ID_PATTERN);
    for (const bad of ["", "../x", "Claude", "a b", "x/y"]) expect(bad).not.toMatch(AGENT_ID_PATTERN);
  });

  it("the schemas list exactly the registry's agents", () => {
    const scaffold = JSON.parse(readFileSync(packagePath("schemas", "scaffold-options.schema.json"), "utf8"));
    expect(scaffold.properties.agents.items.enum).toEqual([...AGENT_IDS]);
    expect(Object.keys(scaffold.properties.auth.properties)).toEqual([...AGENT_IDS]);
    const mcp = JSON.parse(readFileSync(packagePath("schemas", "mcp.schema.json"), "utf8"));
    expect(mcp.definitions.server.properties.agents.items.enum).toEqual([...AGENT_IDS, "vscode"]);
  });

  it("each agent has its generated Feature, Feature test, image and Template, and its facts page", () => {
    const dirs = (path: string) => readdirSync(packagePath(path), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(dirs("features/src").sort()).toEqual([...AGENT_IDS, "mcp", "workspace"].sort());
    expect(dirs("features/test").sort()).toEqual([...AGENT_IDS, "mcp", "workspace"].sort());
    expect(dirs("images").sort()).toEqual([...AGENT_IDS, "agents", "base"].sort());
    expect(dirs("templates/src").sort()).toEqual([...AGENT_IDS, "all"].sort());
    for (const record of allAgents()) {
      expect(existsSync(packagePath("docs", "agents", `${record.id}.md`)), `docs/agents/${record.id}.md`).toBe(true);
      expect(readFileSync(packagePath("docs", "agents.md"), "utf8")).toContain(`| \`${record.id}\` |`);
      expect(record.headless.find((word) => word !== "env" && !/^[A-Z_]+=/.test(word))).toBe(record.binary); // after an optional `env NAME=value…`
    }
  });
});
