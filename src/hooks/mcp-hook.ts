/**
 * In-container entry point of the mcp Feature, bundled as hooks/hook.js and run by the Feature's
 * postCreateCommand and postStartCommand as the remote user, in the workspace folder:
 * `hook.js mcp <phase>`. Running at every start is what makes an edited source take effect on restart.
 */
import { HOOKS_ROOT } from "../agents/derived.js";
import {
  FEATURE_OPTIONS_PATH,
  LAUNCH_SPEC_PATH,
  LAUNCHER_PATH,
  SECRETS_STAGING_PATH,
  SOURCE_ENV,
} from "../mcp/container.js";
import { renderMcpConfigs } from "./mcp-render.js";

const PHASES = ["post-create", "post-start"] as const;

function main(argv: string[]): number {
  const [feature = "", phase = ""] = argv;
  if (feature !== "mcp" || !(PHASES as readonly string[]).includes(phase)) {
    process.stderr.write(`usage: hook.js mcp <${PHASES.join("|")}> (got "${feature}" "${phase}")\n`);
    return 2;
  }
  return renderMcpConfigs(`mcp ${phase}`, {
    workspace: process.cwd(),
    env: process.env,
    optionsFile: FEATURE_OPTIONS_PATH,
    sourceEnv: SOURCE_ENV,
    secretsFile: SECRETS_STAGING_PATH,
    launchSpecFile: LAUNCH_SPEC_PATH,
    launcher: LAUNCHER_PATH,
    agentsRoot: HOOKS_ROOT,
  });
}

process.exitCode = main(process.argv.slice(2));
