import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { CODEX_MARKER, McpMergeError, mergeCodexToml } from "../../../src/mcp/merge.js";

const tables = `[mcp_servers.github]
command = "npx"
env_vars = [ "GITHUB_TOKEN" ]
`;
const block = `${CODEX_MARKER}\n${tables}`;

function mergeError(existing: string, incoming = tables): string {
  try {
    mergeCodexToml(existing, incoming);
  } catch (error) {
    expect(error).toBeInstanceOf(McpMergeError);
    return (error as Error).message;
  }
  throw new Error("expected the merge to fail");
}

describe("mergeCodexToml", () => {
  it("writes just the marked tables when there is no config yet", () => {
    expect(mergeCodexToml(undefined, tables)).toBe(block);
    expect(mergeCodexToml("", "")).toBe("");
  });

  it("appends the tables after the user's settings, which stay byte for byte", () => {
    const user = `# my settings\nmodel = "o3"  # fast\napproval_policy = "never"\n\n[tui]\nnotifications = true\n`;
    expect(mergeCodexToml(user, tables)).toBe(`${user}\n${block}`);
    expect(mergeCodexToml(`model = "o3"`, tables)).toBe(`model = "o3"\n\n${block}`);
  });

  it("replaces old mcp_servers tables, sub-tables and dotted keys where they were, keeping everything around them", () => {
    const before = `model = "o3"
mcp_servers.inline.command = "old"

[mcp_servers.legacy]
command = "old"
args = [
  "--flag",   # a comment inside an array
]

[mcp_servers.legacy.env]
A = "b"

[mcp_servers.other.http_headers]
X = "y"

[tui] # keep me
notifications = true

[[profiles.list]]
name = "a"
`;
    expect(mergeCodexToml(before, tables)).toBe(`model = "o3"

${block}
[tui] # keep me
notifications = true

[[profiles.list]]
name = "a"
`);
  });

  it("handles quoted keys, spaced headers and arrays of tables under mcp_servers", () => {
    const before = `[ "mcp_servers" . 'quoted' ]\ncommand = "q"\n\n[[mcp_servers.arr]]\nx = 1\n\n[keep]\ny = 2\n`;
    expect(mergeCodexToml(before, tables)).toBe(`${block}\n[keep]\ny = 2\n`);
  });

  it("leaves alone look-alikes: strings holding headers, nested mcp_servers keys, similar table names", () => {
    const before = `notes = """
[mcp_servers.fake]
command = "not a table"
"""
literal = '''
[mcp_servers.fake2]
'''

[profiles.work]
mcp_servers.inner.command = "nested, not top level"

[mcp_servers_extra]
z = 1
`;
    const after = mergeCodexToml(before, tables);
    expect(after).toBe(`${before}\n${block}`);
    expect((parse(after) as { notes: string }).notes).toContain("[mcp_servers.fake]");
  });

  it("is idempotent: a second render gives the same bytes", () => {
    const before = `model = "o3"\n\n[mcp_servers.old]\ncommand = "x"\n\n[tui]\nnotifications = true\n`;
    const once = mergeCodexToml(before, tables);
    expect(mergeCodexToml(once, tables)).toBe(once);
    const appended = mergeCodexToml(`model = "o3"\n`, tables);
    expect(mergeCodexToml(appended, tables)).toBe(appended);
  });

  it("removes the MCP part entirely when no server is left for codex", () => {
    const before = `model = "o3"\n\n${block}\n[tui]\nx = 1\n`;
    expect(mergeCodexToml(before, "")).toBe(`model = "o3"\n\n[tui]\nx = 1\n`);
  });

  it("keeps Windows line endings", () => {
    const after = mergeCodexToml(`model = "o3"\r\n`, tables);
    expect(after).toBe(`model = "o3"\r\n\r\n${block.replace(/\n/g, "\r\n")}`);
  });

  it("refuses an existing config.toml that is not valid TOML, with line and column", () => {
    expect(mergeError(`model = "o3"\n[tui\n`)).toMatch(/^existing config\.toml is not valid TOML \(line 2, column \d+: .+\); left unchanged$/);
  });

  it("refuses rendered tables that would touch other settings", () => {
    expect(mergeError(`model = "o3"\n`, `model = "gpt"\n`)).toBe("rendered MCP tables hold keys other than mcp_servers");
  });
});
