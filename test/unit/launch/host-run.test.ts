import { describe, expect, it } from "vitest";
import { POLICY_FILE } from "../../../src/egress/policy-file.js";
import { hostRunNotice, hostRunPaths, isHostRun, HOST_RUN_WARNING } from "../../../src/launch/host-run.js";
import { DEFAULT_MCP_SOURCE, LEGACY_MCP_SOURCE } from "../../../src/mcp/locate.js";

describe("isHostRun", () => {
  it.for([
    ".devcontainer/devcontainer.json",
    ".devcontainer/claude/devcontainer.json",
    ".devcontainer/local-features/x/install.sh",
    POLICY_FILE,
    DEFAULT_MCP_SOURCE,
    LEGACY_MCP_SOURCE,
    ".devcontainer.json",
    ".github/workflows/ci.yml",
    ".github/workflows/nested/x.yaml",
    ".vscode/tasks.json",
    ".vscode/launch.json",
    ".vscode/settings.json",
    ".gitattributes",
    "src/deep/.gitattributes",
    ".gitmodules",
    ".husky/pre-commit",
    ".husky/_/husky.sh",
    ".githooks/pre-push",
    ".github/actions/setup/action.yml",
    ".gitlab-ci.yml",
    ".circleci/config.yml",
    "Jenkinsfile",
    ".pre-commit-config.yaml",
    "lefthook.yml",
    ".lefthook.yaml",
  ])("counts %s", (path) => {
    expect(isHostRun(path)).toBe(true);
  });

  it.for([".DevContainer/devcontainer.json", ".GITHUB/Workflows/ci.yml", ".VSCode/Tasks.json", ".GitAttributes"])("ignores case as macOS and Windows do: %s", (path) => {
    expect(isHostRun(path)).toBe(true);
  });

  it.for([".devcontainer", ".github", ".github/workflows", ".github/actions", ".circleci", ".vscode", ".husky", ".githooks"])("counts %s itself: a symlink or file where the folder would be", (path) => {
    expect(isHostRun(path)).toBe(true);
  });

  it.for([
    "src/app.ts",
    "README.md",
    ".github/dependabot.yml",
    ".github/ISSUE_TEMPLATE/bug.md",
    ".vscode/extensions.json",
    "docs/.devcontainer/devcontainer.json",
    "sub/.gitmodules",
    "sub/config.toml",
    "sub/.github/workflows/ci.yml",
    ".devcontainerx/a",
    ".husky-not/x",
    "package.json",
    "sub/.gitlab-ci.yml",
    ".github/actions-not/x",
    "\u001b]52;c;aGk=\u0007.txt",
  ])("leaves %j alone", (path) => {
    expect(isHostRun(path)).toBe(false);
  });
});

describe("hostRunPaths and hostRunNotice", () => {
  it("keep the host-run paths in order and name them, git-quoted, with the one line on why", () => {
    const paths = hostRunPaths(["src/a.ts", ".devcontainer/devcontainer.json", ".husky/\u001b]0;x\u0007", ".gitattributes"]);
    expect(paths).toEqual([".devcontainer/devcontainer.json", ".husky/\u001b]0;x\u0007", ".gitattributes"]);
    expect(hostRunNotice(paths)).toBe(`warning: the branch changes .devcontainer/devcontainer.json, ".husky/\\033]0;x\\a", .gitattributes: ${HOST_RUN_WARNING}`);
    expect(hostRunNotice([])).toBe("");
  });
});
