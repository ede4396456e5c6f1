/** The workspace part of devcontainer.json: scaffolded (variables), launched (host paths), bind (nothing). */
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { DEFAULT_FEATURE_OWNER } from "../../../src/features/refs.js";
import type { ScaffoldOptions } from "../../../src/generated/scaffold-options.js";
import { renderAgentConfig } from "../../../src/render/devcontainer-json.js";
import { mountSpec, prepareHostCommand, workspacePart } from "../../../src/render/parts/workspace.js";
import { featureIdsFor } from "../../../src/render/scaffold.js";
import { devContainerSchemaErrors } from "../../support/official-schemas.js";

const options: ScaffoldOptions = {
  agents: ["claude"],
  baseImage: "debian:bookworm",
  user: "agent",
  featureSource: "local",
  featureOwner: DEFAULT_FEATURE_OWNER,
  repoName: "app",
};

const launchHost = { gitDir: "/home/me/my repo,v2/.git", volume: "agent-workspace-claude-app", inputDir: "/state/claude-app/input" };

describe("workspacePart", () => {
  it("scaffolded: the clone's volume per container, the repo's .git read-only with only push targets writable", () => {
    const part = workspacePart(agent("claude"), options);
    expect(part.workspaceMount).toBe("");
    expect(part.workspaceFolder).toBe("/workspace");
    expect(part.containerEnv).toEqual({ AGENT_DEVCONTAINER_AGENT: "claude" });
    expect(part.features).toEqual({ "../features/workspace": {} });
    expect(part.mounts).toEqual([
      "type=volume,source=agent-workspace-${devcontainerId},target=/workspace,volume-label=io.github.create-agent-devcontainer.workspace=claude",
      'type=bind,"source=${localWorkspaceFolder}/.git",target=/mnt/host-repo.git,readonly',
      'type=bind,"source=${localWorkspaceFolder}/.git/objects",target=/mnt/host-repo.git/objects',
      'type=bind,"source=${localWorkspaceFolder}/.git/refs/heads/claude",target=/mnt/host-repo.git/refs/heads/claude',
      'type=bind,"source=${localWorkspaceFolder}/.git/logs/refs/heads/claude",target=/mnt/host-repo.git/logs/refs/heads/claude',
    ]);
    expect(part.initializeCommand).toEqual({ workspace: prepareHostCommand(["objects", "refs/heads/claude", "logs/refs/heads/claude"]) });
  });

  it("launched: absolute host paths (quoted where Docker's CSV needs it), read-only launch inputs, no host command", () => {
    const part = workspacePart(agent("codex"), options, launchHost);
    expect(part.mounts).toEqual([
      "type=volume,source=agent-workspace-claude-app,target=/workspace,volume-label=io.github.create-agent-devcontainer.workspace=codex",
      'type=bind,"source=/home/me/my repo,v2/.git",target=/mnt/host-repo.git,readonly',
      'type=bind,"source=/home/me/my repo,v2/.git/objects",target=/mnt/host-repo.git/objects',
      'type=bind,"source=/home/me/my repo,v2/.git/refs/heads/codex",target=/mnt/host-repo.git/refs/heads/codex',
      'type=bind,"source=/home/me/my repo,v2/.git/logs/refs/heads/codex",target=/mnt/host-repo.git/logs/refs/heads/codex',
      "type=bind,source=/state/claude-app/input,target=/mnt/agent-devcontainer/launch,readonly",
    ]);
    expect(part.initializeCommand).toBeUndefined();
  });

  it("bind: adds nothing, and the workspace Feature is not vendored", () => {
    expect(workspacePart(agent("claude"), { ...options, workspace: "bind" })).toEqual({});
    expect(featureIdsFor({ ...options, workspace: "bind" })).toEqual(["claude"]);
    expect(featureIdsFor(options)).toEqual(["claude", "workspace"]);
  });

  it("passes the Node.js mirror to the workspace Feature", () => {
    const part = workspacePart(agent("claude"), { ...options, nodeMirror: "http://172.17.0.1:8080" });
    expect(part.features).toEqual({ "../features/workspace": { nodeMirror: "http://172.17.0.1:8080" } });
  });

  it.each([
    ["scaffolded", undefined],
    ["launched", launchHost],
  ])("a %s config is valid against the official schema", (_kind, host) => {
    expect(devContainerSchemaErrors(renderAgentConfig(agent("claude"), options, host))).toEqual([]);
  });
});

describe("mountSpec", () => {
  it("quotes a field with a comma or a quote the way Docker's CSV parser reads it", () => {
    expect(mountSpec({ type: "bind", source: '/a "b",c', target: "/t", readonly: true })).toBe('type=bind,"source=/a ""b"",c",target=/t,readonly');
  });

  it("leaves shell metacharacters alone: Docker gets the string as one argument, no shell", () => {
    expect(mountSpec({ type: "bind", source: "/tmp/$(x);`y`&z", target: "/t" })).toBe("type=bind,source=/tmp/$(x);`y`&z,target=/t");
  });
});

describe("prepareHostCommand", () => {
  it("refuses a checkout whose .git is not a folder, pointing at launch", () => {
    expect(prepareHostCommand(["objects"])).toMatch(/^if \[ ! -d \.git \]; then echo '[^']*launch \.' >&2; exit 1; fi; mkdir -p \.git\/objects$/);
  });
});
