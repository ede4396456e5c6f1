import { describe, expect, it } from "vitest";
import { McpMergeError, mergeJsonMcp } from "../../../src/mcp/merge.js";

const servers = { github: { type: "stdio", command: "npx", env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" } } };

/** Fails the test unless merging throws McpMergeError; returns its message. */
function mergeError(existing: string): string {
  try {
    mergeJsonMcp(existing, "mcpServers", servers);
  } catch (error) {
    expect(error).toBeInstanceOf(McpMergeError);
    return (error as Error).message;
  }
  throw new Error("expected the merge to fail");
}

describe("mergeJsonMcp", () => {
  it("writes a fresh file when there is none", () => {
    expect(mergeJsonMcp(undefined, "mcpServers", servers)).toBe(`${JSON.stringify({ mcpServers: servers }, null, 2)}\n`);
    expect(JSON.parse(mergeJsonMcp("  \n", "mcpServers", servers))).toEqual({ mcpServers: servers });
  });

  it("replaces mcpServers wholesale and keeps every other byte of Claude's account state", () => {
    const before = `{
  "numStartups": 12,
  "hasCompletedOnboarding": true,
  "mcpServers": {
    "stale": { "command": "old" }
  },
  "oauthAccount": {"accountUuid": "u-1", "emailAddress": "me@example.com"},
  "projects": { "/workspace": { "allowedTools": [] } }
}
`;
    const after = mergeJsonMcp(before, "mcpServers", servers);
    const head = `{
  "numStartups": 12,
  "hasCompletedOnboarding": true,
  "mcpServers": `;
    const tail = `,
  "oauthAccount": {"accountUuid": "u-1", "emailAddress": "me@example.com"},
  "projects": { "/workspace": { "allowedTools": [] } }
}
`;
    expect(after.startsWith(head)).toBe(true);
    expect(after.endsWith(tail)).toBe(true);
    expect(JSON.parse(after.slice(head.length, after.length - tail.length))).toEqual(servers);
    expect(Object.keys(JSON.parse(after) as object)).toEqual(["numStartups", "hasCompletedOnboarding", "mcpServers", "oauthAccount", "projects"]);
  });

  it("indents the new value like the file, one level deeper than its key", () => {
    const after = mergeJsonMcp(`{\n\t"theme": "dark",\n\t"mcpServers": {}\n}\n`, "mcpServers", { a: { command: "x" } });
    expect(after).toBe(`{\n\t"theme": "dark",\n\t"mcpServers": {\n\t\t"a": {\n\t\t\t"command": "x"\n\t\t}\n\t}\n}\n`);
  });

  it("appends mcpServers after the last member when it is missing", () => {
    const after = mergeJsonMcp(`{\n  "theme": "dark",\n  "ui": { "hideBanner": true }\n}\n`, "mcpServers", { a: { command: "x" } });
    expect(after).toBe(`{\n  "theme": "dark",\n  "ui": { "hideBanner": true },\n  "mcpServers": {\n    "a": {\n      "command": "x"\n    }\n  }\n}\n`);
  });

  it("keeps a minified file minified", () => {
    expect(mergeJsonMcp(`{"a":1,"b":[1,2]}`, "mcpServers", { s: { url: "u" } })).toBe(`{"a":1,"b":[1,2],"mcpServers":{"s":{"url":"u"}}}`);
    expect(mergeJsonMcp(`{"mcpServers":{"old":1},"a":"}"}`, "mcpServers", {})).toBe(`{"mcpServers":{},"a":"}"}`);
  });

  it("fills an empty object", () => {
    expect(JSON.parse(mergeJsonMcp("{}\n", "mcpServers", servers))).toEqual({ mcpServers: servers });
  });

  it("keeps comments in settings files read as JSONC (Gemini's settings.json)", () => {
    const before = `// user settings\n{\n  /* theme */ "theme": "GitHub", // trailing\n  "mcpServers": { "old": { "command": "x" } }\n}\n`;
    const after = mergeJsonMcp(before, "mcpServers", { n: { command: "y" } });
    expect(after).toBe(`// user settings\n{\n  /* theme */ "theme": "GitHub", // trailing\n  "mcpServers": {\n    "n": {\n      "command": "y"\n    }\n  }\n}\n`);
  });

  it("is idempotent: merging the same servers twice gives the same bytes", () => {
    const once = mergeJsonMcp(`{\n  "a": 1\n}\n`, "mcpServers", servers);
    expect(mergeJsonMcp(once, "mcpServers", servers)).toBe(once);
  });

  it("does not mistake a nested mcpServers key or one inside a string for the top-level one", () => {
    const before = `{\n  "projects": { "/w": { "mcpServers": { "p": 1 } } },\n  "note": "\\"mcpServers\\": here"\n}\n`;
    const after = JSON.parse(mergeJsonMcp(before, "mcpServers", servers)) as Record<string, unknown>;
    expect(after.projects).toEqual({ "/w": { mcpServers: { p: 1 } } });
    expect(after.note).toBe('"mcpServers": here');
    expect(after.mcpServers).toEqual(servers);
  });

  it("refuses bad JSON with the parser's message, on one line, instead of overwriting it", () => {
    expect(mergeError(`{\n  "a": 1,\n  "b": }\n`)).toMatch(/^existing file is not valid JSON \([^\n]*\); left unchanged$/);
  });

  it("turns the parser's position into a line and column when it gives one", () => {
    expect(mergeError(`{\n  "a" 1\n}`)).toBe("existing file is not valid JSON (line 2, column 7: Expected ':' after property name); left unchanged");
  });

  it("refuses a file whose top level is not an object", () => {
    expect(mergeError(`[1, 2]`)).toBe("existing file's top level is not a JSON object; left unchanged");
  });
});
