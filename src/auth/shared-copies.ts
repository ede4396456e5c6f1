/**
 * `copy` of a login whose refresh tokens are single-use (Claude Code's, Codex's): each running container
 * holds its own copy of the host's login, and the first refresh anywhere logs out the others and the host.
 * One line per such agent once two or more running containers hold a copy, naming `broker` (one refresher on
 * the host, placeholders inside). `launch`, `list` and `doctor` print it.
 */
import { agent, AGENT_IDS, type AgentId } from "../catalogue/agents.js";
import type { EngineContainer } from "../engine/containers.js";
import { authLabel } from "./modes.js";

/** `launching`: agents a launch is starting in copy mode, counted with the running containers read before it. */
export function sharedCopyNotices(containers: readonly EngineContainer[], launching: readonly AgentId[] = []): string[] {
  return AGENT_IDS.flatMap((id) => {
    const record = agent(id);
    if (!record.singleUseRefresh) return [];
    const holders = containers.filter((container) => container.running && container.labels[authLabel(id)] === "copy").length + launching.filter((other) => other === id).length;
    if (holders < 2) return [];
    return [
      `${holders} running containers hold copies of ${record.title}'s login, whose refresh tokens are single-use: the first refresh logs out the others and this host; ` +
        `launch them with --auth ${id}=broker instead (one refresher on the host, no token inside)`,
    ];
  });
}
