/** Entry point of a task's detached supervisor (see start.ts): `runner-main <state root> <name> <task id>`. */
import { runTask } from "./runner.js";

const [stateRoot, name, id] = process.argv.slice(2);
if (!stateRoot || !name || !id) {
  process.stderr.write("usage: runner-main <state root> <name> <task id>\n");
  process.exitCode = 2;
} else {
  await runTask(stateRoot, name, Number(id));
}
