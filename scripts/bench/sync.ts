/**
 * Issue 10 measurements: a change pushed from a launched container to its outbox and imported by `sync`
 * (the built CLI, as users run it), beside the floor of a bare `git push` of the same change into a local
 * bare repository on this host. One commit of a small file, and one of 10 MB of incompressible data.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packagePath } from "../../src/paths.js";
import { NODE_IMAGE, ensureNodeImage } from "../../test/support/docker.js";
import { ensureNodeMirror } from "../../test/support/node-mirror.js";
import { median, timed } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

const RUNS = 3;
const AGENT = "codex";

export async function run(report: Report): Promise<void> {
  ensureNodeImage(ensureNodeMirror().tarball);
  const root = mkdtempSync(join(tmpdir(), "bench-sync-"));
  const home = join(root, "home");
  mkdirSync(home);
  writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Bench\n\temail = bench@example.com\n[safe]\n\tdirectory = *\n");
  const env = { ...process.env, HOME: home, XDG_STATE_HOME: join(root, "state"), GIT_CONFIG_NOSYSTEM: "1" };
  const repo = join(root, "sync-repo");
  const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-C", cwd, ...args], { env, encoding: "utf8" }).trim();
  mkdirSync(join(repo, "src"), { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  for (let i = 0; i < 1000; i += 1) writeFileSync(join(repo, "src", `m${i}.js`), `export const v${i} = ${i};\n`.repeat(20));
  git(repo, "add", ".");
  git(repo, "commit", "-qm", "sources");
  spawnSync("npm", ["run", "--silent", "build"], { cwd: packagePath(), stdio: "ignore" });
  const cli = [packagePath("dist", "cli", "main.js")];
  const name = `${AGENT}-sync-repo-bench`;
  try {
    timed(process.execPath, [...cli, "launch", repo, "--agent", AGENT, "--branch", "bench", "--local-features", "--base-image", NODE_IMAGE], { env });
    // The floor: the host's own git pushing the same kind of change into a bare repository here.
    const bare = join(root, "floor.git");
    const floorClone = join(root, "floor");
    git(root, "clone", "-q", "--bare", repo, bare);
    git(root, "clone", "-q", bare, floorClone);
    for (const [label, make] of [
      ["1-commit change", (i: number) => `echo change-${i} > change.txt`],
      ["10 MB change", (i: number) => `head -c 10485760 /dev/urandom > big-${i}.bin`],
    ] as const) {
      const ours: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const commit = `${make(i)} && git add -A && git commit -qm '${label} ${i}'`;
        execFileSync("docker", ["exec", "-w", "/workspace", name, "bash", "-c", commit]);
        const push = timed("docker", ["exec", "-w", "/workspace", name, "git", "push", "-q"]).seconds;
        const sync = timed(process.execPath, [...cli, "sync", name], { env }).seconds;
        ours.push(push + sync);
        if (label === "10 MB change") writeFileSync(join(floorClone, `big-${i}.bin`), randomBytes(10 * 1024 * 1024));
        else writeFileSync(join(floorClone, "change.txt"), `change-${i}\n`);
        git(floorClone, "add", "-A");
        git(floorClone, "commit", "-qm", `${label} ${i}`);
        floors.push(timed("git", ["-C", floorClone, "push", "-q", "origin", "HEAD:refs/heads/bench"], { env }).seconds);
      }
      const a = median(ours);
      const b = median(floors);
      report(`${label}: git push + sync`, a, "s", `median of ${RUNS}`);
      report(`${label}: bare git push into a local bare repo (floor)`, b, "s", `median of ${RUNS}`);
      report(`${label}: over the goal (2 × floor + 0.5 s)`, a - (2 * b + 0.5), "s", "≤ 0 meets it");
    }
  } finally {
    spawnSync(process.execPath, [...cli, "rm", "--force", name], { env, stdio: "ignore" });
    rmSync(root, { recursive: true, force: true });
  }
}
