/** Real git repositories in temp folders, with a private global config (identity, no system config). */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Points git at a config of the test's own, so the host's global config neither helps nor breaks a test. */
export function isolateGit(dir: string): void {
  const config = join(dir, "gitconfig");
  writeFileSync(config, "[user]\n\tname = Host User\n\temail = host@example.com\n[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n");
  process.env.GIT_CONFIG_GLOBAL = config;
  process.env.GIT_CONFIG_NOSYSTEM = "1";
}

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** A checkout with two commits, an origin URL and an ignored node_modules. */
export function makeRepo(dir: string, origin = "https://token:secret@github.com/example/app.git"): string {
  mkdirSync(dir, { recursive: true });
  sh(dir, "init", "-q");
  writeFileSync(join(dir, "README.md"), "hello\n");
  writeFileSync(join(dir, ".gitignore"), "node_modules/\n");
  sh(dir, "add", ".");
  sh(dir, "commit", "-qm", "first");
  writeFileSync(join(dir, "app.js"), "console.log(1);\n");
  sh(dir, "add", ".");
  sh(dir, "commit", "-qm", "second");
  sh(dir, "remote", "add", "origin", origin);
  return dir;
}
