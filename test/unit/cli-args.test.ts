/** Command definitions: parsing, defaults and --help come from one table per command. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defineCommand, parseCommand, renderHelp, type CommandSpec } from "../../src/cli/args.js";
import { DOCTOR } from "../../src/cli/doctor-command.js";
import { EGRESS } from "../../src/cli/egress-command.js";
import { CODE, SHELL } from "../../src/cli/launch-attach.js";
import { LAUNCH } from "../../src/cli/launch-command.js";
import { LIST, LOGS, RM, START, STOP } from "../../src/cli/launch-manage.js";
import { MCP } from "../../src/cli/mcp-command.js";
import type { Prompter } from "../../src/cli/prompts.js";
import { scaffold, SCAFFOLD } from "../../src/cli/scaffold-command.js";
import { SYNC } from "../../src/cli/sync-command.js";
import { DIFF, TASK, WAIT } from "../../src/cli/task-command.js";
import { UserError } from "../../src/errors.js";
import { DEFAULT_BASE_IMAGE } from "../../src/scaffold-defaults.js";
import { tempDir } from "../support/temp-dir.js";

const DEFINITIONS: Record<string, CommandSpec> = { SCAFFOLD, LAUNCH, LIST, STOP, START, RM, LOGS, SYNC, SHELL, CODE, DOCTOR, EGRESS, MCP, TASK, WAIT, DIFF };

const demo = defineCommand({
  usage: "demo <x> [options]",
  description: "A demo.",
  flags: {
    name: { type: "string", arg: "n", help: "a name", default: "anon" },
    from: { type: "string", arg: "v", help: "from the environment", env: "DEMO_FROM", unset: "nowhere" },
    tag: { type: "string", multiple: true, arg: "t", help: "tags" },
    quiet: { type: "boolean", short: "q", help: "say less" },
  },
});

describe("parseCommand", () => {
  it("fills defaults and tells which flags were given", () => {
    const parsed = parseCommand(demo, ["x", "--tag", "a", "-q", "--tag", "b"], {});
    expect(parsed.values).toEqual({ name: "anon", from: undefined, tag: ["a", "b"], quiet: true });
    expect([...parsed.given].sort()).toEqual(["quiet", "tag"]);
    expect(parsed.positionals).toEqual(["x"]);
  });

  it("takes a flag left out from its environment variable, which counts as given; an empty one does not", () => {
    expect(parseCommand(demo, [], { DEMO_FROM: "env" }).values.from).toBe("env");
    expect(parseCommand(demo, [], { DEMO_FROM: "env" }).given.has("from")).toBe(true);
    expect(parseCommand(demo, ["--from", "flag"], { DEMO_FROM: "env" }).values.from).toBe("flag");
    expect(parseCommand(demo, [], { DEMO_FROM: "" }).given.has("from")).toBe(false);
  });

  it("turns a bad flag into a one-line user error pointing at the command's help", () => {
    expect(() => parseCommand(demo, ["--nope"], {})).toThrow(UserError);
    expect(() => parseCommand(demo, ["--nope"], {})).toThrow(expect.objectContaining({ hint: "see demo --help" }));
    expect(() => parseCommand(SCAFFOLD, ["--nope"], {})).toThrow(expect.objectContaining({ hint: "see --help" }));
  });

  it("names the closest flag for a typo, in one line of our own (not parseArgs' text)", () => {
    const line = (argv: string[]) => {
      try {
        parseCommand(LAUNCH, argv, {});
      } catch (error) {
        const user = error as UserError;
        return `${user.message}${user.hint ? ` (${user.hint})` : ""}`;
      }
      return "parsed";
    };
    expect(line(["repo", "--agnet", "claude"])).toBe("unknown flag --agnet; did you mean --agent?");
    expect(line(["repo", "--brnach=x"])).toBe("unknown flag --brnach; did you mean --branch?");
    expect(line(["repo", "--carry"])).toBe("unknown flag --carry; did you mean --carry-changes?");
    expect(line(["repo", "--zzzzzz"])).toBe("unknown flag --zzzzzz (see launch --help)");
    expect(line(["repo", "--agent"])).toBe("--agent needs a value (see launch --help)");
    expect(line(["repo", "--json=yes"])).toBe("--json takes no value (see launch --help)");
  });
});

describe("--help", () => {
  it("shows each flag with its argument, short form, default and environment variable", () => {
    const help = renderHelp(demo);
    expect(help).toContain("Usage: create-agent-devcontainer demo <x> [options]\n\nA demo.\n\nOptions:\n");
    expect(help).toMatch(/^ {2}--name <n> +a name \(default: anon\)$/m);
    expect(help).toMatch(/^ {2}--from <v> +from the environment \(default: \$DEMO_FROM, else nowhere\)$/m);
    expect(help).toMatch(/^ {2}-q, --quiet +say less$/m);
  });

  it.for(Object.keys(DEFINITIONS))("of %s lists every flag its parser takes, within 104 columns", (name) => {
    const spec = DEFINITIONS[name]!;
    const help = renderHelp(spec);
    for (const [flag, definition] of Object.entries(spec.flags)) {
      expect(help).toMatch(new RegExp(`^ {2}(-${definition.short}, )?--${flag}[ \\n]`, "m"));
    }
    for (const line of help.split("\n")) expect(line.length).toBeLessThanOrEqual(104);
  });
});

describe("the scaffolder's prompts", () => {
  const never: Prompter = {
    multiselect: () => Promise.reject(new Error("asked")),
    select: () => Promise.reject(new Error("asked")),
    text: () => Promise.reject(new Error("asked")),
  };

  it.for<[string[], RegExp]>([
    [["--prebuilt", "--user", "dev"], /--prebuilt images run as agent; --user dev conflicts/],
    [["--local-features", "--ghcr-features"], /--local-features and --ghcr-features conflict/],
  ])("refuse conflicting flags %j before asking anything", async ([flags, message], { onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    await expect(scaffold(parseCommand(SCAFFOLD, [dir, ...flags], {}), never)).rejects.toThrow(message);
  });

  it("ask only for what the flags left out, with the flag's default as the answer offered", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const asked: string[] = [];
    const prompter: Prompter = {
      multiselect: (message) => Promise.reject(new Error(`not expected: ${message}`)),
      select: (message, _choices, initial) => (asked.push(`${message} [${initial}]`), Promise.resolve(initial)),
      text: (message, initial) => (asked.push(`${message} [${initial}]`), Promise.resolve(initial)),
    };
    const result = await scaffold(parseCommand(SCAFFOLD, [dir, "--agent", "codex", "--dry-run"], {}), prompter);
    expect(asked).toEqual([`Base image [${DEFAULT_BASE_IMAGE}]`, "Where should the configs get the agent Features from? [local]"]);
    expect(result.configs).toEqual([".devcontainer/codex/devcontainer.json"]);
  });
});

describe("--agent-env", () => {
  it("gives each agent only its own gateway variables in the scaffolded config, and admits the base URL's host", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const flags = ["--agent", "claude", "--agent", "qwen", "--yes", "--agent-env", "ANTHROPIC_BASE_URL=http://gw.example.com:4000", "--agent-env", "OPENAI_MODEL=m1"];
    await scaffold(parseCommand(SCAFFOLD, [dir, ...flags], {}), undefined);
    const config = (agent: string) => readFileSync(join(dir, ".devcontainer", agent, "devcontainer.json"), "utf8");
    expect(config("claude")).toContain('"ANTHROPIC_BASE_URL": "http://gw.example.com:4000"');
    expect(config("claude")).toContain('"gw.example.com:4000"');
    expect(config("claude")).not.toContain("OPENAI_MODEL");
    expect(config("qwen")).toContain('"OPENAI_MODEL": "m1"');
    expect(config("qwen")).not.toContain("gw.example.com");
  });

  it("refuses a variable no chosen agent takes, before writing anything", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    await expect(scaffold(parseCommand(SCAFFOLD, [dir, "--agent", "opencode", "--yes", "--agent-env", "OPENAI_BASE_URL=http://x"], {}), undefined)).rejects.toThrow(
      /--agent-env: OPENAI_BASE_URL is not a gateway variable of opencode; opencode: OpenCode takes a custom endpoint from its config/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("--limits, --enforcer-limits and --allow-preset", () => {
  it("write the limits into runArgs and the enforcer's host step, each value given replacing its default", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const flags = ["--agent", "codex", "--yes", "--limits", "memory=8G,cpus=1.5", "--enforcer-limits", "pids=256", "--allow-preset", "storage"];
    await scaffold(parseCommand(SCAFFOLD, [dir, ...flags], {}), undefined);
    const config = readFileSync(join(dir, ".devcontainer", "codex", "devcontainer.json"), "utf8");
    expect(config).toMatch(/"--pids-limit=1024",\s*"--memory=8g",\s*"--cpus=1.5"/);
    expect(config).toMatch(/"--limits",\s*"256,256m,1"/);
    expect(config).toContain('"storage.googleapis.com"');
    expect(config).not.toContain("deb.debian.org");
  });

  it("refuse a bad value, naming the flag and the value, before writing anything", async ({ onTestFinished }) => {
    const dir = tempDir(onTestFinished);
    const refused = (...flags: string[]) => scaffold(parseCommand(SCAFFOLD, [dir, "--agent", "codex", "--yes", ...flags], {}), undefined);
    await expect(refused("--limits", "memory=4x")).rejects.toThrow(/--limits: "memory=4x": memory is a whole number with k, m or g/);
    await expect(refused("--limits", "pids=8")).rejects.toThrow(/--limits: "pids=8": pids is a whole number from 32 up/);
    await expect(refused("--enforcer-limits", "cpus=two")).rejects.toThrow(/--enforcer-limits: "cpus=two": cpus is a number/);
    await expect(refused("--limits", "disk=1g")).rejects.toThrow(/--limits: "disk=1g": unknown limit "disk"/);
    await expect(refused("--allow-preset", "everything")).rejects.toThrow(/--allow-preset: unknown preset "everything"/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
