// Reading a unified diff for the page: files, hunks and numbered lines, and a small syntax-aware
// tokenizer (comments, strings, numbers, keywords) for the common languages. Pure: no DOM here.

const KEYWORDS = {
  js: "async await break case catch class const continue default delete do else export extends false finally for from function if import in instanceof interface let new null of return static switch this throw true try type typeof undefined var void while yield",
  py: "and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield",
  go: "break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false",
  rs: "as async await break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while",
  sh: "if then else elif fi for while do done case esac function in return export local set",
  c: "auto break case char const continue default do double else enum extern float for goto if int long return short signed sizeof static struct switch typedef union unsigned void volatile while class public private protected namespace template",
};
const BY_EXTENSION = { js: "js", mjs: "js", cjs: "js", ts: "js", mts: "js", cts: "js", tsx: "js", jsx: "js", json: "js", py: "py", go: "go", rs: "rs", sh: "sh", bash: "sh", yml: "sh", yaml: "sh", toml: "sh", c: "c", h: "c", cc: "c", cpp: "c", hpp: "c", java: "c", cs: "c", kt: "c", swift: "c" };
const KEYWORD_SETS = Object.fromEntries(Object.entries(KEYWORDS).map(([language, words]) => [language, new Set(words.split(" "))]));
const HASH_COMMENTS = new Set(["py", "sh"]);
const TOKEN = /(\/\/.*|#.*|\/\*.*?\*\/)|("(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])*'?|`(?:\\.|[^`\\])*`?)|(\b\d[\d_.xXa-fA-F]*\b)|([A-Za-z_$][\w$]*)/g;

/** The tokenizer's language for a path, or undefined (shown as plain text). */
export function languageOf(path) {
  path = path.replace(/"$/, ""); // a quoted name ends with its closing quote
  const extension = path.includes(".") ? path.split(".").pop().toLowerCase() : "";
  return BY_EXTENSION[extension];
}

/** One line as [kind, text] pairs; kind is "" (plain), "com", "str", "num" or "kw". */
export function tokens(text, language) {
  if (!language) return [["", text]];
  const keywords = KEYWORD_SETS[language];
  const out = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const [token, comment, string, number, word] = match;
    let kind = "";
    if (comment) {
      if (comment.startsWith("#") !== HASH_COMMENTS.has(language)) continue;
      kind = "com";
    } else if (string) kind = "str";
    else if (number) kind = "num";
    else if (word && keywords.has(word)) kind = "kw";
    if (!kind) continue;
    if (match.index > last) out.push(["", text.slice(last, match.index)]);
    out.push([kind, token]);
    last = match.index + token.length;
    if (kind === "com") break; // a line comment runs to the end
  }
  if (last < text.length) out.push(["", text.slice(last)]);
  return out;
}

/**
 * A patch header's path without its a/ or b/ prefix, still quoted the way git quoted it ("caf\303\251.txt"):
 * the page shows names as the CLI prints them, so a name never carries a control character onto the page,
 * and the server sends the file list quoted the same way (src/terminal.ts quotePath).
 */
export function headerPath(path, side) {
  return path.startsWith(`"${side}/`) ? `"${path.slice(3)}` : path.replace(new RegExp(`^${side}/`), "");
}

/** Files of a unified diff, by the path after the change (before it, for a deleted file), with numbered lines. */
export function parsePatch(patch) {
  const files = [];
  let file;
  let oldLine = 0;
  let newLine = 0;
  for (const line of patch.split("\n")) {
    if (line.startsWith("diff --git ")) {
      file = { path: "", lines: [] };
      files.push(file);
    } else if (!file) continue;
    else if (file.lines.length === 0 && line.startsWith("--- ") && line !== "--- /dev/null") file.path = headerPath(line.slice(4), "a");
    else if (file.lines.length === 0 && line.startsWith("+++ ") && line !== "+++ /dev/null") file.path = headerPath(line.slice(4), "b");
    else if (line.startsWith("@@")) {
      const numbers = /^@@ -(\d+)(?:,\d+)? \+(\d+)/.exec(line);
      oldLine = Number(numbers?.[1] ?? 0);
      newLine = Number(numbers?.[2] ?? 0);
      file.lines.push({ kind: "hunk", text: line });
    } else if (file.lines.length === 0) continue; // index, mode and rename lines
    else if (line.startsWith("+")) file.lines.push({ kind: "add", text: line.slice(1), newNo: newLine++ });
    else if (line.startsWith("-")) file.lines.push({ kind: "del", text: line.slice(1), oldNo: oldLine++ });
    else if (line.startsWith(" ")) file.lines.push({ kind: "ctx", text: line.slice(1), oldNo: oldLine++, newNo: newLine++ });
    else if (line.startsWith("\\")) file.lines.push({ kind: "meta", text: line });
  }
  return files.filter((f) => f.path !== "");
}
