/** What `launch` writes into its state folder: one config, the vendored Features, nothing the user owns. */
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { renderLaunchTree } from "../../../src/launch/render.js";
import type { DevContainerConfig } from "../../../src/model/devcontainer.js";
import type { Tree } from "../../../src/core/tree.js";
import { devContainerSchemaErrors, parseJsonc } from "../../support/official-schemas.js";
import { localOptions } from "../../support/options.js";

const options = localOptions({
  workspace: "clone",
  mcpSource: ".devcontainer/mcp.toml",
});

const host = { gitDir: "/repos/app/.git", volumeSuffix: "codex-app-x", inputDir: "/state/codex-app-x/input", hostDir: "/state/codex-app-x", loginDir: "/state/auth" };
const launch = { name: "codex-app-x", branch: "codex/x", stateDir: "/state/codex-app-x" };
const stub = (id: string): Tree => new Map([["devcontainer-feature.json", { content: `{"id":"${id}"}\n` }]]);
const features = new Map(["codex", "workspace", "mcp"].map((id) => [id, stub(id)]));

describe("renderLaunchTree", () => {
  const tree = renderLaunchTree(agent("codex"), options, host, launch, features);
  const config = parseJsonc(tree.get(".devcontainer/codex/devcontainer.json")!.content) as DevContainerConfig;

  it("holds the config, the host scripts it runs and the vendored Features only (no MCP starter: the repository keeps its own)", () => {
    expect([...tree.keys()].sort()).toEqual([
      ".devcontainer/codex/devcontainer.json",
      ".devcontainer/features/codex/devcontainer-feature.json",
      ".devcontainer/features/mcp/devcontainer-feature.json",
      ".devcontainer/features/workspace/devcontainer-feature.json",
      ".devcontainer/host/stage-login.sh",
    ]);
  });

  it("names the container and labels its branch and state folder", () => {
    expect(config.runArgs).toEqual(
      expect.arrayContaining([
        "--name=codex-app-x",
        "--label=io.github.create-agent-devcontainer.branch=codex/x",
        "--label=io.github.create-agent-devcontainer.state-dir=/state/codex-app-x",
        "--label=io.github.create-agent-devcontainer.agent=codex",
      ]),
    );
  });

  it("mounts the host git dir's view and its live objects and refs by absolute paths, and the launch inputs read-only", () => {
    expect(config.mounts).toEqual(
      expect.arrayContaining([
        "type=volume,source=agent-workspace-codex-app-x,target=/workspace,volume-label=io.github.create-agent-devcontainer.workspace=codex",
        "type=bind,source=/state/codex-app-x/git-view,target=/mnt/host-repo.git,readonly",
        "type=bind,source=/repos/app/.git/objects,target=/mnt/host-repo.git/objects,readonly",
        "type=bind,source=/repos/app/.git/refs,target=/mnt/host-repo.git/refs,readonly",
        "type=bind,source=/state/codex-app-x/input,target=/mnt/agent-devcontainer/launch,readonly",
      ]),
    );
    expect(JSON.stringify(config)).not.toContain("localWorkspaceFolder");
    expect(config.workspaceFolder).toBe("/workspace");
  });

  it("is valid against the official schema", () => {
    expect(devContainerSchemaErrors(config)).toEqual([]);
  });
});
