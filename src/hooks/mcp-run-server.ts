/**
 * The launcher, bundled as hooks/run-server.js and installed as `run-server`: agents start a local MCP
 * server whose env needs variables as `run-server NAME -- COMMAND ARGS…` (see src/mcp/launcher.ts).
 * It reads the server's env templates from the launch spec and the secrets file at this moment, so the
 * values live only in the server's process environment, then replaces itself with COMMAND.
 */
import { LAUNCH_SPEC_PATH, SECRETS_STAGING_PATH } from "../mcp/container.js";
import { runLaunch } from "./mcp-launch.js";

process.exitCode = runLaunch(process.argv.slice(2), {
  specFile: LAUNCH_SPEC_PATH,
  secretsFile: SECRETS_STAGING_PATH,
  env: process.env,
});
