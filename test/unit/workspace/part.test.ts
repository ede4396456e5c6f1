/** The workspace part of devcontainer.json: scaffolded (variables), launched (host paths), bind (nothing). */
import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import { renderAgentConfig } from "../../../src/render/devcontainer-json.js";
import { SCAFFOLD_HOST_DIR } from "../../../src/host/scripts.js";
import { mountSpec, workspacePart } from "../../../src/render/parts/workspace.js";
import { featureIdsFor } from "../../../src/render/scaffold.js";
import { devContainerSchemaErrors } from "../../support/official-schemas.js";
import { localOptions } from "../../support/options.js";

const options = localOptions({ agents: ["claude"] });

const launchHost = { gitDir: "/home/me/my repo,v2/.git", volumeSuffix: "claude-app", inputDir: "/state/claude-app/input", hostDir: "/state/claude-app", loginDir: "/state/auth" };

describe("workspacePart", () => {
  it("scaffolded: clone and outbox volumes per container, the repo's .git seen read-only through its sanitised view, nothing writable", () => {
    const part = workspacePart(agent("claude"), options);
    expect(part.workspaceMount).toBe("");
    expect(part.workspaceFolder).toBe("/workspace");
    expect(part.containerEnv).toEqual({ AGENT_DEVCONTAINER_AGENT: "claude" });
    expect(part.features).toEqual({ "../features/workspace": {} });
    expect(part.mounts).toEqual([
      "type=volume,source=agent-workspace-${devcontainerId},target=/workspace,volume-label=io.github.create-agent-devcontainer.workspace=claude",
      "type=volume,source=agent-outbox-${devcontainerId},target=/var/lib/agent-devcontainer/outbox.git,volume-label=io.github.create-agent-devcontainer.workspace=claude",
      `type=bind,"source=${SCAFFOLD_HOST_DIR}/git-view",target=/mnt/host-repo.git,readonly`,
      'type=bind,"source=${localWorkspaceFolder}/.git/objects",target=/mnt/host-repo.git/objects,readonly',
      'type=bind,"source=${localWorkspaceFolder}/.git/refs",target=/mnt/host-repo.git/refs,readonly',
    ]);
    expect(part.initializeCommand).toEqual({ workspace: ["/bin/sh", ".devcontainer/host/workspace.sh", SCAFFOLD_HOST_DIR] });
  });

  it("launched: absolute host paths (quoted where Docker's CSV needs it), read-only launch inputs, no host command", () => {
    const part = workspacePart(agent("codex"), options, launchHost);
    expect(part.mounts).toEqual([
      "type=volume,source=agent-workspace-claude-app,target=/workspace,volume-label=io.github.create-agent-devcontainer.workspace=codex",
      "type=volume,source=agent-outbox-claude-app,target=/var/lib/agent-devcontainer/outbox.git,volume-label=io.github.create-agent-devcontainer.workspace=codex",
      "type=bind,source=/state/claude-app/git-view,target=/mnt/host-repo.git,readonly",
      'type=bind,"source=/home/me/my repo,v2/.git/objects",target=/mnt/host-repo.git/objects,readonly',
      'type=bind,"source=/home/me/my repo,v2/.git/refs",target=/mnt/host-repo.git/refs,readonly',
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
