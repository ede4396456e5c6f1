import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../../src/core/shell-quote.js";

/** What a shell makes of the words: one line per argument it received. */
function words(script: string): string[] {
  const result = spawnSync("sh", ["-c", `printf '%s\\n' ${script}`], { encoding: "utf8" });
  expect(result.status).toBe(0);
  return result.stdout.split("\n").slice(0, -1);
}

describe("shellQuote", () => {
  it("leaves plain words as they are", () => {
    for (const value of ["@anthropic-ai/claude-code", "/usr/local/share/agent-devcontainer/claude", "a,b=c:d%e+f"]) {
      expect(shellQuote(value)).toBe(value);
    }
  });

  it.for(["Claude Code", "it's", "$(id)", "`id`", "${HOME}", "a\nb", "*", "", "'", "\\", "; rm -rf /"])(
    "makes %j exactly one word with its bytes intact",
    (value) => {
      expect(words(`${shellQuote(value)} ${shellQuote("next")}`)).toEqual([...value.split("\n"), "next"]);
    },
  );
});
