/**
 * Isolated workspaces end to end, through the real CLI (`launch`, `sync`, `list`, `shell`, `rm`), the real
 * devcontainer CLI and Docker: three containers launched at once on one root-owned repository (two agents,
 * one of them twice) push with a bare `git push` to their outboxes and `sync` imports their branches; the
 * host's checkout stays byte-for-byte the same. Then an agent attacks the host repository from inside, as
 * a prompt-injected agent would, and the host stays byte-identical. The repository holds 100 MB of ignored
 * files that no workspace copies.
 */
import { createHash, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { LABELS } from "../../src/labels.js";
import { cliArgs, runCli, type CliOptions, type CliRun } from "../support/cli.js";
import { execOk, remove, testHostEnv, up, type Container } from "../support/devcontainer.js";
import { docker } from "../support/docker.js";
import { hostTree } from "../support/host-tree.js";

/** Agents whose npm install is quickest on the test bed (measured: see scripts/bench/workspace.ts). */
const A = "codex";
const B = "copilot";
/** In every name, so two runs on one Docker engine never meet. */
const RUN = randomBytes(3).toString("hex");
const REPO = `my-repo-v2-x-${RUN}`; // what "my repo, v2 $(x);& <RUN>" becomes in a container name
/** The warning for running containers that hold copies of one single-use login (A's, in copy mode: the default). */
const COPIES = /(\d+) running containers hold copies of Codex CLI's login, whose refresh tokens are single-use: .*--auth codex=broker/;
const NAMES = { a1: `${A}-${REPO}-one`, a2: `${A}-${REPO}-two`, b1: `${B}-${REPO}-one` } as const;
/** Launched by single tests, removed by them; afterAll removes whatever a failed test left. */
const OTHERS = [`${A}-upstream-${RUN}-url`, `${B}-${REPO}-interrupted`, `${A}-partial-${RUN}-p`, `${A}-shallow-${RUN}-s`];
const LARGE = { dirs: 200, filesPerDir: 100, bytes: 5 * 1024 }; // 20 000 files, 100 MB
const TOKEN = `ghp_e2eUrlToken${RUN}`;
const EXTRAHEADER = `ZXh0cmFoZWFkZXI${RUN}`;
/** In a `git config --worktree` extraheader, and in a submodule's remote URL and extraheader. */
const WORKTREE_TOKEN = `d29ya3RyZWVUb2tlbg${RUN}`;
const SUBMODULE_TOKEN = `ghs_e2eSubmoduleToken${RUN}`;
/** Where the tokens above would show inside a container (files, and what git reads from the host's git dir). */
const TOKEN_HUNT =
  `grep -rlsF -e ${TOKEN} -e ${EXTRAHEADER} -e ${WORKTREE_TOKEN} -e ${SUBMODULE_TOKEN} -e extraheader /mnt /workspace /var/lib/agent-devcontainer "$HOME" /tmp; ` +
  "git --git-dir=/mnt/host-repo.git config --get-regexp 'http|credential|url\\.'; " +
  "git --git-dir=/mnt/host-repo.git/modules/vendor/sub config --get-regexp 'http|credential|url\\.'; " +
  "(git --git-dir=/mnt/host-repo.git config --worktree http.extraheader x) 2>&1 | grep -o 'Read-only file system'; true";

let root = "";
let repo = "";
let upstream = "";
let env: NodeJS.ProcessEnv = {};

/** The real CLI as a user runs it, with stdin closed (not a terminal). */
function cli(args: string[], options: Omit<CliOptions, "env"> = {}): Promise<CliRun> {
  return runCli(args, { env, ...options });
}

async function ok(args: string[], cwd?: string): Promise<string> {
  const run = await cli(args, cwd ? { cwd } : {});
  if (run.code !== 0) throw new Error(`${args.join(" ")} exited ${run.code}:\n${run.stderr.slice(-4000)}`);
  return run.stdout;
}

/** One command in a launched container, as its agent user, in its workspace. */
async function inside(name: string, script: string): Promise<string> {
  return (await ok(["shell", name, "--", "bash", "-c", script])).trim();
}

function git(...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", env }).trim();
}

function testBed(): string[] {
  const image = process.env.AGENT_DC_TEST_BASE_IMAGE;
  const mirror = process.env.AGENT_DC_TEST_NODE_MIRROR;
  if (!image || !mirror) throw new Error("the e2e global setup did not provide the test bed");
  return ["--local-features", "--base-image", image, "--node-mirror", mirror, "--egress", "open"];
}

/** HEAD, the main branch, the index's bytes, and every file git does not ignore: what must never change. */
function hostCheckout(): string {
  const files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter(Boolean).sort();
  const hash = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
  return JSON.stringify({
    head: readFileSync(join(repo, ".git", "HEAD"), "utf8"),
    main: git("rev-parse", "refs/heads/main"),
    index: hash(readFileSync(join(repo, ".git", "index"))),
    files: files.map((file) => [file, hash(readFileSync(join(repo, file)))]),
  });
}

/**
 * What confines a container, as the engine has it: security options, capabilities, limits, network, user, the
 * mount points (bind mounts read-only), its environment and the metadata that names its hooks. Free of the
 * launch's name and paths, so that two launches of one config compare equal.
 */
function confinement(name: string): unknown {
  type Inspected = {
    HostConfig: Record<string, unknown>;
    Config: { User: string; Env: string[]; Labels: Record<string, string> };
    Mounts: { Type: string; Destination: string; RW: boolean }[];
  };
  const [container] = JSON.parse(docker("inspect", name)) as Inspected[];
  const { HostConfig: host, Config: config } = container!;
  const keys = ["SecurityOpt", "CapAdd", "CapDrop", "Privileged", "Init", "ReadonlyRootfs", "Memory", "NanoCpus", "PidsLimit", "NetworkMode", "Sysctls", "UsernsMode", "IpcMode", "PidMode"];
  const metadata = JSON.parse(config.Labels["devcontainer.metadata"]!) as Record<string, unknown>[];
  return {
    // Each container has its own enforcer network: the same kind, by another id.
    host: { ...Object.fromEntries(keys.map((key) => [key, host[key]])), NetworkMode: String(host.NetworkMode).replace(/^cadc-egress-\w+$/, "cadc-egress-<id>") },
    user: config.User,
    env: [...config.Env].sort(),
    mounts: container!.Mounts.map((m) => `${m.Type} ${m.Destination} ${m.RW ? "rw" : "ro"}`).sort(),
    // Without each mount's source (a CSV field, quoted when the repository's path has a comma).
    metadata: metadata.map((entry) => ({ ...entry, mounts: (entry.mounts as string[] | undefined)?.map((m) => m.replace(/(?:"source=(?:[^"]|"")*"|source=[^,]*),/, "")) })),
  };
}

/**
 * Credentials in the places the first sanitised config missed: a per-worktree extraheader (under
 * extensions.worktreeConfig), and an initialised submodule whose git dir under .git/modules has a token in
 * its URL and an extraheader. The submodule is on a side branch: its git dir stays, the checkout has none.
 */
function addHiddenCredentials(dir: string, gitEnv: NodeJS.ProcessEnv): void {
  const run = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { env: gitEnv, stdio: "ignore" });
  run("config", "core.repositoryformatversion", "1");
  run("config", "extensions.worktreeConfig", "true");
  run("config", "--worktree", "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${WORKTREE_TOKEN}`);
  const sub = join(dir, "..", `sub-source-${RUN}`);
  execFileSync("git", ["init", "-q", "-b", "main", sub], { env: gitEnv });
  writeFileSync(join(sub, "lib.txt"), "a library\n");
  execFileSync("git", ["-C", sub, "add", "."], { env: gitEnv });
  execFileSync("git", ["-C", sub, "-c", "user.name=Sub", "-c", "user.email=sub@example.com", "commit", "-qm", "lib"], { env: gitEnv });
  run("checkout", "-q", "-b", "with-submodule");
  run("-c", "protocol.file.allow=always", "submodule", "add", "-q", sub, "vendor/sub");
  run("-c", "user.name=Host User", "-c", "user.email=host@example.com", "commit", "-qm", "a submodule");
  run("checkout", "-q", "main");
  rmSync(join(dir, "vendor"), { recursive: true, force: true });
  const module = join(dir, ".git", "modules", "vendor", "sub");
  execFileSync("git", ["config", "--file", join(module, "config"), "remote.origin.url", `https://x-access-token:${SUBMODULE_TOKEN}@github.com/example/sub.git`], { env: gitEnv });
  execFileSync("git", ["config", "--file", join(module, "config"), "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${SUBMODULE_TOKEN}`], { env: gitEnv });
}

/**
 * A repository owned by root (not the containers' UID 1000: nothing of it is written from inside), with
 * uncommitted changes, and credentials in its config that must never reach a container.
 */
function makeFixture(): void {
  root = mkdtempSync(join(tmpdir(), "cad-ws-"));
  const home = join(root, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Host User\n\temail = host@example.com\n[safe]\n\tdirectory = *\n");
  writeFileSync(join(home, ".bashrc"), "# the host user's shell startup\n");
  env = { ...process.env, HOME: home, XDG_STATE_HOME: join(root, "state"), GIT_CONFIG_NOSYSTEM: "1" };
  // Spaces, a comma (Docker's --mount is CSV) and shell metacharacters in the path.
  repo = join(root, "work dir", `my repo, v2 $(x);& ${RUN}`);
  mkdirSync(join(repo, "src"), { recursive: true });
  execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
  writeFileSync(join(repo, "README.md"), "# fixture\n");
  writeFileSync(join(repo, "src", "app.js"), "console.log('v1');\n");
  writeFileSync(join(repo, ".gitignore"), "node_modules/\n");
  git("add", ".");
  git("commit", "-qm", "initial");
  // A token in the URL, and where actions/checkout keeps one: neither may reach a container.
  git("remote", "add", "origin", `https://${TOKEN}@github.com/example/my-repo.git`);
  git("config", "http.https://github.com/.extraheader", `AUTHORIZATION: basic ${EXTRAHEADER}`);
  addHiddenCredentials(repo, env);
  const chunk = Buffer.alloc(LARGE.bytes, "x");
  for (let d = 0; d < LARGE.dirs; d += 1) {
    const dir = join(repo, "node_modules", `pkg-${d}`);
    mkdirSync(dir, { recursive: true });
    for (let f = 0; f < LARGE.filesPerDir; f += 1) writeFileSync(join(dir, `file-${f}.js`), chunk);
  }
  // Uncommitted work on the host: a staged edit, an unstaged edit, a new file git does not ignore.
  writeFileSync(join(repo, "README.md"), "# fixture, staged edit\n");
  git("add", "README.md");
  writeFileSync(join(repo, "src", "app.js"), "console.log('unstaged edit');\n");
  writeFileSync(join(repo, "NOTES.md"), "new, untracked\n");
  // The upstream of URL launches and of the partial and shallow clones (which it lets filter).
  upstream = join(root, `upstream-${RUN}.git`);
  execFileSync("git", ["clone", "-q", "--bare", repo, upstream], { env });
  execFileSync("git", ["-C", upstream, "config", "uploadpack.allowFilter", "true"], { env });
}

describe.skipIf(!inject("docker"))("isolated workspaces and parallel agents, through launch", () => {
  let before = "";
  const launched = new Map<string, { branch: string; workspaceFolder: string }>();

  beforeAll(async () => {
    makeFixture();
    before = hostCheckout();
    const runs = await Promise.all([
      cli(["launch", repo, "--agent", A, "--branch", "one", "--carry-changes", "--json", ...testBed()]),
      cli(["launch", repo, "--agent", A, "--branch", "two", "--json", ...testBed()]),
      cli(["launch", repo, "--agent", B, "--branch", "one", "--json", ...testBed()]),
    ]);
    for (const run of runs) {
      if (run.code !== 0) throw new Error(`launch failed (${run.code}):\n${run.stderr.slice(-4000)}`);
      for (const entry of JSON.parse(run.stdout) as { name: string; branch: string; workspaceFolder: string }[]) launched.set(entry.name, entry);
    }
  });

  afterAll(async () => {
    for (const name of [...Object.values(NAMES), ...OTHERS]) await cli(["rm", "--force", "--keep-image", name]);
    rmSync(root, { recursive: true, force: true });
  });

  it("starts three containers, each named, labelled and listed with its own branch", async () => {
    expect([...launched.keys()].sort()).toEqual(Object.values(NAMES).sort());
    const list = JSON.parse(await ok(["list", "--json"])) as { name: string; agent: string; branch: string; state: string; repo: string }[];
    const ours = list.filter((row) => Object.values(NAMES).includes(row.name as never));
    expect(ours.map((row) => [row.name, row.agent, row.branch, row.state]).sort()).toEqual(
      [
        [NAMES.a1, A, `${A}/one`, "running"],
        [NAMES.a2, A, `${A}/two`, "running"],
        [NAMES.b1, B, `${B}/one`, "running"],
      ].sort(),
    );
    expect(new Set(ours.map((row) => row.repo))).toEqual(new Set([`my repo, v2 $(x);& ${RUN}`]));
    // Both codex containers hold copies of one single-use login (copy, the default): list and doctor say so, naming broker.
    // At least these two: other files' containers on the engine may add to the count.
    const listed = await cli(["list"]);
    expect(Number(COPIES.exec(listed.stderr)?.[1])).toBeGreaterThanOrEqual(2);
    const doctor = JSON.parse(await ok(["doctor", repo, "--agent", A, "--json"])) as { sharedCopies: string[] };
    expect(doctor.sharedCopies.some((line) => COPIES.test(line))).toBe(true);
  });

  it("gives each container its own volume and clone, and never mounts the host's working tree", () => {
    const volumes = Object.values(NAMES).map((name) => {
      const [container] = JSON.parse(docker("inspect", name)) as { Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean }[] }[];
      const mounts = container!.Mounts;
      expect(mounts.filter((m) => m.Type === "bind" && m.Source === repo)).toEqual([]);
      // The git dir is seen through its view (made by the host step); only objects and refs are mounted live.
      expect(mounts.find((m) => m.Destination === "/mnt/host-repo.git")).toMatchObject({ Source: join(root, "state", "create-agent-devcontainer", "launch", name, "git-view"), RW: false });
      expect(mounts.filter((m) => m.Source.startsWith(repo)).map((m) => [m.Source, m.Destination]).sort()).toEqual([
        [join(repo, ".git", "objects"), "/mnt/host-repo.git/objects"],
        [join(repo, ".git", "refs"), "/mnt/host-repo.git/refs"],
      ]);
      // Nothing of the host is writable: every bind mount is read-only.
      expect(mounts.filter((m) => m.Type === "bind" && m.RW)).toEqual([]);
      return [mounts.find((m) => m.Destination === "/workspace")!.Name, mounts.find((m) => m.Destination === "/var/lib/agent-devcontainer/outbox.git")!.Name];
    });
    expect(new Set(volumes.flat()).size).toBe(6);
  });

  it("provisions without copying the 100 MB of ignored files, and carries changes only where asked", async () => {
    const [size, listing] = (await inside(NAMES.a1, "du -sk . | cut -f1; ls -A")).split("\n", 2);
    expect(Number(size)).toBeLessThan(2048);
    expect(listing).not.toContain("node_modules");
    expect(await inside(NAMES.a1, "git diff --cached --stat; git diff --stat; cat NOTES.md")).toMatch(
      /README\.md \| 2[^\n]*\n.*\n src\/app\.js \| 2[^\n]*\n.*\nnew, untracked$/s,
    );
    expect(await inside(NAMES.a1, "cat src/app.js")).toBe("console.log('unstaged edit');");
    expect(await inside(NAMES.a2, "git status --porcelain; cat src/app.js")).toBe("console.log('v1');");
  });

  it("sets origin (upstream, no credentials), host (read-only) and local (its outbox, the default for pushes) and the host's identity", async () => {
    expect(await inside(NAMES.b1, "git remote get-url origin; git remote get-url host; git remote get-url local; git config remote.pushDefault; git config user.email")).toBe(
      ["https://github.com/example/my-repo.git", "/mnt/host-repo.git", "/var/lib/agent-devcontainer/outbox.git", "local", "host@example.com"].join("\n"),
    );
  });

  it("lets no token from a remote URL, an extraheader, config.worktree or a submodule's config into the container", async () => {
    const found = await inside(NAMES.b1, `${TOKEN_HUNT}; cat /mnt/host-repo.git/config /mnt/host-repo.git/modules/vendor/sub/config; ls -A /mnt/host-repo.git | LC_ALL=C sort`);
    for (const secret of [TOKEN, EXTRAHEADER, WORKTREE_TOKEN, SUBMODULE_TOKEN, "extraheader"]) expect(found).not.toContain(secret);
    expect(found).toContain("url = https://github.com/example/my-repo.git");
    expect(found).toContain("url = https://github.com/example/sub.git");
    expect(found).toContain("worktreeconfig = true"); // kept: git reads the (sanitised, empty) config.worktree
    expect(found).toContain("Read-only file system");
    // Nothing else of the git dir: no hooks, logs, index, FETCH_HEAD or linked worktrees' files.
    expect(found.split("\n").slice(-6)).toEqual(["HEAD", "config", "config.worktree", "modules", "objects", "refs"]);
  });

  it("pushes each agent's commit with a bare `git push` to its outbox; `sync` in the repository imports all three", async () => {
    const refs = git("for-each-ref");
    const heads = await Promise.all(
      Object.values(NAMES).map((name) => inside(name, `echo '${name}' > agent.txt && git add agent.txt && git commit -qm 'work from ${name}' && git push -q 2>&1 && git rev-parse HEAD`)),
    );
    // A push changes nothing in the host repository: only the host's own git imports.
    expect(git("for-each-ref")).toBe(refs);

    const synced = await cli(["sync"], { cwd: repo });

    expect(synced.code, synced.stderr).toBe(0);
    for (const [index, name] of Object.values(NAMES).entries()) {
      const branch = launched.get(name)!.branch;
      expect(synced.stderr).toContain(`${name}: imported ${branch} at ${heads[index]!.split("\n").pop()!.slice(0, 12)}`);
      expect(git("rev-parse", `refs/heads/${branch}`)).toBe(heads[index]!.split("\n").pop());
      expect(git("log", "-1", "--format=%s", branch)).toBe(`work from ${name}`);
    }
    expect(hostCheckout()).toBe(before);
    expect(execFileSync("git", ["-C", repo, "fsck", "--no-progress"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] })).toBe("");
    expect((await cli(["sync", NAMES.a1])).stderr).toContain(`${NAMES.a1}: ${A}/one up to date`);
  });

  it("an injected agent cannot change the host repository: writes fail, and every hostile outbox is refused in one line", async () => {
    const tree = hostTree(repo, ["node_modules"]);
    const bashrc = readFileSync(join(root, "home", ".bashrc"), "utf8");
    // Everything the first round of attacks did, against the read-only mount.
    const direct = await inside(
      NAMES.a1,
      "(find /mnt/host-repo.git/objects -mindepth 1 -delete) 2>&1 | head -1; " +
        "(echo /tmp > /mnt/host-repo.git/objects/info/alternates) 2>&1; " +
        "(ln -s config /mnt/host-repo.git/logs) 2>&1; " + // the view has no logs/: a new entry in it
        "(ln -s main /mnt/host-repo.git/refs/heads/review-me) 2>&1; " +
        "(printf '[core]\\n\\tfsmonitor = touch /tmp/pwned\\n' >> /mnt/host-repo.git/config) 2>&1; " +
        "(mkdir /mnt/host-repo.git/hooks) 2>&1; true", // the view has no hooks/ either, and cannot get one
    );
    expect(direct.split("\n"), direct).toHaveLength(6);
    for (const line of direct.split("\n")) expect(line).toMatch(/Read-only file system|Permission denied/);

    const outbox = "/var/lib/agent-devcontainer/outbox.git";
    const attacks: [string, string, RegExp][] = [
      ["a ref outside its branch", "git push -q local HEAD:main", /outside its branch codex\/one: refs\/heads\/main; nothing imported/],
      ["another container's branch", `git push -q local HEAD:refs/heads/${A}/two`, new RegExp(`outside its branch ${A}/one: refs/heads/${A}/two`)],
      ["a tag", "git push -q local HEAD:refs/tags/v1", /outside its branch .*refs\/tags\/v1/],
      [
        // receive-pack keeps a tag out of refs/heads/, so the agent writes the ref file itself.
        "an annotated tag as the branch's tip",
        `git tag -a -m evil evil HEAD && o=$(git rev-parse evil) && git push -q local "$o:refs/tags/x" && git --git-dir=${outbox} update-ref -d refs/tags/x && echo $o > ${outbox}/refs/heads/${A}/one`,
        new RegExp(`${NAMES.a1}: ${A}/one in its outbox points at an annotated tag, not a commit; nothing imported`),
      ],
      ["a symlink to the host's config", `ln -s /mnt/host-repo.git/config ${outbox}/refs/heads/${A}/evil`, /symbolic links? .*refs\/heads\/codex\/evil.*nothing imported/],
      [
        "a forged blob under a real name",
        `echo forged > f.txt && git add f.txt && git commit -qm forged && git push -q && b=$(git rev-parse HEAD:f.txt) && o=${outbox}/objects/$(echo $b | cut -c1-2)/$(echo $b | cut -c3-) && ` +
          `chmod u+w $o && node -e 'process.stdout.write(require("zlib").deflateSync(Buffer.from("blob 7\\0hacked\\n")))' > $o`,
        /objects .*(failed the check|did not send)|nothing imported/,
      ],
    ];
    for (const [what, attack, refusal] of attacks) {
      await inside(NAMES.a1, `${attack}; true`);
      const synced = await cli(["sync", NAMES.a1]);
      expect(synced.code, what).toBe(1);
      expect(synced.stderr.trim().split("\n"), what).toHaveLength(1);
      expect(synced.stderr, what).toMatch(refusal);
      expect(synced.stderr, what).not.toMatch(/at \S+:\d+:\d+\)?$/m); // no stack trace
      // Byte-identical, .git/objects included: no pack (nor a quarantine) was left behind.
      expect(hostTree(repo, ["node_modules"]), what).toBe(tree);
      expect(execFileSync("git", ["-C", repo, "fsck", "--no-progress"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] }), what).toBe("");
      await inside(NAMES.a1, `git push -q local --delete main ${A}/two v1 2>/dev/null; rm -f ${outbox}/refs/heads/${A}/evil; git tag -d evil >/dev/null 2>&1; git push -q --force local HEAD 2>/dev/null; true`);
    }

    expect(readFileSync(join(root, "home", ".bashrc"), "utf8")).toBe(bashrc);
    // The agent repairs its branch (the forged commit is dropped) and imports again.
    await inside(NAMES.a1, "git reset -q --hard HEAD~1 && git push -q --force");
    expect((await cli(["sync", NAMES.a1])).stderr).toContain("up to date");
  });

  it("an outbox set to pack.compression=0 cannot make sync write more than git would: the host's new pack stays small", async () => {
    const outbox = "/var/lib/agent-devcontainer/outbox.git";
    const packs = () => readdirSync(join(repo, ".git", "objects", "pack")).filter((file) => file.endsWith(".pack"));
    const tree = hostTree(repo, ["node_modules"]);
    const had = packs();
    // What turned 1.3 MB of work into 293 MB in the host repository: the bundle took the outbox's settings.
    const pushed = await inside(
      NAMES.a1,
      `git --git-dir=${outbox} config pack.compression 0 && git --git-dir=${outbox} config core.bigFileThreshold 1 && ` +
        "yes 'all work and no play makes jack a dull boy' | head -c 100000000 > dull.txt && git add dull.txt && git commit -qm dull && git push -q 2>&1 && git rev-parse HEAD",
    );

    const synced = await cli(["sync", NAMES.a1]);

    expect(synced.code, synced.stderr).toBe(0);
    expect(git("rev-parse", `refs/heads/${A}/one`)).toBe(pushed.split("\n").pop());
    const added = packs().filter((file) => !had.includes(file));
    expect(added).toHaveLength(1);
    const size = lstatSync(join(repo, ".git", "objects", "pack", added[0]!)).size;
    expect(size).toBeLessThan(2 * 1024 * 1024); // 100 MB of text, as git packs it (not 100 MB)
    // Only what an import adds changed: the new pack, the branch and its reflog.
    const [was, now] = [new Set(tree.split("\n")), new Set(hostTree(repo, ["node_modules"]).split("\n"))];
    const changed = [...was].filter((line) => !now.has(line)).concat([...now].filter((line) => !was.has(line)));
    expect(changed.length).toBeGreaterThan(0);
    for (const line of changed) expect(line).toMatch(new RegExp(`^\\.git/(objects/pack/pack-[0-9a-f]+\\.(pack|idx|rev)|refs/heads/${A}/one|logs/refs/heads/${A}/one) `));
    expect(execFileSync("git", ["-C", repo, "fsck", "--no-progress"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] })).toBe("");
    await inside(NAMES.a1, `git --git-dir=${outbox} config --unset pack.compression; git --git-dir=${outbox} config --unset core.bigFileThreshold; true`);
  });

  it("keeps working after git gc --prune=now, git branch -D and git pack-refs on the host", async () => {
    git("branch", "-D", `${A}/one`);
    git("gc", "--quiet", "--prune=now");
    git("pack-refs", "--all");
    const head = await inside(NAMES.a1, "git commit -q --allow-empty -m after-gc && git push -q 2>&1 && git rev-parse HEAD");

    await ok(["sync", NAMES.a1]);

    expect(git("rev-parse", `refs/heads/${A}/one`)).toBe(head.split("\n").pop());
    expect(execFileSync("git", ["-C", repo, "fsck", "--no-progress"], { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] })).toBe("");
  });

  it("clones and imports a blobless partial clone owned by UID 1000 and a shallow clone, the same way", async () => {
    const partial = join(root, `partial-${RUN}`);
    const shallow = join(root, `shallow-${RUN}`);
    execFileSync("git", ["clone", "-q", "--filter=blob:none", `file://${upstream}`, partial], { env });
    execFileSync("git", ["clone", "-q", "--depth=1", `file://${upstream}`, shallow], { env });
    // A blobless clone keeps owner-only files (.promisor, 0600): a copy of the git dir could not read them.
    expect(readdirSync(join(partial, ".git", "objects", "pack")).some((file) => file.endsWith(".promisor"))).toBe(true);
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "1000:1000", partial]);
    const runs = await Promise.all([
      cli(["launch", partial, "--agent", A, "--branch", "p", "--json", ...testBed()]),
      cli(["launch", shallow, "--agent", A, "--branch", "s", "--json", ...testBed()]),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    // Two codex containers run already: each launch adds a third copy of the login, and says so.
    for (const run of runs) expect(Number(COPIES.exec(run.stderr)?.[1])).toBeGreaterThanOrEqual(3);
    // The image of this config is cached now (the first launches tagged it): both started from it, building
    // nothing, and are confined exactly as the first ones.
    for (const run of runs) expect(run.stderr).toContain("starting from the cached image create-agent-devcontainer-cache/");
    for (const run of runs) expect(run.stderr).not.toContain("building the image");
    expect(confinement(`${A}-partial-${RUN}-p`)).toEqual(confinement(NAMES.a2));
    for (const [dir, name, branch] of [[partial, `${A}-partial-${RUN}-p`, `${A}/p`], [shallow, `${A}-shallow-${RUN}-s`, `${A}/s`]] as const) {
      const head = await inside(name, "cat README.md >/dev/null && echo more >> README.md && git commit -qam more && git push -q 2>&1 && git rev-parse HEAD");
      await ok(["sync", name]);
      expect(execFileSync("git", ["-C", dir, "rev-parse", `refs/heads/${branch}`], { encoding: "utf8", env }).trim()).toBe(head.split("\n").pop());
      expect(execFileSync("git", ["-C", dir, "show", `${branch}:README.md`], { encoding: "utf8", env })).toContain("more");
      await ok(["rm", "--force", "--keep-image", name]);
    }
  });

  it("re-running the workspace hook changes nothing and loses nothing", async () => {
    const state = "git rev-parse HEAD; git status --porcelain; cat scratch.txt";
    const was = await inside(NAMES.a2, `echo unsaved > scratch.txt; ${state}`);
    const hook = await inside(NAMES.a2, "/usr/local/share/agent-devcontainer/workspace/hook on-create");
    expect(hook).toContain(`already provisioned on ${A}/two; nothing changed`);
    expect(await inside(NAMES.a2, state)).toBe(was);
  });

  it("stops, starts (running its start hooks again), shows the logs of, and opens in VS Code a container by name", async () => {
    const state = async () => (JSON.parse(await ok(["list", "--json"])) as { name: string; state: string }[]).find((row) => row.name === NAMES.b1)?.state;
    await ok(["stop", NAMES.b1]);
    expect(await state()).toBe("exited");

    await ok(["start", NAMES.b1]);

    expect(await state()).toBe("running");
    const logs = JSON.parse(await ok(["logs", "--json", NAMES.b1])) as { launchLog: string };
    expect(logs.launchLog).toContain(`workspace: ready in /workspace on ${B}/one`);
    // The launch, then the start: each ran the agent's start hook.
    expect(logs.launchLog.match(new RegExp(`Running postStartCommand\\.\\.\\. running \\S+/${B}/hook post-start`, "g"))?.length).toBe(2);
    const code = JSON.parse(await ok(["code", "--json", NAMES.b1])) as { uri: string };
    const hex = /attached-container\+([0-9a-f]+)\/workspace$/.exec(code.uri)?.[1] ?? "";
    expect(JSON.parse(Buffer.from(hex, "hex").toString("utf8"))).toEqual({ containerName: `/${NAMES.b1}` });
    expect(await inside(NAMES.b1, "git rev-parse --abbrev-ref HEAD")).toBe(`${B}/one`);
  });

  it("rm refuses to delete unpushed work without a terminal, and --force removes container, volume and state", async () => {
    const refused = await cli(["rm", NAMES.a2]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${NAMES.a2} has 1 uncommitted file(s) and 0 unpushed commit(s) on ${A}/two`);
    expect(docker("ps", "-aq", "--filter", `name=^${NAMES.a2}$`)).not.toBe("");

    const removed = JSON.parse(await ok(["rm", "--force", "--keep-image", "--json", NAMES.a2])) as { volumes: string[] };

    expect(docker("ps", "-aq", "--filter", `name=^${NAMES.a2}$`)).toBe("");
    expect(removed.volumes.sort()).toEqual([`agent-outbox-${NAMES.a2}`, `agent-workspace-${NAMES.a2}`]);
    for (const volume of removed.volumes) expect(docker("volume", "ls", "-q", "--filter", `name=^${volume}$`)).toBe("");
    expect(readdirSync(join(root, "state", "create-agent-devcontainer", "launch"))).not.toContain(NAMES.a2);
  });

  it("launches from a git URL: origin is the URL, sync imports into a bare clone that rm counts as disposable", async () => {
    const [entry] = JSON.parse(await ok(["launch", `file://${upstream}`, "--agent", A, "--branch", "url", "--json", ...testBed()])) as { name: string; localRepo: string }[];

    const out = await inside(entry!.name, "git remote get-url origin; git commit -q --allow-empty -m url-work && git push -q 2>&1 && git rev-parse HEAD");
    await ok(["sync", entry!.name]);

    const [origin, head] = out.split("\n");
    expect(origin).toBe(`file://${upstream}`);
    expect(entry!.localRepo).toBe(join(root, "state", "create-agent-devcontainer", "launch", entry!.name, "repo.git"));
    expect(execFileSync("git", [`--git-dir=${entry!.localRepo}`, "rev-parse", `refs/heads/${A}/url`], { encoding: "utf8", env }).trim()).toBe(head);
    const refused = await cli(["rm", entry!.name]);
    expect(refused.stderr).toContain("0 uncommitted file(s) and 1 unpushed commit(s)");
    await ok(["rm", "--force", "--keep-image", entry!.name]);
    expect(readdirSync(join(root, "state", "create-agent-devcontainer", "launch"))).not.toContain(entry!.name);
  });

  it("a taken name fails in one line and leaves the running container alone", async () => {
    const run = await cli(["launch", repo, "--agent", A, "--branch", "one", ...testBed()]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`create-agent-devcontainer: the name ${NAMES.a1} is already taken (remove it with: create-agent-devcontainer rm ${NAMES.a1}; or pass --branch <another name>)`);
    expect(docker("inspect", "--format", "{{.State.Running}}", NAMES.a1)).toBe("true");
  });

  it("a URL that cannot be cloned fails in one line and leaves nothing behind", async () => {
    const run = await cli(["launch", `file://${join(root, `nowhere-${RUN}.git`)}`, "--agent", A, ...testBed()]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("cannot clone file://");
    expect(docker("ps", "-aq", "--filter", `label=${LABELS.launch}=${A}-nowhere-${RUN}`)).toBe("");
    expect(readdirSync(join(root, "state", "create-agent-devcontainer", "launch"))).not.toContain(`${A}-nowhere-${RUN}`);
  });

  it("Ctrl-C during launch removes the half-created container, its volume and state", async () => {
    const name = `${B}-${REPO}-interrupted`;
    const run = await cli(["launch", repo, "--agent", B, "--branch", "interrupted", ...testBed()], {
      onStderr: (text, child) => {
        if (text.includes("starting the container") && child.exitCode === null && !child.killed) child.kill("SIGINT");
      },
    });
    expect(run.stderr).toContain("starting the container");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("interrupted; nothing was left behind");
    expect(docker("ps", "-aq", "--filter", `name=^${name}$`)).toBe("");
    expect(docker("volume", "ls", "-q", "--filter", `name=^agent-workspace-${name}$`)).toBe("");
    expect(docker("volume", "ls", "-q", "--filter", `name=^agent-outbox-${name}$`)).toBe("");
    expect(readdirSync(join(root, "state", "create-agent-devcontainer", "launch"))).not.toContain(name);
  });
});

describe.skipIf(!inject("docker"))("a scaffolded config under plain devcontainer up", () => {
  let scaffolded = "";
  let container: Container;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), "cad-ws-scaffold-"));
    mkdirSync(join(base, "home"));
    // The repository belongs to UID 1000, not to this (root) test: the host user's git trusts it.
    writeFileSync(join(base, "home", ".gitconfig"), "[safe]\n\tdirectory = *\n");
    env = { ...process.env, HOME: join(base, "home"), XDG_STATE_HOME: join(base, "state"), GIT_CONFIG_NOSYSTEM: "1" };
    scaffolded = join(base, "scaffolded repo, v3");
    mkdirSync(scaffolded);
    const run = (...args: string[]) => execFileSync("git", ["-C", scaffolded, ...args], { stdio: "ignore" });
    run("init", "-q", "-b", "main");
    writeFileSync(join(scaffolded, "README.md"), "# scaffolded\n");
    run("add", ".");
    run("-c", "user.name=Host User", "-c", "user.email=host@example.com", "commit", "-qm", "initial");
    run("remote", "add", "origin", "https://github.com/example/scaffolded.git");
    addHiddenCredentials(scaffolded, env);
    execFileSync(process.execPath, cliArgs([scaffolded, "--yes", "--agent", A, ...testBed()]), { stdio: "ignore" });
    if (process.getuid?.() === 0) execFileSync("chown", ["-R", "1000:1000", scaffolded]);
    // The host user's git trusts the repository (its own, on a real host): the host step clones its submodule.
    container = await up(scaffolded, join(scaffolded, ".devcontainer", A, "devcontainer.json"), { env: { ...testHostEnv(), HOME: join(base, "home") } });
  });

  afterAll(() => {
    remove(container); // with its workspace clone volume
    rmSync(join(scaffolded, ".."), { recursive: true, force: true });
  });

  it("gets the same isolated clone, remotes and an <agent>/<timestamp> branch; `sync` in the repository imports its push", async () => {
    expect(container.up.remoteWorkspaceFolder).toBe("/workspace");
    const out = await execOk(container, [
      "bash",
      "-c",
      // A scaffolded config has no host identity to copy (VS Code copies the user's .gitconfig in).
      "pwd; git rev-parse --abbrev-ref HEAD; git remote get-url origin; git remote get-url local; " +
        "git -c user.name=Agent -c user.email=agent@example.com commit -q --allow-empty -m scaffolded && git push -q 2>&1 && git rev-parse --abbrev-ref HEAD",
    ]);
    const [pwd, branch, origin, local, pushed] = out.split("\n");
    expect([pwd, origin, local]).toEqual(["/workspace", "https://github.com/example/scaffolded.git", "/var/lib/agent-devcontainer/outbox.git"]);
    expect(branch).toMatch(new RegExp(`^${A}/\\d{8}-\\d{6}$`));
    const host = (...args: string[]) => execFileSync("git", ["-c", "safe.directory=*", "-C", scaffolded, ...args], { encoding: "utf8" }).trim();
    expect(host("branch", "--list", pushed!)).toBe("");

    const synced = await cli(["sync"], { cwd: scaffolded });

    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stderr).toContain(`imported ${pushed}`);
    expect(host("log", "-1", "--format=%s", pushed!)).toBe("scaffolded");
    expect(host("rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
  });

  it("lets no token from config.worktree or a submodule's config into the container (the host step's view)", async () => {
    const found = await execOk(container, ["bash", "-c", `${TOKEN_HUNT}; cat /mnt/host-repo.git/config.worktree /mnt/host-repo.git/modules/vendor/sub/config`]);
    for (const secret of [WORKTREE_TOKEN, SUBMODULE_TOKEN, "extraheader"]) expect(found).not.toContain(secret);
    expect(found).toContain("url = https://github.com/example/sub.git");
    expect(found).toContain("Read-only file system");
  });
});
