/**
 * STAND-IN for the background-tasks branch (issue 13), which runs an agent headless in its container.
 * Until it lands, starting a task is refused in one line. Replaced at merge.
 */
import { LaunchError } from "../launch/errors.js";
import type { Found } from "../launch/manage.js";
import type { TaskStatus } from "./status.js";

export async function startTask(found: Found, prompt: string): Promise<TaskStatus> {
  throw new LaunchError(`cannot start a task in ${found.name} (${prompt.length} characters of prompt): background tasks are not in this build`);
}
