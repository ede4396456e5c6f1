import { describe, expect, it } from "vitest";
import { agent, agentEnvironment, allAgents, configDir, GITHUB_CLI } from "../../../src/catalogue/agents.js";
import { authVolumeName, hostStagingSource, locationVariables, resolveLoginPath, stagedDir } from "../../../src/auth/locations.js";

const HOME = "/home/me";

function hostPaths(id: Parameters<typeof agent>[0], env: Record<string, string> = {}): string[] {
  return agent(id).hostLogin.map((file) => resolveLoginPath(file, env, HOME));
}

describe("resolveLoginPath on the host (shared/reference/agents.md)", () => {
  it("finds each agent's login files at their default places under $HOME", () => {
    expect(hostPaths("claude")).toEqual(["/home/me/.claude/.credentials.json", "/home/me/.claude.json"]);
    expect(hostPaths("codex")).toEqual(["/home/me/.codex/auth.json"]);
    expect(hostPaths("copilot")).toEqual(["/home/me/.copilot/config.json"]);
    expect(hostPaths("gemini")).toEqual(["/home/me/.gemini/oauth_creds.json"]);
  });

  it("follows each relocation variable, and with CLAUDE_CONFIG_DIR finds .claude.json inside it", () => {
    expect(hostPaths("claude", { CLAUDE_CONFIG_DIR: "/cfg/claude/" })).toEqual(["/cfg/claude/.credentials.json", "/cfg/claude/.claude.json"]);
    expect(hostPaths("codex", { CODEX_HOME: "/cfg/codex" })).toEqual(["/cfg/codex/auth.json"]);
    expect(hostPaths("copilot", { COPILOT_HOME: "/cfg/copilot" })).toEqual(["/cfg/copilot/config.json"]);
    expect(hostPaths("gemini", { GEMINI_CLI_HOME: "/cfg/g" })).toEqual(["/cfg/g/.gemini/oauth_creds.json"]);
  });

  it("reads gh's hosts.yml from GH_CONFIG_DIR, then XDG_CONFIG_HOME/gh, then ~/.config/gh", () => {
    const [file] = GITHUB_CLI.hostLogin;

    expect(resolveLoginPath(file!, { GH_CONFIG_DIR: "/gh", XDG_CONFIG_HOME: "/xdg" }, HOME)).toBe("/gh/hosts.yml");
    expect(resolveLoginPath(file!, { XDG_CONFIG_HOME: "/xdg" }, HOME)).toBe("/xdg/gh/hosts.yml");
    expect(resolveLoginPath(file!, {}, HOME)).toBe("/home/me/.config/gh/hosts.yml");
  });

  it("treats a variable set to the empty string as unset", () => {
    expect(hostPaths("codex", { CODEX_HOME: "" })).toEqual(["/home/me/.codex/auth.json"]);
  });

  it("lists every relocation variable a probe must read", () => {
    expect(locationVariables([...allAgents(), GITHUB_CLI].flatMap((source) => source.hostLogin)).sort()).toEqual([
      "CLAUDE_CONFIG_DIR",
      "CODEX_HOME",
      "COPILOT_HOME",
      "GEMINI_CLI_HOME",
      "GH_CONFIG_DIR",
      "XDG_CONFIG_HOME",
    ]);
  });
});

describe("resolveLoginPath in the container", () => {
  it.each(allAgents().map((record) => [record.id, record] as const))(
    "puts %s's login files inside its private config dir, where the relocated agent reads them",
    (_id, record) => {
      const paths = record.hostLogin.map((file) => resolveLoginPath(file, agentEnvironment(record), "/home/agent"));

      for (const path of paths) expect(path.startsWith(`${configDir(record)}/`)).toBe(true);
      // The files the hook reports as a stored login are among the ones copied in.
      for (const name of record.credentialFiles) expect(paths).toContain(`${configDir(record)}/${name}`);
    },
  );

  it("puts Claude's account part in $CLAUDE_CONFIG_DIR/.claude.json and Gemini's login under .gemini/", () => {
    expect(agent("claude").hostLogin.map((file) => resolveLoginPath(file, agentEnvironment(agent("claude")), "/home/agent"))).toEqual([
      "/var/lib/agent-devcontainer/claude/.credentials.json",
      "/var/lib/agent-devcontainer/claude/.claude.json",
    ]);
    expect(resolveLoginPath(agent("gemini").hostLogin[0]!, agentEnvironment(agent("gemini")), "/home/agent")).toBe(
      "/var/lib/agent-devcontainer/gemini/.gemini/oauth_creds.json",
    );
  });
});

describe("staging and volume names", () => {
  it("stages each agent under the host user's state dir and mounts it under /run", () => {
    expect(hostStagingSource("codex")).toBe("${localEnv:HOME}/.local/state/create-agent-devcontainer/auth/codex");
    expect(stagedDir("codex")).toBe("/run/agent-devcontainer/host-login/codex");
  });

  it("gives each agent its own login volume", () => {
    expect(new Set(allAgents().map((record) => authVolumeName(record.id))).size).toBe(allAgents().length);
    expect(authVolumeName("gemini")).toBe("agent-devcontainer-auth-gemini");
  });
});
