import { describe, expect, it } from "vitest";
import { agent, AGENT_IDS, allAgents, GITHUB_CLI, type AgentRecord } from "../../../src/catalogue/agents.js";
import type { AuthMode, ScaffoldOptions } from "../../../src/generated/scaffold-options.js";
import { authLabel, modesFromRunArgs } from "../../../src/auth/modes.js";
import { renderAgentConfig } from "../../../src/render/devcontainer-json.js";
import { authPart } from "../../../src/render/parts/auth.js";
import { devContainerSchemaErrors } from "../../support/official-schemas.js";

const base: ScaffoldOptions = {
  agents: [...AGENT_IDS],
  baseImage: "debian:trixie-slim",
  user: "agent",
  featureSource: "ghcr",
  featureOwner: "o",
  repoName: "r",
};

function withAuth(mode: AuthMode): ScaffoldOptions {
  return { ...base, auth: Object.fromEntries(AGENT_IDS.map((id) => [id, mode])) };
}

const records = allAgents().map((record) => [record.id, record] as [string, AgentRecord]);

describe.each(records)("authPart(%s)", (id, record) => {
  it.each(["copy", "token", "volume"] as const)("renders a schema-valid config in %s mode that records the mode as a label", (mode) => {
    const config = renderAgentConfig(record, withAuth(mode));

    expect(devContainerSchemaErrors(config)).toEqual([]);
    expect(config.runArgs).toContain(`--label=${authLabel(record.id)}=${mode}`);
    expect(modesFromRunArgs(config.runArgs ?? [])).toEqual({ [id]: mode });
  });

  it("defaults to copy when the options name no mode", () => {
    expect(modesFromRunArgs(authPart(record, base).runArgs ?? [])).toEqual({ [id]: "copy" });
  });

  it("copy: stages on the host before every up and mounts the staging folder read-only in the string form", () => {
    const part = authPart(record, withAuth("copy"));

    const staging = `\${localEnv:HOME}/.local/state/create-agent-devcontainer/auth/${id}`;
    expect(part.initializeCommand).toEqual({ [`stage-login-${id}`]: ["/bin/sh", ".devcontainer/host/stage-login.sh", id] });
    expect(part.mounts).toEqual([`type=bind,"source=${staging}",target=/run/agent-devcontainer/host-login/${id},readonly`]);
    expect(part.remoteEnv).toBeUndefined();
  });

  it("copy for launch: stages into launch's own state folder (XDG_STATE_HOME), the same the mount reads", () => {
    const host = { gitDir: "/r/.git", volumeSuffix: "x", inputDir: "/xdg/launch/x/input", hostDir: "/xdg/launch/x", loginDir: "/xdg/auth" };
    const part = authPart(record, withAuth("copy"), host);

    expect(part.initializeCommand).toEqual({ [`stage-login-${id}`]: ["/bin/sh", ".devcontainer/host/stage-login.sh", id, `/xdg/auth/${id}`] });
    expect(part.mounts).toEqual([`type=bind,source=/xdg/auth/${id},target=/run/agent-devcontainer/host-login/${id},readonly`]);
  });

  it("copy with upstream access: asks the host step for gh's login too", () => {
    const part = authPart(record, { ...withAuth("copy"), upstreamAccess: true });
    expect((part.initializeCommand as Record<string, string[]>)[`stage-login-${id}`]).toEqual(["/bin/sh", ".devcontainer/host/stage-login.sh", id, "--upstream-access"]);
  });

  it("copy: never bind-mounts a host config folder itself", () => {
    const mounts = (authPart(record, withAuth("copy")).mounts ?? []).map(String);

    for (const folder of [".claude", ".codex", ".copilot", ".gemini", ".config/gh"]) {
      expect(mounts.join("\n")).not.toContain(`/${folder}`);
    }
  });

  it("token: passes the agent's token variables from the host at exec time (gh's only with upstream access), and nothing else", () => {
    const part = authPart(record, withAuth("token"));
    const names = [...new Set([...record.tokenEnv, ...GITHUB_CLI.tokenEnv])];

    expect(part.remoteEnv).toEqual(Object.fromEntries(record.tokenEnv.map((name) => [name, `\${localEnv:${name}}`])));
    expect(authPart(record, { ...withAuth("token"), upstreamAccess: true }).remoteEnv).toEqual(Object.fromEntries(names.map((name) => [name, `\${localEnv:${name}}`])));
    expect(part.containerEnv).toBeUndefined();
    expect(part.mounts).toBeUndefined();
    expect(part.initializeCommand).toBeUndefined();
  });

  it("volume: mounts the agent's own named volume over its whole config root, and keeps gh's login there", () => {
    const part = authPart(record, withAuth("volume"));

    expect(part.mounts).toEqual([
      `type=volume,source=agent-devcontainer-auth-${id},target=/var/lib/agent-devcontainer/${id},volume-label=io.github.create-agent-devcontainer.agent=${id}`,
    ]);
    expect(part.containerEnv).toEqual({ GH_CONFIG_DIR: `/var/lib/agent-devcontainer/${id}/gh` });
    expect(part.initializeCommand).toBeUndefined();
  });
});

describe("authPart data", () => {
  it("tells Gemini to use a copied Google login, only in copy mode", () => {
    expect(authPart(agent("gemini"), withAuth("copy")).containerEnv).toEqual({ GOOGLE_GENAI_USE_GCA: "true" });
    expect(authPart(agent("gemini"), withAuth("token")).containerEnv).toBeUndefined();
    expect(authPart(agent("claude"), withAuth("copy")).containerEnv).toBeUndefined();
  });

  it("reads each agent's mode back from a config with several agents' labels", () => {
    const runArgs = [
      "--label=io.github.create-agent-devcontainer.agent=claude",
      `--label=${authLabel("claude")}=token`,
      `--label=${authLabel("gemini")}=volume`,
      `--label=${authLabel("codex")}=bogus`,
    ];

    expect(modesFromRunArgs(runArgs)).toEqual({ claude: "token", gemini: "volume" });
  });
});
