/**
 * The scaffolder's default agents: those whose login or key doctor finds on the host, else all seven, for
 * --yes and as the interactive prompt's pre-selection.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultAgents, foundLogins } from "../../src/auth/found-logins.js";
import type { LoginFacts } from "../../src/auth/diagnose.js";
import { AGENT_IDS, allAgents } from "../../src/catalogue/agents.js";
import { locationVariables } from "../../src/auth/locations.js";
import { parseCommand } from "../../src/cli/args.js";
import type { Prompter } from "../../src/cli/prompts.js";
import { scaffold, SCAFFOLD } from "../../src/cli/scaffold-command.js";
import { tempDir } from "../support/temp-dir.js";

const HOME = "/home/u";

function facts(overrides: Partial<LoginFacts>): LoginFacts {
  return { platform: "linux", wsl: false, home: HOME, locationEnv: {}, tokens: [], files: {}, keychain: [], ...overrides };
}

describe("the default agents", () => {
  it("are every agent, saying so, when no login or key is found", () => {
    expect(defaultAgents(facts({}), AGENT_IDS)).toEqual({ agents: [...AGENT_IDS], why: "agents: all 7 (no agent login or key found on this host; choose with --agent)" });
  });

  it("are those with a login file that holds a login, a token set or a Keychain item, with what was found", () => {
    const found = facts({
      files: {
        [`${HOME}/.claude/.credentials.json`]: { exists: true, holdsLogin: true },
        // A settings file without a login does not count.
        [`${HOME}/.gemini/oauth_creds.json`]: { exists: true, holdsLogin: false },
      },
      tokens: ["AMP_API_KEY"],
      platform: "darwin",
      keychain: ["Claude Code-credentials"],
    });
    expect(foundLogins(found).map(({ id }) => id)).toEqual(["claude", "amp"]);
    expect(defaultAgents(found, AGENT_IDS).why).toBe(
      'agents: claude, amp (their logins or keys are on this host: claude ~/.claude/.credentials.json, Keychain item "Claude Code-credentials"; amp $AMP_API_KEY; choose with --agent)',
    );
  });
});

describe("the interactive prompt", () => {
  // This process's environment, minus anything that would name a login: a token in the runner's
  // environment (GH_TOKEN in CI) must not change what the test expects.
  const names = ["HOME", ...allAgents().flatMap((record) => [...record.tokenEnv, ...locationVariables(record.hostLogin)])];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("pre-selects the agents with a login on this host", async ({ onTestFinished }) => {
    const home = tempDir(onTestFinished);
    mkdirSync(join(home, ".claude"));
    writeFileSync(join(home, ".claude", ".credentials.json"), '{"claudeAiOauth":{"accessToken":"x"}}\n');
    for (const name of names) delete process.env[name];
    process.env.HOME = home;
    let preselected: string[] = [];
    const prompter: Prompter = {
      multiselect: (_message, _choices, initial) => ((preselected = [...initial]), Promise.resolve(initial)),
      select: (_message, _choices, initial) => Promise.resolve(initial),
      text: (_message, initial) => Promise.resolve(initial),
    };
    const result = await scaffold(parseCommand(SCAFFOLD, [tempDir(onTestFinished), "--dry-run"], {}), prompter);
    expect(preselected).toEqual(["claude"]);
    expect(result.configs).toEqual([".devcontainer/claude/devcontainer.json"]);
    expect(result.agentsChosen).toBeUndefined();
  });
});
