/** Resolving what `launch` was given, on real repositories: checkouts, worktrees, bare repos, URLs. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LaunchError } from "../../../src/launch/errors.js";
import { runHostStep } from "../../../src/host/run.js";
import { classifySource, cloneLocalCopy, cloneUrl, repoName, resolveLocalRepo } from "../../../src/launch/host-repo.js";
import { tempDir } from "../../support/temp-dir.js";
import { isolateGit, makeRepo, sh } from "../workspace/git-fixture.js";

function fixture(onTestFinished: Parameters<typeof tempDir>[0]): string {
  const root = tempDir(onTestFinished);
  isolateGit(root);
  return root;
}

describe("classifySource", () => {
  it("an existing folder is a path; URLs are URLs; anything else is an error", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    expect(classifySource(".", root)).toEqual({ kind: "path", path: root });
    expect(classifySource("https://github.com/a/b.git", root)).toEqual({ kind: "url", url: "https://github.com/a/b.git" });
    expect(classifySource("git@github.com:a/b.git", root)).toEqual({ kind: "url", url: "git@github.com:a/b.git" });
    expect(() => classifySource("missing-folder", root)).toThrow(LaunchError);
    expect(() => classifySource("ext::sh -c touch% /tmp/pwned", root)).toThrow(/not a git URL/);
  });
});

describe("resolveLocalRepo", () => {
  it("takes a folder inside a checkout whose path has spaces and shell metacharacters", ({ onTestFinished }) => {
    const repo = makeRepo(join(fixture(onTestFinished), "my $(repo); `x` & y"));
    mkdirSync(join(repo, "src"));

    const host = resolveLocalRepo(join(repo, "src"));

    expect(host).toMatchObject({ name: "my $(repo); `x` & y", gitDir: join(repo, ".git"), worktree: repo, disposable: false });
    expect(host.base).toBe(sh(repo, "rev-parse", "HEAD"));
    expect(host.identity).toEqual({ name: "Host User", email: "host@example.com" });
  });

  it("mounts a worktree's common dir but starts from the worktree's own HEAD", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const main = makeRepo(join(root, "main"));
    sh(main, "worktree", "add", "-q", "-b", "topic", join(root, "topic"));
    sh(join(root, "topic"), "commit", "-q", "--allow-empty", "-m", "topic work");

    const host = resolveLocalRepo(join(root, "topic"));

    expect(statSync(join(root, "topic", ".git")).isFile()).toBe(true);
    expect(host.gitDir).toBe(join(main, ".git"));
    expect(host.worktree).toBe(join(root, "topic"));
    expect(host.base).toBe(sh(join(root, "topic"), "rev-parse", "HEAD"));
    expect(host.base).not.toBe(sh(main, "rev-parse", "HEAD"));
  });

  it("takes a bare repository as it is (no working tree to carry from)", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    makeRepo(join(root, "src"));
    sh(root, "clone", "-q", "--bare", join(root, "src"), join(root, "app.git"));

    const host = resolveLocalRepo(join(root, "app.git"));

    expect(host).toMatchObject({ name: "app", gitDir: join(root, "app.git") });
    expect(host.worktree).toBeUndefined();
  });

  it("rejects a folder that is not in a repository, and a repository without commits", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    mkdirSync(join(root, "plain"));
    mkdirSync(join(root, "empty"));
    sh(join(root, "empty"), "init", "-q");

    expect(() => resolveLocalRepo(join(root, "plain"))).toThrow(/^not a git repository: /);
    expect(() => resolveLocalRepo(join(root, "empty"))).toThrow(/has no commits yet$/);
  });
});

describe("cloneUrl", () => {
  it("clones a URL bare into the state folder, keeping the URL as origin", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const upstream = makeRepo(join(root, "upstream"));
    const url = `file://${upstream}`;

    const host = cloneUrl(url, join(root, "state", "repo.git"));
    const copy = cloneLocalCopy(host, join(root, "state2", "repo.git"));

    expect(host).toMatchObject({ name: "upstream", disposable: true, base: sh(upstream, "rev-parse", "HEAD") });
    expect(sh(host.gitDir, "config", "remote.origin.url")).toBe(url);
    expect(sh(copy.gitDir, "config", "remote.origin.url")).toBe(url);
    expect(copy.gitDir).not.toBe(host.gitDir);
  });

  it("fails in one line and leaves nothing behind when the URL cannot be cloned", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const dest = join(root, "state", "repo.git");
    mkdirSync(join(root, "state"));

    expect(() => cloneUrl(`file://${join(root, "nowhere")}`, dest)).toThrow(/^cannot clone file:\/\/\S*nowhere: '\S*nowhere' does not appear to be a git repository$/);
    expect(readdirSync(join(root, "state"))).toEqual([]);
  });
});

describe("the workspace host step", () => {
  /** Every file under a folder, by content and mode. */
  const tree = (dir: string) =>
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .sort()
      .map((path) => `${path} ${statSync(join(dir, path)).mode.toString(8)} ${statSync(join(dir, path)).isFile() ? readFileSync(join(dir, path), "base64") : ""}`)
      .join("\n");
  const SECRETS = /secret|extraheader|credential|insteadOf|include|sshCommand|tok@|c2Vj/i;

  it("gives the container only what a clone needs: no credentials, tokens, rewrites or includes", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const repo = makeRepo(join(root, "repo"), "https://ghp_secret123@github.com/example/app.git");
    sh(repo, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic c2VjcmV0");
    sh(repo, "config", "credential.helper", "store");
    sh(repo, "config", "url.https://x:tok@example.com/.insteadOf", "https://example.com/");
    sh(repo, "config", "include.path", "/etc/secret.gitconfig");
    sh(repo, "config", "core.sshCommand", "ssh -i /home/me/.ssh/key");
    const before = tree(join(repo, ".git"));

    runHostStep("workspace", join(root, "state"), join(repo, ".git"));

    const copy = readFileSync(join(root, "state", "git-view", "config"), "utf8");
    expect(copy).toContain("url = https://github.com/example/app.git");
    expect(copy).not.toMatch(SECRETS);
    expect(statSync(join(root, "state", "git-view", "config")).mode & 0o777).toBe(0o644);
    expect(tree(join(repo, ".git"))).toBe(before);
  });

  it("holds no other file of the git dir: HEAD and packed-refs copied, empty folders where objects and refs are mounted", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const repo = makeRepo(join(root, "repo"));
    sh(repo, "pack-refs", "--all");
    sh(repo, "worktree", "add", "-q", join(root, "linked"), "-b", "linked");
    const view = join(root, "state", "git-view");

    runHostStep("workspace", join(root, "state"), join(repo, ".git"));

    expect(readdirSync(view).sort()).toEqual(["HEAD", "config", "modules", "objects", "packed-refs", "refs"]);
    for (const empty of ["modules", "objects", "refs"]) expect(readdirSync(join(view, empty))).toEqual([]);
    expect(readFileSync(join(view, "packed-refs"), "utf8")).toBe(readFileSync(join(repo, ".git", "packed-refs"), "utf8"));
    expect(statSync(view).mode & 0o777).toBe(0o755);
    expect(statSync(join(root, "state")).mode & 0o777).toBe(0o700);
    // With the live folders where the container mounts them, the view is a repository git clones from.
    const mounted = join(root, "mounted.git");
    cpSync(view, mounted, { recursive: true });
    for (const live of ["objects", "refs"]) {
      rmSync(join(mounted, live), { recursive: true });
      symlinkSync(join(repo, ".git", live), join(mounted, live));
    }
    sh(root, "clone", "-q", "--no-local", mounted, "clone");
    expect(sh(join(root, "clone"), "rev-parse", "HEAD", "origin/linked")).toBe(`${sh(repo, "rev-parse", "HEAD")}\n${sh(repo, "rev-parse", "HEAD")}`);
  });

  it("sanitises config.worktree like config, and keeps extensions.worktreeConfig that makes git read it", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const repo = makeRepo(join(root, "repo"));
    sh(repo, "config", "core.repositoryformatversion", "1");
    sh(repo, "config", "extensions.worktreeConfig", "true");
    sh(repo, "config", "--worktree", "http.https://github.com/.extraheader", "AUTHORIZATION: basic c2VjcmV0");
    sh(repo, "config", "--worktree", "remote.origin.url", "https://token:secret@example.com/per-worktree.git");
    const view = join(root, "state", "git-view");

    runHostStep("workspace", join(root, "state"), join(repo, ".git"));

    expect(readFileSync(join(view, "config.worktree"), "utf8")).toBe("[remote \"origin\"]\n\turl = https://example.com/per-worktree.git\n");
    expect(readFileSync(join(view, "config"), "utf8")).toMatch(/worktreeconfig = true/i);
    expect(sh(root, `--git-dir=${view}`, "config", "--get-regexp", "extraheader|url").split("\n")).toEqual([
      "remote.origin.url https://github.com/example/app.git",
      "remote.origin.url https://example.com/per-worktree.git",
    ]);
    // Gone from the repository, gone from the view at the next run.
    rmSync(join(repo, ".git", "config.worktree"));
    runHostStep("workspace", join(root, "state"), join(repo, ".git"));
    expect(existsSync(join(view, "config.worktree"))).toBe(false);
  });

  it("copies every submodule's git dir, nested ones too, with its config sanitised", { timeout: 60_000 }, ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const inner = makeRepo(join(root, "inner"));
    const lib = makeRepo(join(root, "lib"));
    sh(lib, "submodule", "add", "-q", inner, "deps/inner");
    sh(lib, "commit", "-qm", "inner");
    const repo = makeRepo(join(root, "repo"));
    sh(repo, "submodule", "add", "-q", lib, "libs/lib");
    sh(repo, "commit", "-qm", "lib");
    sh(repo, "submodule", "update", "-q", "--init", "--recursive");
    const modules = join(repo, ".git", "modules");
    for (const module of [join(modules, "libs", "lib"), join(modules, "libs", "lib", "modules", "deps", "inner")]) {
      sh(module, "config", "remote.origin.url", "https://x-access-token:ghs_secret@github.com/example/lib.git");
      sh(module, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic c2VjcmV0");
      sh(module, "config", "credential.helper", "store");
      sh(module, "config", "url.https://x:tok@example.com/.insteadOf", "https://example.com/");
      sh(module, "config", "include.path", "/etc/secret.gitconfig");
    }
    const before = tree(join(repo, ".git"));
    const view = join(root, "state", "git-view");

    runHostStep("workspace", join(root, "state"), join(repo, ".git"));

    const copies = [join(view, "modules", "libs", "lib"), join(view, "modules", "libs", "lib", "modules", "deps", "inner")];
    for (const copy of copies) {
      const config = readFileSync(join(copy, "config"), "utf8");
      expect(config).toContain("url = https://github.com/example/lib.git");
      expect(config).not.toMatch(SECRETS);
    }
    // Each copy holds the commit the superproject records: what provisioning checks out.
    expect(sh(root, `--git-dir=${copies[0]}`, "cat-file", "-t", sh(repo, "rev-parse", "HEAD:libs/lib"))).toBe("commit");
    expect(sh(root, `--git-dir=${copies[1]}`, "cat-file", "-t", sh(lib, "rev-parse", "HEAD:deps/inner"))).toBe("commit");
    expect(spawnSync("grep", ["-rlaE", "ghs_secret|c2VjcmV0|tok@|secret.gitconfig", view], { encoding: "utf8" }).stdout).toBe("");
    expect(tree(join(repo, ".git"))).toBe(before);
  });
});

describe("repoName", () => {
  it.each([
    ["https://github.com/a/app.git", "app"],
    ["git@github.com:a/app.git/", "app"],
    ["/home/me/my app", "my app"],
    ["/", "repo"],
  ])("%s → %s", (input, expected) => expect(repoName(input)).toBe(expected));
});

describe("a file that is not a folder", () => {
  it("is refused as a source", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    writeFileSync(join(root, "file"), "");
    expect(() => resolveLocalRepo(join(root, "file"))).toThrow(/^not a folder/);
    expect(existsSync(join(root, "file"))).toBe(true);
  });
});
