/**
 * Which files of an agent's branch run on the user's machine, or widen what the next container may do,
 * once the branch is checked out: its Dev Container configs (initializeCommand runs on the host at the
 * next `up`; egress.toml and mcp.toml under .devcontainer/ set the next container's network and secrets),
 * the MCP source a root config.toml can be, CI (GitHub's workflows and the actions they call, GitLab,
 * CircleCI, Jenkins), VS Code's tasks, launch configs and settings, git's attributes and submodules, and
 * git hook managers (their folders, pre-commit's and lefthook's configs). Importing such a branch stays the
 * user's decision: every place that shows a branch names these files with HOST_RUN_WARNING. Pure: paths in,
 * paths out, and the one line a person reads.
 *
 * What runs only when the user runs the project (package.json's scripts, a Makefile) is the project's code
 * like any source file, and is not named: a warning on every dependency change would teach people to skip it.
 *
 * Matching ignores case: on a case-insensitive file system (macOS, Windows) `.DevContainer/x` is
 * `.devcontainer/x`. A changed path that is a folder's own name (`.devcontainer`, `.github`) is a file,
 * symlink or submodule put where that folder would be, so it counts too.
 */
import { quotePath } from "../terminal.js";

/** The one line said with the names. */
export const HOST_RUN_WARNING =
  "these run on your machine (devcontainer up, your editor, git, CI) or widen the container's policy at the next `up`: review them before checking the branch out";

/** Folders whose every file counts. */
const FOLDERS = [".devcontainer", ".github/workflows", ".github/actions", ".circleci", ".husky", ".githooks"];
/** Single files, from the repository's root, in lower case (config.toml: the MCP source when it has [mcp_servers], see src/mcp/locate.ts). */
const ROOT_FILES = [
  ".devcontainer.json",
  ".vscode/tasks.json",
  ".vscode/launch.json",
  ".vscode/settings.json",
  ".gitmodules",
  "config.toml",
  ".gitlab-ci.yml",
  "jenkinsfile",
  ".pre-commit-config.yaml",
  ...["lefthook.yml", ".lefthook.yml", "lefthook.yaml", ".lefthook.yaml"],
];
/** Names that count in any folder: git reads every .gitattributes. */
const ANY_FOLDER = [".gitattributes"];

/** The folders above, and those on the way to them: a non-folder there (a symlink, say) replaces them. */
const FOLDER_NAMES = [...FOLDERS, ".github", ".vscode"];

/** Whether a path (relative to the repository's root, `/`-separated, as git lists it) runs on the host. */
export function isHostRun(path: string): boolean {
  const name = path.toLowerCase().replace(/^\.\//, "");
  if (FOLDER_NAMES.includes(name) || ROOT_FILES.includes(name)) return true;
  if (FOLDERS.some((folder) => name.startsWith(`${folder}/`))) return true;
  return ANY_FOLDER.includes(name.split("/").pop()!);
}

/** The host-run paths among these, in their order. */
export function hostRunPaths(paths: readonly string[]): string[] {
  return paths.filter(isHostRun);
}

/** "warning: the branch changes .devcontainer/devcontainer.json, …: these run on …"; "" when there are none. */
export function hostRunNotice(paths: readonly string[]): string {
  return paths.length === 0 ? "" : `warning: the branch changes ${paths.map(quotePath).join(", ")}: ${HOST_RUN_WARNING}`;
}
