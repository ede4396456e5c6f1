import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { controlEscaper, escapeControls, escapeLine, quotePath, safeJson } from "../../src/terminal.js";
import { tempDir } from "../support/temp-dir.js";

/** A character a terminal acts on, in no form it would obey. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe("escapeControls", () => {
  it.for([
    ["OSC 52 (writes the clipboard)", "\u001b]52;c;aGk=\u0007", "\\x1b]52;c;aGk=\\x07"],
    ["OSC 0 ended by ST (retitles the window)", "\u001b]0;PWNED\u001b\\", "\\x1b]0;PWNED\\x1b\\"],
    ["CSI (clears the screen)", "\u001b[2J\u001b[H", "\\x1b[2J\\x1b[H"],
    ["other ESC sequences", "\u001bc\u001bP+q\u001b\\", "\\x1bc\\x1bP+q\\x1b\\"],
    ["C1 CSI and OSC as characters", "\u009b2J\u009d52;c;x\u009c", "\\x9b2J\\x9d52;c;x\\x9c"],
    ["a bare CR (overwrites the line)", "rm -rf /\rall good", "rm -rf /\\x0dall good"],
    ["BEL, backspace, NUL, VT, FF, DEL", "\u0007\b\u0000\u000b\u000c\u007f", "\\x07\\x08\\x00\\x0b\\x0c\\x7f"],
    ["bidi overrides and isolates (Trojan Source)", "a\u202eb\u2066c\u2069\u200f", "a\\u202eb\\u2066c\\u2069\\u200f"],
    ["line and paragraph separators", "a\u2028b\u2029", "a\\u2028b\\u2029"],
  ])("shows %s as visible escapes", ([, raw, shown]) => {
    expect(escapeControls(raw!)).toBe(shown);
    expect(escapeControls(raw!)).not.toMatch(RAW);
  });

  it("keeps newlines, tabs, CRLF line ends and text as they are", () => {
    const text = "line 1\tcol\r\nline 2 café ✓ 日本\n";
    expect(escapeControls(text)).toBe(text);
    expect(escapeControls("a\r")).toBe("a\\x0d");
  });

  it("leaves nothing raw whatever the input", () => {
    const every = Array.from({ length: 0x300 }, (_, code) => String.fromCharCode(code)).join("") + "\u2028\u202e\u2068";
    expect(escapeControls(every)).not.toMatch(RAW);
    expect(escapeLine(every)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e\u2068]/);
  });
});

describe("escapeLine", () => {
  it("escapes newlines, tabs and CR too: a message stays one line", () => {
    expect(escapeLine("fatal: x\n\u001b[32mok\t\r\n")).toBe("fatal: x\\x0a\\x1b[32mok\\x09\\x0d\\x0a");
  });
});

describe("controlEscaper (logs --follow)", () => {
  it("gives the same text wherever the stream was cut, a UTF-8 character or a CRLF included", () => {
    const bytes = Buffer.from("é\u001b]52;c;aGk=\u0007 ok\r\nnext\rover\u009b\r", "utf8");
    const whole = escapeControls(bytes.toString("utf8"));
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const escaper = controlEscaper();
      const text = escaper.write(bytes.subarray(0, cut)) + escaper.write(bytes.subarray(cut)) + escaper.end();
      expect(text, `cut at ${cut}`).toBe(whole);
    }
    expect(whole).toBe("é\\x1b]52;c;aGk=\\x07 ok\r\nnext\\x0dover\\x9b\\x0d");
  });
});

describe("safeJson", () => {
  it("keeps the value exact and writes every terminal control as a \\u escape", () => {
    const value = { path: "\u001b]52;c;aGk=\u0007.txt", c1: "\u009b2J\u007f", bidi: "\u202e" };
    const text = safeJson(value, 2);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(RAW);
    expect(text).toContain("\\u009b2J\\u007f");
  });
});

describe("quotePath", () => {
  const NAMES = ["plain.txt", "dir/with space.md", "\u001b]52;c;aGk=\u0007.txt", "tab\there", "new\nline", 'quote"d', "back\\slash", "café.txt", "del\u007f", "c1\u009b", "bidi\u202e.txt", "bell\u0007 vt\u000b ff\u000c cr\r bs\b"];

  it("quotes names exactly as git does with core.quotePath on", ({ onTestFinished }) => {
    const repo = tempDir(onTestFinished);
    execFileSync("git", ["init", "-q", repo]);
    mkdirSync(join(repo, "dir"));
    for (const name of NAMES) writeFileSync(join(repo, name), "x");
    execFileSync("git", ["-C", repo, "add", "."]);
    const git = execFileSync("git", ["-C", repo, "-c", "core.quotePath=true", "ls-files"], { encoding: "utf8" }).split("\n").filter(Boolean);
    expect(NAMES.map(quotePath).sort()).toEqual([...git].sort());
  });

  it("leaves plain names unquoted and never a raw control character in the result", () => {
    expect(quotePath(".devcontainer/devcontainer.json")).toBe(".devcontainer/devcontainer.json");
    expect(quotePath("\u001b]52;c;aGk=\u0007.txt")).toBe('"\\033]52;c;aGk=\\a.txt"');
    for (const name of NAMES) expect(quotePath(name)).not.toMatch(RAW);
  });
});
