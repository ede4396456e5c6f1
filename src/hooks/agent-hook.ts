/**
 * In-container entry point, bundled into each agent Feature as hooks/hook.js and run by the Feature's
 * postCreateCommand / postStartCommand as the remote user: `hook.js <agent> <phase>`.
 */
import { agent, isAgentId } from "../catalogue/agents.js";
import { prepareConfigDir, reportAgent } from "./agent-state.js";
import { copyStagedLogins, seedGateway, seedLogin, storeTokenLogin } from "./agent-login.js";
import { brokerBundle } from "../egress/layout.js";
import { writeBrokerBundle } from "./broker-ca.js";
import { log, runSteps } from "../hook-steps.js";

const PHASES = ["post-create", "post-start"] as const;

function main(argv: string[]): number {
  const [id = "", phase = ""] = argv;
  if (!isAgentId(id) || !(PHASES as readonly string[]).includes(phase)) {
    process.stderr.write(`usage: hook.js <agent> <${PHASES.join("|")}> (got "${id}" "${phase}")\n`);
    return 2;
  }
  const record = agent(id);
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

process.exitCode = main(process.argv.slice(2));
