import { describe, expect, it } from "vitest";
import { parseEnvFile } from "../../../src/mcp/env-file.js";

describe("parseEnvFile", () => {
  it.each([
    ["KEY=value", "value"],
    ["KEY = spaced out  ", "spaced out"],
    ["export KEY=exported", "exported"],
    ['KEY="double \\"quoted\\" \\\\ with\\nnewline"', 'double "quoted" \\ with\nnewline'],
    ["KEY='single $NOT expanded \\n'", "single $NOT expanded \\n"],
    ["KEY=tok#en", "tok#en"],
    ["KEY=a=b=c", "a=b=c"],
    ["KEY=", ""],
  ])("reads %s", (line, value) => {
    expect(parseEnvFile(`${line}\n`)).toEqual({ values: { KEY: value }, problems: [] });
  });

  it("skips blank lines and comments, accepts CRLF, and lets a later line win", () => {
    const text = "# tokens for MCP servers\r\n\r\nA=1\r\n  # indented comment\r\nB=2\r\nA=3\r\n";

    expect(parseEnvFile(text)).toEqual({ values: { A: "3", B: "2" }, problems: [] });
  });

  it("reports bad lines by number without ever repeating their text, and keeps the good ones", () => {
    const text = ["GOOD=1", "ghp_secretvalue123", "1BAD=secretvalue456", 'QUOTE="secretvalue789', "=secretvalue000"].join("\n");

    const { values, problems } = parseEnvFile(text);

    expect(values).toEqual({ GOOD: "1" });
    expect(problems).toEqual([
      "line 2: expected KEY=value",
      "line 3: not a variable name (letters, digits and _, not starting with a digit)",
      "line 4: QUOTE has an unterminated quote",
      "line 5: not a variable name (letters, digits and _, not starting with a digit)",
    ]);
    expect(problems.join("\n")).not.toMatch(/secretvalue/);
  });
});

describe("parseEnvFile and Object.prototype", () => {
  it("stores __proto__ as an ordinary variable", () => {
    const { values } = parseEnvFile("__proto__=x\n");

    expect(Object.hasOwn(values, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
