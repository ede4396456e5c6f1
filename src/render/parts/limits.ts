/**
 * The agent container's resource limits, as `runArgs`, so plain `devcontainer up` and VS Code apply them
 * too (the enforcer's go to the egress host step, in parts/egress.ts). See src/limits/limits.ts.
 */
import type { AgentRecord } from "../../catalogue/agents.js";
import type { ScaffoldOptions } from "../../generated/scaffold-options.js";
import { limitArgs, resolveLimits } from "../../limits/limits.js";
import type { ConfigPart } from "../parts.js";

export function limitsPart(_record: AgentRecord, options: ScaffoldOptions): ConfigPart {
  const args = limitArgs(resolveLimits(options, "agent"));
  return args.length > 0 ? { runArgs: args } : {};
}
