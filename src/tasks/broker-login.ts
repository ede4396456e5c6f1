/**
 * A task's login check under auth mode `broker` (issue 22): the agent's container holds only placeholders,
 * so there is no login file to look for. What matters is whether the broker holds a secret for one of the
 * agent's credentials: the host step writes a credential's placeholder into the container's
 * placeholders.env exactly when the host variable was set as the container came up (never the secret).
 */
import { readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { brokerOf, type AgentRecord } from "../catalogue/agents.js";
import { BROKER_HOST_DIR } from "../egress/layout.js";

/** The variables the broker holds a secret for, for the container with this egress id (from the host's files). */
export function brokeredVariables(egressId: string | undefined, home: string = process.env.HOME || homedir()): string[] {
  if (!egressId || !/^[a-z0-9]+$/.test(egressId)) return [];
  try {
    const text = readFileSync(join(home, BROKER_HOST_DIR, egressId, "placeholders.env"), "utf8");
    return text.split("\n").flatMap((line) => (/^[A-Za-z_][A-Za-z0-9_]*=/.test(line) ? [line.slice(0, line.indexOf("="))] : []));
  } catch {
    return [];
  }
}

/** The placeholder logins the host step staged for the container (a subscription login the broker keeps), by staged name. */
export function brokeredLogins(egressId: string | undefined, home: string = process.env.HOME || homedir()): string[] {
  if (!egressId || !/^[a-z0-9]+$/.test(egressId)) return [];
  try {
    return readdirSync(join(home, BROKER_HOST_DIR, egressId, "login")).filter((name) => !name.startsWith("."));
  } catch {
    return [];
  }
}

/** Why the agent cannot work under the broker, in one line, or undefined when the broker holds one of its secrets or its login. */
export function brokerLoginProblem(record: AgentRecord, held: readonly string[], logins: readonly string[] = []): string | undefined {
  const broker = brokerOf(record);
  const credentials = broker?.credentials ?? [];
  if (credentials.some((credential) => held.includes(credential.env))) return undefined;
  if (broker?.login && logins.includes(broker.login.staged)) return undefined;
  const sources = [...new Set(credentials.flatMap((credential) => credential.from.filter((name) => !name.startsWith("@"))))];
  return `${record.title} has no key in the broker: set ${sources.join(" or ")} on this host before the container comes up (the broker reads it then), launch it again, then run the task again`;
}
