/**
 * What `rm` says when a workspace still holds work it would delete: the exact commands that keep it, for
 * the state it found, run inside through `shell` (commit, then push; or only push). `rm` imports what was
 * pushed before it removes anything, so after them a plain `rm` loses nothing.
 */
import type { WorkspaceStatus } from "../workspace/status.js";

const PROGRAM = "create-agent-devcontainer";

/**
 * The refusal and its fix, for a workspace with uncommitted files or unpushed commits. `disposableLocal`:
 * a git-URL launch, whose `local` remote goes with the container, so only `origin` keeps the work.
 * `shell`: how a command runs in it (a scaffolded config's container has no `shell`: `docker exec` then).
 */
export function keepWorkRefusal(
  name: string,
  status: Pick<WorkspaceStatus, "branch" | "uncommitted" | "unpushed">,
  disposableLocal = false,
  shell = `${PROGRAM} shell ${name} --`,
): { message: string; hint: string } {
  const push = disposableLocal ? `${shell} git push origin HEAD` : `${shell} git push`;
  const commit = `${shell} sh -c 'git add -A && git commit -m "Work in progress"'`;
  const message = `${name} has ${status.uncommitted} uncommitted file(s) and ${status.unpushed} unpushed commit(s) on ${status.branch}`;
  const keep = status.uncommitted > 0 ? `${commit} && ${push}` : push;
  return { message, hint: `keep them: ${keep}; or pass --force to delete them` };
}
