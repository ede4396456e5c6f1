/** The page's diff reader (ui/diff.js): plain JS shipped as is, tested here under Node. */
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain JS without types, served to the browser as written
import { headerPath, languageOf, parsePatch, tokens } from "../../../ui/diff.js";
import { FAKE_PATCH } from "../../support/ui-fake.js";

describe("parsePatch", () => {
  it("numbers each side's lines from the hunk header", () => {
    const [file] = parsePatch(FAKE_PATCH);
    expect(file.path).toBe("src/app.ts");
    expect(file.lines.map((l: { kind: string; oldNo?: number; newNo?: number }) => [l.kind, l.oldNo, l.newNo])).toEqual([
      ["hunk", undefined, undefined],
      ["ctx", 1, 1],
      ["del", 2, undefined],
      ["add", undefined, 2],
      ["add", undefined, 3],
      ["ctx", 3, 4],
    ]);
  });

  it("names a deleted file by its old path, a quoted path as git quoted it, and takes `--- ` inside a hunk as a removed line", () => {
    const patch = [
      "diff --git a/gone.txt b/gone.txt",
      "deleted file mode 100644",
      "--- a/gone.txt",
      "+++ /dev/null",
      "@@ -1,2 +0,0 @@",
      "--- a line that starts with dashes",
      "-second",
      'diff --git "a/caf\\303\\251 x.txt" "b/caf\\303\\251 x.txt"',
      "new file mode 100644",
      "--- /dev/null",
      '+++ "b/caf\\303\\251 x.txt"',
      "@@ -0,0 +1 @@",
      "+hi",
      "diff --git a/logo.png b/logo.png",
      "Binary files a/logo.png and b/logo.png differ",
    ].join("\n");
    const files = parsePatch(patch);
    expect(files.map((f: { path: string }) => f.path)).toEqual(["gone.txt", '"caf\\303\\251 x.txt"']);
    expect(files[0].lines.map((l: { text: string }) => l.text)).toEqual(["@@ -1,2 +0,0 @@", "-- a line that starts with dashes", "second"]);
  });
});

describe("tokens", () => {
  it("marks keywords, strings, numbers and a trailing comment, and keeps every character", () => {
    const line = 'const answer = "forty-two"; return 42; // why';
    const parts = tokens(line, "js");
    expect(parts).toEqual([
      ["kw", "const"],
      ["", " answer = "],
      ["str", '"forty-two"'],
      ["", "; "],
      ["kw", "return"],
      ["", " "],
      ["num", "42"],
      ["", "; "],
      ["com", "// why"],
    ]);
    expect(parts.map((p: string[]) => p[1]).join("")).toBe(line);
  });

  it("takes # as a comment only where the language says so, and leaves unknown files plain", () => {
    expect(tokens("x = 1  # note", "py").at(-1)).toEqual(["com", "# note"]);
    expect(tokens("#include <x.h>", "c")).toEqual([["", "#include <x.h>"]]);
    expect(tokens("const x", undefined)).toEqual([["", "const x"]]);
    expect([languageOf("src/a.TS"), languageOf("Makefile"), languageOf("x.py"), languageOf('"caf\\303\\251.py"')]).toEqual(["js", undefined, "py", "py"]);
  });
});

describe("headerPath", () => {
  it("drops the a/ or b/ prefix and keeps git's quoting: an escape sequence stays escaped", () => {
    expect(headerPath('"a/\\033]52;c;aGk=\\a.txt"', "a")).toBe('"\\033]52;c;aGk=\\a.txt"');
    expect(headerPath("b/plain/path", "b")).toBe("plain/path");
  });
});
