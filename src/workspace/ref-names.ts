/**
 * Branch names, checked the way `git check-ref-format --branch` checks them (refs.c), so a bad name fails
 * before anything is created, and names that reach git as argv are known to be plain ref names.
 */

/** Why `name` is not a valid branch name, or undefined when it is. */
export function branchNameProblem(name: string): string | undefined {
  if (name === "") return "it is empty";
  if (name.startsWith("-")) return "it starts with '-'";
  if (name === "HEAD" || name === "@") return `'${name}' is reserved`;
  if (name.startsWith("/") || name.endsWith("/") || name.includes("//")) return "it has an empty path component";
  if (name.endsWith(".")) return "it ends with '.'";
  if (name.includes("..")) return "it contains '..'";
  if (name.includes("@{")) return "it contains '@{'";
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) return `it contains ${describeChar(bad[0])}`;
  for (const component of name.split("/")) {
    if (component.startsWith(".")) return `a component starts with '.' (${component})`;
    if (component.endsWith(".lock")) return `a component ends with '.lock' (${component})`;
  }
  return undefined;
}

function describeChar(char: string): string {
  if (char === " ") return "a space";
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `a control character (0x${code.toString(16).padStart(2, "0")})` : `'${char}'`;
}

/** The agent's branch: `<agent>/<feature>`. */
export function agentBranch(agentId: string, feature: string): string {
  return `${agentId}/${feature}`;
}

/** A feature name nobody typed: the UTC time, to the second (e.g. 20250131-142501). */
export function defaultFeature(now: Date): string {
  const iso = now.toISOString(); // 2025-01-31T14:25:01.123Z
  return `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
}
