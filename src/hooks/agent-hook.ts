/**
 * In-container entry point of an agent Feature, run by its postCreateCommand / postStartCommand as the remote
 * user: `hook.js <agent> <phase>`. Each Feature bundles it with its own agent's record only (see
 * scripts/generate-features.ts), so a change to one agent changes that agent's Feature alone.
 */
import type { AgentRecord } from "../agents/record.js";
import { prepareConfigDir, reportAgent } from "./agent-state.js";
import { copyStagedLogins, seedGateway, seedLogin, storeTokenLogin } from "./agent-login.js";
import { brokerBundle } from "../egress/layout.js";
import { writeBrokerBundle } from "./broker-ca.js";
import { log, runSteps } from "../hook-steps.js";

const PHASES = ["post-create", "post-start"] as const;

export function runAgentHook(record: AgentRecord, argv: string[]): number {
  const [id = "", phase = ""] = argv;
  if (id !== record.id || !(PHASES as readonly string[]).includes(phase)) {
    process.stderr.write(`usage: hook.js ${record.id} <${PHASES.join("|")}> (got "${id}" "${phase}")\n`);
    return 2;
  }
  let dir = "";
  return runSteps(`${id} ${phase}`, [
    { name: "config-dir", run: () => void (dir = prepareConfigDir(record)) },
    // Before any login step: a token login (Codex's) already talks to the API through the broker.
    {
      name: "broker-ca",
      run: () => {
        const done = writeBrokerBundle(brokerBundle(record));
        if (done) log(`${id}: ${done}`);
      },
    },
    // A login that cannot be put in place leaves the agent logged out; it never stops the container.
    {
      name: "credentials",
      run: () => {
        const { copied, skipped } = copyStagedLogins(record);
        for (const line of copied) log(`${id}: copied the host's login: ${line}`);
        for (const line of skipped) log(`(!) ${id}: not copied: ${line}`);
        for (const store of [storeTokenLogin, seedLogin, seedGateway]) {
          try {
            const done = store(record, dir);
            if (done) log(`${id}: ${done}`);
          } catch (error) {
            log(`(!) ${id}: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      },
    },
    {
      name: "report",
      run: () => {
        const report = reportAgent(record, dir);
        log(`${report.agent}: ${report.version}; config ${report.configDir} (0700); ${report.login}`);
      },
    },
  ]);
}
