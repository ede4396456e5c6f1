/** Resolving what `launch` was given, on real repositories: checkouts, worktrees, bare repos, URLs. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
  it("gives the container only what a clone needs: no credentials, tokens, rewrites or includes", ({ onTestFinished }) => {
    const root = fixture(onTestFinished);
    const repo = makeRepo(join(root, "repo"), "https://ghp_secret123@github.com/example/app.git");
    sh(repo, "config", "http.https://github.com/.extraheader", "AUTHORIZATION: basic c2VjcmV0");
    sh(repo, "config", "credential.helper", "store");
    sh(repo, "config", "url.https://x:tok@example.com/.insteadOf", "https://example.com/");
    sh(repo, "config", "include.path", "/etc/secret.gitconfig");
    sh(repo, "config", "core.sshCommand", "ssh -i /home/me/.ssh/key");
    const before = readFileSync(join(repo, ".git", "config"), "utf8");

    runHostStep("workspace", join(root, "state"), join(repo, ".git"));

    const copy = readFileSync(join(root, "state", "git-config"), "utf8");
    expect(copy).toContain("url = https://github.com/example/app.git");
    expect(copy).not.toMatch(/secret|extraheader|credential|insteadOf|include|sshCommand|tok@|c2Vj/i);
    expect(statSync(join(root, "state", "git-config")).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(repo, ".git", "config"), "utf8")).toBe(before);
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
