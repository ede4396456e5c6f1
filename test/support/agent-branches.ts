/** Finds code that branches on an agent id: what test/unit/agent-modules.test.ts forbids outside src/agents/. */

/** A quoted agent id in a comparison, a `case`, a ternary test, or as the key of a per-agent table. */
function branchPatterns(id: string): RegExp[] {
  const quoted = `["'\`]${id}["'\`]`;
  return [
    new RegExp(`[=!]==?\\s*${quoted}`),
    new RegExp(`${quoted}\\s*[=!]==?`),
    new RegExp(`\\bcase\\s+${quoted}`),
    new RegExp(`${quoted}\\s*\\?`),
    new RegExp(`\\.(includes|indexOf|has|startsWith)\\(\\s*${quoted}\\s*\\)`),
    new RegExp(`^\\s*(${id}|${quoted})\\s*:`, "m"),
  ];
}

/** Lines of `text` that branch on an agent id (comments are skipped: prose may name agents). */
export function agentBranches(text: string, ids: readonly string[]): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, index) => {
    if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
    for (const id of ids) {
      if (branchPatterns(id).some((pattern) => pattern.test(line))) found.push(`${index + 1}: ${line.trim()}`);
    }
  });
  return found;
}
