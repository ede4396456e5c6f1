/** Once per run, before any file: the CLI bundle the tests run (cli.ts), built from the sources as they are now. */
import { buildCli } from "../../scripts/build-cli.js";

export default async function setup(): Promise<void> {
  await buildCli();
}
