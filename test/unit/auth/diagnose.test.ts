/** `doctor`'s judgement on fixed host facts: no real home, Docker or keychain involved. */
import { describe, expect, it } from "vitest";
import { allAgents, type AgentId } from "../../../src/catalogue/agents.js";
import type { AuthMode } from "../../../src/generated/scaffold-options.js";
import { diagnose, type HostFacts, type LoginDiagnosis } from "../../../src/auth/diagnose.js";

const HOME = "/home/me";

function facts(overrides: Partial<HostFacts> = {}): HostFacts {
  return {
    platform: "linux",
    wsl: false,
    home: HOME,
    locationEnv: {},
    tokens: [],
    files: {},
    keychain: [],
    volumes: [],
    docker: { found: true, version: "27.0.1" },
    devcontainerCli: { found: true, version: "0.89.0" },
    secretsFile: { path: `${HOME}/.config/agent-devcontainer/mcp-secrets.env`, exists: true, private: true },
    ...overrides,
  };
}

const present = { exists: true, holdsLogin: true };

function one(id: AgentId, mode: AuthMode, hostFacts: HostFacts): LoginDiagnosis {
  return diagnose({ [id]: mode }, hostFacts).agents[0]!;
}

describe("diagnose: copy", () => {
  it("is ready when the login file exists, naming what it copies", () => {
    const result = one("gemini", "copy", facts({ files: { [`${HOME}/.gemini/oauth_creds.json`]: present } }));

    expect(result).toMatchObject({ status: "ready", found: ["~/.gemini/oauth_creds.json"], warnings: [] });
  });

  it.each(["claude", "codex"] as const)("warns that %s's copied refresh token diverges from the host's, naming the alternatives", (id) => {
    const path = id === "claude" ? `${HOME}/.claude/.credentials.json` : `${HOME}/.codex/auth.json`;

    const result = one(id, "copy", facts({ files: { [path]: present } }));

    expect(result.status).toBe("ready");
    expect(result.warnings.join(" ")).toMatch(/single-use/);
    expect(result.warnings.join(" ")).toContain(`--auth ${id}=token`);
    expect(result.warnings.join(" ")).toContain(`--auth ${id}=volume`);
  });

  it.each(allAgents().filter((record) => record.hostLogin.length === 0).map((record) => record.id))(
    "says %s keeps no login file to copy, and points at token auth",
    (id) => {
      const result = one(id, "copy", facts());

      expect(result).toMatchObject({ status: "not-logged-in", found: [], summary: "no login file to copy: the container starts logged out" });
      expect(result.fix).toContain(`--auth ${id}=token`);
    },
  );

  it("reports an agent with no login on the host as not logged in, with the host login and the token switch as fixes", () => {
    const result = one("codex", "copy", facts());

    expect(result.status).toBe("not-logged-in");
    expect(result.summary).toContain("~/.codex/auth.json");
    expect(result.fix).toBe("run `codex login` on this host; or export OPENAI_API_KEY=<an OpenAI API key>, then choose token auth: --auth codex=token");
  });

  it("looks where the relocation variable points", () => {
    const result = one("claude", "copy", facts({ locationEnv: { CLAUDE_CONFIG_DIR: "/cfg" }, files: { "/cfg/.credentials.json": present } }));

    expect(result.found).toEqual(["/cfg/.credentials.json"]);
  });

  it("counts Claude's account part alone as a login only when it holds a Console API key", () => {
    const accountOnly = { [`${HOME}/.claude.json`]: { exists: true, holdsLogin: false } };
    const withKey = { [`${HOME}/.claude.json`]: { exists: true, holdsLogin: true } };

    expect(one("claude", "copy", facts({ files: accountOnly })).status).toBe("not-logged-in");
    expect(one("claude", "copy", facts({ files: withKey })).status).toBe("ready");
  });

  it("does not count a Copilot config.json without a stored token as a login", () => {
    const result = one("copilot", "copy", facts({ files: { [`${HOME}/.copilot/config.json`]: { exists: true, holdsLogin: false } } }));

    expect(result.status).toBe("not-logged-in");
    expect(result.found).toEqual(["~/.copilot/config.json"]);
  });

  it("on macOS, explains that a Keychain login cannot be copied and gives the token commands", () => {
    const result = one("claude", "copy", facts({ platform: "darwin", keychain: ["Claude Code-credentials"] }));

    expect(result.status).toBe("not-logged-in");
    expect(result.summary).toContain('macOS Keychain ("Claude Code-credentials")');
    expect(result.found).toContain('Keychain item "Claude Code-credentials"');
    expect(result.fix).toBe("run `claude setup-token` on this host and export CLAUDE_CODE_OAUTH_TOKEN=<the token it prints>, then choose token auth: --auth claude=token");
  });

  it("on WSL, finds a login in the Windows profile", () => {
    const result = one("codex", "copy", facts({ wsl: true, windowsHome: "/mnt/c/Users/me", files: { "/mnt/c/Users/me/.codex/auth.json": present } }));

    expect(result).toMatchObject({ status: "ready", found: ["/mnt/c/Users/me/.codex/auth.json"] });
  });
});

describe("diagnose: token", () => {
  it("is ready when one of the agent's token variables is set, naming it but holding no value", () => {
    const result = one("claude", "token", facts({ tokens: ["CLAUDE_CODE_OAUTH_TOKEN"] }));

    expect(result).toMatchObject({ status: "ready", found: ["$CLAUDE_CODE_OAUTH_TOKEN"] });
    expect(result.warnings.join(" ")).toContain("VS Code");
  });

  it("says Codex's key is stored by its own login inside the container", () => {
    expect(one("codex", "token", facts({ tokens: ["OPENAI_API_KEY"] })).summary).toContain("own login stores it");
  });

  it("reports no token as not logged in, with the export to run", () => {
    const result = one("gemini", "token", facts({ tokens: ["OPENAI_API_KEY"] }));

    expect(result.status).toBe("not-logged-in");
    expect(result.fix).toBe("export GEMINI_API_KEY=<a key from Google AI Studio> in the shell that runs devcontainer or VS Code");
  });
});

describe("diagnose: volume", () => {
  it("reports a missing volume as not logged in, with the command to log in inside", () => {
    const result = one("codex", "volume", facts());

    expect(result.status).toBe("not-logged-in");
    expect(result.fix).toBe(
      "start the container, then log in once inside: npx @devcontainers/cli exec --workspace-folder . --config .devcontainer/codex/devcontainer.json codex",
    );
  });

  it("reports an existing volume as holding a login it cannot see into", () => {
    expect(one("codex", "volume", facts({ volumes: ["agent-devcontainer-auth-codex"] }))).toMatchObject({
      status: "unknown",
      found: ["volume agent-devcontainer-auth-codex"],
    });
  });

  it("says it cannot tell when Docker could not be asked", () => {
    const { volumes: _, ...noDocker } = facts();

    expect(one("codex", "volume", noDocker).status).toBe("unknown");
  });
});

describe("diagnose: the host", () => {
  it("checks gh once per auth mode in use", () => {
    const report = diagnose({ claude: "copy", codex: "token", gemini: "copy" }, facts({ tokens: ["GH_TOKEN"] }));

    expect(report.github.map((entry) => [entry.mode, entry.status])).toEqual([
      ["copy", "not-logged-in"],
      ["token", "ready"],
    ]);
  });

  it("is not ok without Docker or the devcontainer CLI, and says how to install them", () => {
    const report = diagnose({ claude: "copy" }, facts({ docker: { found: false, detail: "docker is not on PATH" }, devcontainerCli: { found: false } }));

    expect(report.ok).toBe(false);
    expect(report.docker).toMatchObject({ ok: false, detail: "docker is not on PATH" });
    expect(report.devcontainerCli.fix).toBe("npm install -g @devcontainers/cli");
  });

  it("flags a secrets file other users can read, and accepts a missing one", () => {
    const shared = diagnose({}, facts({ secretsFile: { path: `${HOME}/s.env`, exists: true, private: false } })).secretsFile;
    const missing = diagnose({}, facts({ secretsFile: { path: `${HOME}/s.env`, exists: false, private: false } })).secretsFile;

    expect(shared).toMatchObject({ ok: false, fix: "chmod 600 ~/s.env" });
    expect(missing.ok).toBe(true);
  });

  it("documents the Windows-native limitation of copy auth", () => {
    expect(diagnose({ claude: "copy" }, facts({ platform: "win32" })).notes.join(" ")).toMatch(/WSL 2.*--auth token/);
  });
});

describe("diagnose: broker", () => {
  it("is ready when a host variable the broker reads is set, naming it (never a value)", () => {
    const result = one("copilot", "broker", facts({ tokens: ["GH_TOKEN"] }));
    expect(result).toMatchObject({ mode: "broker", status: "ready", found: ["$GH_TOKEN"] });
    expect(result.summary).toContain("the egress enforcer holds $GH_TOKEN");
  });

  it("says the broker holds nothing when no variable is set, with the token how-to", () => {
    const result = one("gemini", "broker", facts());
    expect(result).toMatchObject({ status: "not-logged-in", summary: "the broker holds no credential: none of $GEMINI_API_KEY is set here" });
    expect(result.fix).toContain("GEMINI_API_KEY");
  });

  it("without a key, is ready on a subscription login it keeps on the host, naming the file", () => {
    const present = { exists: true, holdsLogin: true };
    const result = one("gemini", "broker", facts({ files: { [`${HOME}/.gemini/oauth_creds.json`]: present } }));
    expect(result).toMatchObject({ status: "ready", found: ["~/.gemini/oauth_creds.json"] });
    expect(result.summary).toContain("the broker keeps the login in ~/.gemini/oauth_creds.json on this host");
    expect(one("codex", "broker", facts({ files: { [`${HOME}/.codex/auth.json`]: present } })).status).toBe("ready");
    // A key takes precedence, as in the host step.
    expect(one("gemini", "broker", facts({ tokens: ["GEMINI_API_KEY"], files: { [`${HOME}/.gemini/oauth_creds.json`]: present } })).found).toEqual(["$GEMINI_API_KEY"]);
  });
});
