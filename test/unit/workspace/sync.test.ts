/**
 * `sync`'s import, run on this host against real git repositories: the outbox is a local bare repository
 * and the "container" runs its commands locally (the e2e tests run the same code through docker exec).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSteps } from "../../../src/hook-steps.js";
import { IMPORT_GROWTH, importGrowthProblem } from "../../../src/launch/import-size.js";
import { execToFile, SyncRefused, syncOutbox, type ContainerRunner } from "../../../src/launch/sync.js";
import { OUTBOX_DIR } from "../../../src/workspace/layout.js";
import { provisionSteps } from "../../../src/workspace/provision.js";
import { tempDir } from "../../support/temp-dir.js";
import { isolateGit, makeRepo, sh } from "./git-fixture.js";

const BRANCH = "claude/feature-x";

/** Runs the container's command here, with the outbox's in-container path replaced by the local one. */
function localRunner(outbox: string, override?: (command: readonly string[]) => readonly string[]): ContainerRunner {
  const local = (command: readonly string[]) => (override ?? ((c) => c))(command.map((arg) => arg.replace(OUTBOX_DIR, outbox)));
  return {
    capture: (command) => {
      const [bin = "", ...args] = local(command);
      const result = spawnSync(bin, args, { encoding: "utf8" });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    toFile: (command, file) => execToFile(local(command), file),
  };
}

function setUp(onTestFinished: Parameters<typeof tempDir>[0]) {
  const root = tempDir(onTestFinished);
  isolateGit(root);
  const host = makeRepo(join(root, "host"));
  const workspace = join(root, "workspace");
  const outbox = join(root, "outbox.git");
  mkdirSync(workspace);
  mkdirSync(outbox);
  const steps = provisionSteps({
    hostRepo: join(host, ".git"), outbox, workspace, agentId: "claude", now: new Date(), hasGh: false, log: () => undefined,
    input: { version: 1, branch: BRANCH, base: sh(host, "rev-parse", "HEAD"), carry: false, localDisposable: false },
  });
  expect(runSteps("test", steps)).toBe(0);
  const commit = (file: string, text: string): string => {
    writeFileSync(join(workspace, file), text);
    sh(workspace, "add", file);
    sh(workspace, "commit", "-qm", `add ${file}`);
    return sh(workspace, "rev-parse", "HEAD");
  };
  const sync = (options: { force?: boolean; base?: string; runner?: ContainerRunner } = {}) =>
    syncOutbox({ name: "claude-host-x", containerId: "unused", hostRepo: join(host, ".git"), branch: BRANCH, ...(options.force ? { force: true } : {}), ...(options.base ? { base: options.base } : {}) }, options.runner ?? localRunner(outbox));
  return { root, host, workspace, outbox, commit, sync };
}

/** Refs, config, HEAD and every file under .git/objects: a refusal must leave all of it as it was. */
function hostState(host: string): string {
  const objects = join(host, ".git", "objects");
  const files = readdirSync(objects, { recursive: true, encoding: "utf8" }).sort();
  return [sh(host, "for-each-ref"), readFileSync(join(host, ".git", "config"), "utf8"), readFileSync(join(host, ".git", "HEAD"), "utf8"), ...files].join("\n");
}

describe("sync", () => {
  it("imports the pushed branch into the host repository, and nothing else", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    expect(await f.sync()).toMatchObject({ status: "nothing-pushed" });
    const tip = f.commit("feature.txt", "agent work\n");
    sh(f.workspace, "push", "--quiet");
    const main = sh(f.host, "rev-parse", "main");

    expect(await f.sync()).toMatchObject({ status: "imported", commit: tip, previous: null, forced: false });

    expect(sh(f.host, "rev-parse", `refs/heads/${BRANCH}`)).toBe(tip);
    expect(sh(f.host, "show", `${BRANCH}:feature.txt`)).toBe("agent work");
    expect(sh(f.host, "rev-parse", "main")).toBe(main);
    expect(sh(f.host, "fsck", "--no-progress", "--strict")).toBe("");
    expect(await f.sync()).toMatchObject({ status: "up-to-date", commit: tip });
    // A second push sends and imports only what is new.
    const next = f.commit("more.txt", "more\n");
    sh(f.workspace, "push", "--quiet");
    expect(await f.sync()).toMatchObject({ status: "imported", commit: next, previous: tip });
  });

  it("refuses refs outside the container's branch, naming them, and imports nothing", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    f.commit("feature.txt", "agent work\n");
    sh(f.workspace, "push", "--quiet", "local", "HEAD:main", `HEAD:${BRANCH}`, "HEAD:refs/tags/v9");
    const before = hostState(f.host);

    await expect(f.sync()).rejects.toThrow(/outside its branch claude\/feature-x: refs\/heads\/main, refs\/tags\/v9; nothing imported/);
    expect(hostState(f.host)).toBe(before);
  });

  it("refuses a symbolic ref (a symlink) in the outbox", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    f.commit("feature.txt", "agent work\n");
    sh(f.workspace, "push", "--quiet", "local", "HEAD:main");
    // What made host git write through its refs before: the branch is a symlink to another ref.
    mkdirSync(join(f.outbox, "refs", "heads", "claude"), { recursive: true });
    symlinkSync("refs/heads/main", join(f.outbox, "refs", "heads", BRANCH));
    const before = hostState(f.host);

    await expect(f.sync()).rejects.toThrow(/its outbox has symbolic links \(refs\/heads\/claude\/feature-x\); nothing imported/);
    expect(hostState(f.host)).toBe(before);
  });

  it("refuses a rewritten branch unless forced, and then says so", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    f.commit("a.txt", "a\n");
    sh(f.workspace, "push", "--quiet");
    await f.sync();
    sh(f.workspace, "reset", "--quiet", "--hard", "HEAD~1");
    const rewritten = f.commit("b.txt", "b\n");
    sh(f.workspace, "push", "--quiet", "--force");
    const before = hostState(f.host);

    await expect(f.sync()).rejects.toThrow(/was rewritten in the container.*nothing imported/);
    expect(hostState(f.host)).toBe(before);
    expect(await f.sync({ force: true })).toMatchObject({ status: "imported", commit: rewritten, forced: true });
  });

  it("never moves a branch checked out on the host", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    sh(f.host, "worktree", "add", "-q", join(f.root, "review"), "-b", BRANCH);
    f.commit("a.txt", "a\n");
    sh(f.workspace, "push", "--quiet");

    await expect(f.sync()).rejects.toThrow(/checked out \(or being rebased\) in .*review; nothing imported/);
    expect(sh(join(f.root, "review"), "rev-parse", "HEAD")).toBe(sh(f.host, "rev-parse", "main"));
  });

  it("never moves a branch a host worktree is in the middle of rebasing", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    const review = join(f.root, "review");
    sh(f.host, "worktree", "add", "-q", review, "-b", BRANCH);
    writeFileSync(join(review, "mine.txt"), "mine\n");
    sh(review, "add", "mine.txt");
    sh(review, "commit", "-qm", "mine");
    // Stops at the first commit, as an `edit` step does: the worktree's HEAD is detached meanwhile.
    execFileSync("git", ["-c", "sequence.editor=sed -i s/^pick/edit/", "rebase", "-q", "-i", "HEAD~1"], { cwd: review, stdio: "ignore" });
    f.commit("a.txt", "a\n");
    sh(f.workspace, "push", "--quiet", "--force");

    await expect(f.sync({ force: true })).rejects.toThrow(/being rebased\) in .*review; nothing imported/);
  });

  it("names the branch's files that run on the host, against its recorded base or where it meets HEAD, and still imports", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    const base = sh(f.host, "rev-parse", "HEAD");
    mkdirSync(join(f.workspace, ".devcontainer"));
    f.commit(".devcontainer/devcontainer.json", '{ "initializeCommand": "touch /tmp/pwned" }\n');
    const tip = f.commit("src.txt", "code\n");
    sh(f.workspace, "push", "--quiet");

    expect(await f.sync()).toMatchObject({ status: "imported", commit: tip, hostRun: [".devcontainer/devcontainer.json"] });
    expect(sh(f.host, "rev-parse", `refs/heads/${BRANCH}`)).toBe(tip);
    expect(await f.sync({ base })).toMatchObject({ status: "up-to-date", hostRun: [".devcontainer/devcontainer.json"] });
    expect(await f.sync({ base: sh(f.host, "rev-parse", `${tip}~1`) })).toMatchObject({ status: "up-to-date", hostRun: [] });
  });

  it("refuses an object whose content does not match its name", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    f.commit("a.txt", "honest\n");
    sh(f.workspace, "push", "--quiet");
    // Replace the pushed blob, as the agent could, with other content under the same name.
    const blob = sh(f.workspace, "rev-parse", "HEAD:a.txt");
    sh(f.outbox, "repack", "-q", "-a", "-d", "-l");
    const fake = execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: f.outbox, input: "forged\n", encoding: "utf8" }).trim();
    const path = (oid: string) => join(f.outbox, "objects", oid.slice(0, 2), oid.slice(2));
    mkdirSync(join(f.outbox, "objects", blob.slice(0, 2)), { recursive: true });
    writeFileSync(path(blob), readFileSync(path(fake)));
    for (const pack of sh(f.outbox, "rev-parse", "--git-path", "objects/pack").split("\n")) spawnSync("sh", ["-c", `rm -f ${join(f.outbox, pack)}/*`]);
    const before = hostState(f.host);

    await expect(f.sync()).rejects.toThrow(SyncRefused);
    expect(hostState(f.host)).toBe(before);
    expect(sh(f.host, "fsck", "--no-progress")).toBe("");
  });

  it("refuses a stream that is not a bundle, in one line", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    f.commit("a.txt", "a\n");
    sh(f.workspace, "push", "--quiet");
    const garbage = localRunner(f.outbox, (command) => (command.includes("bundle") ? ["printf", "%s", "not a bundle\n\nPACK"] : command));

    await expect(f.sync({ runner: garbage })).rejects.toThrow(/malformed bundle: not a git bundle/);
  });

  it("packs the bundle with git's defaults, whatever compression the outbox's config asks for", async ({ onTestFinished }) => {
    const f = setUp(onTestFinished);
    sh(f.outbox, "config", "pack.compression", "0");
    sh(f.outbox, "config", "core.bigFileThreshold", "1");
    f.commit("big.txt", "all work and no play\n".repeat(200_000)); // 4.2 MB that deflates to a few KB
    sh(f.workspace, "push", "--quiet");

    expect(await f.sync()).toMatchObject({ status: "imported" });

    const packs = join(f.host, ".git", "objects", "pack");
    const added = readdirSync(packs).filter((name) => name.endsWith(".pack")).map((name) => statSync(join(packs, name)).size);
    expect(added).toHaveLength(1);
    expect(added[0]).toBeLessThan(100_000);
  });

  it.for([
    ["an annotated tag of a new commit", "git tag -a -m t t HEAD", "t", "an annotated tag"],
    ["an annotated tag the host already has", "git fetch -q host tag h", "h", "an annotated tag"],
    ["a tree", "true", "HEAD^{tree}", "a tree"],
  ])("refuses %s as the branch's tip, before any object moves in", async ([, make = "", object = "", named], { onTestFinished }) => {
    const f = setUp(onTestFinished);
    sh(f.host, "tag", "-a", "-m", "the host's tag", "h", "main");
    f.commit("a.txt", "a\n");
    // receive-pack keeps a non-commit out of refs/heads/; the agent owns the outbox's files and writes the ref.
    execFileSync("sh", ["-c", `${make} && o=$(git rev-parse "$0") && git push -q local "$o:refs/tags/x" && git --git-dir="$1" update-ref -d refs/tags/x && mkdir -p "$1/refs/heads/claude" && echo "$o" > "$1/refs/heads/$2"`, object, f.outbox, BRANCH], {
      cwd: f.workspace,
      stdio: "ignore",
    });
    const before = hostState(f.host);

    const refusal = await f.sync().then(() => "imported", (error: Error) => error.message);

    expect(refusal).toBe(`claude-host-x: ${BRANCH} in its outbox points at ${named}, not a commit; nothing imported`);
    expect(hostState(f.host)).toBe(before);
    expect(sh(f.host, "fsck", "--no-progress")).toBe("");
  });
});

describe("how much an import may write", () => {
  it("allows a pack up to 4× what arrived, or 64 MiB, and never above 8 GiB", () => {
    expect(IMPORT_GROWTH).toEqual({ ratio: 4, floor: 64 * 1024 ** 2, cap: 8 * 1024 ** 3 });
    expect(importGrowthProblem(1000, 60 * 1024 ** 2)).toBeUndefined(); // a small edit of a large file: its base appended
    expect(importGrowthProblem(1000, 64 * 1024 ** 2 + 1)).toMatch(/^its pack would take 64\.0 MiB here from 0\.0 MiB sent/);
    expect(importGrowthProblem(100 * 1024 ** 2, 400 * 1024 ** 2)).toBeUndefined();
    expect(importGrowthProblem(100 * 1024 ** 2, 400 * 1024 ** 2 + 1)).toBe("its pack would take 400.0 MiB here from 100.0 MiB sent (at most 4× what arrives, or 64.0 MiB)");
    expect(importGrowthProblem(1.3 * 1024 ** 2, 293 * 1024 ** 2)).toMatch(/^its pack would take 293\.0 MiB here from 1\.3 MiB sent/);
    expect(importGrowthProblem(7 * 1024 ** 3, 8 * 1024 ** 3 + 1)).toBe("its pack would take 8192.0 MiB here (at most 8192.0 MiB)");
  });
});
